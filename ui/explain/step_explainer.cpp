#include "explain/step_explainer.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

#include "explain/model_diagram.h"
#include "views/image_canvas.h"

namespace studio {

namespace {

QLabel* richLabel(QWidget* parent) {
    auto* l = new QLabel(parent);
    l->setTextFormat(Qt::RichText);
    l->setWordWrap(true);
    l->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    l->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    return l;
}

}  // namespace

StepExplainer::StepExplainer(QWidget* parent) : QWidget(parent) {
    // Made first: Back / Next go under the formula, the readout under the pictures (no rows
    // of their own, so the panel fits the dock of a 1280 x 720 window).
    readout_ = richLabel(this);
    readout_->setObjectName(QStringLiteral("stepReadout"));
    readout_->setMinimumHeight(readout_->fontMetrics().lineSpacing() * 2 + 10);
    readout_->setFrameShape(QFrame::StyledPanel);
    readout_->setMargin(4);
    back_ = new QPushButton(tr("\u25C0 Back"), this);
    back_->setToolTip(tr("The previous stage (Left or Page Up)"));
    next_ = new QPushButton(tr("Next \u25B6"), this);
    next_->setToolTip(tr("The next stage (Right or Page Down)"));
    position_ = new QLabel(this);
    position_->setAlignment(Qt::AlignCenter);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 2, 4, 2);
    outer->setSpacing(3);
    outer->addWidget(buildControls());
    outer->addWidget(buildStagePane(), 1);
    connect(back_, &QPushButton::clicked, this, &StepExplainer::back);
    connect(next_, &QPushButton::clicked, this, &StepExplainer::next);

    // Keys while the panel (or a child) has focus; a spin box being typed into keeps its arrows.
    const std::pair<QKeySequence, void (StepExplainer::*)()> keys[] = {
        {QKeySequence(Qt::Key_Right), &StepExplainer::next}, {QKeySequence(Qt::Key_PageDown), &StepExplainer::next},
        {QKeySequence(Qt::Key_Left), &StepExplainer::back},  {QKeySequence(Qt::Key_PageUp), &StepExplainer::back}};
    for (const auto& [key, slot] : keys) {
        auto* s = new QShortcut(key, this);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, slot);
    }
    setFocusPolicy(Qt::StrongFocus);
    showStage();
}

QWidget* StepExplainer::buildControls() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    source_ = new QComboBox(box);
    source_->addItem(tr("Test digit"), int(Source::TestDigit));
    source_->addItem(tr("Training digit"), int(Source::TrainingDigit));
    source_->addItem(tr("The dream's drawing"), int(Source::Drawing));
    source_->setToolTip(tr("The example the step learns from"));
    index_ = new QSpinBox(box);
    index_->setRange(0, 0);
    index_->setToolTip(tr("Which digit of the set"));
    algorithm_ = new QComboBox(box);
    algorithm_->addItem(QStringLiteral("CD"), int(rbm::Algorithm::CD));
    algorithm_->addItem(QStringLiteral("PCD"), int(rbm::Algorithm::PCD));
    algorithm_->setToolTip(tr("CD restarts its chain at the data; PCD continues the persistent chain of the training"));
    k_ = new QSpinBox(box);
    k_->setRange(1, 50);
    k_->setPrefix(QStringLiteral("k = "));
    k_->setToolTip(tr("Gibbs steps in the negative phase"));
    seed_ = new QSpinBox(box);
    seed_->setRange(1, 1000000);
    seed_->setPrefix(tr("draw "));
    seed_->setToolTip(tr("The random draws of the step (the same number gives the same samples)"));
    auto* label = new QLabel(tr("Example:"), box);
    row->addWidget(label);
    row->addWidget(source_);
    row->addWidget(index_);
    row->addSpacing(8);
    row->addWidget(algorithm_);
    row->addWidget(k_);
    row->addWidget(seed_);
    row->addStretch(1);

    connect(source_, &QComboBox::currentIndexChanged, this, [this] {
        updateIndexRange();
        showExample(Source(source_->currentData().toInt()), index_->value());
    });
    connect(index_, &QSpinBox::valueChanged, this,
            [this](int i) { showExample(Source(source_->currentData().toInt()), i); });
    auto algorithmEdited = [this] {
        setAlgorithm(rbm::Algorithm(algorithm_->currentData().toInt()), k_->value());
    };
    connect(algorithm_, &QComboBox::currentIndexChanged, this, algorithmEdited);
    connect(k_, &QSpinBox::valueChanged, this, algorithmEdited);
    connect(seed_, &QSpinBox::valueChanged, this, &StepExplainer::setSeed);
    return box;
}

