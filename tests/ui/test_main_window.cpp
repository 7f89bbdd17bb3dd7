// The studio window end to end, offscreen: training updates the views, a live learning-rate
// edit is applied and marked, restoring a checkpoint shows its filters, file errors leave
// what is loaded alone, closing during training joins the thread, and the window keeps
// painting every snapshot in order while training runs flat out. (How late the event loop
// runs under load depends on the machine: ui-bench measures it, no test asserts it.)
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "patience.h"
#include "workload.h"
#include "rbm/checkpoint.h"
#include "dream/dream_engine.h"
#include "dream/dream_panel.h"
#include "rbm/presets.h"
#include "rbm/run_folder.h"
#include "training/training_controller.h"
#include "views/checkpoints_dock.h"
#include "views/controls_dock.h"
#include "views/digit_grid_view.h"
#include "views/filter_grid_view.h"
#include "views/histograms_view.h"
#include "views/metrics_view.h"
#include "window/main_window.h"
#include "window/snapshot_scheduler.h"

using namespace studio;

namespace {

double meanGray(const QImage& img) {
    const QImage g = img.convertToFormat(QImage::Format_Grayscale8);
    double sum = 0;
    for (int y = 0; y < g.height(); ++y) {
        const uchar* line = g.constScanLine(y);
        for (int x = 0; x < g.width(); ++x) sum += line[x];
    }
    return sum / (double(g.width()) * g.height());
}

double meanAbsDifference(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 255;
    const QImage ga = a.convertToFormat(QImage::Format_RGB32), gb = b.convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    for (int y = 0; y < ga.height(); ++y)
        for (int x = 0; x < ga.width(); ++x) {
            const QRgb p = ga.pixel(x, y), q = gb.pixel(x, y);
            sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q));
        }
    return sum / (3.0 * ga.width() * ga.height());
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void opensWithDataAndAModel();
    void startsOnTheClassroomPreset();
    void schedulerPaintsOnlyTheNewestInStages();
    void replacingTheModelDropsAStagedPaint();
    void panelsPlugInAsDocks();
    void spaceStartsPausesAndResumes();
    void trainingUpdatesFiltersHistogramsAndMetrics();
    void learningRateEditIsAppliedAndMarked();
    void restoringACheckpointShowsItsFilters();
    void badFilesAreRefusedAndNothingIsLost_data();
    void badFilesAreRefusedAndNothingIsLost();
    void exportsWriteFiles();
    void closingDuringTrainingJoinsTheThread();
    void settingsAreRemembered();
    void aNewModelDreamsAfresh_data();
    void aNewModelDreamsAfresh();
    void windowKeepsPaintingWhileTraining_data();
    void windowKeepsPaintingWhileTraining();

private:
    std::unique_ptr<MainWindow> makeWindow(const rbm::TrainingConfig* config = nullptr);
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<MainWindow> w_;
};

std::unique_ptr<MainWindow> TestMainWindow::makeWindow(const rbm::TrainingConfig* config) {
    MainWindow::Options o;
    o.useSettings = false;
    o.interactive = false;
    o.runsDirectory = dir_->path();
    auto w = std::make_unique<MainWindow>(o);
    // The studio's defaults, but long enough that a fast machine is still training when a
    // test looks (20 epochs take only a few seconds).
    rbm::TrainingConfig cfg = w->controller()->config();
    cfg.epochs = 1000;
    if (config) cfg = *config;
    w->controlsDock()->setConfig(cfg);
    w->controller()->setConfig(cfg);
    w->show();
    return w;
}

void TestMainWindow::init() { dir_ = std::make_unique<QTemporaryDir>(); }

void TestMainWindow::cleanup() {
    if (w_) w_->close();
    w_.reset();
    dir_.reset();
}

