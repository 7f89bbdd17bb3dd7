// The training controller and its worker thread: snapshots arrive on the GUI thread in order,
// rate-limited at the source, pause stops the batch counter, live edits keep the optimizer
// state, runs leave checkpoints, stop joins, and a run killed between an epoch's checkpoint and
// its metrics row resumes with one row per epoch. No sleeps as synchronisation: every wait is
// QTRY on a condition, so the test also runs under ThreadSanitizer (RBM_SANITIZE=thread). No
// time or rate is asserted: what is checked holds on a machine under any load.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "patience.h"
#include "rbm/checkpoint.h"
#include "rbm/random.h"
#include "rbm/run_folder.h"
#include "training/training_controller.h"
#include "training/training_worker.h"
#include "rbm/metrics_csv.h"
#include "window/model_documents.h"

using namespace studio;

namespace {

/// 8x8 images of horizontal or vertical bars: learnable in a few batches.
std::shared_ptr<const rbm::Dataset> bars(std::size_t count, std::uint64_t seed) {
    auto d = std::make_shared<rbm::Dataset>();
    d->name = "bars";
    d->rows = d->cols = 8;
    d->count = count;
    d->pixels.assign(count * 64, 0);
    rbm::Random rng(seed);
    for (std::size_t n = 0; n < count; ++n) {
        const bool horizontal = rng.below(2) == 0;
        for (int k = 0; k < 8; ++k) {
            if (rng.below(3) != 0) continue;
            for (int j = 0; j < 8; ++j) d->pixels[n * 64 + std::size_t(horizontal ? k * 8 + j : j * 8 + k)] = 255;
        }
    }
    return d;
}

rbm::TrainingConfig smallConfig() {
    rbm::TrainingConfig c;
    c.hidden = 16;
    c.batchSize = 10;
    c.epochs = 1000;  // runs until stopped
    c.evalSubset = 50;
    c.learningRateWeights = 0.05f;
    return c;
}

}  // namespace

class TestTrainingController : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void snapshotsArriveInOrderOnTheGuiThread();
    void publishingIsRateLimitedAtTheSource();
    void pauseStopsBatchCounterAndStepTrainsOne();
    void liveLearningRateKeepsOptimizerState();
    void runLeavesCheckpointsAndFinishes();
    void stopJoinsAndStartContinues();
    void divergenceIsReportedAndTheRunEnds();
    void describeChangesNamesLiveFields();
    void killBetweenCheckpointAndMetricsLeavesOneRowPerEpoch();
    void restoringEpoch3Of6ContinuesInTheSameFolder();
    void shownEpochNeverPassesThePlan();

private:
    std::unique_ptr<TrainingController> c_;
    std::unique_ptr<QTemporaryDir> dir_;
};

void TestTrainingController::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    c_ = std::make_unique<TrainingController>();
    c_->setData(bars(400, 1), bars(100, 2));
    c_->setConfig(smallConfig());
    c_->setRunsDirectory(dir_->path());
}

void TestTrainingController::cleanup() {
    c_.reset();  // stops and joins if a test failed mid-run
    dir_.reset();
}

void TestTrainingController::snapshotsArriveInOrderOnTheGuiThread() {
    QThread* gui = QThread::currentThread();
    int offThread = 0;
    std::vector<SnapshotPtr> got;
    connect(c_.get(), &TrainingController::snapshotReady, this, [&](const SnapshotPtr& s) {
        if (QThread::currentThread() != gui) ++offThread;
        got.push_back(s);
    });
    c_->start();
    QCOMPARE(c_->state(), TrainingController::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(c_->batchesDone() > 100, rbm::testing::patient(20000));  // training advanced
    c_->stop();
    QCOMPARE(c_->state(), TrainingController::State::Idle);
    // The last snapshot of the run was queued before the thread was joined.
    QTRY_VERIFY_WITH_TIMEOUT(!got.empty() && got.back()->finished, rbm::testing::patient(10000));
    QCOMPARE(offThread, 0);
    std::size_t points = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        points += got[i]->batchErrors.size();
        if (i == 0) continue;
        QVERIFY(got[i]->sequence > got[i - 1]->sequence);
        QVERIFY(got[i]->counters.totalBatches >= got[i - 1]->counters.totalBatches);
    }
    // Every batch's error reached the GUI exactly once, however the batches were grouped.
    QVERIFY(got.back()->counters.totalBatches > 100);
    QCOMPARE(std::int64_t(points), got.back()->counters.totalBatches);
    QVERIFY(c_->latestSnapshot());
    QCOMPARE(c_->latestSnapshot()->model.nVisible(), 64);
}

