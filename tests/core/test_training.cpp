// Training on the embedded digits: it learns, it is deterministic, it resumes exactly, it
// applies live changes without losing state, and it refuses to continue from NaN. The
// learning-rate schedule and centring (the levers for dreams) follow their formulas and resume
// exactly too.
#include <QtTest>

#include <algorithm>
#include <memory>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/metrics.h"
#include "rbm/trainer.h"
#include "rbm/training_session.h"

using namespace rbm;

namespace {

struct Digits {
    std::shared_ptr<const Dataset> train, test;
};

const Digits& digits() {
    static const Digits d = [] {
        DatasetPair p = loadEmbeddedMnist();
        return Digits{std::make_shared<const Dataset>(std::move(p.train)),
                      std::make_shared<const Dataset>(std::move(p.test))};
    }();
    return d;
}

/// The first n training digits as a dataset of their own (fast tests).
std::shared_ptr<const Dataset> firstDigits(std::size_t n) {
    auto d = std::make_shared<Dataset>(*digits().train);
    d->count = n;
    d->pixels.resize(n * static_cast<std::size_t>(d->pixelsPerImage()));
    d->labels.resize(n);
    return d;
}

TrainingConfig smallConfig() {
    TrainingConfig c;
    c.hidden = 64;
    c.batchSize = 50;
    c.learningRateWeights = 0.05f;
    c.learningRateBiases = 0.05f;
    c.evalSubset = 200;
    c.seed = 42;
    return c;
}

void trainBatches(Trainer& t, int n) {
    for (int i = 0; i < n; ++i) t.trainBatch();
}

bool sameParameters(const Rbm& a, const Rbm& b) {
    return a.W == b.W && a.visibleBias == b.visibleBias && a.hiddenBias == b.hiddenBias;
}

}  // namespace

class TestTraining : public QObject {
    Q_OBJECT
private slots:
    void oneEpochOfCd1LowersReconstructionError();
    void realDigitsHaveLowerFreeEnergyThanShuffledOnes();
    void sameSeedSameWeights_data();
    void sameSeedSameWeights();
    void resumingEqualsNeverStopping_data();
    void resumingEqualsNeverStopping();
    void learningRateFollowsTheSchedule_data();
    void learningRateFollowsTheSchedule();
    void centringWithZeroOffsetsIsThePlainGradient_data();
    void centringWithZeroOffsetsIsThePlainGradient();
    void centredStepKeepsTheModelStandard();
    void cdCanPassSampledVisibleStates();
    void liveChangesKeepOptimizerStateAndChains();
    void divergenceStopsWithTheLastFiniteParameters();
    void batchLargerThanDatasetStillTrains();
    void mismatchedModelIsRefused();
    void modelWithoutStateTrains();
    void runStopsWhenTheCallbackSaysSo();
    void countersAreTheStatesCounters();
};

void TestTraining::oneEpochOfCd1LowersReconstructionError() {
    TrainingConfig c = smallConfig();
    c.hidden = 100;
    c.batchSize = 100;
    c.learningRateWeights = c.learningRateBiases = 0.1f;
    Trainer t(digits().train, digits().test, c);
    const EpochMetrics before = t.evaluate();
    int batches = 0;
    do {
        t.trainBatch();
        ++batches;
    } while (!t.epochFinished());
    QCOMPARE(batches, 90);  // 9,000 digits / 100
    const EpochMetrics after = t.evaluate();
    QCOMPARE(after.epoch, std::int64_t(1));
    // Held-out reconstruction error falls by more than a third in one epoch (measured: from
    // 0.067 with the data's marginals to 0.038).
    QVERIFY2(after.testMse < 0.65 * before.testMse,
             qPrintable(QString("held-out MSE %1 -> %2").arg(before.testMse).arg(after.testMse)));
    QVERIFY(after.testCrossEntropy < before.testCrossEntropy);
}

void TestTraining::realDigitsHaveLowerFreeEnergyThanShuffledOnes() {
    TrainingConfig c = smallConfig();
    c.hidden = 100;
    Trainer t(digits().train, digits().test, c);
    do t.trainBatch(); while (!t.epochFinished());
    // Held-out digits against the same digits with their pixels shuffled (same ink, no shape).
    const Matrix real = toMatrix(*digits().test, 300);
    Matrix shuffled = real;
    Random rng(9);
    for (Eigen::Index r = 0; r < shuffled.rows(); ++r)
        for (Eigen::Index i = shuffled.cols() - 1; i > 0; --i)
            std::swap(shuffled(r, i), shuffled(r, static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(i + 1)))));
    const Eigen::VectorXd fReal = freeEnergy(t.model(), real);
    const Eigen::VectorXd fShuffled = freeEnergy(t.model(), shuffled);
    int lower = 0;
    for (Eigen::Index r = 0; r < real.rows(); ++r) lower += fReal(r) < fShuffled(r) ? 1 : 0;
    QVERIFY2(lower >= 297, qPrintable(QString("%1 of 300 real digits had the lower free energy").arg(lower)));
}

