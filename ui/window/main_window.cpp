#include "window/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <algorithm>
#include <cmath>

#include "rbm/checkpoint.h"
#include "rbm/run_folder.h"
#include "training/training_worker.h"
#include "dream/dream_panel.h"
#include "health/health_docks.h"
#include "views/checkpoints_dock.h"
#include "views/controls_dock.h"
#include "views/digit_grid_view.h"
#include "views/filter_grid_view.h"
#include "views/hidden_activity_view.h"
#include "views/histograms_view.h"
#include "views/metrics_view.h"

namespace studio {

namespace {

constexpr int kRepaintMs = 80;  // 12.5 Hz: smooth for people, cheap for the GUI thread
constexpr int kMaxRecent = 8;

/// Defaults that learn visibly within seconds on two cores with the embedded digits.
rbm::TrainingConfig studioDefaults() {
    rbm::TrainingConfig c;
    c.hidden = 144;
    c.algorithm = rbm::Algorithm::CD;
    c.k = 1;
    c.batchSize = 50;
    c.epochs = 20;
    c.learningRateWeights = 0.05f;
    c.learningRateBiases = 0.05f;
    c.optimizer.kind = rbm::OptimizerKind::Momentum;
    c.optimizer.momentum = 0.9f;
    c.optimizer.momentumSchedule = true;
    c.optimizer.momentumScheduleEpochs = 5;
    c.weightDecay = 1e-4f;
    c.evalSubset = 1000;
    c.threads = 1;
    return c;
}

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("-");
    const qint64 s = qint64(std::llround(seconds));
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

}  // namespace

MainWindow::MainWindow(const Options& options, QWidget* parent) : QMainWindow(parent), options_(options) {
    setWindowTitle(tr("RBM Studio"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    controller_ = new TrainingController(this);
    controller_->setConfig(studioDefaults());

    createDocks();
    createActions();
    connectController();

    repaintTimer_.setSingleShot(true);
    repaintTimer_.setInterval(kRepaintMs);
    connect(&repaintTimer_, &QTimer::timeout, this, &MainWindow::paintLatest);

    // Runs on disk: per-epoch checkpoints, metrics.csv.
    QString runs = options_.runsDirectory;
    if (runs.isEmpty() && options_.useSettings) runs = QSettings().value(QStringLiteral("runsDirectory")).toString();
    if (runs.isEmpty())
        runs = QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("runs"));
    controller_->setRunsDirectory(runs);

    resize(1600, 1000);
    resetLayout();
    if (options_.useSettings) loadSettings();  // may replace the layout with the last session's
    controls_->setConfig(controller_->config());

    // Data: --data, else the last session's, else the embedded digits.
    QString dataPath = options_.dataPath;
    if (dataPath.isEmpty() && options_.useSettings)
        dataPath = QSettings().value(QStringLiteral("dataset")).toString();
    bool loaded = false;
    if (!dataPath.isEmpty() && dataPath != QLatin1String("embedded")) {
        try {
            setDataset(rbm::loadDataset(dataPath.toStdString()));
            datasetPath_ = dataPath;
            loaded = true;
        } catch (const std::exception& e) {
            fail(tr("Cannot open dataset"),
                 tr("The dataset %1 could not be opened: %2\nThe embedded digits are used instead.")
                     .arg(dataPath, QString::fromUtf8(e.what())));
        }
    }
    if (!loaded) {
        setDataset(rbm::loadEmbeddedMnist());
        datasetPath_ = QStringLiteral("embedded");
    }

    // Dream panel: a tab beside the weight filters; dreams on every painted snapshot's model.
    {
        auto* dream = new DreamPanel;
        dream->setObjectName(QStringLiteral("dreamPanel"));
        auto* scroll = new QScrollArea;  // never forces the window larger than the screen
        scroll->setWidget(dream);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        QDockWidget* dreamDock = addPanelDock(scroll, tr("Dream"), Qt::RightDockWidgetArea);
        tabifyDockWidget(filtersDock_, dreamDock);
        filtersDock_->raise();
        dream->setDatasets(train_, test_);
        connect(this, &MainWindow::datasetChanged, dream, [this, dream] { dream->setDatasets(train_, test_); });
        connect(this, &MainWindow::modelChanged, dream, [this, dream] { dream->setModel(currentModel()); });
        connect(filters_, &FilterGridView::unitClicked, dream, &DreamPanel::toggleHiddenUnit);
    }

    // Likelihood plot and training-health panel (ui/health): estimates on a background thread.
    installHealthDocks(this);

    if (!options_.modelPath.isEmpty()) openModel(options_.modelPath);
    if (!controller_->startModel()) showStartModel(controller_->previewSnapshot());
}

MainWindow::~MainWindow() { controller_->stop(); }

QDockWidget* MainWindow::makeDock(QWidget* w, const QString& title, const QString& name) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(w);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    return d;
}

void MainWindow::createDocks() {
    filters_ = new FilterGridView;
    filters_->setPlaceholderText(tr("Press Space to start training"));
    histograms_ = new HistogramsView;
    metrics_ = new MetricsView;
    activity_ = new HiddenActivityView;
    fantasy_ = new DigitGridView(DigitGridView::Source::NegativeSamples);
    data_ = new DigitGridView(DigitGridView::Source::Dataset);
    controls_ = new ControlsDock;
    checkpoints_ = new CheckpointsDock;

    filtersDock_ = makeDock(filters_, tr("Weight filters"), QStringLiteral("filters"));
    histDock_ = makeDock(histograms_, tr("Histograms"), QStringLiteral("histograms"));
    metricsDock_ = makeDock(metrics_, tr("Metrics"), QStringLiteral("metrics"));
    activityDock_ = makeDock(activity_, tr("Hidden activity"), QStringLiteral("activity"));
    fantasyDock_ = makeDock(fantasy_, tr("Fantasy particles"), QStringLiteral("fantasy"));
    dataDock_ = makeDock(data_, tr("Training data"), QStringLiteral("data"));
    controlsDock_ = makeDock(controls_, tr("Controls"), QStringLiteral("controls"));
    checkpointsDock_ = makeDock(checkpoints_, tr("Checkpoints"), QStringLiteral("checkpoints"));

    connect(controls_, &ControlsDock::configEdited, this, [this](const rbm::TrainingConfig& c) {
        const rbm::TrainingConfig old = controller_->config();
        controller_->setConfig(c);
        // Idle and the structure changed: the next start is a new model; show it now.
        const bool structural = old.hidden != c.hidden || old.init != c.init || old.initWeightStd != c.initWeightStd ||
                                old.seed != c.seed || old.binarization != c.binarization ||
                                old.binarizeThreshold != c.binarizeThreshold;
        if (structural && !controller_->isActive()) {
            controller_->setStartModel(std::nullopt);
            metrics_->clear();
            showStartModel(controller_->previewSnapshot());
        }
    });
    connect(controls_, &ControlsDock::startClicked, controller_, &TrainingController::start);
    connect(controls_, &ControlsDock::pauseClicked, controller_, &TrainingController::togglePause);
    connect(controls_, &ControlsDock::stepClicked, controller_, &TrainingController::step);
    connect(controls_, &ControlsDock::stopClicked, controller_, &TrainingController::stop);
    connect(controls_, &ControlsDock::resetClicked, controller_, &TrainingController::reset);
    connect(checkpoints_, &CheckpointsDock::restoreRequested, this, [this](const QString& p) { restoreCheckpoint(p); });
}

void MainWindow::resetLayout() {
    // No central widget: every view is a dock that can be moved, hidden and restored.
    setCentralWidget(nullptr);
    const QList<QDockWidget*> all = {controlsDock_, checkpointsDock_, filtersDock_, activityDock_,
                                     fantasyDock_,  dataDock_,        metricsDock_, histDock_};
    for (QDockWidget* d : all) {
        removeDockWidget(d);
        d->setFloating(false);
    }
    addDockWidget(Qt::LeftDockWidgetArea, controlsDock_);
    addDockWidget(Qt::RightDockWidgetArea, metricsDock_);
    splitDockWidget(controlsDock_, filtersDock_, Qt::Horizontal);
    splitDockWidget(filtersDock_, activityDock_, Qt::Vertical);
    splitDockWidget(controlsDock_, fantasyDock_, Qt::Vertical);
    tabifyDockWidget(fantasyDock_, dataDock_);
    tabifyDockWidget(controlsDock_, checkpointsDock_);
    splitDockWidget(metricsDock_, histDock_, Qt::Vertical);
    for (QDockWidget* d : all) d->show();
    controlsDock_->raise();
    (fantasyRaised_ ? fantasyDock_ : dataDock_)->raise();
    // Sizes need the final window geometry: applied once the window is shown.
    if (isVisible()) QTimer::singleShot(0, this, &MainWindow::applyDefaultSizes);
    else sizesPending_ = true;
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (sizesPending_) {
        sizesPending_ = false;
        QTimer::singleShot(0, this, &MainWindow::applyDefaultSizes);
    }
    if (!shownOnce_) {
        shownOnce_ = true;
        // Tabs raised before the first show do not stick: before training, show the data.
        QTimer::singleShot(0, this, [this] { (fantasyRaised_ ? fantasyDock_ : dataDock_)->raise(); });
    }
}

void MainWindow::applyDefaultSizes() {
    if (layoutRestored_) {  // the last session's layout stands
        layoutRestored_ = false;
        return;
    }
    const int w = width(), h = height();
    resizeDocks({metricsDock_}, {w * 39 / 100}, Qt::Horizontal);
    resizeDocks({controlsDock_}, {330}, Qt::Horizontal);
    resizeDocks({filtersDock_, activityDock_}, {h * 63 / 100, h * 32 / 100}, Qt::Vertical);
    resizeDocks({metricsDock_, histDock_}, {h * 56 / 100, h * 40 / 100}, Qt::Vertical);
    resizeDocks({fantasyDock_}, {std::max(260, h * 34 / 100)}, Qt::Vertical);
}

QDockWidget* MainWindow::addPanelDock(QWidget* panel, const QString& title, Qt::DockWidgetArea area) {
    QString name = QStringLiteral("panel-") + title.toLower().simplified().replace(QLatin1Char(' '), QLatin1Char('-'));
    QDockWidget* d = makeDock(panel, title, name);
    // Share the space of an existing view in that area rather than squeezing them all.
    QDockWidget* buddy = nullptr;
    if (area == Qt::RightDockWidgetArea) buddy = histDock_;
    else if (area == Qt::BottomDockWidgetArea) buddy = fantasyDock_;
    else if (area == Qt::LeftDockWidgetArea) buddy = checkpointsDock_;
    if (buddy && dockWidgetArea(buddy) == area && !buddy->isFloating())
        tabifyDockWidget(buddy, d);
    else
        addDockWidget(area, d);
    panelDocks_ << d;
    viewMenu_->addAction(d->toggleViewAction());
    return d;
}

std::shared_ptr<const rbm::Rbm> MainWindow::currentModel() const {
    SnapshotPtr s = shown_ ? shown_ : latest_;
    if (!s) return nullptr;
    return std::shared_ptr<const rbm::Rbm>(s, &s->model);  // aliasing: keeps the snapshot alive
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* a = file->addAction(tr("Open &dataset folder..."), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open dataset folder (IDX files)"),
                                                              datasetPath_ == QLatin1String("embedded") ? QString() : datasetPath_);
        if (!dir.isEmpty()) openDataset(dir);
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addAction(tr("Use the &embedded digits"), this, [this] { openDataset(QStringLiteral("embedded")); });
    a = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open model..."), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open model"), QString(), tr("RBM checkpoints (*.npz)"));
        if (!f.isEmpty()) openModel(f);
    });
    a->setShortcut(QKeySequence::Open);
    a = file->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save model as..."), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Save model"), QStringLiteral("model.npz"), tr("RBM checkpoints (*.npz)"));
        if (!f.isEmpty()) saveModel(f);
    });
    a->setShortcut(QKeySequence::Save);
    file->addSeparator();
    a = file->addAction(tr("Export filter grid as &PNG..."), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export filter grid"), QStringLiteral("filters.png"), tr("PNG images (*.png)"));
        if (!f.isEmpty()) exportFilterGrid(f);
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("Export &metrics as CSV..."), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export metrics"), QStringLiteral("metrics.csv"), tr("CSV files (*.csv)"));
        if (!f.isEmpty()) exportMetricsCsv(f);
    });
    file->addSeparator();
    recentMenu_ = file->addMenu(tr("&Recent files"));
    file->addSeparator();
    a = file->addAction(tr("&Quit"), this, &QWidget::close);
    a->setShortcut(QKeySequence::Quit);

    QMenu* train = menuBar()->addMenu(tr("&Training"));
    startAct_ = train->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), controller_, &TrainingController::start);
    startAct_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    pauseAct_ = train->addAction(style()->standardIcon(QStyle::SP_MediaPause), tr("Start / &Pause / Resume"), controller_,
                                 &TrainingController::togglePause);
    pauseAct_->setShortcut(QKeySequence(Qt::Key_Space));
    stepAct_ = train->addAction(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("S&tep one batch"), controller_,
                                &TrainingController::step);
    stepAct_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    stopAct_ = train->addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("St&op"), controller_, &TrainingController::stop);
    stopAct_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    resetAct_ = train->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("&Reset (new model)"), controller_,
                                 &TrainingController::reset);
    resetAct_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : {filtersDock_, metricsDock_, histDock_, activityDock_, fantasyDock_, dataDock_, controlsDock_, checkpointsDock_})
        viewMenu_->addAction(d->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("Reset &layout"), this, &MainWindow::resetLayout);
    a = viewMenu_->addAction(tr("&Full screen"), this, [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    a->setShortcut(QKeySequence::FullScreen);
    // The filters' own toolbar, from the keyboard.
    a = viewMenu_->addAction(tr("Per-tile contrast"), this, [this](bool on) { filters_->setContrast(on ? Contrast::PerTile : Contrast::Global); });
    a->setCheckable(true);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About RBM Studio"), this, [this] {
        QMessageBox::about(this, tr("About RBM Studio"),
                           tr("<b>RBM Studio</b><p>Train and look inside Restricted Boltzmann Machines.</p>"
                              "<p>Space: start / pause &middot; Ctrl+Right: one batch &middot; Ctrl+R: new model</p>"));
    });

    statusBar()->setSizeGripEnabled(true);
    stateLabel_ = new QLabel;
    progressLabel_ = new QLabel;
    rateLabel_ = new QLabel;
    etaLabel_ = new QLabel;
    dataLabel_ = new QLabel;
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(180);
    progress_->setTextVisible(false);
    statusBar()->addWidget(stateLabel_);
    statusBar()->addWidget(progressLabel_);
    statusBar()->addWidget(progress_);
    statusBar()->addWidget(rateLabel_);
    statusBar()->addWidget(etaLabel_);
    messageLabel_ = new QLabel;
    messageLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // long paths never widen the window
    messageLabel_->setStyleSheet(QStringLiteral("color: palette(dark); padding-left: 12px;"));
    statusBar()->addWidget(messageLabel_, 1);
    messageTimer_.setSingleShot(true);
    connect(&messageTimer_, &QTimer::timeout, messageLabel_, &QLabel::clear);
    statusBar()->addPermanentWidget(dataLabel_);
    onStateChanged(TrainingController::State::Idle);
    rebuildRecentMenu();
}