void TestTrainingController::publishingIsRateLimitedAtTheSource() {
    // With an interval no run reaches, only the snapshots that must be published arrive: the
    // start, each epoch's end and the last one; never one a batch.
    c_->setPublishInterval(3600 * 1000);
    rbm::TrainingConfig cfg = smallConfig();
    cfg.epochs = 3;
    c_->setConfig(cfg);
    std::vector<SnapshotPtr> got;
    connect(c_.get(), &TrainingController::snapshotReady, this, [&](const SnapshotPtr& s) { got.push_back(s); });
    QSignalSpy finished(c_.get(), &TrainingController::finished);
    c_->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(30000));
    QTRY_VERIFY_WITH_TIMEOUT(!got.empty() && got.back()->finished, rbm::testing::patient(10000));
    QCOMPARE(int(got.size()), 1 + 3 + 1);
    QCOMPARE(got.back()->counters.totalBatches, std::int64_t(3 * 40));  // 400 images, batch 10
    std::size_t points = 0;
    for (const SnapshotPtr& s : got) points += s->batchErrors.size();
    QCOMPARE(points, std::size_t(3 * 40));
}

void TestTrainingController::pauseStopsBatchCounterAndStepTrainsOne() {
    c_->start();
    QTRY_VERIFY_WITH_TIMEOUT(c_->batchesDone() > 20, rbm::testing::patient(20000));
    c_->pause();
    QCOMPARE(c_->state(), TrainingController::State::Paused);
    // The worker acknowledges with a paused snapshot once it waits.
    QTRY_VERIFY_WITH_TIMEOUT(c_->latestSnapshot() && c_->latestSnapshot()->paused, rbm::testing::patient(10000));
    const std::int64_t atPause = c_->batchesDone();
    QTest::qWait(300);  // observing that nothing happens needs some time, not synchronisation
    QCOMPARE(c_->batchesDone(), atPause);
    QCOMPARE(c_->latestSnapshot()->counters.totalBatches, atPause);

    c_->step();
    QTRY_COMPARE_WITH_TIMEOUT(c_->batchesDone(), atPause + 1, rbm::testing::patient(10000));
    QTRY_VERIFY_WITH_TIMEOUT(c_->latestSnapshot()->counters.totalBatches == atPause + 1, rbm::testing::patient(10000));
    QTest::qWait(100);
    QCOMPARE(c_->batchesDone(), atPause + 1);

    c_->resume();
    QTRY_VERIFY_WITH_TIMEOUT(c_->batchesDone() > atPause + 10, rbm::testing::patient(10000));
    c_->stop();
}

void TestTrainingController::liveLearningRateKeepsOptimizerState() {
    c_->start();
    QTRY_VERIFY_WITH_TIMEOUT(c_->latestSnapshot() && c_->latestSnapshot()->optimizerSteps > 30, rbm::testing::patient(20000));
    const std::int64_t stepsBefore = c_->latestSnapshot()->optimizerSteps;
    rbm::TrainingConfig cfg = smallConfig();
    cfg.learningRateWeights = 0.0123f;
    c_->setConfig(cfg);
    QTRY_VERIFY_WITH_TIMEOUT(c_->latestSnapshot()->config.learningRateWeights == 0.0123f, rbm::testing::patient(10000));
    SnapshotPtr s = c_->latestSnapshot();
    // Optimizer state kept: its step counter continues from where it was.
    QVERIFY(s->optimizerSteps >= stepsBefore);
    QCOMPARE(s->configChanges.size(), std::size_t(1));
    QVERIFY2(s->configChanges[0].text.contains(QLatin1String("lr W")), qPrintable(s->configChanges[0].text));
    QVERIFY(s->configChanges[0].epoch > 0);
    QTRY_VERIFY_WITH_TIMEOUT(c_->latestSnapshot()->optimizerSteps > s->optimizerSteps + 10, rbm::testing::patient(10000));
    c_->stop();
    // The final state carries the new rate and the whole step count.
    QVERIFY(c_->startModel());
    QCOMPARE(c_->startModel()->config.learningRateWeights, 0.0123f);
    QVERIFY(c_->startModel()->state->optimizer.steps > stepsBefore + 10);
}

