#include "window/main_window.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>

#include "dream/dream_panel.h"
#include "rbm/presets.h"
#include "rbm/run_folder.h"
#include "views/checkpoints_dock.h"
#include "views/controls_dock.h"
#include "views/dataset_drawer.h"
#include "views/digit_grid_view.h"
#include "views/filter_grid_view.h"
#include "views/hidden_activity_view.h"
#include "views/histograms_view.h"
#include "views/metrics_view.h"
#include "views/run_comparison_dialog.h"
#include "window/key_reference.h"
#include "window/model_documents.h"
#include "window/presets_toolbar.h"
#include "window/session_documents.h"
#include "window/projector.h"
#include "window/shortcuts.h"
#include "window/snapshot_scheduler.h"
#include "window/studio_menus.h"
#include "window/training_status_bar.h"

namespace studio {

MainWindow::MainWindow(const Options& options, QWidget* parent)
    : QMainWindow(parent), options_(options), settings_(options.useSettings), guard_(this, nullptr) {
    setWindowTitle(tr("RBM Studio"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    resize(1600, 1000);
    controller_ = new TrainingController(this);
    guard_ = DiscardGuard(this, controller_);
    guard_.setInteractive(options_.interactive);
    // The Classroom preset: a model that learns visibly within seconds on two cores (README).
    controller_->setConfig(settings_.config().value_or(rbm::trainingPreset("Classroom").config));
    controller_->setRunsDirectory(runsDirectory());
    docs_ = new ModelDocuments(controller_, this, options_.interactive);
    scheduler_ = new SnapshotScheduler(this);
    layout_ = std::make_unique<DockLayout>(this);
    status_ = new TrainingStatusBar;
    setStatusBar(status_);
    keys_ = new Shortcuts(this);
    menus_ = new StudioMenus(this, controller_, keys_);
    menus_->setRecentFiles(settings_.recentFiles());

    createViews();
    connectViews();
    connectDocuments();
    connectController();

    // Data: --data, else the last session's, else the embedded digits.
    docs_->openInitialDataset(options_.dataPath.isEmpty() ? settings_.dataset() : options_.dataPath);
    panels_ = installStandardPanels(this);
    layoutRestored_ = settings_.restoreWindow(this);  // every dock exists: all of them restore
    sessions_ = new SessionDocuments(this, docs_);
    connect(menus_, &StudioMenus::openSessionRequested, sessions_, &SessionDocuments::openSession);
    connect(menus_, &StudioMenus::saveSessionRequested, sessions_, &SessionDocuments::saveSession);
    installProjector();

    if (!options_.modelPath.isEmpty()) openModel(options_.modelPath);
    if (!controller_->startModel()) showStartModel(controller_->previewSnapshot());
    if (!options_.sessionPath.isEmpty()) sessions_->openSession(options_.sessionPath);
}

MainWindow::~MainWindow() { controller_->stop(); }

QString MainWindow::runsDirectory() const {
    // Runs on disk: per-epoch checkpoints, metrics.csv.
    QString runs = options_.runsDirectory.isEmpty() ? settings_.runsDirectory() : options_.runsDirectory;
    if (runs.isEmpty())
        runs = QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("runs"));
    return runs;
}

void MainWindow::createViews() {
    filters_ = new FilterGridView;
    filters_->setPlaceholderText(tr("Press Space to start training"));
    histograms_ = new HistogramsView;
    metrics_ = new MetricsView;
    activity_ = new HiddenActivityView;
    fantasy_ = new DigitGridView(DigitGridView::Source::NegativeSamples);
    data_ = new DigitGridView(DigitGridView::Source::Dataset);
    controls_ = new ControlsDock;
    controls_->setConfig(controller_->config());
    checkpoints_ = new CheckpointsDock;

    // The default layout, each dock placed against one placed before it.
    using P = Placement;
    layout_->addView(View::Controls, controls_, {QStringLiteral("controls"), tr("Controls"), P::inArea(Qt::LeftDockWidgetArea)});
    layout_->addView(View::Metrics, metrics_, {QStringLiteral("metrics"), tr("Metrics"), P::inArea(Qt::RightDockWidgetArea), true});
    layout_->addView(View::Filters, filters_, {QStringLiteral("filters"), tr("Weight filters"), P::rightOf(View::Controls), true});
    layout_->addView(View::Activity, activity_, {QStringLiteral("activity"), tr("Hidden activity"), P::below(View::Filters)});
    layout_->addView(View::Fantasy, fantasy_, {QStringLiteral("fantasy"), tr("Fantasy particles"), P::below(View::Controls)});
    layout_->addView(View::Data, data_, {QStringLiteral("data"), tr("Training data"), P::tabbedWith(View::Fantasy)});
    layout_->addView(View::Checkpoints, checkpoints_, {QStringLiteral("checkpoints"), tr("Checkpoints"), P::tabbedWith(View::Controls)});
    layout_->addView(View::Histograms, histograms_, {QStringLiteral("histograms"), tr("Histograms"), P::below(View::Metrics)});
    for (View v : {View::Filters, View::Metrics, View::Histograms, View::Activity, View::Fantasy, View::Data, View::Controls,
                   View::Checkpoints})
        menus_->addDockToggle(dock(v));
}

QDockWidget* MainWindow::addPanel(QWidget* panel, const PanelSpec& spec) {
    QDockWidget* d = layout_->add(panel, spec);
    menus_->addDockToggle(d);
    return d;
}

void MainWindow::connectViews() {
    // A repaint in three turns of the event loop: filters and curves, histograms, the rest.
    scheduler_->addStage([this](const TrainingSnapshot& s) {
        filters_->setPlaceholderText({});
        metrics_->refresh();
        filters_->showSnapshot(s);
    });
    scheduler_->addStage([this](const TrainingSnapshot& s) { histograms_->showSnapshot(s); });
    scheduler_->addStage([this](const TrainingSnapshot& s) {
        activity_->showSnapshot(s);
        fantasy_->showSnapshot(s);
        status_->showSnapshot(s, controller_->state() == TrainingController::State::Running);
    });
    connect(scheduler_, &SnapshotScheduler::painted, this, &MainWindow::modelChanged);

    connect(controls_, &ControlsDock::configEdited, this, [this](const rbm::TrainingConfig& c) {
        const bool structural = !controller_->config().sameStructure(c);
        // A preset or an edit that makes a new model of an idle trained one: ask, or undo the edit.
        if (structural && !controller_->isActive() && !confirmDiscardModel(tr("A new model size"))) {
            controls_->setConfig(controller_->config());
            return;
        }
        controller_->setConfig(c);
        // Idle and the structure changed: the next start is a new model; show it now.
        if (structural && !controller_->isActive()) {
            controller_->setStartModel(std::nullopt);
            startAfresh(controller_->previewSnapshot());
        }
    });
    connect(controls_, &ControlsDock::startClicked, controller_, &TrainingController::start);
    connect(controls_, &ControlsDock::pauseClicked, controller_, &TrainingController::togglePause);
    connect(controls_, &ControlsDock::stepClicked, controller_, &TrainingController::step);
    connect(controls_, &ControlsDock::stopClicked, controller_, &TrainingController::stop);
    connect(controls_, &ControlsDock::resetClicked, this, &MainWindow::resetModel);
    connect(checkpoints_, &CheckpointsDock::restoreRequested, this, &MainWindow::restoreCheckpoint);

    connect(menus_, &StudioMenus::openDatasetRequested, this, &MainWindow::openDataset);
    connect(menus_, &StudioMenus::openModelRequested, this, &MainWindow::openModel);
    connect(menus_, &StudioMenus::saveModelRequested, this, &MainWindow::saveModel);
    connect(menus_, &StudioMenus::exportFilterGridRequested, this, &MainWindow::exportFilterGrid);
    connect(menus_, &StudioMenus::exportMetricsRequested, this, &MainWindow::exportMetricsCsv);
    connect(menus_, &StudioMenus::resetLayoutRequested, this, &MainWindow::resetLayout);
    connect(menus_, &StudioMenus::resetModelRequested, this, &MainWindow::resetModel);
    connect(menus_, &StudioMenus::keyReferenceRequested, this, &MainWindow::showKeyReference);
    connect(menus_, &StudioMenus::drawDatasetRequested, this, &MainWindow::showDatasetDrawer);
    connect(menus_, &StudioMenus::compareRunsRequested, this, [this] { showRunComparison(); });
    connect(menus_, &StudioMenus::perTileContrastToggled, filters_,
            [this](bool on) { filters_->setContrast(on ? Contrast::PerTile : Contrast::Global); });
}

void MainWindow::connectDocuments() {
    connect(docs_, &ModelDocuments::message, this, &MainWindow::notify);
    connect(docs_, &ModelDocuments::fileUsed, this, [this](const QString& path) {
        settings_.addRecent(path);
        menus_->setRecentFiles(settings_.recentFiles());
    });
    connect(docs_, &ModelDocuments::datasetChanged, this, [this] {
        const rbm::Dataset& train = *docs_->trainingData();
        data_->showDataset(train, 100);
        fantasyRaised_ = false;
        dock(View::Data)->raise();
        status_->showDataset(train, *docs_->testData());
        menus_->setDatasetPath(docs_->datasetPath());
        settings_.setDataset(docs_->datasetPath());
        emit datasetChanged();
    });
    connect(docs_, &ModelDocuments::startModelChanged, this, [this](const SnapshotPtr& s) {
        controls_->setConfig(controller_->config());  // an opened model brings its configuration
        startAfresh(s);
    });
}

void MainWindow::connectController() {
    connect(controller_, &TrainingController::snapshotReady, this, &MainWindow::onSnapshot);
    connect(controller_, &TrainingController::stateChanged, this, &MainWindow::onStateChanged);
    connect(controller_, &TrainingController::errorOccurred, this, [this](const QString& m) { docs_->reportError(tr("Training"), m); });
    connect(controller_, &TrainingController::modelReplaced, this, [this](const SnapshotPtr& s) {
        controls_->setConfig(controller_->config());
        startAfresh(s);
    });
    connect(controller_, &TrainingController::finished, this, [this] {
        checkpoints_->refresh();
        notify(tr("Run saved in %1").arg(QDir::toNativeSeparators(controller_->runDirectory())), 8000);
    });
}

void MainWindow::onSnapshot(const SnapshotPtr& s) {
    if (!s) return;
    // Cheap and cumulative: every snapshot's batch errors reach the curves and the run list.
    metrics_->showSnapshot(*s);
    checkpoints_->showSnapshot(*s);
    if (!fantasyRaised_ && s->negativeSamples.rows() > 0) {
        fantasyRaised_ = true;
        dock(View::Fantasy)->raise();
    }
    scheduler_->offer(s);  // the heavy views: the newest snapshot only, on the scheduler's timer
}

void MainWindow::onStateChanged(TrainingController::State s) {
    controls_->setTrainingState(s);
    status_->setState(s);
    menus_->setTrainingState(s);
    if (s == TrainingController::State::Running) filters_->setPlaceholderText({});
}

void MainWindow::startAfresh(const SnapshotPtr& s) {
    metrics_->clear();
    showStartModel(s);
    emit modelStartedAfresh(s);
}

void MainWindow::showStartModel(const SnapshotPtr& s) {
    if (!s) return;
    scheduler_->replace(s);
    filters_->showSnapshot(*s);
    filters_->setPlaceholderText(controller_->isActive() ? QString() : tr("Press Space to start training"));
    histograms_->showSnapshot(*s);
    activity_->clear();
    if (s->negativeSamples.rows() > 0) fantasy_->showSnapshot(*s); else fantasy_->clear();
    if (!s->epochMetrics.empty()) metrics_->showEpochMetrics(s->epochMetrics, s->config.epochs);
    else metrics_->setEpochsPlanned(controller_->config().epochs);
    status_->showSnapshot(*s, controller_->state() == TrainingController::State::Running);
    emit modelChanged();
}

std::shared_ptr<const rbm::Dataset> MainWindow::trainingData() const { return docs_->trainingData(); }
std::shared_ptr<const rbm::Dataset> MainWindow::testData() const { return docs_->testData(); }
SnapshotPtr MainWindow::currentSnapshot() const { return scheduler_->shown(); }

std::shared_ptr<const rbm::Rbm> MainWindow::currentModel() const {
    SnapshotPtr s = scheduler_->shown() ? scheduler_->shown() : scheduler_->latest();
    if (!s) return nullptr;
    return std::shared_ptr<const rbm::Rbm>(s, &s->model);  // aliasing: keeps the snapshot alive
}

void MainWindow::notify(const QString& message, int ms) { status_->notify(message, ms); }
QString MainWindow::lastError() const { return docs_->lastError(); }
bool MainWindow::openDataset(const QString& path) { return docs_->openDataset(path); }
bool MainWindow::openModel(const QString& path) {
    if (!confirmDiscardModel(tr("Opening a model"))) return false;
    return docs_->openModel(path);
}

bool MainWindow::confirmDiscardModel(const QString& what) {
    if (!guard_.hasTrainedModel()) return true;
    const bool wasRunning = controller_->state() == TrainingController::State::Running;
    if (wasRunning) controller_->pause();  // the model does not change under the question
    const bool yes = guard_.confirm(what);
    if (wasRunning && !yes) controller_->resume();
    if (yes && controller_->isActive()) controller_->stop();  // asked once, not again by what follows
    return yes;
}

void MainWindow::resetModel() {
    if (confirmDiscardModel(tr("Reset"))) controller_->reset();
}

void MainWindow::showKeyReference() {
    auto* dialog = new KeyReference(*keys_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showDatasetDrawer() {
    auto* dialog = new DatasetDrawer(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // "Save and train": the drawings are the training data at once, from the model on screen.
    connect(dialog, &DatasetDrawer::trainRequested, this, [this](const QString& path) {
        if (openDataset(path) && !controller_->isActive()) controller_->start();
    });
    dialog->show();
}

void MainWindow::showRunComparison(const QStringList& dirs) {
    auto* dialog = new RunComparisonDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString own = controller_->runDirectory();
    dialog->setWindowRun(own);
    connect(dialog, &RunComparisonDialog::copyRequested, this, [this](const rbm::TrainingConfig& c, const QString& run) {
        applyTrainingConfig(this, c, tr("The settings of %1").arg(run));
    });
    if (!own.isEmpty() && rbm::RunFolder::holdsRun(QFile::encodeName(own).toStdString())) dialog->addRun(own);
    dialog->setDreamStart(panels_.dream->drawing());  // what you drew, dreamt by every run
    for (const QString& d : dirs) dialog->addRun(d);
    dialog->show();
}

void MainWindow::installProjector() {
    projector_ = new Projector(this, *layout_, [this] { resetLayout(); });
    projector_->views()->setDreamDock(panels_.dreamDock);
    projector_->addActions(menus_, keys_);
    projector_->restore(settings_);
    // The classroom shows one metric: the reconstruction error, the curve a class can follow.
    connect(projector_->views(), &ViewSwitcher::changed, metrics_, [this](StudioView v) { metrics_->setReduced(v == StudioView::Classroom); });
    // Plots and markers made since the last zoom or theme change follow them (rarely: not per frame).
    for (auto signal : {&TrainingController::epochFinished, &TrainingController::modelReplaced})
        connect(controller_, signal, projector_, &Projector::refreshPlots);
    connect(controller_, &TrainingController::stateChanged, projector_, &Projector::refreshPlots);
}
bool MainWindow::saveModel(const QString& path) { return docs_->saveModel(path, currentSnapshot() ? currentSnapshot() : scheduler_->latest()); }
bool MainWindow::exportFilterGrid(const QString& path) { return docs_->exportPng(path, filters_->exportImage(4), tr("filters")); }
bool MainWindow::exportMetricsCsv(const QString& path) { return docs_->exportMetricsCsv(path, metrics_->epochMetrics()); }

bool MainWindow::restoreCheckpoint(const QString& path) {
    // Stopping a run to restore must not make the list follow another folder.
    const QString runDir = checkpoints_->runDirectory();
    const bool ok = docs_->restoreCheckpoint(path, checkpoints_->entries());
    if (ok && checkpoints_->runDirectory() != runDir) checkpoints_->setRunDirectory(runDir);
    return ok;
}

void MainWindow::setInteractive(bool interactive) {
    options_.interactive = interactive;
    docs_->setInteractive(interactive);
    guard_.setInteractive(interactive);
}

void MainWindow::raiseSamplesOrData() { dock(fantasyRaised_ ? View::Fantasy : View::Data)->raise(); }

void MainWindow::resetLayout() {
    layout_->reset();
    raiseSamplesOrData();
    layoutRestored_ = false;
    // Sizes need the final window geometry: applied once the window is shown.
    if (isVisible()) QTimer::singleShot(0, this, [this] { layout_->applyDefaultSizes(); });
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (shownOnce_) return;
    shownOnce_ = true;
    // Sizes need the final geometry, and tabs raised before the first show do not stick.
    QTimer::singleShot(0, this, [this] {
        if (!layoutRestored_) {
            layout_->applyDefaultSizes();
            layout_->raiseAnchors();
        }
        raiseSamplesOrData();
    });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (controller_->isActive() && !options_.interactive) controller_->stop();
    if (controller_->isActive()) {
        const bool wasRunning = controller_->state() == TrainingController::State::Running;
        controller_->pause();
        // "Discard" would sound as if the checkpoints went too: the buttons say what happens.
        QMessageBox box(QMessageBox::Question, tr("Training is running"),
                        tr("Training will stop; its checkpoints stay in %1.\nSave a copy of the model elsewhere too?")
                            .arg(QDir::toNativeSeparators(controller_->runDirectory())),
                        QMessageBox::Save | QMessageBox::Cancel, this);
        box.button(QMessageBox::Save)->setText(tr("Save a copy..."));
        QPushButton* justClose = box.addButton(tr("Close (checkpoints kept)"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Save);
        box.exec();
        const auto answer = box.clickedButton() == justClose ? QMessageBox::Discard : box.standardButton(box.clickedButton());
        if (answer == QMessageBox::Cancel || answer == QMessageBox::NoButton) {
            if (wasRunning) controller_->resume();
            event->ignore();
            return;
        }
        controller_->stop();  // joins the thread; the end state goes to latest.npz
        if (answer == QMessageBox::Save) {
            const QString f = menus_->askModelSavePath();
            if (!f.isEmpty() && !saveModel(f)) {
                event->ignore();
                return;
            }
        }
    }
    // The next session starts from the person's own arrangement, not a lesson's.
    projector_->views()->show(StudioView::Training);
    settings_.save(this, controller_->config(), docs_->datasetPath(), controller_->runsDirectory());
    projector_->save(settings_);
    event->accept();
}

}  // namespace studio