void MainWindow::connectController() {
    connect(controller_, &TrainingController::snapshotReady, this, &MainWindow::onSnapshot);
    connect(controller_, &TrainingController::stateChanged, this, &MainWindow::onStateChanged);
    connect(controller_, &TrainingController::errorOccurred, this, [this](const QString& m) { fail(tr("Training"), m); });
    connect(controller_, &TrainingController::modelReplaced, this, [this](const SnapshotPtr& s) {
        controls_->setConfig(controller_->config());
        metrics_->clear();
        showStartModel(s);
    });
    connect(controller_, &TrainingController::finished, this, [this] {
        checkpoints_->refresh();
        notify(tr("Run saved in %1").arg(QDir::toNativeSeparators(controller_->runDirectory())), 8000);
    });
}

void MainWindow::onSnapshot(const SnapshotPtr& s) {
    if (!s) return;
    latest_ = s;
    // Cheap and cumulative: every snapshot's batch errors reach the curves.
    metrics_->showSnapshot(*s);
    if (!fantasyRaised_ && s->negativeSamples.rows() > 0) {
        fantasyRaised_ = true;
        fantasyDock_->raise();
    }
    checkpoints_->showSnapshot(*s);
    // The heavy views repaint from the newest snapshot only, at most ~15 times a second.
    if (!repaintTimer_.isActive()) repaintTimer_.start();
}