void TestTrainingController::runLeavesCheckpointsAndFinishes() {
    rbm::TrainingConfig cfg = smallConfig();
    cfg.epochs = 3;
    c_->setConfig(cfg);
    QSignalSpy finished(c_.get(), &TrainingController::finished);
    QSignalSpy epochs(c_.get(), &TrainingController::epochFinished);
    c_->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(30000));
    QCOMPARE(c_->state(), TrainingController::State::Idle);
    QCOMPARE(epochs.count(), 3);
    const auto list = rbm::RunFolder::list(c_->runDirectory().toStdString());
    QCOMPARE(int(list.size()), 4);  // initial + 3 epochs
    QCOMPARE(list.front().epoch, std::int64_t(0));
    QCOMPARE(list.back().epoch, std::int64_t(3));
    QVERIFY(list.back().hasMetrics);
    QVERIFY(QFileInfo::exists(c_->runDirectory() + "/metrics.csv"));
    SnapshotPtr last = c_->latestSnapshot();
    QVERIFY(last->finished);
    QCOMPARE(last->epochMetrics.size(), std::size_t(3));
    // The checkpoint of the last epoch is the model the last snapshot shows.
    const rbm::Checkpoint ck = rbm::loadCheckpoint(list.back().path);
    QVERIFY(ck.model.W.isApprox(last->model.W));
}

void TestTrainingController::stopJoinsAndStartContinues() {
    c_->start();
    QTRY_VERIFY_WITH_TIMEOUT(c_->batchesDone() > 50, rbm::testing::patient(20000));
    const QString firstRun = c_->runDirectory();
    c_->stop();
    QCOMPARE(c_->state(), TrainingController::State::Idle);
    QCOMPARE(c_->batchesDone(), std::int64_t(0));  // no worker any more
    QVERIFY(c_->startModel() && c_->startModel()->state);
    const std::int64_t total = c_->startModel()->state->counters.totalBatches;
    QVERIFY(total > 50);
    // Nothing is lost: the state at the stop is on disk.
    const rbm::Checkpoint latest = rbm::loadCheckpoint((firstRun + "/latest.npz").toStdString());
    QCOMPARE(latest.state->counters.totalBatches, total);

    c_->start();  // continues: counters go on from the stop
    QTRY_VERIFY_WITH_TIMEOUT(c_->latestSnapshot() && c_->latestSnapshot()->counters.totalBatches > total + 5, rbm::testing::patient(20000));
    // Issue 12: continuing a run writes into its folder (it used to start a new one).
    QCOMPARE(c_->runDirectory(), firstRun);
    c_->stop();

    c_->reset();  // a new model: the next start begins at zero
    QVERIFY(!c_->startModel());
    QCOMPARE(c_->latestSnapshot()->counters.totalBatches, std::int64_t(0));
}

void TestTrainingController::divergenceIsReportedAndTheRunEnds() {
    // A validated configuration cannot overflow float (learning rates are capped), so the
    // divergence path is driven by a start model holding a NaN: the first batch turns the
    // parameters non-finite, the trainer throws rbm::Error, and the run must end cleanly
    // with the message shown, not hang or crash the worker thread.
    rbm::Checkpoint start;
    start.config = smallConfig();
    start.model.W = rbm::Matrix::Constant(64, 16, 0.01f);
    start.model.W(3, 5) = std::nanf("");
    start.model.visibleBias = rbm::Vector::Zero(64);
    start.model.hiddenBias = rbm::Vector::Zero(16);
    start.model.imageRows = start.model.imageCols = 8;
    c_->setStartModel(start);
    QSignalSpy errors(c_.get(), &TrainingController::errorOccurred);
    QSignalSpy finished(c_.get(), &TrainingController::finished);
    c_->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(20000));
    QVERIFY(errors.count() >= 1);
    const QString message = errors.at(0).at(0).toString();
    QVERIFY2(message.contains(QLatin1String("diverged")) || message.contains(QLatin1String("finite")), qPrintable(message));
    QCOMPARE(c_->state(), TrainingController::State::Idle);
    QCOMPARE(c_->latestSnapshot()->counters.totalBatches, std::int64_t(0));  // no batch was accepted
}

