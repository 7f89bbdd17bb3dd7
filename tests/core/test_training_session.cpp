// The one training loop (rbm train and the studio's worker both drive it): what it writes and in
// which order, what the files are called, that a resumed run is the run that never stopped, and
// that a process killed between an epoch's checkpoint and its metrics row leaves, once resumed,
// exactly one row per epoch (the metrics row was once written first: a kill in between then
// duplicated the row on resume). The kill is a real SIGKILL of a forked child.
#include <QtTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <fstream>
#include <memory>
#include <sstream>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/run_folder.h"
#include "rbm/training_session.h"
#include "fixtures.h"

using namespace rbm;

namespace {

std::shared_ptr<const Dataset> digits(std::size_t n) { return testing::firstDigits(n); }

/// 200 digits in batches of 50: four batches an epoch.
TrainingConfig smallConfig(int epochs) {
    TrainingConfig c;
    c.hidden = 16;
    c.batchSize = 50;
    c.epochs = epochs;
    c.algorithm = Algorithm::PCD;
    c.persistentChains = 20;
    c.optimizer.kind = OptimizerKind::Adam;
    c.learningRateWeights = c.learningRateBiases = 0.01f;
    c.evalSubset = 50;
    c.seed = 11;
    return c;
}

/// The epoch column of metrics.csv, in file order.
std::vector<std::int64_t> metricsEpochs(const std::string& dir) {
    std::ifstream in(dir + "/metrics.csv");
    std::vector<std::int64_t> out;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(std::stoll(line.substr(0, line.find(','))));
    return out;
}

bool exists(const std::string& path) { return QFileInfo::exists(QString::fromStdString(path)); }

bool sameParameters(const Rbm& a, const Rbm& b) {
    return a.W == b.W && a.visibleBias == b.visibleBias && a.hiddenBias == b.hiddenBias;
}

/// Trains `epochs` epochs in `dir` in a forked child that SIGKILLs itself between the checkpoint
/// and the metrics row of epoch `killAt`. Returns the child's wait status.
int trainAndKill(const std::string& dir, int epochs, std::int64_t killAt) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        try {
            TrainingSession s(digits(200), nullptr, smallConfig(epochs));
            s.setAfterCheckpointHook([killAt](std::int64_t epoch) {
                if (epoch == killAt) ::kill(::getpid(), SIGKILL);
            });
            s.openRunFolder(dir);
            s.run();
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(0);  // not killed: the test fails on the status
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

}  // namespace

class TestTrainingSession : public QObject {
    Q_OBJECT
private slots:
    void checkpointIsSavedBeforeTheMetricsRow();
    void filesAreNamedForWhatTheyHold();
    void resumingEqualsNeverStopping();
    void killBetweenCheckpointAndMetricsLeavesOneRowPerEpoch();
    void divergenceSavesTheLastFiniteParameters();
    void epochTargetOfAFinishedModel();
    void liveSettingsKeepTheStructureAndSayWhatChanged();
};

void TestTrainingSession::checkpointIsSavedBeforeTheMetricsRow() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    TrainingSession s(digits(200), nullptr, smallConfig(3));
    std::vector<std::int64_t> seen;
    s.setAfterCheckpointHook([&](std::int64_t epoch) {
        seen.push_back(epoch);
        const RunFolder& f = *s.runFolder();
        // The checkpoint of this epoch is complete and is latest.npz; its row is not written yet.
        const Checkpoint ck = loadCheckpoint(f.checkpointPath(epoch));
        QCOMPARE(ck.state->counters.epoch, epoch);
        QVERIFY(ck.metrics && ck.metrics->epoch == epoch);
        QCOMPARE(readCheckpointInfo(f.latestPath()).epoch, epoch);
        QCOMPARE(f.lastMetricsEpoch(), epoch == 1 ? std::int64_t(-1) : epoch - 1);  // -1: no row yet
    });
    s.openRunFolder(dir);
    QVERIFY(s.run());
    QCOMPARE(seen, (std::vector<std::int64_t>{1, 2, 3}));
    QCOMPARE(metricsEpochs(dir), (std::vector<std::int64_t>{1, 2, 3}));
}