void MainWindow::paintLatest() {
    if (!latest_ || latest_ == shown_ || painting_) return;
    painting_ = true;
    const SnapshotPtr s = latest_;
    const std::uint64_t gen = paintGeneration_;
    auto work = std::make_shared<qint64>(0);
    QElapsedTimer t;
    t.start();
    filters_->setPlaceholderText({});
    metrics_->refresh();
    filters_->showSnapshot(*s);
    *work += t.nsecsElapsed();
    // The other views in later turns of the event loop, so that no single turn holds the
    // GUI thread for the sum of them all.
    QTimer::singleShot(0, this, [this, s, gen, work] {
        if (gen != paintGeneration_) return;
        QElapsedTimer t2;
        t2.start();
        histograms_->showSnapshot(*s);
        *work += t2.nsecsElapsed();
        QTimer::singleShot(0, this, [this, s, gen, work] {
            if (gen != paintGeneration_) return;
            QElapsedTimer t3;
            t3.start();
            activity_->showSnapshot(*s);
            fantasy_->showSnapshot(*s);
            updateStatus(*s);
            shown_ = s;
            painting_ = false;
            emit modelChanged();
            *work += t3.nsecsElapsed();
            // Big models cost more per frame: paint less often rather than hold the loop.
            const int ms = int(*work / 1000000);
            repaintTimer_.setInterval(std::clamp(3 * ms, kRepaintMs, 250));
            if (latest_ != shown_ && !repaintTimer_.isActive()) repaintTimer_.start();
        });
    });
}