QWidget* StepExplainer::buildStagePane() {
    auto* pane = new QWidget(this);
    auto* row = new QHBoxLayout(pane);
    row->setContentsMargins(0, 0, 0, 0);

    // Left: where we are in the step, and its formula.
    auto* left = new QVBoxLayout;
    left->setSpacing(3);
    left->setContentsMargins(0, 0, 0, 0);
    diagram_ = new ModelDiagram(pane);
    connect(diagram_, &ModelDiagram::stageClicked, this, &StepExplainer::setStage);
    title_ = richLabel(pane);
    QFont big = title_->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    title_->setFont(big);
    formula_ = richLabel(pane);
    QFont math = formula_->font();
    math.setPointSizeF(math.pointSizeF() * 1.1);
    formula_->setFont(math);
    explanation_ = richLabel(pane);
    left->addWidget(diagram_);
    left->addWidget(title_);
    left->addWidget(formula_);
    left->addWidget(explanation_);
    left->addStretch(1);
    auto* nav = new QHBoxLayout;
    nav->addWidget(back_);
    nav->addWidget(position_, 1);
    nav->addWidget(next_);
    left->addLayout(nav);
    auto* leftBox = new QWidget(pane);
    leftBox->setLayout(left);
    leftBox->setMinimumWidth(260);
    leftBox->setMaximumWidth(380);
    row->addWidget(leftBox, 2);

    // Right: the stage's input and its result.
    auto* pictures = new QGridLayout;
    pictures->setVerticalSpacing(3);
    inputCaption_ = richLabel(pane);
    outputCaption_ = richLabel(pane);
    inputCaption_->setAlignment(Qt::AlignCenter);
    outputCaption_->setAlignment(Qt::AlignCenter);
    inputCanvas_ = new ImageCanvas(pane);
    outputCanvas_ = new ImageCanvas(pane);
    for (ImageCanvas* c : {inputCanvas_, outputCanvas_}) {
        c->setMinimumSize(100, 100);
        c->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        c->setMouseTracking(true);
    }
    arrow_ = new QLabel(QStringLiteral("\u2192"), pane);
    QFont af = arrow_->font();
    af.setPointSizeF(af.pointSizeF() * 2);
    arrow_->setFont(af);
    pictures->addWidget(inputCaption_, 0, 0);
    pictures->addWidget(outputCaption_, 0, 2);
    pictures->addWidget(inputCanvas_, 1, 0);
    pictures->addWidget(arrow_, 1, 1);
    pictures->addWidget(outputCanvas_, 1, 2);
    pictures->addWidget(readout_, 2, 0, 1, 3);
    pictures->setRowStretch(1, 1);
    pictures->setColumnStretch(0, 1);
    pictures->setColumnStretch(2, 1);
    row->addLayout(pictures, 3);

    connect(outputCanvas_, &ImageCanvas::hovered, this, [this](QPoint px, QPoint) { onHover(px); });
    connect(inputCanvas_, &ImageCanvas::hovered, this, [this](QPoint px, QPoint) {
        // The input's units mean the same in the readout when they are of the result's kind.
        if (inputImage_.kind == outputImage_.kind) onHover(px);
    });
    return pane;
}

void StepExplainer::setModel(std::shared_ptr<const rbm::Rbm> model) {
    const bool resized = !model_ || !model || model_->nVisible() != model->nVisible() || model_->nHidden() != model->nHidden();
    model_ = std::move(model);
    if (resized) {
        unitChosen_ = false;
        // A digit of another size cannot be explained with this model: pick it again.
        if (model_ && example_.size() != model_->nVisible()) showExample(Source(source_->currentData().toInt()), index_->value());
    }
    invalidate();
}

void StepExplainer::setDatasets(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test) {
    train_ = std::move(train);
    test_ = std::move(test);
    updateIndexRange();
    showExample(Source(source_->currentData().toInt()), index_->value());
}