void TestTrainingSession::filesAreNamedForWhatTheyHold() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    TrainingSession s(digits(200), nullptr, smallConfig(5));
    s.openRunFolder(dir);
    QVERIFY(exists(dir + "/config.json"));
    QVERIFY(exists(dir + "/initial.npz"));
    QCOMPARE(readCheckpointInfo(dir + "/latest.npz").epoch, std::int64_t(0));
    SessionStep step;
    while (!step.epoch) step = s.step();
    QCOMPARE(step.epoch->epoch, std::int64_t(1));
    QVERIFY(step.epoch->seconds > 0);
    QVERIFY(!step.saveError);
    QVERIFY(exists(dir + "/epoch-0001.npz"));
    s.step();  // mid-epoch 2
    QCOMPARE(s.saveLatest(), dir + "/latest.npz");
    // Mid-epoch state is in latest.npz only: epoch-NNNN.npz means the end of epoch N.
    QVERIFY(!exists(dir + "/epoch-0002.npz"));
    const Checkpoint latest = loadCheckpoint(dir + "/latest.npz");
    QCOMPARE(latest.state->counters.batchInEpoch, std::int64_t(1));
    QCOMPARE(loadCheckpoint(dir + "/epoch-0001.npz").state->counters.batchInEpoch, std::int64_t(0));
    const auto list = RunFolder::list(dir);
    QCOMPARE(int(list.size()), 2);  // initial, epoch 1 (latest has epoch 1's number)

    // Continued mid-epoch in a new folder, the start goes to latest.npz alone.
    const std::string next = tmp.filePath("next").toStdString();
    TrainingSession resumed(digits(200), nullptr, latest.config, latest);
    resumed.openRunFolder(next);
    QVERIFY(exists(next + "/latest.npz"));
    QVERIFY(!exists(next + "/initial.npz") && !exists(next + "/epoch-0001.npz"));
    QVERIFY(!exists(next + "/metrics.csv"));
    // Continued at an epoch's end, the start is that epoch's checkpoint (with its metrics).
    const std::string third = tmp.filePath("third").toStdString();
    TrainingSession atEnd(digits(200), nullptr, latest.config, loadCheckpoint(dir + "/epoch-0001.npz"));
    atEnd.openRunFolder(third);
    QVERIFY(readCheckpointInfo(third + "/epoch-0001.npz").metrics.has_value());
    QVERIFY(!exists(third + "/metrics.csv"));  // a new folder starts its rows with its own epochs
}

void TestTrainingSession::resumingEqualsNeverStopping() {
    QTemporaryDir tmp;
    TrainingSession straight(digits(200), nullptr, smallConfig(4));
    QVERIFY(straight.run());

    const std::string dir = tmp.filePath("run").toStdString();
    {
        TrainingSession first(digits(200), nullptr, smallConfig(4));
        first.openRunFolder(dir);
        TrainingSession::Callbacks cb;
        cb.onBatch = [&](const BatchReport& r) { return r.counters.totalBatches < 9; };  // stops mid-epoch 3
        QVERIFY(!first.run(cb));
        first.saveLatest();
    }
    const Checkpoint latest = loadCheckpoint(dir + "/latest.npz");
    QCOMPARE(latest.state->counters.totalBatches, std::int64_t(9));
    TrainingSession resumed(digits(200), nullptr, latest.config, latest);
    resumed.openRunFolder(dir, 0, /*saveStart=*/false);
    QVERIFY(resumed.run());
    QVERIFY(sameParameters(straight.trainer().model(), resumed.trainer().model()));
    QCOMPARE(resumed.counters().totalBatches, std::int64_t(16));
    QCOMPARE(metricsEpochs(dir), (std::vector<std::int64_t>{1, 2, 3, 4}));
}

void TestTrainingSession::killBetweenCheckpointAndMetricsLeavesOneRowPerEpoch() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    const int status = trainAndKill(dir, 4, 2);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child was not killed at the hook");
    // The kill left epoch 2's checkpoint without its row.
    QCOMPARE(metricsEpochs(dir), (std::vector<std::int64_t>{1}));
    const Checkpoint latest = loadCheckpoint(dir + "/latest.npz");
    QCOMPARE(latest.state->counters.epoch, std::int64_t(2));

    // Resumed as `rbm train --resume RUN/latest.npz --out RUN` resumes it.
    TrainingSession resumed(digits(200), nullptr, latest.config, latest);
    resumed.openRunFolder(dir, 0, /*saveStart=*/false);
    QVERIFY(resumed.run());
    QCOMPARE(metricsEpochs(dir), (std::vector<std::int64_t>{1, 2, 3, 4}));
    // The row written on resume is the checkpoint's own: the same as an uninterrupted run's.
    TrainingSession straight(digits(200), nullptr, smallConfig(4));
    QVERIFY(straight.run());
    QVERIFY(sameParameters(straight.trainer().model(), resumed.trainer().model()));
}