void MainWindow::showStartModel(const SnapshotPtr& s) {
    if (!s) return;
    repaintTimer_.stop();
    ++paintGeneration_;  // a staged paint of an older snapshot must not land after this
    painting_ = false;
    latest_ = s;
    shown_ = s;
    filters_->showSnapshot(*s);
    filters_->setPlaceholderText(controller_->isActive() ? QString() : tr("Press Space to start training"));
    histograms_->showSnapshot(*s);
    activity_->clear();
    if (s->negativeSamples.rows() > 0) fantasy_->showSnapshot(*s); else fantasy_->clear();
    if (!s->epochMetrics.empty()) metrics_->showEpochMetrics(s->epochMetrics, s->config.epochs);
    else metrics_->setEpochsPlanned(controller_->config().epochs);
    updateStatus(*s);
    emit modelChanged();
}

void MainWindow::updateStatus(const TrainingSnapshot& s) {
    const int target = std::max(1, s.config.epochs);
    const int bpe = std::max(1, s.batchesPerEpoch);
    if (s.batchesPerEpoch > 0)
        progressLabel_->setText(tr("Epoch <b>%1</b>/%2 &middot; batch %3/%4")
                                    .arg(s.counters.epoch).arg(target).arg(s.counters.batchInEpoch).arg(bpe));
    else
        progressLabel_->setText(tr("Epoch <b>%1</b>/%2").arg(s.counters.epoch).arg(target));
    progress_->setValue(int(std::min(1.0, s.epochPosition() / target) * 1000));
    const bool running = controller_->state() == TrainingController::State::Running;
    if (running && s.samplesPerSecond > 0) {
        rateLabel_->setText(tr("%L1 samples/s").arg(qint64(std::llround(s.samplesPerSecond))));
        const double remaining = std::max(0.0, target - s.epochPosition()) * bpe * s.config.batchSize;
        etaLabel_->setText(tr("ETA %1").arg(formatDuration(remaining / s.samplesPerSecond)));
    } else {
        rateLabel_->setText(QString());
        etaLabel_->setText(QString());
    }
}