void TestMainWindow::opensWithDataAndAModel() {
    QElapsedTimer t;
    t.start();
    w_ = makeWindow();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    qInfo("window open in %lld ms", t.elapsed());
    QVERIFY(w_->trainingData() && w_->trainingData()->count > 1000);
    QVERIFY(!w_->dataView()->image().isNull());
    QVERIFY(!w_->filterView()->image().isNull());  // a new model, shown before training
    QVERIFY(w_->currentModel());
    QCOMPARE(w_->currentModel()->nVisible(), 784);
    QCOMPARE(w_->controller()->state(), TrainingController::State::Idle);
}

void TestMainWindow::startsOnTheClassroomPreset() {
    // README, "The studio window": the studio starts on the Classroom preset.
    w_ = makeWindow();
    rbm::TrainingConfig shown = w_->controller()->config();
    shown.epochs = rbm::trainingPreset("Classroom").config.epochs;  // makeWindow lengthens the run
    QCOMPARE(QString::fromStdString(rbm::matchingPreset(shown)), QStringLiteral("Classroom (fast)"));
    QCOMPARE(w_->currentModel()->nHidden(), rbm::trainingPreset("Classroom").config.hidden);
}

namespace {
/// A snapshot with only a sequence number (the scheduler never looks inside).
SnapshotPtr numbered(std::uint64_t n) {
    auto s = std::make_shared<TrainingSnapshot>();
    s->sequence = n;
    return s;
}
}  // namespace

void TestMainWindow::schedulerPaintsOnlyTheNewestInStages() {
    SnapshotScheduler scheduler;
    std::vector<std::pair<int, std::uint64_t>> ran;  // (stage, sequence)
    int turn = 0;  // counts event-loop turns: a zero timer that re-arms itself
    std::vector<int> turnOfStage;
    QTimer ticker;
    ticker.setInterval(0);
    connect(&ticker, &QTimer::timeout, this, [&] { ++turn; });
    for (int stage = 0; stage < 3; ++stage)
        scheduler.addStage([&, stage](const TrainingSnapshot& s) {
            ran.emplace_back(stage, s.sequence);
            turnOfStage.push_back(turn);
        });
    QSignalSpy painted(&scheduler, &SnapshotScheduler::painted);
    for (std::uint64_t n = 1; n <= 5; ++n) scheduler.offer(numbered(n));  // faster than a frame
    ticker.start();
    QTRY_COMPARE(painted.count(), 1);
    // One frame, of the newest snapshot, every stage once and in order, each in its own turn.
    QCOMPARE(painted.at(0).at(0).value<SnapshotPtr>()->sequence, std::uint64_t(5));
    QCOMPARE(ran.size(), std::size_t(3));
    for (int stage = 0; stage < 3; ++stage) QCOMPARE(ran[std::size_t(stage)], std::make_pair(stage, std::uint64_t(5)));
    QVERIFY(turnOfStage[0] < turnOfStage[1] && turnOfStage[1] < turnOfStage[2]);
    QCOMPARE(scheduler.shown()->sequence, std::uint64_t(5));
    // Nothing new: no more frames.
    QTest::qWait(3 * SnapshotScheduler::kMaxIntervalMs);
    QCOMPARE(painted.count(), 1);
    scheduler.offer(numbered(6));
    QTRY_COMPARE(painted.count(), 2);
    QCOMPARE(scheduler.framesPainted(), std::uint64_t(2));
}

void TestMainWindow::replacingTheModelDropsAStagedPaint() {
    // A model loaded while a repaint is half done: the rest of the old frame must not land
    // on top of it (the window paints the loaded model itself and calls replace).
    SnapshotScheduler scheduler;
    std::vector<std::uint64_t> ran;
    scheduler.addStage([&](const TrainingSnapshot& s) {
        ran.push_back(s.sequence);
        if (s.sequence == 1) scheduler.replace(numbered(2));
    });
    scheduler.addStage([&](const TrainingSnapshot& s) { ran.push_back(s.sequence); });
    QSignalSpy painted(&scheduler, &SnapshotScheduler::painted);
    scheduler.offer(numbered(1));
    QTRY_COMPARE(ran.size(), std::size_t(1));  // the first stage of 1 ran
    QTest::qWait(3 * SnapshotScheduler::kMaxIntervalMs);
    QCOMPARE(ran, std::vector<std::uint64_t>{1});  // the rest of 1 never ran, and 2 is not repainted
    QCOMPARE(painted.count(), 0);
    QCOMPARE(scheduler.shown()->sequence, std::uint64_t(2));
    scheduler.offer(numbered(3));
    QTRY_COMPARE(painted.count(), 1);
    QCOMPARE(ran, (std::vector<std::uint64_t>{1, 3, 3}));
}