void TestTrainingController::describeChangesNamesLiveFields() {
    rbm::TrainingConfig a = smallConfig(), b = a;
    QVERIFY(describeChanges(a, b).isEmpty());
    b.k = 5;
    b.algorithm = rbm::Algorithm::PCD;
    b.optimizer.momentum = 0.5f;
    const QString d = describeChanges(a, b);
    QVERIFY2(d.contains(QStringLiteral("k 1\u21925")) && d.contains(QLatin1String("PCD")) && d.contains(QLatin1String("momentum")),
             qPrintable(d));
}

void TestTrainingController::killBetweenCheckpointAndMetricsLeavesOneRowPerEpoch() {
    // The worker once appended the metrics row before the checkpoint: killed in between, the
    // resumed run trained that epoch again and wrote its row twice. Here a forked child runs the
    // studio's worker and SIGKILLs itself between epoch 2's checkpoint and its row.
    const QString run = dir_->filePath(QStringLiteral("run"));
    rbm::TrainingConfig cfg = smallConfig();
    cfg.epochs = 4;
    TrainingWorker::Setup setup;
    setup.train = bars(400, 1);
    setup.test = bars(100, 2);
    setup.config = cfg;
    setup.runDir = run;
    const pid_t pid = ::fork();
    if (pid == 0) {
        setup.afterCheckpoint = [](std::int64_t epoch) {
            if (epoch == 2) ::kill(::getpid(), SIGKILL);
        };
        TrainingWorker w(setup);
        w.run();
        ::_exit(0);  // not killed: the parent fails on the status
    }
    QVERIFY(pid > 0);
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, 0), pid);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child was not killed between checkpoint and row");

    auto epochsInCsv = [&] {
        std::ifstream in((run + "/metrics.csv").toStdString());
        std::vector<std::int64_t> epochs;
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line))
            if (!line.empty()) epochs.push_back(std::stoll(line.substr(0, line.find(','))));
        return epochs;
    };
    QCOMPARE(epochsInCsv(), (std::vector<std::int64_t>{1}));
    const rbm::Checkpoint latest = rbm::loadCheckpoint((run + "/latest.npz").toStdString());
    QCOMPARE(latest.state->counters.epoch, std::int64_t(2));

    // Resumed from latest.npz into the same folder (a worker on a thread of its own).
    setup.from = latest;
    setup.config = latest.config;
    TrainingWorker resumed(setup);
    bool completed = false;
    connect(&resumed, &TrainingWorker::finished, this, [&](bool c) { completed = c; }, Qt::DirectConnection);
    std::thread t([&] { resumed.run(); });
    t.join();
    QVERIFY(completed);
    QCOMPARE(epochsInCsv(), (std::vector<std::int64_t>{1, 2, 3, 4}));
    QVERIFY(resumed.finalCheckpoint());
    QCOMPARE(resumed.finalCheckpoint()->state->counters.epoch, std::int64_t(4));
}

namespace {
std::vector<std::int64_t> epochsOf(const std::vector<rbm::EpochMetrics>& rows) {
    std::vector<std::int64_t> e;
    for (const rbm::EpochMetrics& m : rows) e.push_back(m.epoch);
    return e;
}
}  // namespace