void TestTraining::sameSeedSameWeights_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("optimizer");
    QTest::newRow("CD-1 momentum") << int(Algorithm::CD) << int(OptimizerKind::Momentum);
    QTest::newRow("PCD-1 adam") << int(Algorithm::PCD) << int(OptimizerKind::Adam);
    QTest::newRow("CD-1 sgd") << int(Algorithm::CD) << int(OptimizerKind::Sgd);
}

void TestTraining::sameSeedSameWeights() {
    QFETCH(int, algorithm);
    QFETCH(int, optimizer);
    TrainingConfig c = smallConfig();
    c.algorithm = static_cast<Algorithm>(algorithm);
    c.optimizer.kind = static_cast<OptimizerKind>(optimizer);
    c.learningRateWeights = c.learningRateBiases = 0.01f;
    const auto data = firstDigits(1000);
    Trainer a(data, nullptr, c), b(data, nullptr, c);
    trainBatches(a, 25);
    trainBatches(b, 25);
    QVERIFY(sameParameters(a.model(), b.model()));
    c.seed = 43;
    Trainer other(data, nullptr, c);
    trainBatches(other, 25);
    QVERIFY(!sameParameters(a.model(), other.model()));
}

void TestTraining::resumingEqualsNeverStopping_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("stopAfter");
    QTest::newRow("CD mid-epoch") << int(Algorithm::CD) << 7;
    QTest::newRow("CD at an epoch boundary") << int(Algorithm::CD) << 20;
    QTest::newRow("PCD mid-epoch") << int(Algorithm::PCD) << 13;
}

void TestTraining::resumingEqualsNeverStopping() {
    QFETCH(int, algorithm);
    QFETCH(int, stopAfter);
    TrainingConfig c = smallConfig();
    c.algorithm = static_cast<Algorithm>(algorithm);
    c.optimizer.kind = OptimizerKind::Adam;
    c.learningRateWeights = c.learningRateBiases = 0.005f;
    c.sparsityTarget = 0.1f;
    c.sparsityCost = 0.01f;
    const auto data = firstDigits(1000);
    Trainer straight(data, nullptr, c);
    trainBatches(straight, 45);

    Trainer first(data, nullptr, c);
    trainBatches(first, stopAfter);
    const Rbm savedModel = first.model();
    const TrainerState savedState = first.state();
    Trainer resumed(data, nullptr, c, savedModel, savedState);
    trainBatches(resumed, 45 - stopAfter);
    QVERIFY(sameParameters(straight.model(), resumed.model()));
    QCOMPARE(resumed.counters().totalBatches, std::int64_t(45));
}

void TestTraining::learningRateFollowsTheSchedule_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("centred");
    QTest::newRow("constant") << int(LrScheduleKind::Constant) << false;
    QTest::newRow("linear") << int(LrScheduleKind::Linear) << false;
    QTest::newRow("steps") << int(LrScheduleKind::Steps) << false;
    QTest::newRow("linear, centred") << int(LrScheduleKind::Linear) << true;
}