void TestMainWindow::panelsPlugInAsDocks() {
    w_ = makeWindow();
    // The dream panel is a tab behind the filters, found by its widget, not by a name.
    QDockWidget* dream = w_->panels().dreamDock;
    QVERIFY(dream);
    QCOMPARE(MainWindow::dockOf(w_->panels().dream), dream);
    QVERIFY(w_->tabifiedDockWidgets(w_->dock(View::Filters)).contains(dream));
    QCOMPARE(MainWindow::dockOf(w_->filterView()), w_->dock(View::Filters));
    // A panel of one's own, beside the histograms, listed in the View menu.
    auto* mine = new QWidget;
    QDockWidget* d = w_->addPanel(mine, {QStringLiteral("panel-mine"), QStringLiteral("Mine"), Placement::tabbedWith(View::Histograms)});
    QCOMPARE(MainWindow::dockOf(mine), d);
    QVERIFY(w_->tabifiedDockWidgets(w_->dock(View::Histograms)).contains(d));
    QVERIFY(!d->toggleViewAction()->associatedObjects().isEmpty());  // in the View menu
    // Reset layout puts docks moved away back in their places, the panels' too.
    for (QDockWidget* moved : {d, w_->dock(View::Data)}) {
        moved->setFloating(true);
        QTRY_VERIFY(moved->isFloating());
    }
    w_->resetLayout();
    QVERIFY(!d->isFloating() && !w_->dock(View::Data)->isFloating());
    QVERIFY(w_->tabifiedDockWidgets(w_->dock(View::Histograms)).contains(d));
    QVERIFY(w_->tabifiedDockWidgets(w_->dock(View::Fantasy)).contains(w_->dock(View::Data)));
}

void TestMainWindow::spaceStartsPausesAndResumes() {
    // The teacher's one key.
    w_ = makeWindow();
    w_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(w_.get()));
    QTest::keyClick(w_.get(), Qt::Key_Space);
    QCOMPARE(w_->controller()->state(), TrainingController::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->batchesDone() > 0, rbm::testing::patient(10000));
    QTest::keyClick(w_.get(), Qt::Key_Space);
    QCOMPARE(w_->controller()->state(), TrainingController::State::Paused);
    QTest::keyClick(w_.get(), Qt::Key_Space);
    QCOMPARE(w_->controller()->state(), TrainingController::State::Running);
}

void TestMainWindow::trainingUpdatesFiltersHistogramsAndMetrics() {
    w_ = makeWindow();
    const int builds = w_->filterView()->buildCount();
    const QImage before = w_->filterView()->image();
    const int histUpdates = w_->histogramsView()->updateCount();
    w_->controller()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w_->filterView()->buildCount() > builds + 2, rbm::testing::patient(10000));
    QTRY_VERIFY_WITH_TIMEOUT(w_->histogramsView()->updateCount() > histUpdates + 2, rbm::testing::patient(10000));
    QTRY_VERIFY_WITH_TIMEOUT(w_->histogramsView()->binTotal(3) > 0, rbm::testing::patient(10000));  // dW histogram
    QTRY_VERIFY_WITH_TIMEOUT(w_->metricsView()->batchPointCount() > 10, rbm::testing::patient(10000));
    QTRY_VERIFY_WITH_TIMEOUT(w_->metricsView()->epochPointCount() >= 1, rbm::testing::patient(20000));
    QVERIFY(meanAbsDifference(before, w_->filterView()->image()) > 1.0);
    QVERIFY(!w_->fantasyView()->image().isNull());
    // The W histogram counts every weight.
    QCOMPARE(w_->histogramsView()->binTotal(0), double(w_->currentModel()->W.size()));
    QVERIFY(w_->histogramsView()->ratio(0) > 0);
}

