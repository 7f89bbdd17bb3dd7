#include "views/controls_dock.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

namespace studio {

namespace {
QDoubleSpinBox* dbl(double lo, double hi, int decimals, double step, const QString& tip) {
    auto* b = new QDoubleSpinBox;
    b->setRange(lo, hi);
    b->setDecimals(decimals);
    b->setSingleStep(step);
    b->setKeyboardTracking(false);  // one change per edit, not per keystroke
    b->setToolTip(tip);
    return b;
}
QSpinBox* integer(int lo, int hi, const QString& tip) {
    auto* b = new QSpinBox;
    b->setRange(lo, hi);
    b->setKeyboardTracking(false);
    b->setToolTip(tip);
    return b;
}
QGroupBox* group(const QString& title, QFormLayout*& form) {
    auto* g = new QGroupBox(title);
    form = new QFormLayout(g);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setContentsMargins(6, 4, 6, 4);
    form->setVerticalSpacing(3);
    return g;
}
}  // namespace

ControlsDock::ControlsDock(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);

    auto* buttons = new QGridLayout;
    buttons->setSpacing(4);
    startBtn_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Start"));
    startBtn_->setToolTip(tr("Start training (Space)"));
    pauseBtn_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
    pauseBtn_->setToolTip(tr("Pause / resume (Space)"));
    stepBtn_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Step"));
    stepBtn_->setToolTip(tr("Train one minibatch, then pause (Ctrl+Right)"));
    stopBtn_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
    stopBtn_->setToolTip(tr("Stop the run; Start continues from where it stopped (Ctrl+.)"));
    resetBtn_ = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"));
    resetBtn_->setToolTip(tr("Forget the model and initialise a new one (next seed) (Ctrl+R)"));
    QFont bold = startBtn_->font();
    bold.setBold(true);
    startBtn_->setFont(bold);
    for (QPushButton* b : {startBtn_, pauseBtn_, stepBtn_, stopBtn_, resetBtn_}) b->setFocusPolicy(Qt::TabFocus);
    buttons->addWidget(startBtn_, 0, 0, 1, 2);
    buttons->addWidget(pauseBtn_, 0, 2, 1, 2);
    buttons->addWidget(stepBtn_, 1, 0, 1, 1);
    buttons->addWidget(stopBtn_, 1, 1, 1, 2);
    buttons->addWidget(resetBtn_, 1, 3, 1, 1);
    outer->addLayout(buttons);
    // One line at the dock's 330 px: two pushed the pages into a scroll bar at 1280 x 720.
    liveNote_ = new QLabel(tr("Changes apply at the next batch."));
    liveNote_->setToolTip(tr("Each change is marked on the plots at the batch it took effect"));
    liveNote_->setWordWrap(true);
    liveNote_->setStyleSheet(QStringLiteral("color: #1a5fb4; font-size: small;"));
    outer->addWidget(liveNote_);

    // Four short pages, not one long scrolling column: each fits a 1280 x 720 screen beside the
    // fantasy particles (ten rows on one page needed a scroll bar there).
    auto* pages = new QTabWidget;
    pages->setDocumentMode(true);
    QVBoxLayout* v = nullptr;
    auto page = [&](const QString& title) {
        auto* w = new QWidget;
        v = new QVBoxLayout(w);
        v->setContentsMargins(0, 4, 0, 0);
        pages->addTab(w, title);
    };
    QFormLayout* f = nullptr;

    // Model: fixed for the life of a model.
    page(tr("Model"));
    v->addWidget(group(tr("Model (fixed once trained)"), f));
    hidden_ = integer(1, 4096, tr("Number of hidden units (features)"));
    f->addRow(tr("Hidden units"), hidden_);
    init_ = new QComboBox;
    init_->addItem(tr("Hinton"), int(rbm::Initialisation::Hinton));
    init_->setItemData(0, tr("W ~ N(0, std\u00b2), visible biases from the data, hidden biases 0"), Qt::ToolTipRole);
    init_->addItem(tr("Normal"), int(rbm::Initialisation::Normal));
    init_->setItemData(1, tr("W, b and c all drawn from normals"), Qt::ToolTipRole);
    f->addRow(tr("Initialisation"), init_);
    initStd_ = dbl(0.0001, 1.0, 4, 0.005, tr("Standard deviation of the initial weights"));
    f->addRow(tr("Init weight std"), initStd_);
    seed_ = integer(0, 2000000000, tr("Random seed: the same seed gives the same run"));
    f->addRow(tr("Seed"), seed_);
    binarization_ = new QComboBox;
    binarization_->addItem(tr("None (grey)"), int(rbm::Binarization::None));
    binarization_->addItem(tr("Threshold"), int(rbm::Binarization::Threshold));
    binarization_->addItem(tr("Stochastic"), int(rbm::Binarization::Stochastic));
    f->addRow(tr("Binarization"), binarization_);
    threshold_ = integer(0, 254, tr("Pixels above this become 1 (Threshold)"));
    f->addRow(tr("Threshold"), threshold_);
    structural_ = {hidden_, init_, initStd_, seed_, binarization_, threshold_};