void TestTraining::learningRateFollowsTheSchedule() {
    // Every batch's rate is the schedule's formula (learning_rate_schedule.h) of where training
    // is; it is the rate the step uses (a twin at a constant rate set to the formula's value
    // before each batch stays bit for bit the same); and a run stopped mid-epoch, written to
    // a checkpoint and resumed continues the schedule (and the centring offsets) exactly.
    QFETCH(int, kind);
    QFETCH(bool, centred);
    TrainingConfig c = smallConfig();
    c.algorithm = Algorithm::PCD;
    c.epochs = 2;  // 20 batches an epoch: the linear decay reaches its end during the test
    c.lrSchedule.kind = static_cast<LrScheduleKind>(kind);
    c.lrSchedule.finalFactor = 0.1f;
    c.lrSchedule.steps = {{1, 0.5f}, {2, 0.2f}};
    c.centering = centred;
    c.centeringRate = 0.05f;
    const auto data = firstDigits(1000);
    auto formula = [&](int batch) {  // batch: 0-based count of batches done
        const int epoch = batch / 20, inEpoch = batch % 20;
        // in double, from the floats configured, as the schedule documents it
        double f = 1.0;
        if (c.lrSchedule.kind == LrScheduleKind::Linear)
            f = 1.0 - (1.0 - double(0.1f)) * std::min(1.0, (epoch + inEpoch / 20.0) / 2.0);
        if (c.lrSchedule.kind == LrScheduleKind::Steps) f = epoch >= 2 ? double(0.2f) : epoch >= 1 ? double(0.5f) : 1.0;
        return static_cast<float>(double(0.05f) * f);
    };
    constexpr int kBatches = 50, kStop = 27;
    Trainer t(data, nullptr, c);
    TrainingConfig constant = c;
    constant.lrSchedule.kind = LrScheduleKind::Constant;
    Trainer twin(data, nullptr, constant);
    for (int b = 0; b < kBatches; ++b) {
        constant.learningRateWeights = constant.learningRateBiases = formula(b);
        twin.setConfig(constant);
        const BatchReport r = t.trainBatch();
        twin.trainBatch();
        QVERIFY2(r.learningRateWeights == formula(b), qPrintable(QString("batch %1: %2 instead of %3")
                                                                     .arg(b).arg(double(r.learningRateWeights))
                                                                     .arg(double(formula(b)))));
        QVERIFY(r.learningRateBiases == formula(b));
    }
    QVERIFY(sameParameters(t.model(), twin.model()));
    if (c.lrSchedule.kind == LrScheduleKind::Linear) QVERIFY(std::fabs(formula(kBatches - 1) - 0.005f) < 1e-9f);

    Trainer first(data, nullptr, c);
    trainBatches(first, kStop);
    QTemporaryDir dir;
    const std::string path = dir.filePath("ckpt.npz").toStdString();
    saveCheckpoint(path, checkpointOf(first, std::nullopt));
    const Checkpoint back = loadCheckpoint(path);
    QVERIFY(back.config.lrSchedule == c.lrSchedule);
    QCOMPARE(back.config.centering, centred);
    QCOMPARE(back.state->visibleOffset.size(), centred ? Eigen::Index(784) : Eigen::Index(0));
    Trainer resumed(data, nullptr, back.config, back.model, *back.state);
    trainBatches(resumed, kBatches - kStop);
    QVERIFY(sameParameters(t.model(), resumed.model()));
}

void TestTraining::centringWithZeroOffsetsIsThePlainGradient_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("threads");
    QTest::newRow("PCD-1 momentum, sparsity") << int(Algorithm::PCD) << 1;
    QTest::newRow("CD-2 momentum, 2 threads") << int(Algorithm::CD) << 2;
}

void TestTraining::centringWithZeroOffsetsIsThePlainGradient() {
    // With mu = lambda = 0 (and a rate of 0 so they stay there) the centred energy is the
    // standard one: every step must be the plain trainer's, bit for bit.
    QFETCH(int, algorithm);
    QFETCH(int, threads);
    TrainingConfig c = smallConfig();
    c.algorithm = static_cast<Algorithm>(algorithm);
    c.k = c.algorithm == Algorithm::CD ? 2 : 1;
    c.threads = threads;
    c.hidden = 100;  // two chunks of hidden units with two threads
    c.sparsityTarget = c.algorithm == Algorithm::PCD ? 0.1f : 0.0f;
    c.sparsityCost = 0.01f;
    const auto data = firstDigits(500);
    Trainer start(data, nullptr, c);
    TrainerState zero = start.state();
    zero.visibleOffset.setZero(784);
    zero.hiddenOffset.setZero(100);
    TrainingConfig centred = c;
    centred.centering = true;
    centred.centeringRate = 0.0f;
    Trainer plain(data, nullptr, c, start.model(), zero);
    Trainer centredTrainer(data, nullptr, centred, start.model(), zero);
    trainBatches(plain, 15);
    trainBatches(centredTrainer, 15);
    QVERIFY(sameParameters(plain.model(), centredTrainer.model()));
    QVERIFY(!sameParameters(plain.model(), start.model()));
    QVERIFY(centredTrainer.state().visibleOffset.isZero(0.0f));
}