void TestMainWindow::learningRateEditIsAppliedAndMarked() {
    w_ = makeWindow();
    w_->controller()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->latestSnapshot()->optimizerSteps > 20, rbm::testing::patient(10000));
    const std::int64_t steps = w_->controller()->latestSnapshot()->optimizerSteps;
    QCOMPARE(w_->metricsView()->markerCount(), 0);
    // As a person would: the spin box in the controls dock.
    QVERIFY(w_->controller()->config().learningRateWeights != 0.04f);
    w_->controlsDock()->learningRateWeightsBox()->setValue(0.04);
    QTRY_VERIFY_WITH_TIMEOUT(std::fabs(w_->controller()->latestSnapshot()->config.learningRateWeights - 0.04f) < 1e-7f, rbm::testing::patient(10000));
    QVERIFY(w_->controller()->latestSnapshot()->optimizerSteps >= steps);
    QTRY_COMPARE_WITH_TIMEOUT(w_->metricsView()->markerCount(), 1, rbm::testing::patient(10000));
    QVERIFY2(w_->metricsView()->markerText(0).contains(QLatin1String("lr W")), qPrintable(w_->metricsView()->markerText(0)));
    QVERIFY(w_->metricsView()->markerEpoch(0) > 0);
}

void TestMainWindow::restoringACheckpointShowsItsFilters() {
    rbm::TrainingConfig cfg;
    cfg.hidden = 36;
    cfg.batchSize = 100;
    cfg.epochs = 2;
    w_ = makeWindow(&cfg);
    QSignalSpy finished(w_->controller(), &TrainingController::finished);
    w_->controller()->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(30000));
    QTRY_VERIFY_WITH_TIMEOUT(w_->checkpointsDock()->rowCount() == 3, rbm::testing::patient(5000));  // initial, 1, 2
    QTRY_VERIFY(w_->currentSnapshot() == w_->controller()->latestSnapshot());
    const QImage trained = w_->filterView()->image();

    const QString initial = QString::fromStdString(w_->checkpointsDock()->entries().front().path);
    QVERIFY(w_->restoreCheckpoint(initial));
    const QImage restored = w_->filterView()->image();
    // The initial weights are tiny next to trained ones: the filters change visibly.
    QVERIFY2(meanAbsDifference(trained, restored) > 5.0, qPrintable(QString::number(meanAbsDifference(trained, restored))));
    const rbm::Checkpoint ck = rbm::loadCheckpoint(initial.toStdString());
    QVERIFY(w_->currentModel()->W.isApprox(ck.model.W));
    QCOMPARE(w_->controller()->startModel()->state->counters.epoch, std::int64_t(0));
    qInfo("mean gray trained %.1f, restored %.1f", meanGray(trained), meanGray(restored));
}

void TestMainWindow::badFilesAreRefusedAndNothingIsLost_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("missing model") << "model" << QByteArray();
    QTest::newRow("garbage model") << "model" << QByteArray("this is not a zip file at all");
    QTest::newRow("truncated zip") << "model" << QByteArray("PK\x03\x04\x14\x00\x00\x00", 8);
    QTest::newRow("missing dataset") << "dataset" << QByteArray();
}

