#include "dream/dream_panel.h"

#include <QAction>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "dream/classifier_trainer.h"
#include "dream/dream_engine.h"
#include "dream/dream_image.h"
#include "dream/dream_views.h"
#include "dream/drawing_canvas.h"
#include "dream/gif_writer.h"

#include <qcustomplot.h>

namespace studio {

namespace {

constexpr int kHiddenPitch = 10;  ///< pixels per hidden unit in the p(h|v) grid image
constexpr int kTopFilters = 8;
constexpr int kFilmColumns = 20;
const QColor kForcedOn(60, 220, 110);
const QColor kForcedOff(240, 70, 70);

QImage frameImage(const std::uint8_t* values, int rows, int cols) { return grayImage(values, rows, cols); }

/// Grid size for a layer of n units: a little wider than tall.
int gridColumnsFor(int n) { return std::max(1, static_cast<int>(std::ceil(std::sqrt(n * 1.25)))); }

QLabel* smallLabel(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setStyleSheet(QStringLiteral("color: palette(mid);"));
    return l;
}

}  // namespace

DreamPanel::DreamPanel(QWidget* parent) : QWidget(parent) {
    engine_ = new DreamEngine(this);
    classifier_ = new ClassifierTrainer(this);
    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    refreshTimer_->setInterval(33);
    connect(refreshTimer_, &QTimer::timeout, this, &DreamPanel::refresh);

    // The drawing column runs the full height; the timeline sits under the dream and readout.
    auto* root = new QGridLayout(this);
    root->setContentsMargins(6, 6, 6, 6);
    root->setSpacing(6);
    root->addWidget(buildDrawColumn(), 0, 0, 2, 1);
    root->addWidget(buildDreamColumn(), 0, 1);
    root->addWidget(buildReadoutColumn(), 0, 2);
    root->addWidget(buildTimeline(), 1, 1, 1, 2);
    root->setColumnStretch(0, 2);
    root->setColumnStretch(1, 3);
    root->setColumnStretch(2, 2);
    root->setRowStretch(0, 1);

    setAcceptDrops(true);
    connect(engine_, &DreamEngine::frameAdded, this, &DreamPanel::scheduleRefresh);
    connect(engine_, &DreamEngine::hiddenForceChanged, this, &DreamPanel::scheduleRefresh);
    connect(engine_, &DreamEngine::timelineReset, this, [this] {
        energy_->clear(engine_->chains());
        plottedUpTo_ = -1;
        live_ = true;
        focusChain_ = std::min(focusChain_, engine_->chains() - 1);
        scheduleRefresh();
    });
    connect(engine_, &DreamEngine::playingChanged, this, [this](bool playing) {
        playButton_->setText(playing ? tr("Pause") : tr("Play"));
        playButton_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
    connect(classifier_, &ClassifierTrainer::classifierReady, this, &DreamPanel::scheduleRefresh);
    connect(classifier_, &ClassifierTrainer::failed, this,
            [this](const QString& why) { readout_->setUnavailable(why); });
    connect(canvas_, &DrawingCanvas::imageChanged, this, &DreamPanel::onCanvasImageChanged);
    connect(canvas_, &DrawingCanvas::clampChanged, this, [this] {
        engine_->setClampMask(canvas_->clampMask());
        scheduleRefresh();
    });

    // Panel-wide shortcuts (only while the focus is inside the panel).
    QAction* undo = canvas_->undoStack()->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = canvas_->undoStack()->createRedoAction(this, tr("Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    // (No Space shortcut here: the main window's Space starts / pauses training.)
    for (QAction* a : {undo, redo}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
}

DreamPanel::~DreamPanel() = default;

// ------------------------------------------------------------------------------------ layout

QWidget* DreamPanel::buildDrawColumn() {
    auto* box = new QGroupBox(tr("1 - Draw a digit, or pick a start"), this);
    auto* v = new QVBoxLayout(box);
    v->setSpacing(4);
    canvas_ = new DrawingCanvas(box);
    v->addWidget(canvas_, 1);

    auto* tools = new QHBoxLayout;
    auto* group = new QButtonGroup(box);
    struct ToolDef { const char* name; const char* tip; DrawingCanvas::Tool tool; };
    const ToolDef defs[] = {
        {"Pen", "Draw ink with a soft MNIST-like brush (right button erases)", DrawingCanvas::Tool::Pen},
        {"Eraser", "Erase ink", DrawingCanvas::Tool::Eraser},
        {"Clamp", "Paint pixels the dream must keep as drawn (inpainting)", DrawingCanvas::Tool::Clamp},
        {"Unclamp", "Release clamped pixels", DrawingCanvas::Tool::Unclamp}};
    for (const ToolDef& d : defs) {
        auto* b = new QToolButton(box);
        b->setText(tr(d.name));
        b->setToolTip(tr(d.tip));
        b->setCheckable(true);
        b->setChecked(d.tool == DrawingCanvas::Tool::Pen);
        group->addButton(b);
        const DrawingCanvas::Tool t = d.tool;
        connect(b, &QToolButton::toggled, this, [this, t](bool on) { if (on) canvas_->setTool(t); });
        tools->addWidget(b);
    }
    tools->addSpacing(6);
    tools->addWidget(smallLabel(tr("brush"), box));
    auto* brush = new QSlider(Qt::Horizontal, box);
    brush->setRange(10, 45);
    brush->setValue(22);
    brush->setToolTip(tr("Brush radius in pixels of the grid (2.2 looks like MNIST strokes)"));
    connect(brush, &QSlider::valueChanged, this, [this](int r) { canvas_->setBrushRadius(r / 10.0); });
    tools->addWidget(brush, 1);
    v->addLayout(tools);

    auto* undo = new QPushButton(tr("Undo"), box);
    undo->setToolTip(tr("Undo the last stroke (Ctrl+Z)"));
    connect(undo, &QPushButton::clicked, canvas_->undoStack(), &QUndoStack::undo);
    connect(canvas_->undoStack(), &QUndoStack::canUndoChanged, undo, &QPushButton::setEnabled);
    auto* redo = new QPushButton(tr("Redo"), box);
    redo->setToolTip(tr("Redo (Ctrl+Shift+Z)"));
    connect(redo, &QPushButton::clicked, canvas_->undoStack(), &QUndoStack::redo);
    connect(canvas_->undoStack(), &QUndoStack::canRedoChanged, redo, &QPushButton::setEnabled);
    undo->setEnabled(false);
    redo->setEnabled(false);
    auto* clear = new QPushButton(tr("Clear"), box);
    connect(clear, &QPushButton::clicked, canvas_, &DrawingCanvas::clear);
    auto* clearClamp = new QPushButton(tr("Clear clamp"), box);
    connect(clearClamp, &QPushButton::clicked, canvas_, &DrawingCanvas::clearClamp);
    auto* clampTop = new QPushButton(tr("Clamp top half"), box);
    clampTop->setToolTip(tr("Hold the top half fixed and let the model complete the bottom"));
    connect(clampTop, &QPushButton::clicked, this, [this] { canvas_->clampRows(0, rows_ / 2 - 1); });

    auto* random = new QPushButton(tr("Random test digit"), box);
    connect(random, &QPushButton::clicked, this, &DreamPanel::startFromRandomTestDigit);
    classCombo_ = new QComboBox(box);
    classCombo_->addItem(tr("a digit of class..."));
    for (int k = 0; k < 10; ++k) classCombo_->addItem(tr("a random %1").arg(k), k);
    connect(classCombo_, QOverload<int>::of(&QComboBox::activated), this, [this](int i) {
        if (i > 0) startFromTestClass(classCombo_->itemData(i).toInt());
        classCombo_->setCurrentIndex(0);
    });
    testIndex_ = new QSpinBox(box);
    testIndex_->setRange(0, 0);
    testIndex_->setPrefix(tr("test #"));
    auto* byIndex = new QPushButton(tr("Load"), box);
    connect(byIndex, &QPushButton::clicked, this, [this] { startFromTestDigit(testIndex_->value()); });
    auto* file = new QPushButton(tr("Image file..."), box);
    file->setToolTip(tr("A PNG or JPEG (or drop one on the panel), converted as MNIST was made: 20x20 box, centred by centre of mass"));
    connect(file, &QPushButton::clicked, this, &DreamPanel::loadImageInteractive);
    auto* noise = new QPushButton(tr("Noise"), box);
    connect(noise, &QPushButton::clicked, this, &DreamPanel::startFromNoise);

    auto* grid = new QGridLayout;
    grid->setSpacing(4);
    grid->addWidget(undo, 0, 0);
    grid->addWidget(redo, 0, 1);
    grid->addWidget(clear, 0, 2);
    grid->addWidget(clampTop, 1, 0, 1, 2);
    grid->addWidget(clearClamp, 1, 2);
    auto* startLabel = smallLabel(tr("start from:"), box);
    grid->addWidget(startLabel, 2, 0, 1, 3);
    grid->addWidget(random, 3, 0, 1, 2);
    grid->addWidget(noise, 3, 2);
    grid->addWidget(classCombo_, 4, 0, 1, 2);
    grid->addWidget(file, 4, 2);
    grid->addWidget(testIndex_, 5, 0, 1, 2);
    grid->addWidget(byIndex, 5, 2);
    v->addLayout(grid);
    status_ = smallLabel(QString(), box);
    status_->setMinimumWidth(1);  // long messages are cut, never wrapped (see test_dream_image)
    v->addWidget(status_);
    return box;
}

QWidget* DreamPanel::buildDreamColumn() {
    auto* box = new QGroupBox(tr("2 - The dream: Gibbs sampling v -> h -> v"), this);
    auto* g = new QGridLayout(box);
    g->setSpacing(4);
    probView_ = new PixelView(tr("p(v|h): what the model imagines"), box);
    probView_->setPreferredScale(6);
    sampleView_ = new PixelView(tr("sampled state v"), box);
    sampleView_->setPreferredScale(6);
    chainsView_ = new PixelView(tr("parallel chains from the same start: click one to follow it"), box);
    chainsView_->setPreferredScale(3);
    hiddenView_ = new PixelView(tr("hidden layer p(h|v) (click: force on / off / free)"), box);
    hiddenView_->setPreferredScale(2);
    hiddenView_->setIntegerScaling(false);
    filtersView_ = new PixelView(tr("most active hidden units (click to force)"), box);
    filtersView_->setPreferredScale(1);
    filtersView_->setIntegerScaling(false);
    g->addWidget(probView_, 0, 0);
    g->addWidget(sampleView_, 0, 1);
    g->addWidget(chainsView_, 1, 0, 1, 2);
    g->addWidget(hiddenView_, 2, 0);
    g->addWidget(filtersView_, 2, 1);
    g->setRowStretch(0, 3);
    g->setRowStretch(1, 1);
    g->setRowStretch(2, 2);
    g->setColumnStretch(0, 1);
    g->setColumnStretch(1, 1);
    connect(hiddenView_, &PixelView::clicked, this, &DreamPanel::onHiddenClicked);
    connect(filtersView_, &PixelView::clicked, this, &DreamPanel::onFiltersClicked);
    connect(chainsView_, &PixelView::clicked, this, &DreamPanel::onChainsClicked);
    return box;
}

QWidget* DreamPanel::buildReadoutColumn() {
    auto* box = new QGroupBox(tr("3 - What the model thinks"), this);
    auto* v = new QVBoxLayout(box);
    readout_ = new ClassReadout(box);
    energy_ = new FreeEnergyPlot(box);
    v->addWidget(readout_, 1);
    v->addWidget(energy_, 1);
    return box;
}

QWidget* DreamPanel::buildTimeline() {
    auto* box = new QGroupBox(tr("4 - Run and rewind"), this);
    auto* v = new QVBoxLayout(box);
    v->setSpacing(4);

    auto* transport = new QHBoxLayout;
    playButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Play"), box);
    playButton_->setToolTip(tr("Play / pause the dream"));
    connect(playButton_, &QPushButton::clicked, this, [this] {
        if (engine_->isPlaying()) {
            pause();
        } else {
            play();
        }
    });
    auto* step = new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Step"), box);
    step->setToolTip(tr("One full Gibbs sweep h -> v -> h"));
    connect(step, &QPushButton::clicked, this, [this] { live_ = true; engine_->step(); });
    auto* half = new QPushButton(tr("Half step"), box);
    half->setToolTip(tr("Only the next update: h -> v, then v -> h"));
    connect(half, &QPushButton::clicked, this, [this] { live_ = true; engine_->halfStep(); });
    auto* reset = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"), box);
    reset->setToolTip(tr("Back to the start image (same seed: the same dream again)"));
    connect(reset, &QPushButton::clicked, engine_, &DreamEngine::reset);
    for (QPushButton* b : {playButton_, step, half, reset}) transport->addWidget(b);
    transport->addSpacing(10);
    auto* knobs = new QHBoxLayout;

    spsSlider_ = new QSlider(Qt::Horizontal, box);
    spsSlider_->setRange(0, 1000);  // logarithmic: 1 .. 500 steps per second
    spsSlider_->setValue(static_cast<int>(std::lround(1000.0 * std::log(20.0) / std::log(500.0))));
    spsSlider_->setMinimumWidth(90);
    spsLabel_ = new QLabel(box);
    spsLabel_->setMinimumWidth(80);
    connect(spsSlider_, &QSlider::valueChanged, this, &DreamPanel::updateStepsPerSecond);
    knobs->addWidget(spsSlider_, 1);
    knobs->addWidget(spsLabel_);
    knobs->addSpacing(10);

    betaSlider_ = new QSlider(Qt::Horizontal, box);
    betaSlider_->setRange(0, 300);
    betaSlider_->setValue(100);
    betaSlider_->setMinimumWidth(90);
    betaSlider_->setToolTip(tr("Inverse temperature: beta < 1 melts the digit into noise, beta > 1 freezes it"));
    betaLabel_ = new QLabel(box);
    betaLabel_->setMinimumWidth(60);
    connect(betaSlider_, &QSlider::valueChanged, this, &DreamPanel::updateBeta);
    knobs->addWidget(betaSlider_, 1);
    knobs->addWidget(betaLabel_);

    meanField_ = new QCheckBox(tr("mean-field"), box);
    meanField_->setToolTip(tr("Use probabilities instead of samples for both layers (deterministic)"));
    connect(meanField_, &QCheckBox::toggled, engine_, &DreamEngine::setMeanField);
    knobs->addWidget(meanField_);
    chainsSpin_ = new QSpinBox(box);
    chainsSpin_->setRange(1, 8);
    chainsSpin_->setValue(engine_->chains());
    chainsSpin_->setSuffix(tr(" chains"));
    connect(chainsSpin_, QOverload<int>::of(&QSpinBox::valueChanged), engine_, &DreamEngine::setChains);
    transport->addWidget(chainsSpin_);
    seedSpin_ = new QSpinBox(box);
    seedSpin_->setRange(1, 999999);
    seedSpin_->setValue(1);
    seedSpin_->setPrefix(tr("seed "));
    connect(seedSpin_, QOverload<int>::of(&QSpinBox::valueChanged), this, [this](int s) {
        engine_->setSeed(static_cast<std::uint64_t>(s));
        engine_->reset();
    });
    transport->addWidget(seedSpin_);
    transport->addStretch(1);
    v->addLayout(transport);
    v->addLayout(knobs);

    auto* tl = new QHBoxLayout;
    tl->addWidget(smallLabel(tr("timeline"), box));
    timeline_ = new QSlider(Qt::Horizontal, box);
    timeline_->setRange(0, 0);
    timeline_->setToolTip(tr("Scrub back through every frame of the chain"));
    connect(timeline_, &QSlider::valueChanged, this, &DreamPanel::onTimelineMoved);
    tl->addWidget(timeline_, 1);
    timeLabel_ = new QLabel(box);
    timeLabel_->setMinimumWidth(170);
    tl->addWidget(timeLabel_);
    v->addLayout(tl);

    auto* film = new QHBoxLayout;
    filmView_ = new PixelView(tr("filmstrip of the followed chain: the sampled input v on top, the dream p(v|h) below"), box);
    filmView_->setPreferredScale(1);
    filmView_->setMinimumHeight(130);
    film->addWidget(filmView_, 1);
    auto* side = new QVBoxLayout;
    filmInterval_ = new QSpinBox(box);
    filmInterval_->setRange(1, 1000);
    filmInterval_->setValue(5);
    filmInterval_->setPrefix(tr("every "));
    filmInterval_->setSuffix(tr(" steps"));
    connect(filmInterval_, QOverload<int>::of(&QSpinBox::valueChanged), this, &DreamPanel::scheduleRefresh);
    auto* png = new QPushButton(tr("Export PNG..."), box);
    connect(png, &QPushButton::clicked, this, &DreamPanel::exportFilmstripInteractive);
    auto* gif = new QPushButton(tr("Export GIF..."), box);
    gif->setToolTip(tr("The whole timeline of all chains as an animated GIF for slides"));
    connect(gif, &QPushButton::clicked, this, &DreamPanel::exportGifInteractive);
    side->addWidget(filmInterval_);
    side->addWidget(png);
    side->addWidget(gif);
    side->addStretch(1);
    film->addLayout(side);
    v->addLayout(film);

    updateStepsPerSecond();
    updateBeta();
    return box;
}

// --------------------------------------------------------------------------------- model, data

void DreamPanel::setModel(std::shared_ptr<const rbm::Rbm> model) {
    if (!model) {
        engine_->setModel(nullptr);
        model_.reset();
        return;
    }
    const int nv = model->nVisible();
    int rows = model->imageRows, cols = model->imageCols;
    if (rows * cols != nv) {
        const rbm::Dataset* d = testSet();
        if (d && d->pixelsPerImage() == nv) {
            rows = d->rows;
            cols = d->cols;
        } else {
            const int s = static_cast<int>(std::lround(std::sqrt(double(nv))));
            rows = s * s == nv ? s : 1;
            cols = s * s == nv ? s : nv;
        }
    }
    const bool newGrid = !model_ || model_->nVisible() != nv || rows != rows_ || cols != cols_;
    model_ = model;
    engine_->setModel(model);
    classifier_->setModel(model);
    if (newGrid) {
        rows_ = rows;
        cols_ = cols;
        startPicked_ = false;
        canvas_->setGridSize(rows, cols);  // emits imageChanged: the engine restarts from the blank grid
    }
    if (!startPicked_ && testSet()) startFromRandomTestDigit();
    scheduleRefresh();
}

void DreamPanel::setDatasets(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test) {
    train_ = std::move(train);
    test_ = std::move(test);
    classifier_->setDataset(train_);
    const rbm::Dataset* t = testSet();
    testIndex_->setRange(0, t ? static_cast<int>(t->count) - 1 : 0);
    const bool labels = train_ && train_->hasLabels();
    readout_->setVisible(labels);
    classCombo_->setEnabled(t && t->hasLabels());
    if (model_ && !startPicked_ && t) startFromRandomTestDigit();
    scheduleRefresh();
}

const rbm::Dataset* DreamPanel::testSet() const {
    if (test_ && !test_->empty()) return test_.get();
    if (train_ && !train_->empty()) return train_.get();
    return nullptr;
}

// -------------------------------------------------------------------------------- start images

bool DreamPanel::startFromTestDigit(int index) {
    const rbm::Dataset* d = testSet();
    if (!d || index < 0 || static_cast<std::size_t>(index) >= d->count || d->pixelsPerImage() != rows_ * cols_) return false;
    std::vector<float> img(static_cast<std::size_t>(rows_ * cols_));
    const std::uint8_t* p = d->image(static_cast<std::size_t>(index));
    for (std::size_t i = 0; i < img.size(); ++i) img[i] = p[i] / 255.0f;
    startPicked_ = true;
    testIndex_->setValue(index);
    const QString label = d->hasLabels() ? tr(" (a %1)").arg(int(d->labels[static_cast<std::size_t>(index)])) : QString();
    status_->setText(tr("Start: test digit #%1%2").arg(index).arg(label));
    canvas_->setImage(img, tr("Test digit #%1").arg(index));
    engine_->setStartImage(canvas_->pixels());
    engine_->reset();  // also when the canvas already showed this digit
    return true;
}

bool DreamPanel::startFromTestClass(int digitClass) {
    const rbm::Dataset* d = testSet();
    if (!d || !d->hasLabels()) return false;
    std::vector<int> matches;
    for (std::size_t i = 0; i < d->count; ++i)
        if (d->labels[i] == digitClass) matches.push_back(static_cast<int>(i));
    if (matches.empty()) return false;
    return startFromTestDigit(matches[static_cast<std::size_t>(rng_.below(matches.size()))]);
}

void DreamPanel::startFromRandomTestDigit() {
    const rbm::Dataset* d = testSet();
    if (d && d->count > 0) startFromTestDigit(static_cast<int>(rng_.below(d->count)));
}

bool DreamPanel::startFromImageFile(const QString& path, QString* error) {
    std::vector<float> img;
    QString why;
    if (!loadMnistStyleDigit(path, rows_, cols_, img, &why)) {
        status_->setText(why);
        if (error) *error = why;
        return false;
    }
    startPicked_ = true;
    status_->setText(tr("Start: %1 (MNIST-style: 20x20 box, centred by mass)").arg(QFileInfo(path).fileName()));
    canvas_->setImage(img, tr("Load %1").arg(QFileInfo(path).fileName()));
    engine_->setStartImage(canvas_->pixels());
    engine_->reset();
    return true;
}

void DreamPanel::startFromNoise() {
    std::vector<float> img(static_cast<std::size_t>(rows_ * cols_));
    for (float& x : img) x = rng_.uniform() < 0.5f ? 1.0f : 0.0f;
    startPicked_ = true;
    status_->setText(tr("Start: binary noise (each pixel on with probability 1/2)"));
    canvas_->setImage(img, tr("Noise"));
    engine_->setStartImage(canvas_->pixels());
    engine_->reset();
}

void DreamPanel::loadImageInteractive() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Start the dream from an image"), QString(),
                                                      tr("Images (*.png *.jpg *.jpeg *.bmp *.gif)"));
    if (!path.isEmpty()) startFromImageFile(path);
}

void DreamPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty() && event->mimeData()->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void DreamPanel::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile() && startFromImageFile(urls.front().toLocalFile())) event->acceptProposedAction();
}

void DreamPanel::onCanvasImageChanged() {
    // A finished stroke, undo/redo or a loaded image: the drawing is the new start.
    if (!model_) return;
    engine_->setStartImage(canvas_->pixels());
    engine_->reset();
}

// ------------------------------------------------------------------------------------ controls

void DreamPanel::play() {
    live_ = true;
    if (engine_->frames().size() == 0) engine_->reset();
    engine_->play();
}

void DreamPanel::pause() { engine_->pause(); }

void DreamPanel::toggleHiddenUnit(int unit) { engine_->toggleHiddenUnit(unit); }

void DreamPanel::updateStepsPerSecond() {
    const double sps = std::max(1.0, std::round(std::exp(spsSlider_->value() / 1000.0 * std::log(500.0))));
    engine_->setStepsPerSecond(sps);
    spsLabel_->setText(tr("%1 steps/s").arg(sps));
}

void DreamPanel::updateBeta() {
    const float beta = static_cast<float>(betaSlider_->value()) / 100.0f;
    engine_->setBeta(beta);
    betaLabel_->setText(QStringLiteral("\u03b2 = %1").arg(double(beta), 0, 'f', 2));
}

void DreamPanel::onTimelineMoved(int value) {
    const int last = static_cast<int>(engine_->frames().size()) - 1;
    live_ = value >= last;
    if (!live_) engine_->pause();  // looking back: hold the chain where it is
    scheduleRefresh();
}

void DreamPanel::onHiddenClicked(QPointF pixel) {
    if (!model_) return;
    const int c = static_cast<int>(pixel.x()) / kHiddenPitch, r = static_cast<int>(pixel.y()) / kHiddenPitch;
    const int unit = r * hiddenGridCols_ + c;
    if (c < hiddenGridCols_ && unit < model_->nHidden()) toggleHiddenUnit(unit);
}

QPointF DreamPanel::hiddenUnitPosition(int unit) const {
    return {(unit % hiddenGridCols_) * kHiddenPitch + kHiddenPitch / 2.0, (unit / hiddenGridCols_) * kHiddenPitch + kHiddenPitch / 2.0};
}

void DreamPanel::onFiltersClicked(QPointF pixel) {
    if (filtersView_->image().isNull() || topUnits_.empty()) return;
    const int perRow = std::max(1, filterTilesPerRow_);
    const int tileRows = (static_cast<int>(topUnits_.size()) + perRow - 1) / perRow;
    const int col = static_cast<int>(pixel.x() * perRow / filtersView_->image().width());
    const int row = static_cast<int>(pixel.y() * tileRows / filtersView_->image().height());
    const int i = row * perRow + col;
    if (i >= 0 && i < static_cast<int>(topUnits_.size())) toggleHiddenUnit(topUnits_[static_cast<std::size_t>(i)]);
}

void DreamPanel::onChainsClicked(QPointF pixel) {
    const int chains = engine_->chains();
    if (chainsView_->image().isNull() || chains <= 0) return;
    const int i = static_cast<int>(pixel.x() * chains / chainsView_->image().width());
    focusChain_ = std::clamp(i, 0, chains - 1);
    scheduleRefresh();
}

// ------------------------------------------------------------------------------------- display

void DreamPanel::scheduleRefresh() {
    if (!refreshTimer_->isActive()) refreshTimer_->start();
}

int DreamPanel::currentFrameIndex() const {
    const int n = static_cast<int>(engine_->frames().size());
    if (n == 0) return -1;
    return live_ ? n - 1 : std::clamp(timeline_->value(), 0, n - 1);
}

void DreamPanel::refresh() {
    const FrameRing& frames = engine_->frames();
    const int n = static_cast<int>(frames.size());
    if (n == 0) return;
    // New points for the free-energy trace (every frame since the last refresh).
    int first = n;
    while (first > 0 && frames.at(static_cast<std::size_t>(first - 1)).step() > plottedUpTo_) --first;
    if (energy_->plot()->graphCount() != frames.newest().chains) energy_->clear(frames.newest().chains);
    for (int i = first; i < n; ++i) energy_->append(frames.at(static_cast<std::size_t>(i)).step(), frames.at(static_cast<std::size_t>(i)).freeEnergy);
    plottedUpTo_ = frames.newest().step();
    energy_->trimBefore(frames.at(0).step());

    {
        const QSignalBlocker block(timeline_);
        timeline_->setRange(0, n - 1);
        if (live_) timeline_->setValue(n - 1);
    }
    const int index = currentFrameIndex();
    const DreamFrame& f = frames.at(static_cast<std::size_t>(index));
    showFrame(f);
    energy_->setMarker(f.step());
    energy_->replot();
    timeLabel_->setText(tr("step t = %1   frame %2 / %3%4")
                            .arg(f.step())
                            .arg(index + 1)
                            .arg(n)
                            .arg(live_ ? tr("  (live)") : tr("  (rewound)")));
    {
        // As many columns as fit the strip at twice the grid size (crisp, readable).
        const int fit = (filmView_->width() - 80) / (cols_ * 2 + 4);
        filmView_->setImage(filmstripImage(2, true, false, std::clamp(fit, 4, kFilmColumns)));
    }
}

void DreamPanel::showFrame(const DreamFrame& f) {
    const int chain = std::clamp(focusChain_, 0, f.chains - 1);
    const bool mf = engine_->meanField();
    probView_->setImage(frameImage(f.visibleProb(chain), rows_, cols_));
    probView_->setCaption(tr("p(v|h), the dream   chain %1, t = %2").arg(chain + 1).arg(f.step()));
    sampleView_->setImage(frameImage(f.visible(chain), rows_, cols_));
    sampleView_->setCaption(mf ? tr("state v = p(v|h) (mean-field)") : tr("sampled state v ~ p(v|h)"));

    // All chains side by side, the followed one underlined in its colour.
    const int gap = 4, scale = 2;
    const int w = cols_ * scale, h = rows_ * scale;
    QImage all(f.chains * (w + gap) + gap, h + 2 * gap + 3, QImage::Format_RGB32);
    all.fill(QColor(32, 34, 38));
    {
        QPainter p(&all);
        for (int c = 0; c < f.chains; ++c) {
            const int x = gap + c * (w + gap);
            p.drawImage(QRect(x, gap, w, h), frameImage(f.visibleProb(c), rows_, cols_));
            p.fillRect(QRect(x, gap + h + 2, w, c == chain ? 3 : 1), chainColor(c));
        }
    }
    chainsView_->setImage(all);
    showHidden(f);
    showFilters(f);
    updateReadout(f);
}

void DreamPanel::showHidden(const DreamFrame& f) {
    const int nh = f.nHidden;
    const int chain = std::clamp(focusChain_, 0, f.chains - 1);
    hiddenGridCols_ = gridColumnsFor(nh);
    const int gridRows = (nh + hiddenGridCols_ - 1) / hiddenGridCols_;
    QImage img(hiddenGridCols_ * kHiddenPitch + 1, gridRows * kHiddenPitch + 1, QImage::Format_RGB32);
    img.fill(QColor(32, 34, 38));
    QPainter p(&img);
    const std::uint8_t* hp = f.hiddenProb(chain);
    for (int j = 0; j < nh; ++j) {
        const int x = (j % hiddenGridCols_) * kHiddenPitch, y = (j / hiddenGridCols_) * kHiddenPitch;
        const int g = hp[j];
        p.fillRect(QRect(x + 2, y + 2, kHiddenPitch - 3, kHiddenPitch - 3), QColor(g, g, g));
        const int force = engine_->hiddenForce(j);
        if (force >= 0) {
            p.setPen(QPen(force == 1 ? kForcedOn : kForcedOff, 2));
            p.drawRect(QRect(x + 1, y + 1, kHiddenPitch - 1, kHiddenPitch - 1));
        }
    }
    p.end();
    hiddenView_->setImage(img);
    int on = 0, off = 0;
    for (signed char force : engine_->hiddenForces()) { on += force == 1; off += force == 0; }
    hiddenView_->setCaption(on + off == 0 ? tr("p(h|v), %1 hidden units: click to force").arg(nh)
                                          : tr("p(h|v): %1 forced on, %2 forced off").arg(on).arg(off));
}

void DreamPanel::showFilters(const DreamFrame& f) {
    if (!model_ || model_->nHidden() != f.nHidden) return;
    const int chain = std::clamp(focusChain_, 0, f.chains - 1);
    const std::uint8_t* hp = f.hiddenProb(chain);
    std::vector<int> order(static_cast<std::size_t>(f.nHidden));
    std::iota(order.begin(), order.end(), 0);
    const int k = std::min(kTopFilters, f.nHidden);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        return hp[a] != hp[b] ? hp[a] > hp[b] : a < b;
    });
    topUnits_.assign(order.begin(), order.begin() + k);
    const int scale = 3, pad = 6, text = 16;
    const int tw = cols_ * scale, th = rows_ * scale;
    const int perRow = (k + 1) / 2;
    const int tileRows = (k + perRow - 1) / perRow;
    filterTilesPerRow_ = perRow;
    QImage img(perRow * (tw + pad) + pad, tileRows * (th + text + pad) + pad, QImage::Format_RGB32);
    img.fill(QColor(32, 34, 38));
    QPainter p(&img);
    QFont font = p.font();
    font.setPixelSize(12);
    p.setFont(font);
    for (int i = 0; i < k; ++i) {
        const int unit = topUnits_[static_cast<std::size_t>(i)];
        const int x = pad + (i % perRow) * (tw + pad), y = pad + (i / perRow) * (th + text + pad);
        p.drawImage(QRect(x, y, tw, th), filterImage(*model_, unit, rows_, cols_));
        const int force = engine_->hiddenForce(unit);
        if (force >= 0) {
            p.setPen(QPen(force == 1 ? kForcedOn : kForcedOff, 3));
            p.drawRect(QRect(x - 1, y - 1, tw + 1, th + 1));
        }
        p.setPen(QColor(210, 214, 220));
        p.drawText(QRect(x - 2, y + th + 1, tw + 4, text), Qt::AlignCenter,
                   QStringLiteral("#%1  h=%2").arg(unit).arg(hp[unit] / 255.0, 0, 'f', 2));
    }
    p.end();
    filtersView_->setImage(img);
}