void TestTraining::centredStepKeepsTheModelStandard() {
    // One centred SGD step, recomputed here from the batch, the chains and the offsets by the
    // paper's formulas (Melchior et al. 2016, Algorithm 1: offsets slid first, then
    // W += lr <(v - mu)(h - lambda)^T>_data-model, b' += lr (<v>_d - <v>_m), c' likewise, with
    // b = b' - W lambda, c = c' - W^T mu), equals the trainer's new standard model.
    TrainingConfig c = smallConfig();
    c.algorithm = Algorithm::PCD;
    c.optimizer.kind = OptimizerKind::Sgd;
    c.weightDecay = 0.0f;
    c.centering = true;
    c.centeringRate = 0.5f;  // large, so a wrong order of offset update and step shows
    const auto data = firstDigits(200);
    Trainer t(data, nullptr, c);
    trainBatches(t, 3);
    const Rbm before = t.model();
    const Vector mu0 = t.state().visibleOffset, lambda0 = t.state().hiddenOffset;
    QCOMPARE(mu0.size(), Eigen::Index(784));
    t.trainBatch();
    const Matrix v = t.lastBatch(), hd = t.lastHiddenProbabilities(), vm = t.negativeSamples();
    Matrix hm(vm.rows(), before.nHidden());
    hiddenProbabilities(before, vm, hm);
    const Vector mu = 0.5f * mu0 + 0.5f * Vector(v.colwise().mean().transpose());
    const Vector lambda = 0.5f * lambda0 + 0.5f * Vector(hd.colwise().mean().transpose());
    const Matrix vdc = v.rowwise() - mu.transpose(), hdc = hd.rowwise() - lambda.transpose();
    const Matrix vmc = vm.rowwise() - mu.transpose(), hmc = hm.rowwise() - lambda.transpose();
    const float lr = 0.05f;
    const Matrix W = before.W + lr * (vdc.transpose() * hdc / float(v.rows()) - vmc.transpose() * hmc / float(vm.rows()));
    const Vector bc = before.visibleBias + before.W * lambda +
                      lr * Vector(v.colwise().mean().transpose() - vm.colwise().mean().transpose());
    const Vector cc = before.hiddenBias + before.W.transpose() * mu +
                      lr * Vector(hd.colwise().mean().transpose() - hm.colwise().mean().transpose());
    QVERIFY((t.state().visibleOffset - mu).cwiseAbs().maxCoeff() < 1e-6f);
    QVERIFY((t.state().hiddenOffset - lambda).cwiseAbs().maxCoeff() < 1e-6f);
    QVERIFY((t.model().W - W).cwiseAbs().maxCoeff() < 1e-5f);
    QVERIFY((t.model().visibleBias - (bc - W * lambda)).cwiseAbs().maxCoeff() < 1e-4f);
    QVERIFY((t.model().hiddenBias - (cc - W.transpose() * mu)).cwiseAbs().maxCoeff() < 1e-4f);
}

void TestTraining::liveChangesKeepOptimizerStateAndChains() {
    TrainingConfig c = smallConfig();
    c.algorithm = Algorithm::PCD;
    const auto data = firstDigits(1000);
    Trainer t(data, nullptr, c);
    trainBatches(t, 5);
    const Matrix chains = t.state().persistentChains;
    const Vector velocity = t.state().optimizer.first[GroupWeights];
    QVERIFY(velocity.norm() > 0);
    TrainingConfig live = c;
    live.learningRateWeights = 0.001f;
    live.k = 3;
    live.hidden = 999;  // structural: ignored by setConfig
    t.setConfig(live);
    QCOMPARE(t.config().learningRateWeights, 0.001f);
    QCOMPARE(t.config().k, 3);
    QCOMPARE(t.config().hidden, 64);
    // Unchanged until the next batch...
    QVERIFY(t.state().persistentChains == chains);
    QVERIFY(t.state().optimizer.first[GroupWeights] == velocity);
    t.trainBatch();
    // ...which continues the same chains and momentum instead of starting afresh.
    QCOMPARE(t.state().optimizer.steps, std::int64_t(6));
    QCOMPARE(t.state().persistentChains.rows(), chains.rows());
    const Vector v = t.state().optimizer.first[GroupWeights];
    // velocity_6 = mu * velocity_5 + lr * g: remove the new gradient part by its bound
    QVERIFY((v - 0.5f * velocity).norm() < 0.5f * velocity.norm());
}

void TestTraining::divergenceStopsWithTheLastFiniteParameters() {
    TrainingConfig c = smallConfig();
    const auto data = firstDigits(200);
    Trainer seed(data, nullptr, c);
    trainBatches(seed, 1);
    // A velocity near the float limit makes the next momentum step overflow to infinity.
    Rbm model = seed.model();
    model.W.col(3).setConstant(3.0e38f);
    TrainerState state = seed.state();
    state.optimizer.first[GroupWeights].setConstant(3.0e38f);
    Trainer t(data, nullptr, c, model, state);
    bool threw = false;
    try {
        t.trainBatch();
    } catch (const Error& e) {
        threw = true;
        QVERIFY(QString(e.what()).contains("diverged"));
        QVERIFY(QString(e.what()).contains("learning rate"));
    }
    QVERIFY(threw);
    QVERIFY(t.model().isFinite());
    QVERIFY(sameParameters(t.model(), model));
}