void TestMainWindow::badFilesAreRefusedAndNothingIsLost() {
    QFETCH(QString, kind);
    QFETCH(QByteArray, bytes);
    w_ = makeWindow();
    const auto modelBefore = w_->currentModel();
    const auto dataBefore = w_->trainingData();
    QString path = dir_->filePath(kind == QLatin1String("model") ? "bad.npz" : "no-such-folder");
    if (!bytes.isEmpty()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    const bool ok = kind == QLatin1String("model") ? w_->openModel(path) : w_->openDataset(path);
    QVERIFY(!ok);
    QVERIFY2(w_->lastError().contains(path), qPrintable(w_->lastError()));  // names the file
    QCOMPARE(w_->currentModel().get(), modelBefore.get());
    QCOMPARE(w_->trainingData().get(), dataBefore.get());
}

void TestMainWindow::exportsWriteFiles() {
    rbm::TrainingConfig cfg;
    cfg.hidden = 25;
    cfg.epochs = 1;
    w_ = makeWindow(&cfg);
    QSignalSpy finished(w_->controller(), &TrainingController::finished);
    w_->controller()->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(30000));
    QTRY_VERIFY(w_->metricsView()->epochPointCount() == 1);

    const QString png = dir_->filePath("filters.png");
    QVERIFY(w_->exportFilterGrid(png));
    const QImage img(png);
    QCOMPARE(img.size(), w_->filterView()->image().size() * 4);

    const QString csv = dir_->filePath("metrics.csv");
    QVERIFY(w_->exportMetricsCsv(csv));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);  // header + one epoch

    // Saved after the run: the end state with its training state, as the window shows it.
    QTRY_VERIFY(w_->currentSnapshot() == w_->controller()->latestSnapshot());
    const QString model = dir_->filePath("model.npz");
    QVERIFY(w_->saveModel(model));
    const rbm::Checkpoint ck = rbm::loadCheckpoint(model.toStdString());
    QVERIFY(ck.model.W.isApprox(w_->currentModel()->W));
    QVERIFY(ck.state.has_value());
    QVERIFY(w_->openModel(model));
    QCOMPARE(w_->currentModel()->nHidden(), 25);
}

void TestMainWindow::closingDuringTrainingJoinsTheThread() {
    w_ = makeWindow();
    w_->controller()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->batchesDone() > 5, rbm::testing::patient(10000));
    const QString run = w_->controller()->runDirectory();
    QVERIFY(w_->close());
    QCOMPARE(w_->controller()->state(), TrainingController::State::Idle);
    QVERIFY(!w_->controller()->isActive());
    // Lose no checkpoint: the state at the close is on disk and loads.
    const rbm::Checkpoint ck = rbm::loadCheckpoint((run + "/latest.npz").toStdString());
    QVERIFY(ck.state && ck.state->counters.totalBatches > 5);
    QVERIFY(QFileInfo::exists(run + "/initial.npz"));
    w_.reset();
}

void TestMainWindow::settingsAreRemembered() {
    // QSettings redirected into the test's folder: a person's own settings stay untouched.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_->filePath("config"));
    QCoreApplication::setOrganizationName(QStringLiteral("rbm-studio-test"));
    QCoreApplication::setApplicationName(QStringLiteral("settings"));
    MainWindow::Options o;
    o.useSettings = true;
    o.interactive = false;
    o.runsDirectory = dir_->path();
    const QString model = dir_->filePath("remembered.npz");
    {
        MainWindow first(o);
        first.controlsDock()->learningRateWeightsBox()->setValue(0.0321);
        QVERIFY(first.saveModel(model));
        QVERIFY(first.close());
    }
    MainWindow second(o);
    QCOMPARE(second.controller()->config().learningRateWeights, 0.0321f);
    QCOMPARE(second.controlsDock()->config().learningRateWeights, 0.0321f);
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    QVERIFY2(recent.contains(QFileInfo(model).absoluteFilePath()), qPrintable(recent.join(',')));
    second.close();
}

void TestMainWindow::windowKeepsPaintingWhileTraining_data() {
    QTest::addColumn<int>("hidden");
    QTest::newRow("default model") << 0;
    if (rbm::testing::sanitizedBuild()) return;  // the same code paths, four times the work
    QTest::newRow("784 hidden units") << 784;  // the filter grid keeps up with 784 tiles
}