void StepExplainer::setTrainingConfig(const rbm::TrainingConfig& config) {
    // The algorithm follows the training's when the training's changes; a choice made here
    // stands until then (the window passes the settings with every painted model).
    const bool follow = !followed_ || config.algorithm != followedAlgorithm_ || config.k != followedK_;
    followed_ = true;
    followedAlgorithm_ = config.algorithm;
    followedK_ = config.k;
    const rbm::Algorithm algorithm = follow ? config.algorithm : config_.algorithm;
    const int k = follow ? config.k : config_.k;
    const bool rebinarize =
        config.binarization != config_.binarization || config.binarizeThreshold != config_.binarizeThreshold;
    const bool changed = rebinarize || algorithm != config_.algorithm || k != config_.k ||
                         config.learningRateWeights != config_.learningRateWeights;
    config_ = config;
    config_.algorithm = algorithm;
    config_.k = k;
    {
        const QSignalBlocker a(algorithm_), b(k_);
        algorithm_->setCurrentIndex(algorithm_->findData(int(algorithm)));
        k_->setValue(k);
    }
    // The example is binarized as the training binarizes: pick it again.
    if (rebinarize || !example_.size()) showExample(Source(source_->currentData().toInt()), index_->value());
    else if (changed) invalidate();
}

void StepExplainer::setChainState(const rbm::Vector& chain) {
    chain_ = chain;
    if (config_.algorithm == rbm::Algorithm::PCD) invalidate();
}

void StepExplainer::setDrawingProvider(std::function<std::vector<float>()> provider) { drawing_ = std::move(provider); }

void StepExplainer::updateIndexRange() {
    const Source s = Source(source_->currentData().toInt());
    const rbm::Dataset* d = s == Source::TestDigit ? test_.get() : s == Source::TrainingDigit ? train_.get() : nullptr;
    const QSignalBlocker block(index_);
    index_->setVisible(s != Source::Drawing);
    index_->setRange(0, d && d->count > 0 ? int(d->count) - 1 : 0);
}

rbm::Vector StepExplainer::exampleFrom(Source source, int index, bool* ok) const {
    *ok = false;
    // What the trainer sees: binarized as rbm::binarized does (pixel > threshold), else [0,1].
    const bool threshold = config_.binarization == rbm::Binarization::Threshold;
    const int cut = config_.binarizeThreshold;
    rbm::Vector v;
    if (source == Source::Drawing) {
        if (!drawing_) return v;
        const std::vector<float> pixels = drawing_();
        v = Eigen::Map<const rbm::Vector>(pixels.data(), Eigen::Index(pixels.size()));
        if (threshold)
            for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = v(i) * 255.0f > float(cut) ? 1.0f : 0.0f;
    } else {
        const rbm::Dataset* d = source == Source::TestDigit ? test_.get() : train_.get();
        if (!d || index < 0 || std::size_t(index) >= d->count) return v;
        v.resize(d->pixelsPerImage());
        const std::uint8_t* img = d->image(std::size_t(index));
        for (Eigen::Index i = 0; i < v.size(); ++i)
            v(i) = threshold ? (img[i] > cut ? 1.0f : 0.0f) : float(img[i]) * (1.0f / 255.0f);
    }
    *ok = v.size() > 0 && (!model_ || v.size() == model_->nVisible());
    return v;
}

bool StepExplainer::showExample(Source source, int index) {
    bool ok = false;
    rbm::Vector v = exampleFrom(source, index, &ok);
    if (!ok) return false;
    {
        const QSignalBlocker a(source_), b(index_);
        source_->setCurrentIndex(source_->findData(int(source)));
        updateIndexRange();
        if (source != Source::Drawing) index_->setValue(index);
    }
    example_ = std::move(v);
    invalidate();
    return true;
}

void StepExplainer::setAlgorithm(rbm::Algorithm algorithm, int k) {
    config_.algorithm = algorithm;
    config_.k = std::max(1, k);
    const QSignalBlocker a(algorithm_), b(k_);
    algorithm_->setCurrentIndex(algorithm_->findData(int(algorithm)));
    k_->setValue(config_.k);
    invalidate();
}

void StepExplainer::setSeed(int seed) {
    {
        const QSignalBlocker block(seed_);
        seed_->setValue(seed);
    }
    invalidate();
}