void TestTraining::batchLargerThanDatasetStillTrains() {
    TrainingConfig c = smallConfig();
    c.batchSize = 5000;
    const auto data = firstDigits(30);
    Trainer t(data, nullptr, c);
    QCOMPARE(t.batchesPerEpoch(), 1);
    t.trainBatch();
    QVERIFY(t.epochFinished());
    QCOMPARE(t.counters().samplesSeen, std::int64_t(30));
    QVERIFY(t.model().isFinite());
}

void TestTraining::mismatchedModelIsRefused() {
    const TrainingConfig c = smallConfig();
    const Rbm wrong(100, 64);
    bool threw = false;
    try {
        Trainer t(digits().train, nullptr, c, wrong, TrainerState{});
    } catch (const Error& e) {
        threw = true;
        QVERIFY(QString(e.what()).contains("100 visible units"));
        QVERIFY(QString(e.what()).contains("784"));
    }
    QVERIFY(threw);
}

void TestTraining::modelWithoutStateTrains() {
    // A model-only checkpoint (np.savez of W and biases) has no generator state: resuming it
    // once seeded xoshiro with all zeros, which yields only 0 and made shuffling spin forever.
    const TrainingConfig c = smallConfig();
    const auto data = firstDigits(200);
    Trainer seedModel(data, nullptr, c);
    Trainer t(data, nullptr, c, seedModel.model(), TrainerState{});
    const Random::State zero{};
    QVERIFY(t.state().rng != zero);
    for (int i = 0; i < 8; ++i) t.trainBatch();  // two epochs: the order was reshuffled
    QCOMPARE(t.counters().epoch, std::int64_t(2));
    QVERIFY(t.model().isFinite());
}

void TestTraining::runStopsWhenTheCallbackSaysSo() {
    TrainingConfig c = smallConfig();
    c.epochs = 3;
    const auto data = firstDigits(500);
    TrainingSession s(data, nullptr, c);
    int epochs = 0;
    TrainingSession::Callbacks cb;
    cb.onEpoch = [&](const EpochMetrics& m) {
        ++epochs;
        return m.epoch < 2;
    };
    QVERIFY(!s.run(cb));
    QCOMPARE(epochs, 2);
    QCOMPARE(s.counters().epoch, std::int64_t(2));
    QVERIFY(s.run(cb) || s.counters().epoch == 3);
}

void TestTraining::countersAreTheStatesCounters() {
    TrainingConfig c = smallConfig();
    c.algorithm = Algorithm::PCD;
    Trainer t(firstDigits(200), nullptr, c);
    trainBatches(t, 6);  // past an epoch end (4 batches an epoch)
    const TrainerCounters& fast = t.counters();
    const TrainerCounters full = t.state().counters;
    QCOMPARE(fast.epoch, full.epoch);
    QCOMPARE(fast.batchInEpoch, full.batchInEpoch);
    QCOMPARE(fast.positionInEpoch, full.positionInEpoch);
    QCOMPARE(fast.totalBatches, std::int64_t(6));
    QCOMPARE(fast.samplesSeen, full.samplesSeen);
    QCOMPARE(t.optimizerSteps(), t.state().optimizer.steps);
}

void TestTraining::cdCanPassSampledVisibleStates() {
    // Default CD-k passes p(v|h) (mean-field visible states); cdSampleVisible makes the chain
    // the sampled one the dream runs: its negative visible states are binary.
    TrainingConfig c = smallConfig();
    c.k = 3;
    const auto data = firstDigits(200);
    Trainer meanField(data, nullptr, c);
    trainBatches(meanField, 3);
    auto binary = [](const Matrix& m) { return ((m.array() == 0.0f) || (m.array() == 1.0f)).all(); };
    QVERIFY(!binary(meanField.negativeSamples()));
    c.cdSampleVisible = true;
    Trainer sampled(data, nullptr, c), again(data, nullptr, c);
    trainBatches(sampled, 3);
    trainBatches(again, 3);
    QVERIFY(binary(sampled.negativeSamples()));
    QCOMPARE(sampled.negativeSamples().rows(), Eigen::Index(50));
    QVERIFY(sameParameters(sampled.model(), again.model()));
    QVERIFY(!sameParameters(sampled.model(), meanField.model()));
    QVERIFY(sampled.model().isFinite());
}

QTEST_APPLESS_MAIN(TestTraining)
#include "test_training.moc"