void TestMainWindow::windowKeepsPaintingWhileTraining() {
    // What holds on any machine, however loaded: training advances, the views keep painting,
    // and snapshots arrive and are painted in the order they were made.
    QFETCH(int, hidden);
    w_ = makeWindow();
    rbm::TrainingConfig cfg = w_->controller()->config();
    if (hidden > 0) cfg.hidden = hidden;
    cfg.epochs = 1000;  // still training when the test ends, however fast the machine
    w_->controlsDock()->setConfig(cfg);
    w_->controller()->setConfig(cfg);
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    std::vector<std::uint64_t> arrived, painted;
    connect(w_->controller(), &TrainingController::snapshotReady, this, [&](const SnapshotPtr& s) { arrived.push_back(s->sequence); });
    connect(w_->scheduler(), &SnapshotScheduler::painted, this, [&](const SnapshotPtr& s) { painted.push_back(s->sequence); });
    const int builds = w_->filterView()->buildCount();
    const int histUpdates = w_->histogramsView()->updateCount();
    w_->controller()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->batchesDone() > 0, rbm::testing::patient(30000));
    const std::int64_t batchesAtStart = w_->controller()->batchesDone();
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->batchesDone() > batchesAtStart + 20 && painted.size() > 5, rbm::testing::patient(60000));
    QVERIFY(w_->controller()->state() == TrainingController::State::Running);
    w_->controller()->pause();
    // The last snapshot is painted too: the newest always reaches the screen.
    QTRY_VERIFY_WITH_TIMEOUT(w_->currentSnapshot() == w_->controller()->latestSnapshot(), rbm::testing::patient(10000));
    QVERIFY(w_->filterView()->buildCount() > builds + 5);
    QVERIFY(w_->histogramsView()->updateCount() > histUpdates + 5);
    QCOMPARE(w_->currentModel()->nHidden(), hidden > 0 ? hidden : 144);
    QVERIFY(std::is_sorted(arrived.begin(), arrived.end()) && std::adjacent_find(arrived.begin(), arrived.end()) == arrived.end());
    QVERIFY(std::is_sorted(painted.begin(), painted.end()) && std::adjacent_find(painted.begin(), painted.end()) == painted.end());
    QVERIFY(painted.size() < arrived.size() + 1);
    QCOMPARE(painted.back(), arrived.back());
    // Every painted snapshot is one that arrived.
    for (std::uint64_t p : painted) QVERIFY(std::binary_search(arrived.begin(), arrived.end(), p));
}

void TestMainWindow::aNewModelDreamsAfresh_data() {
    QTest::addColumn<QString>("how");
    QTest::newRow("reset") << QStringLiteral("reset");
    QTest::newRow("preset") << QStringLiteral("preset");
    QTest::newRow("open") << QStringLiteral("open");
}

void TestMainWindow::aNewModelDreamsAfresh() {
    // Issue 12, never stale: a new model (reset, preset, open) left the last model's dream
    // frames in the dream's timeline and filmstrip.
    QFETCH(QString, how);
    rbm::TrainingConfig cfg = rbm::trainingPreset("Classroom").config;
    cfg.hidden = 16;
    w_ = makeWindow(&cfg);
    const QString saved = dir_->filePath(QStringLiteral("other.npz"));
    QVERIFY(w_->saveModel(saved));
    DreamPanel* dream = w_->panels().dream;
    QVERIFY(dream);
    DreamEngine* engine = dream->engine();
    for (int i = 0; i < 6; ++i) engine->step();
    QVERIFY(engine->frames().size() > 6);
    const std::shared_ptr<const rbm::Rbm> before = w_->currentModel();

    if (how == QLatin1String("reset")) {
        w_->resetModel();
    } else if (how == QLatin1String("preset")) {
        rbm::TrainingConfig bigger = w_->controller()->config();
        bigger.hidden = 25;  // a model size: a new model
        emit w_->controlsDock()->configEdited(bigger);
        QCOMPARE(w_->currentModel()->nHidden(), 25);
    } else {
        QVERIFY2(w_->openModel(saved), qPrintable(w_->lastError()));
    }
    QVERIFY(w_->currentModel() && w_->currentModel() != before);
    // One frame: the start image on the new model, at step 0.
    QCOMPARE(int(engine->frames().size()), 1);
    QCOMPARE(engine->frames().newest().step(), 0.0);
    QCOMPARE(engine->frames().newest().nHidden, w_->currentModel()->nHidden());
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