void MainWindow::onStateChanged(TrainingController::State s) {
    controls_->setTrainingState(s);
    using S = TrainingController::State;
    static const char* const style = "padding: 1px 8px; border-radius: 3px; color: white; background: %1;";
    switch (s) {
    case S::Idle:
        stateLabel_->setText(tr("Idle"));
        stateLabel_->setStyleSheet(QString::fromLatin1(style).arg(QStringLiteral("#6b6b6b")));
        break;
    case S::Running:
        stateLabel_->setText(tr("Training"));
        stateLabel_->setStyleSheet(QString::fromLatin1(style).arg(QStringLiteral("#1a7f37")));
        filters_->setPlaceholderText({});
        break;
    case S::Paused:
        stateLabel_->setText(tr("Paused"));
        stateLabel_->setStyleSheet(QString::fromLatin1(style).arg(QStringLiteral("#b26a00")));
        break;
    }
    startAct_->setEnabled(s == S::Idle);
    stopAct_->setEnabled(s != S::Idle);
    if (s == S::Idle) {
        rateLabel_->clear();
        etaLabel_->clear();
    }
}

void MainWindow::notify(const QString& message, int ms) {
    // A label of its own: QStatusBar's temporary messages overlap the permanent labels.
    messageLabel_->setText(message);
    messageLabel_->setToolTip(message);
    messageTimer_.start(ms);
}