std::vector<float> DreamPanel::classProbabilities(const DreamFrame& f, int chain) const {
    const auto c = classifier_->classifier();
    if (!c || c->features() != f.nHidden) return {};
    std::vector<float> x(static_cast<std::size_t>(f.nHidden));
    const std::uint8_t* hp = f.hiddenProb(chain);
    for (std::size_t j = 0; j < x.size(); ++j) x[j] = hp[j] / 255.0f;
    return c->predictOne(x.data(), f.nHidden);
}

std::vector<float> DreamPanel::currentClassProbabilities() const {
    const int index = currentFrameIndex();
    if (index < 0) return {};
    const DreamFrame& f = engine_->frames().at(static_cast<std::size_t>(index));
    return classProbabilities(f, std::clamp(focusChain_, 0, f.chains - 1));
}

void DreamPanel::updateReadout(const DreamFrame& f) {
    if (!train_ || !train_->hasLabels()) return;
    const int chain = std::clamp(focusChain_, 0, f.chains - 1);
    const std::vector<float> probs = classProbabilities(f, chain);
    if (probs.empty()) {
        readout_->setUnavailable(classifier_->busy() || !classifier_->classifier()
                                     ? tr("training a classifier on p(h|v) of labelled digits...")
                                     : tr("retraining for the new model..."));
        return;
    }
    readout_->setProbabilities(probs, tr("logistic regression on p(h|v), chain %1").arg(chain + 1));
}