void TestTrainingSession::divergenceSavesTheLastFiniteParameters() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("run").toStdString();
    TrainingConfig c = smallConfig(3);
    c.optimizer.kind = OptimizerKind::Momentum;
    Checkpoint from;
    {
        TrainingSession seed(digits(200), nullptr, c);
        seed.step();
        from = seed.checkpoint();
    }
    // A velocity near the float limit makes the next momentum step overflow.
    from.model.W.col(3).setConstant(3.0e38f);
    from.state->optimizer.first[GroupWeights].setConstant(3.0e38f);
    TrainingSession s(digits(200), nullptr, c, from);
    s.openRunFolder(dir, 0, /*saveStart=*/false);
    QVERIFY(!exists(dir + "/latest.npz"));
    bool threw = false;
    try {
        s.step();
    } catch (const Error& e) {
        threw = QString(e.what()).contains("diverged");
    }
    QVERIFY(threw);
    const Checkpoint saved = loadCheckpoint(dir + "/latest.npz");
    QVERIFY(saved.model.isFinite());
    QVERIFY(sameParameters(saved.model, from.model));
}

void TestTrainingSession::epochTargetOfAFinishedModel() {
    TrainingSession done(digits(200), nullptr, smallConfig(2));
    QVERIFY(done.run());
    const Checkpoint end = done.checkpoint();
    using Target = TrainingSession::EpochTarget;
    // rbm train: --epochs is the total; a finished model stays finished.
    TrainingSession total(digits(200), nullptr, end.config, end, Target::Total);
    QVERIFY(total.finished());
    QCOMPARE(total.targetEpochs(), std::int64_t(2));
    // The studio: a model that already finished its planned epochs trains that many more.
    TrainingSession more(digits(200), nullptr, end.config, end, Target::MoreIfDone);
    QVERIFY(!more.finished());
    QCOMPARE(more.targetEpochs(), std::int64_t(4));
    QVERIFY(more.run());
    QCOMPARE(more.counters().epoch, std::int64_t(4));

    // Lowering the epochs below where a running model is: it ends the current epoch.
    TrainingSession live(digits(200), nullptr, smallConfig(10), Target::MoreIfDone);
    for (int i = 0; i < 5; ++i) live.step();  // one epoch done, one batch into the second
    TrainingConfig fewer = smallConfig(1);
    live.setConfig(fewer);
    QCOMPARE(live.targetEpochs(), std::int64_t(2));
    QVERIFY(live.run());
    QCOMPARE(live.counters().epoch, std::int64_t(2));
}

void TestTrainingSession::liveSettingsKeepTheStructureAndSayWhatChanged() {
    TrainingSession s(digits(200), nullptr, smallConfig(3));
    s.step();
    TrainingConfig next = smallConfig(3);
    next.hidden = 99;  // structural: the model keeps its own
    next.seed = 12;
    next.algorithm = Algorithm::CD;
    next.learningRateWeights = 0.1f;
    next.optimizer.momentumSchedule = false;
    const std::vector<TrainingConfig::Change> changes = s.setConfig(next);
    QCOMPARE(s.trainer().config().hidden, 16);
    QCOMPARE(s.trainer().config().seed, std::uint64_t(11));
    QVERIFY(s.trainer().config().sameStructure(smallConfig(3)));
    std::vector<std::string> text;
    for (const auto& c : changes) text.push_back(c.text());
    QCOMPARE(text, (std::vector<std::string>{"PCD\u2192CD", "lr W 0.01\u21920.1", "schedule off"}));
    QVERIFY(s.setConfig(next).empty());  // the same settings again change nothing
}

QTEST_APPLESS_MAIN(TestTrainingSession)
#include "test_training_session.moc"
