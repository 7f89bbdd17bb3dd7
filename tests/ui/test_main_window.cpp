// The studio window end to end, offscreen: training updates the views, a live learning-rate
// edit is applied and marked, restoring a checkpoint shows its filters, file errors leave
// what is loaded alone, closing during training joins the thread, and the GUI event loop
// stays responsive while training runs flat out.
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "rbm/checkpoint.h"
#include "rbm/run_folder.h"
#include "training/training_controller.h"
#include "views/checkpoints_dock.h"
#include "views/controls_dock.h"
#include "views/digit_grid_view.h"
#include "views/filter_grid_view.h"
#include "views/histograms_view.h"
#include "views/metrics_view.h"
#include "window/main_window.h"

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
    void spaceStartsPausesAndResumes();
    void trainingUpdatesFiltersHistogramsAndMetrics();
    void learningRateEditIsAppliedAndMarked();
    void restoringACheckpointShowsItsFilters();
    void badFilesAreRefusedAndNothingIsLost_data();
    void badFilesAreRefusedAndNothingIsLost();
    void exportsWriteFiles();
    void closingDuringTrainingJoinsTheThread();
    void settingsAreRemembered();
    void eventLoopStaysResponsiveWhileTraining_data();
    void eventLoopStaysResponsiveWhileTraining();

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

void TestMainWindow::spaceStartsPausesAndResumes() {
    // The teacher's one key.
    w_ = makeWindow();
    w_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(w_.get()));
    QTest::keyClick(w_.get(), Qt::Key_Space);
    QCOMPARE(w_->controller()->state(), TrainingController::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->batchesDone() > 0, 10000);
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
    QTRY_VERIFY_WITH_TIMEOUT(w_->filterView()->buildCount() > builds + 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w_->histogramsView()->updateCount() > histUpdates + 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w_->histogramsView()->binTotal(3) > 0, 10000);  // dW histogram
    QTRY_VERIFY_WITH_TIMEOUT(w_->metricsView()->batchPointCount() > 10, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w_->metricsView()->epochPointCount() >= 1, 20000);
    QVERIFY(meanAbsDifference(before, w_->filterView()->image()) > 1.0);
    QVERIFY(!w_->fantasyView()->image().isNull());
    // The W histogram counts every weight.
    QCOMPARE(w_->histogramsView()->binTotal(0), double(w_->currentModel()->W.size()));
    QVERIFY(w_->histogramsView()->ratio(0) > 0);
}

void TestMainWindow::learningRateEditIsAppliedAndMarked() {
    w_ = makeWindow();
    w_->controller()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->latestSnapshot()->optimizerSteps > 20, 10000);
    const std::int64_t steps = w_->controller()->latestSnapshot()->optimizerSteps;
    QCOMPARE(w_->metricsView()->markerCount(), 0);
    // As a person would: the spin box in the controls dock.
    w_->controlsDock()->learningRateWeightsBox()->setValue(0.02);
    QTRY_VERIFY_WITH_TIMEOUT(std::fabs(w_->controller()->latestSnapshot()->config.learningRateWeights - 0.02f) < 1e-7f, 10000);
    QVERIFY(w_->controller()->latestSnapshot()->optimizerSteps >= steps);
    QTRY_COMPARE_WITH_TIMEOUT(w_->metricsView()->markerCount(), 1, 10000);
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
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(w_->checkpointsDock()->rowCount() == 3, 5000);  // initial, 1, 2
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
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
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
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->batchesDone() > 5, 10000);
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

void TestMainWindow::eventLoopStaysResponsiveWhileTraining_data() {
    QTest::addColumn<int>("hidden");
    QTest::newRow("default model") << 0;
    QTest::newRow("784 hidden units") << 784;  // the filter grid must stay smooth with 784 tiles
}

void TestMainWindow::eventLoopStaysResponsiveWhileTraining() {
    QFETCH(int, hidden);
    w_ = makeWindow();
    rbm::TrainingConfig cfg = w_->controller()->config();
    if (hidden > 0) cfg.hidden = hidden;
    cfg.epochs = 1000;  // still training when the probe ends, however fast the machine
    w_->controlsDock()->setConfig(cfg);
    w_->controller()->setConfig(cfg);
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    w_->controller()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w_->controller()->batchesDone() > 0, 10000);
    // A 5 ms timer on the GUI thread; lateness = time since the previous tick minus 5 ms.
    std::vector<double> late;
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    qint64 last = -1;
    connect(&probe, &QTimer::timeout, this, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) late.push_back(std::max(0.0, double(now - last) / 1e6 - 5.0));
        last = now;
    });
    clock.start();
    probe.start();
    const std::int64_t batchesAtStart = w_->controller()->batchesDone();
    QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() > 4000, 10000);
    probe.stop();
    QVERIFY(w_->controller()->state() == TrainingController::State::Running);
    QVERIFY(w_->controller()->batchesDone() > batchesAtStart + 20);  // training ran flat out meanwhile
    QCOMPARE(w_->currentModel()->nHidden(), hidden > 0 ? hidden : 144);
    QVERIFY(late.size() > 100);
    std::sort(late.begin(), late.end());
    const double p50 = late[late.size() / 2], p99 = late[std::size_t(double(late.size()) * 0.99)];
    qInfo("event-loop lateness over %zu ticks: p50 %.2f ms, p99 %.2f ms, max %.2f ms", late.size(), p50, p99, late.back());
    QVERIFY2(p99 < 50.0, qPrintable(QString::number(p99)));
    QVERIFY(w_->filterView()->buildCount() > 5);  // and the views kept repainting
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