// -------------------------------------------------------------------------------------- export

QImage DreamPanel::filmstripImage(int scale, bool labels, bool allChains, int maxColumns) const {
    const FrameRing& frames = engine_->frames();
    if (frames.size() == 0) return {};
    const int interval = filmInterval_->value();
    const int upto = currentFrameIndex();
    // Full-step frames at multiples of the interval, the latest kFilmColumns up to the shown frame.
    // (After a half step the full steps sit at odd half-step counts: t is rounded down, and
    // each multiple of the interval is shown once.)
    std::vector<int> picks;
    std::int64_t lastStep = -1;
    for (int i = upto; i >= 0 && static_cast<int>(picks.size()) < maxColumns; --i) {
        const DreamFrame& f = frames.at(static_cast<std::size_t>(i));
        const std::int64_t t = f.halfSteps / 2;
        if (t % interval == 0 && t != lastStep) {
            picks.push_back(i);
            lastStep = t;
        }
    }
    std::reverse(picks.begin(), picks.end());
    // Always keep the start (the oldest frame held) in the first column: input on the left.
    if (!picks.empty() && picks.front() != 0 && frames.at(0).halfSteps / 2 < frames.at(static_cast<std::size_t>(picks.front())).halfSteps / 2) {
        if (static_cast<int>(picks.size()) >= maxColumns) picks.erase(picks.begin());
        picks.insert(picks.begin(), 0);
    }
    const int firstChain = allChains ? 0 : std::clamp(focusChain_, 0, frames.newest().chains - 1);
    const int chains = allChains ? std::min(4, frames.newest().chains) : 1;
    const int w = cols_ * scale, h = rows_ * scale, gap = 2 * scale;
    const int labelW = labels ? 64 : 0, headerH = labels ? 16 : 0;
    const int rowsOut = 2 * chains;
    QImage img(labelW + static_cast<int>(picks.size()) * (w + gap) + gap,
               headerH + rowsOut * (h + gap) + gap + (chains - 1) * gap, QImage::Format_RGB32);
    img.fill(QColor(32, 34, 38));
    QPainter p(&img);
    QFont font = p.font();
    font.setPixelSize(11);
    p.setFont(font);
    p.setPen(QColor(210, 214, 220));
    for (std::size_t k = 0; k < picks.size(); ++k) {
        const DreamFrame& f = frames.at(static_cast<std::size_t>(picks[k]));
        const int x = labelW + gap + static_cast<int>(k) * (w + gap);
        if (labels) p.drawText(QRect(x - gap, 0, w + 2 * gap, headerH), Qt::AlignCenter, QStringLiteral("t=%1").arg(f.halfSteps / 2));
        for (int k2 = 0; k2 < chains && firstChain + k2 < f.chains; ++k2) {
            const int c = firstChain + k2;
            const int y = headerH + gap + k2 * (2 * (h + gap) + gap);
            p.drawImage(QRect(x, y, w, h), frameImage(f.visible(c), rows_, cols_));
            p.drawImage(QRect(x, y + h + gap, w, h), frameImage(f.visibleProb(c), rows_, cols_));
        }
    }
    if (labels) {
        for (int k2 = 0; k2 < chains; ++k2) {
            const int c = firstChain + k2;
            const int y = headerH + gap + k2 * (2 * (h + gap) + gap);
            p.setPen(chainColor(c));
            p.fillRect(QRect(2, y, 3, 2 * h + gap), chainColor(c));
            p.setPen(QColor(210, 214, 220));
            p.drawText(QRect(8, y, labelW - 10, h), Qt::AlignVCenter | Qt::AlignLeft, tr("v (input)"));
            p.drawText(QRect(8, y + h + gap, labelW - 10, h), Qt::AlignVCenter | Qt::AlignLeft, tr("p(v|h)"));
        }
    }
    p.end();
    return img;
}