void StepExplainer::setStage(StepStage stage) {
    if (stage == stage_) return;
    stage_ = stage;
    showStage();
    emit stageChanged(stage_);
}

void StepExplainer::next() {
    if (int(stage_) + 1 < kStepStageCount) setStage(StepStage(int(stage_) + 1));
}

void StepExplainer::back() {
    if (int(stage_) > 0) setStage(StepStage(int(stage_) - 1));
}

void StepExplainer::selectUnit(const StageUnit& unit) {
    unit_ = unit;
    unitChosen_ = true;
    showReadout();
}

const rbm::CdStepTrace* StepExplainer::trace() {
    if (dirty_) recompute();
    return trace_ ? &*trace_ : nullptr;
}

void StepExplainer::invalidate() {
    dirty_ = true;
    // Hidden panels wait until they are shown (the window repaints models at 25 per second).
    if (isVisible()) recompute();
}

void StepExplainer::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (dirty_) recompute();
}

void StepExplainer::recompute() {
    dirty_ = false;
    trace_.reset();
    if (model_ && example_.size() == model_->nVisible()) {
        rbm::CdStepOptions o = rbm::CdStepOptions::fromSeed(std::uint64_t(seed_->value()), config_.algorithm, config_.k);
        if (config_.algorithm == rbm::Algorithm::PCD && chain_.size() == model_->nVisible()) o.chain = chain_;
        try {
            trace_ = rbm::traceCdStep(*model_, example_, o);
        } catch (const rbm::Error&) {
            trace_.reset();
        }
    }
    showStage();
}

void StepExplainer::showStage() {
    back_->setEnabled(int(stage_) > 0);
    next_->setEnabled(int(stage_) + 1 < kStepStageCount);
    position_->setText(tr("%1 / %2").arg(int(stage_) + 1).arg(kStepStageCount));
    const bool pcd = config_.algorithm == rbm::Algorithm::PCD;
    diagram_->setStage(stage_, pcd, config_.k);
    if (!trace_ || !model_) {
        title_->setText(tr("Explain one step"));
        formula_->setText(QString());
        explanation_->setText(model_ ? tr("Choose a digit to explain.") : tr("No model yet: open one or start training."));
        inputImage_ = outputImage_ = {};
        inputCanvas_->setImage({});
        outputCanvas_->setImage({});
        inputCaption_->clear();
        outputCaption_->clear();
        readout_->clear();
        return;
    }
    const rbm::CdStepTrace& t = *trace_;
    title_->setText(stageTitle(stage_, t));
    formula_->setText(stageFormula(stage_, t));
    explanation_->setText(stageExplanation(stage_, t));
    const StageContext c{model_.get(), &t, config_.learningRateWeights};
    inputImage_ = stageInputImage(stage_, c);
    outputImage_ = stageOutputImage(stage_, c);
    inputCanvas_->setImage(inputImage_.image);
    outputCanvas_->setImage(outputImage_.image);
    inputCanvas_->setVisible(inputImage_.kind != StageImageKind::None);
    arrow_->setVisible(inputImage_.kind != StageImageKind::None);
    inputCaption_->setText(inputImage_.caption);
    outputCaption_->setText(outputImage_.caption);
    if (!unitChosen_) unit_ = defaultUnit(stage_, c);
    showReadout();
}

void StepExplainer::showReadout() {
    if (!trace_ || !model_) return;
    const StageContext c{model_.get(), &*trace_, config_.learningRateWeights};
    readout_->setText(unitReadout(stage_, c, unit_));
    inputCanvas_->setHighlight(unitRect(inputImage_, *model_, unit_));
    outputCanvas_->setHighlight(unitRect(outputImage_, *model_, unit_));
}

void StepExplainer::onHover(QPoint imagePixel) {
    if (!model_) return;
    const StageUnit u = unitAt(outputImage_, *model_, imagePixel);
    if (!u.valid()) return;
    // Keep the other coordinate: hovering a pixel keeps the hidden unit one followed.
    if (u.visible >= 0) unit_.visible = u.visible;
    if (u.hidden >= 0) unit_.hidden = u.hidden;
    unitChosen_ = true;
    showReadout();
}

QString StepExplainer::readoutText() const {
    QTextDocument doc;
    doc.setHtml(readout_->text());
    return doc.toPlainText();
}

}  // namespace studio