    v->addStretch(1);

    // Sampling.
    page(tr("Sampling"));
    v->addWidget(group(tr("Sampling (live)"), f));
    algorithm_ = new QComboBox;
    algorithm_->addItem(tr("CD"), int(rbm::Algorithm::CD));
    algorithm_->setItemData(0, tr("Contrastive divergence: chains start at the data"), Qt::ToolTipRole);
    algorithm_->addItem(tr("PCD"), int(rbm::Algorithm::PCD));
    algorithm_->setItemData(1, tr("Persistent contrastive divergence: chains carry over between batches"), Qt::ToolTipRole);
    f->addRow(tr("Algorithm"), algorithm_);
    k_ = integer(1, 1000, tr("Gibbs steps per negative phase"));
    f->addRow(tr("k (Gibbs steps)"), k_);
    chains_ = integer(0, 100000, tr("Persistent chains for PCD (0 = batch size)"));
    f->addRow(tr("PCD chains"), chains_);

    v->addWidget(group(tr("Run"), f));
    epochs_ = integer(1, 100000, tr("Epochs to train (a finished model trains this many more)"));
    f->addRow(tr("Epochs"), epochs_);
    v->addStretch(1);

    // Optimisation.
    page(tr("Optimiser"));
    v->addWidget(group(tr("Optimisation (live)"), f));
    batch_ = integer(1, 100000, tr("Examples per minibatch"));
    f->addRow(tr("Batch size"), batch_);
    optimizer_ = new QComboBox;
    optimizer_->addItem(tr("SGD"), int(rbm::OptimizerKind::Sgd));
    optimizer_->addItem(tr("Momentum"), int(rbm::OptimizerKind::Momentum));
    optimizer_->addItem(tr("Adam"), int(rbm::OptimizerKind::Adam));
    f->addRow(tr("Optimizer"), optimizer_);
    lrW_ = dbl(0.0, 10.0, 5, 0.005, tr("Learning rate of the weights"));
    f->addRow(tr("Learning rate W"), lrW_);
    lrB_ = dbl(0.0, 10.0, 5, 0.005, tr("Learning rate of both biases"));
    f->addRow(tr("Learning rate biases"), lrB_);
    momentum_ = dbl(0.0, 0.999, 3, 0.05, tr("Momentum (Momentum optimizer)"));
    f->addRow(tr("Momentum"), momentum_);
    // A row of its own: beside a spin box in a narrow dock its text was cut ("0.5 for the first").
    momentumSchedule_ = new QCheckBox(tr("Momentum 0.5 at first"));
    momentumSchedule_->setToolTip(tr("Hinton's schedule: momentum 0.5 for the first epochs, then the value above"));
    f->addRow(momentumSchedule_);
    momentumEpochs_ = integer(0, 1000, tr("Epochs at momentum 0.5"));
    momentumEpochs_->setSuffix(tr(" epochs"));
    f->addRow(tr("... for"), momentumEpochs_);
    v->addStretch(1);

    // Penalties: what pulls the weights and activities toward simpler models.
    page(tr("Penalties"));
    v->addWidget(group(tr("Penalties (live)"), f));
    decay_ = dbl(0.0, 1.0, 6, 0.00005, tr("L2 weight decay on W (not on biases)"));
    f->addRow(tr("Weight decay"), decay_);
    sparsityTarget_ = dbl(0.0, 0.99, 3, 0.01, tr("Target mean hidden activity (0 = off)"));
    f->addRow(tr("Sparsity target"), sparsityTarget_);
    sparsityCost_ = dbl(0.0, 100.0, 4, 0.01, tr("Strength of the sparsity penalty"));
    f->addRow(tr("Sparsity cost"), sparsityCost_);

    v->addStretch(1);

    // Still a scroll area: a page taller than a very small window scrolls rather than clips.
    auto* scroll = new QScrollArea;
    scroll->setWidget(pages);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll, 1);

    connect(startBtn_, &QPushButton::clicked, this, &ControlsDock::startClicked);
    connect(pauseBtn_, &QPushButton::clicked, this, &ControlsDock::pauseClicked);
    connect(stepBtn_, &QPushButton::clicked, this, &ControlsDock::stepClicked);
    connect(stopBtn_, &QPushButton::clicked, this, &ControlsDock::stopClicked);
    connect(resetBtn_, &QPushButton::clicked, this, &ControlsDock::resetClicked);
    for (QSpinBox* b : {hidden_, seed_, k_, chains_, batch_, epochs_, momentumEpochs_, threshold_})
        connect(b, qOverload<int>(&QSpinBox::valueChanged), this, &ControlsDock::emitEdited);
    for (QDoubleSpinBox* b : {initStd_, lrW_, lrB_, momentum_, decay_, sparsityTarget_, sparsityCost_})
        connect(b, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ControlsDock::emitEdited);
    for (QComboBox* b : {init_, binarization_, algorithm_, optimizer_})
        connect(b, qOverload<int>(&QComboBox::currentIndexChanged), this, &ControlsDock::emitEdited);
    connect(momentumSchedule_, &QCheckBox::toggled, this, &ControlsDock::emitEdited);

    setConfig(rbm::TrainingConfig{});
    setTrainingState(TrainingController::State::Idle);
}