void TestTrainingController::restoringEpoch3Of6ContinuesInTheSameFolder() {
    // Issue 12: restoring a checkpoint dropped the metric history, and continuing started a new
    // run folder; continuing in the same one must not mix the old epochs 4..6 with the new ones.
    rbm::TrainingConfig cfg = smallConfig();
    cfg.epochs = 6;
    c_->setConfig(cfg);
    QSignalSpy finished(c_.get(), &TrainingController::finished);
    c_->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(30000));
    const QString run = c_->runDirectory();
    const std::string csv = (run + "/metrics.csv").toStdString();
    QCOMPARE(epochsOf(rbm::readMetricsCsv(csv)), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
    const rbm::Checkpoint oldFour = rbm::loadCheckpoint((run + "/epoch-0004.npz").toStdString());

    // As the checkpoints dock does: restore epoch 3 of the run.
    ModelDocuments docs(c_.get(), nullptr, /*interactive=*/false);
    SnapshotPtr shown;
    connect(&docs, &ModelDocuments::startModelChanged, this, [&](const SnapshotPtr& s) { shown = s; });
    QVERIFY(docs.restoreCheckpoint(run + "/epoch-0003.npz", rbm::RunFolder::list(run.toStdString())));
    QVERIFY(shown);
    QCOMPARE(epochsOf(shown->epochMetrics), (std::vector<std::int64_t>{1, 2, 3}));
    QCOMPARE(shown->counters.epoch, std::int64_t(3));
    QCOMPARE(shown->config.epochs, 6);  // "Epoch 3/6": the plan Start trains to
    QCOMPARE(epochsOf(c_->previewSnapshot()->epochMetrics), (std::vector<std::int64_t>{1, 2, 3}));

    cfg.epochs = 4;  // one more epoch after the restored one
    c_->setConfig(cfg);
    std::vector<SnapshotPtr> got;
    connect(c_.get(), &TrainingController::snapshotReady, this, [&](const SnapshotPtr& s) { got.push_back(s); });
    c_->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, rbm::testing::patient(30000));
    QCOMPARE(c_->runDirectory(), run);  // the same folder
    QVERIFY(!got.empty());
    QCOMPARE(epochsOf(got.front()->epochMetrics), (std::vector<std::int64_t>{1, 2, 3}));  // the history goes on
    QCOMPARE(epochsOf(c_->latestSnapshot()->epochMetrics), (std::vector<std::int64_t>{1, 2, 3, 4}));
    QCOMPARE(epochsOf(rbm::readMetricsCsv(csv)), (std::vector<std::int64_t>{1, 2, 3, 4}));  // not 1..6,4
    const auto list = rbm::RunFolder::list(run.toStdString());
    QCOMPARE(list.back().epoch, std::int64_t(4));
    // Epoch 4 was trained again from 3: its file and row are this run's (its time is this
    // run's measurement), the old ones moved aside.
    const rbm::Checkpoint newFour = rbm::loadCheckpoint((run + "/epoch-0004.npz").toStdString());
    QVERIFY(newFour.model.W.isApprox(c_->latestSnapshot()->model.W));
    QVERIFY(newFour.metrics && oldFour.metrics);
    QCOMPARE(newFour.metrics->seconds, c_->latestSnapshot()->epochMetrics.back().seconds);
    QVERIFY(qFuzzyCompare(rbm::readMetricsCsv(csv).back().seconds, c_->latestSnapshot()->epochMetrics.back().seconds));
    // Nothing deleted: the abandoned epochs and their rows moved aside.
    const QString aside = run + "/after-epoch-0003";
    for (const char* f : {"/epoch-0004.npz", "/epoch-0005.npz", "/epoch-0006.npz"}) QVERIFY(QFileInfo::exists(aside + f));
    QCOMPARE(epochsOf(rbm::readMetricsCsv((aside + "/metrics.csv").toStdString())),
             (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
    for (const SnapshotPtr& s : got) QVERIFY(s->counters.epoch <= s->config.epochs);
}

void TestTrainingController::shownEpochNeverPassesThePlan() {
    // Issue 12: "Epoch 21/20" in the status bar after restoring a checkpoint of a run that had
    // gone on past its plan. Every snapshot's epoch stays within the plan it carries (what the
    // status bar shows as "Epoch N/plan").
    rbm::TrainingConfig cfg = smallConfig();
    cfg.epochs = 2;
    c_->setConfig(cfg);
    QSignalSpy finished(c_.get(), &TrainingController::finished);
    std::vector<SnapshotPtr> got;
    connect(c_.get(), &TrainingController::snapshotReady, this, [&](const SnapshotPtr& s) { got.push_back(s); });
    c_->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(30000));
    c_->start();  // the plan is done: two more epochs, in the same run
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, rbm::testing::patient(30000));
    QCOMPARE(c_->latestSnapshot()->counters.epoch, std::int64_t(4));
    const QString run = c_->runDirectory();

    ModelDocuments docs(c_.get(), nullptr, false);
    connect(&docs, &ModelDocuments::startModelChanged, this, [&](const SnapshotPtr& s) { got.push_back(s); });
    QVERIFY(docs.restoreCheckpoint(run + "/epoch-0003.npz", rbm::RunFolder::list(run.toStdString())));
    QCOMPARE(got.back()->config.epochs, 5);  // epoch 3, past a plan of 2: Start trains 2 more
    got.push_back(c_->previewSnapshot());
    QVERIFY(docs.openModel(run + "/epoch-0004.npz"));
    got.push_back(c_->previewSnapshot());
    for (const SnapshotPtr& s : got)
        QVERIFY2(s->counters.epoch <= s->config.epochs,
                 qPrintable(QStringLiteral("epoch %1 of %2").arg(s->counters.epoch).arg(s->config.epochs)));
}

QTEST_GUILESS_MAIN(TestTrainingController)
#include "test_training_controller.moc"