bool DreamPanel::exportFilmstrip(const QString& path) const {
    const QImage img = filmstripImage(3, true, true, kFilmColumns);
    return !img.isNull() && img.save(path, "PNG");
}

bool DreamPanel::exportGif(const QString& path, int maxFrames) const {
    const FrameRing& frames = engine_->frames();
    const int n = static_cast<int>(frames.size());
    if (n == 0) return false;
    const int every = std::max(1, (n + maxFrames - 1) / std::max(1, maxFrames));
    const int chains = frames.newest().chains;
    const int scale = 4, gap = 8;
    const int w = cols_ * scale, h = rows_ * scale;
    const int width = chains * (w + gap) + gap, height = h + 2 * gap;
    GifWriter gif(width, height);
    const int delay = std::clamp(static_cast<int>(std::lround(100.0 / engine_->stepsPerSecond() * every)), 2, 100);
    QImage canvas(width, height, QImage::Format_Grayscale8);
    for (int i = 0; i < n; i += every) {
        const DreamFrame& f = frames.at(static_cast<std::size_t>(i));
        if (f.chains != chains || f.nVisible != rows_ * cols_) continue;
        canvas.fill(40);
        QPainter p(&canvas);
        for (int c = 0; c < chains; ++c)
            p.drawImage(QRect(gap + c * (w + gap), gap, w, h), frameImage(f.visibleProb(c), rows_, cols_));
        p.end();
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
        for (int y = 0; y < height; ++y)
            std::copy(canvas.constScanLine(y), canvas.constScanLine(y) + width, bytes.begin() + static_cast<std::ptrdiff_t>(y) * width);
        gif.addFrame(bytes.data(), delay);
    }
    return gif.frames() > 0 && gif.save(path.toStdString());
}

void DreamPanel::exportFilmstripInteractive() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export filmstrip"), QStringLiteral("dream-filmstrip.png"),
                                                      tr("PNG image (*.png)"));
    if (!path.isEmpty()) status_->setText(exportFilmstrip(path) ? tr("Saved %1").arg(path) : tr("Could not write %1").arg(path));
}

void DreamPanel::exportGifInteractive() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the dream as an animation"),
                                                      QStringLiteral("dream.gif"), tr("Animated GIF (*.gif)"));
    if (!path.isEmpty()) status_->setText(exportGif(path) ? tr("Saved %1").arg(path) : tr("Could not write %1").arg(path));
}

}  // namespace studio