rbm::TrainingConfig ControlsDock::config() const {
    rbm::TrainingConfig c = base_;
    c.hidden = hidden_->value();
    c.init = rbm::Initialisation(init_->currentData().toInt());
    c.initWeightStd = float(initStd_->value());
    c.seed = std::uint64_t(seed_->value());
    c.binarization = rbm::Binarization(binarization_->currentData().toInt());
    c.binarizeThreshold = threshold_->value();
    c.algorithm = rbm::Algorithm(algorithm_->currentData().toInt());
    c.k = k_->value();
    c.persistentChains = chains_->value();
    c.batchSize = batch_->value();
    c.epochs = epochs_->value();
    c.optimizer.kind = rbm::OptimizerKind(optimizer_->currentData().toInt());
    c.optimizer.momentum = float(momentum_->value());
    c.optimizer.momentumSchedule = momentumSchedule_->isChecked();
    c.optimizer.momentumScheduleEpochs = momentumEpochs_->value();
    c.learningRateWeights = float(lrW_->value());
    c.learningRateBiases = float(lrB_->value());
    c.weightDecay = float(decay_->value());
    c.sparsityTarget = float(sparsityTarget_->value());
    c.sparsityCost = float(sparsityCost_->value());
    return c;
}

void ControlsDock::setConfig(const rbm::TrainingConfig& c) {
    updating_ = true;
    base_ = c;
    hidden_->setValue(c.hidden);
    init_->setCurrentIndex(init_->findData(int(c.init)));
    initStd_->setValue(double(c.initWeightStd));
    seed_->setValue(int(std::min<std::uint64_t>(c.seed, 2000000000)));
    binarization_->setCurrentIndex(binarization_->findData(int(c.binarization)));
    threshold_->setValue(c.binarizeThreshold);
    algorithm_->setCurrentIndex(algorithm_->findData(int(c.algorithm)));
    k_->setValue(c.k);
    chains_->setValue(c.persistentChains);
    batch_->setValue(c.batchSize);
    epochs_->setValue(c.epochs);
    optimizer_->setCurrentIndex(optimizer_->findData(int(c.optimizer.kind)));
    momentum_->setValue(double(c.optimizer.momentum));
    momentumSchedule_->setChecked(c.optimizer.momentumSchedule);
    momentumEpochs_->setValue(c.optimizer.momentumScheduleEpochs);
    lrW_->setValue(double(c.learningRateWeights));
    lrB_->setValue(double(c.learningRateBiases));
    decay_->setValue(double(c.weightDecay));
    sparsityTarget_->setValue(double(c.sparsityTarget));
    sparsityCost_->setValue(double(c.sparsityCost));
    updating_ = false;
    updateEnabled();
}

void ControlsDock::emitEdited() {
    updateEnabled();
    if (updating_) return;
    emit configEdited(config());
}

void ControlsDock::updateEnabled() {
    const bool active = state_ != TrainingController::State::Idle;
    for (QWidget* w : structural_) w->setEnabled(!active);
    threshold_->setEnabled(!active && binarization_->currentData().toInt() == int(rbm::Binarization::Threshold));
    const bool pcd = algorithm_->currentData().toInt() == int(rbm::Algorithm::PCD);
    chains_->setEnabled(pcd);
    const bool mom = optimizer_->currentData().toInt() == int(rbm::OptimizerKind::Momentum);
    momentum_->setEnabled(mom);
    momentumSchedule_->setEnabled(mom);
    momentumEpochs_->setEnabled(mom && momentumSchedule_->isChecked());
    liveNote_->setVisible(active);
}

void ControlsDock::setTrainingState(TrainingController::State s) {
    state_ = s;
    using S = TrainingController::State;
    startBtn_->setEnabled(s == S::Idle);
    pauseBtn_->setEnabled(s != S::Idle);
    pauseBtn_->setText(s == S::Paused ? tr("Resume") : tr("Pause"));
    pauseBtn_->setIcon(style()->standardIcon(s == S::Paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    stopBtn_->setEnabled(s != S::Idle);
    updateEnabled();
}

}  // namespace studio