void MainWindow::fail(const QString& title, const QString& message) {
    lastError_ = message;
    notify(message, 10000);
    if (!options_.interactive) {
        qWarning("%s: %s", qPrintable(title), qPrintable(message));
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // never blocks: training goes on behind it
}

bool MainWindow::confirmStopTraining(const QString& what) {
    if (!controller_->isActive()) return true;
    if (options_.interactive) {
        const auto answer = QMessageBox::question(
            this, tr("Training is running"),
            tr("%1 stops the training run (its checkpoints stay in %2). Continue?")
                .arg(what, QDir::toNativeSeparators(controller_->runDirectory())));
        if (answer != QMessageBox::Yes) return false;
    }
    controller_->stop();
    return true;
}

void MainWindow::setDataset(rbm::DatasetPair pair) {
    train_ = std::make_shared<const rbm::Dataset>(std::move(pair.train));
    test_ = std::make_shared<const rbm::Dataset>(std::move(pair.test));
    controller_->setData(train_, test_);
    data_->showDataset(*train_, 100);
    dataDock_->raise();
    fantasyRaised_ = false;
    dataLabel_->setText(tr("%1 \u00b7 %2 train / %3 held-out \u00b7 %4\u00d7%5")
                            .arg(QString::fromStdString(train_->name))
                            .arg(train_->count).arg(test_->count).arg(train_->rows).arg(train_->cols));
    emit datasetChanged();
}

bool MainWindow::openDataset(const QString& path) {
    rbm::DatasetPair pair;
    try {
        pair = rbm::loadDataset(path == QLatin1String("embedded") ? std::string() : path.toStdString());
    } catch (const std::exception& e) {
        fail(tr("Cannot open dataset"), tr("The dataset %1 could not be opened: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    if (!confirmStopTraining(tr("Opening another dataset"))) return false;
    const bool sameShape = train_ && pair.train.pixelsPerImage() == train_->pixelsPerImage();
    setDataset(std::move(pair));
    datasetPath_ = path;
    if (path != QLatin1String("embedded")) addRecent(path);
    if (!sameShape || !controller_->startModel()) {
        metrics_->clear();
        showStartModel(controller_->previewSnapshot());
    }
    if (options_.useSettings) QSettings().setValue(QStringLiteral("dataset"), path);
    return true;
}

bool MainWindow::openModel(const QString& path) {
    rbm::Checkpoint c;
    try {
        c = rbm::loadCheckpoint(path.toStdString());
    } catch (const std::exception& e) {
        fail(tr("Cannot open model"), tr("The model %1 could not be opened: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    if (train_ && c.model.nVisible() != train_->pixelsPerImage()) {
        fail(tr("Cannot open model"),
             tr("The model %1 has %2 visible units but the images of the dataset %3 have %4 pixels (%5x%6). "
                "Open a matching dataset first.")
                 .arg(path).arg(c.model.nVisible()).arg(QString::fromStdString(train_->name))
                 .arg(train_->pixelsPerImage()).arg(train_->rows).arg(train_->cols));
        return false;
    }
    if (!confirmStopTraining(tr("Opening a model"))) return false;
    if (train_) {
        c.model.imageRows = train_->rows;
        c.model.imageCols = train_->cols;
    }
    rbm::TrainingConfig cfg = c.config;
    controller_->setConfig(cfg);
    controls_->setConfig(cfg);
    auto s = snapshotOf(c);
    s->origin = QFileInfo(path).fileName();
    controller_->setStartModel(std::move(c));
    metrics_->clear();
    showStartModel(s);
    addRecent(path);
    notify(tr("Opened %1: Start continues training it").arg(QDir::toNativeSeparators(path)), 8000);
    return true;
}

bool MainWindow::restoreCheckpoint(const QString& path) {
    rbm::Checkpoint c;
    try {
        c = rbm::loadCheckpoint(path.toStdString());
    } catch (const std::exception& e) {
        fail(tr("Cannot restore checkpoint"), tr("The checkpoint %1 could not be read: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    if (train_ && c.model.nVisible() != train_->pixelsPerImage()) {
        fail(tr("Cannot restore checkpoint"), tr("The checkpoint %1 has %2 visible units but the dataset images have %3 pixels.")
                                                  .arg(path).arg(c.model.nVisible()).arg(train_->pixelsPerImage()));
        return false;
    }
    const QString runDir = checkpoints_->runDirectory();
    if (!confirmStopTraining(tr("Restoring a checkpoint"))) return false;
    if (train_) {
        c.model.imageRows = train_->rows;
        c.model.imageCols = train_->cols;
    }
    // The curves up to the restored epoch stay; training from here appends after it.
    std::vector<rbm::EpochMetrics> history;
    for (const rbm::RunEntry& e : checkpoints_->entries())
        if (e.hasMetrics && e.metrics.epoch <= (c.state ? c.state->counters.epoch : e.epoch)) history.push_back(e.metrics);
    rbm::TrainingConfig cfg = controller_->config();
    auto s = snapshotOf(c);
    s->origin = QFileInfo(path).fileName();
    s->epochMetrics = history;
    s->config.epochs = cfg.epochs;
    controller_->setStartModel(std::move(c));
    metrics_->clear();
    showStartModel(s);
    if (checkpoints_->runDirectory() != runDir) checkpoints_->setRunDirectory(runDir);
    notify(tr("Restored %1: Start continues from it").arg(QFileInfo(path).fileName()), 8000);
    return true;
}

bool MainWindow::saveModel(const QString& path) {
    rbm::Checkpoint c;
    if (!controller_->isActive() && controller_->startModel()) {
        c = *controller_->startModel();  // model + training state: training can resume from it
    } else if (SnapshotPtr s = shown_ ? shown_ : latest_) {
        c.model = s->model;  // while training: the newest model shown
        c.config = s->config;
        if (!s->epochMetrics.empty()) c.metrics = s->epochMetrics.back();
    } else {
        fail(tr("Cannot save model"), tr("There is no model to save yet."));
        return false;
    }
    if (train_) c.datasetName = train_->name;
    try {
        rbm::saveCheckpoint(path.toStdString(), c);
    } catch (const std::exception& e) {
        fail(tr("Cannot save model"), tr("The model could not be saved to %1: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    addRecent(path);
    notify(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 6000);
    return true;
}

bool MainWindow::exportFilterGrid(const QString& path) {
    const QImage img = filters_->exportImage(4);
    if (img.isNull()) {
        fail(tr("Cannot export filters"), tr("There are no filters to export yet."));
        return false;
    }
    if (!img.save(path, "PNG")) {
        fail(tr("Cannot export filters"), tr("The image could not be written to %1.").arg(path));
        return false;
    }
    notify(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 6000);
    return true;
}

bool MainWindow::exportMetricsCsv(const QString& path) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        fail(tr("Cannot export metrics"), tr("%1 cannot be written: %2").arg(path, f.errorString()));
        return false;
    }
    std::string text = rbm::RunFolder::metricsCsvHeader() + "\n";
    for (const rbm::EpochMetrics& m : metrics_->epochMetrics()) text += rbm::RunFolder::metricsCsvRow(m) + "\n";
    f.write(text.data(), qint64(text.size()));
    if (!f.commit()) {
        fail(tr("Cannot export metrics"), tr("%1 cannot be written: %2").arg(path, f.errorString()));
        return false;
    }
    notify(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 6000);
    return true;
}

void MainWindow::addRecent(const QString& path) {
    if (!options_.useSettings) return;
    QSettings s;
    QStringList list = s.value(QStringLiteral("recentFiles")).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecent) list.removeLast();
    s.setValue(QStringLiteral("recentFiles"), list);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList list = options_.useSettings ? QSettings().value(QStringLiteral("recentFiles")).toStringList() : QStringList();
    for (const QString& p : list) {
        recentMenu_->addAction(QDir::toNativeSeparators(p), this, [this, p] {
            if (p.endsWith(QLatin1String(".npz"), Qt::CaseInsensitive)) openModel(p); else openDataset(p);
        });
    }
    recentMenu_->setEnabled(!list.isEmpty());
}

void MainWindow::loadSettings() {
    QSettings s;
    const QByteArray geometry = s.value(QStringLiteral("geometry")).toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray state = s.value(QStringLiteral("windowState")).toByteArray();
    if (!state.isEmpty()) layoutRestored_ = restoreState(state);
    const QString json = s.value(QStringLiteral("config")).toString();
    if (!json.isEmpty()) {
        try {
            rbm::TrainingConfig c = rbm::trainingConfigFromJson(json.toStdString());
            c.validate();
            controller_->setConfig(c);
        } catch (const std::exception&) {
            // A bad saved configuration is not worth a dialog: the defaults stand.
        }
    }
    controls_->setConfig(controller_->config());
}

void MainWindow::saveSettings() {
    if (!options_.useSettings) return;
    QSettings s;
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("windowState"), saveState());
    s.setValue(QStringLiteral("config"), QString::fromStdString(rbm::toJson(controller_->config())));
    s.setValue(QStringLiteral("dataset"), datasetPath_);
    s.setValue(QStringLiteral("runsDirectory"), controller_->runsDirectory());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (controller_->isActive()) {
        if (options_.interactive) {
            const bool wasRunning = controller_->state() == TrainingController::State::Running;
            controller_->pause();
            const auto answer = QMessageBox::question(
                this, tr("Training is running"),
                tr("Training will stop; its checkpoints stay in %1.\nSave the model elsewhere too?")
                    .arg(QDir::toNativeSeparators(controller_->runDirectory())),
                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
            if (answer == QMessageBox::Cancel) {
                if (wasRunning) controller_->resume();
                event->ignore();
                return;
            }
            controller_->stop();  // joins the thread; the end state goes to latest.npz
            if (answer == QMessageBox::Save) {
                const QString f = QFileDialog::getSaveFileName(this, tr("Save model"), QStringLiteral("model.npz"),
                                                               tr("RBM checkpoints (*.npz)"));
                if (!f.isEmpty() && !saveModel(f)) {
                    event->ignore();
                    return;
                }
            }
        } else {
            controller_->stop();
        }
    }
    saveSettings();
    event->accept();
}

}  // namespace studio
