// What the fast trainer must keep true besides speed (speed itself is measured by rbm-bench,
// never asserted here): threads change nothing but the partition of the work, so the same
// seed and thread count give the same bits; with helpers the result stays the same training;
// a batch allocates nothing once the workspaces exist; the public one-example-per-row views
// agree with the model's own maths.
#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include "rbm/dataset.h"
#include "rbm/products.h"
#include "rbm/trainer.h"
#include "fixtures.h"

using namespace rbm;

namespace {
std::atomic<long> gAllocations{0};
}  // namespace

// Counts every allocation of this test binary (Eigen's and the standard library's included).
void* operator new(std::size_t n) {
    ++gAllocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::shared_ptr<const Dataset> digits(std::size_t n) { return testing::firstDigits(n); }

TrainingConfig config(Algorithm a, int threads, OptimizerKind o) {
    TrainingConfig c;
    c.hidden = 96;
    c.batchSize = 40;
    c.algorithm = a;
    c.k = a == Algorithm::PCD ? 2 : 1;
    c.persistentChains = 30;
    c.optimizer.kind = o;
    c.learningRateWeights = c.learningRateBiases = 0.02f;
    c.sparsityTarget = 0.1f;
    c.sparsityCost = 0.01f;
    c.evalSubset = 50;
    c.threads = threads;
    c.seed = 5;
    return c;
}

/// Under `baseline`, the baseline variant, which runs the sparse data products (the batch and
/// PCD's chains compressed) at the digits' density on any processor; restored when it goes.
struct Variant {
    Isa saved = activeIsa();
    explicit Variant(bool baseline) {
        if (!baseline) return;
        setActiveIsa(Isa::Baseline);
        QVERIFY(sparseDataProductPays(testing::batchDensity(*testing::firstDigits(40), 40)));
    }
    ~Variant() { setActiveIsa(saved); }
};

bool same(const Rbm& a, const Rbm& b) {
    return a.W == b.W && a.visibleBias == b.visibleBias && a.hiddenBias == b.hiddenBias;
}

}  // namespace

class TestPerformanceInvariants : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameThreadsSameBits_data();
    void sameSeedSameThreadsSameBits();
    void threadsGiveTheSameTraining_data();
    void threadsGiveTheSameTraining();
    void resumingWithThreadsEqualsNeverStopping();
    void liveThreadChangeKeepsTheOptimizerMoments();
    void batchesAllocateNothing_data();
    void batchesAllocateNothing();
    void publicViewsMatchTheModel();

private:
    static long allocationsPerBatch(Algorithm algorithm, OptimizerKind optimizer, int threads);
};

void TestPerformanceInvariants::sameSeedSameThreadsSameBits_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("baseline");
    QTest::newRow("CD-1, 2 threads") << int(Algorithm::CD) << 2 << false;
    QTest::newRow("PCD-2, 2 threads") << int(Algorithm::PCD) << 2 << false;
    QTest::newRow("CD-1, 3 threads") << int(Algorithm::CD) << 3 << false;
    QTest::newRow("CD-1, 2 threads, sparse data (baseline)") << int(Algorithm::CD) << 2 << true;
    QTest::newRow("PCD-2, 2 threads, sparse data (baseline)") << int(Algorithm::PCD) << 2 << true;
}

void TestPerformanceInvariants::sameSeedSameThreadsSameBits() {
    QFETCH(int, algorithm);
    QFETCH(int, threads);
    QFETCH(bool, baseline);
    const Variant variant(baseline);
    const auto data = digits(600);
    const TrainingConfig c = config(static_cast<Algorithm>(algorithm), threads, OptimizerKind::Adam);
    Trainer a(data, nullptr, c), b(data, nullptr, c);
    for (int i = 0; i < 30; ++i) {
        a.trainBatch();
        b.trainBatch();
    }
    QVERIFY(same(a.model(), b.model()));
    QVERIFY(a.state().persistentChains == b.state().persistentChains);
}

void TestPerformanceInvariants::threadsGiveTheSameTraining_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<bool>("baseline");
    QTest::newRow("CD-1") << int(Algorithm::CD) << false;
    QTest::newRow("PCD-2") << int(Algorithm::PCD) << false;
    QTest::newRow("CD-1, sparse data (baseline)") << int(Algorithm::CD) << true;
    QTest::newRow("PCD-2, sparse data (baseline)") << int(Algorithm::PCD) << true;
}

void TestPerformanceInvariants::threadsGiveTheSameTraining() {
    // Splitting the products may round differently (the GEMM's blocking follows the shapes),
    // but the random draws are the same counter-based ones: after 20 batches the weights of
    // 1 and 2 threads agree to float rounding drift, far below the size of one update.
    QFETCH(int, algorithm);
    QFETCH(bool, baseline);
    const Variant variant(baseline);
    const auto data = digits(600);
    Trainer one(data, nullptr, config(static_cast<Algorithm>(algorithm), 1, OptimizerKind::Momentum));
    Trainer two(data, nullptr, config(static_cast<Algorithm>(algorithm), 2, OptimizerKind::Momentum));
    for (int i = 0; i < 20; ++i) {
        one.trainBatch();
        two.trainBatch();
    }
    const double diff = static_cast<double>((one.model().W - two.model().W).cwiseAbs().maxCoeff());
    const double step = static_cast<double>(one.lastWeightUpdate().cwiseAbs().maxCoeff());
    QVERIFY2(diff < 0.01 * step, qPrintable(QString("max |W1 - W2| = %1, last step %2").arg(diff).arg(step)));
}

void TestPerformanceInvariants::resumingWithThreadsEqualsNeverStopping() {
    const auto data = digits(600);
    const TrainingConfig c = config(Algorithm::PCD, 2, OptimizerKind::Adam);
    Trainer straight(data, nullptr, c);
    for (int i = 0; i < 25; ++i) straight.trainBatch();
    Trainer first(data, nullptr, c);
    for (int i = 0; i < 11; ++i) first.trainBatch();
    const Rbm model = first.model();
    const TrainerState state = first.state();
    Trainer resumed(data, nullptr, c, model, state);
    for (int i = 11; i < 25; ++i) resumed.trainBatch();
    QVERIFY(same(straight.model(), resumed.model()));
}

void TestPerformanceInvariants::liveThreadChangeKeepsTheOptimizerMoments() {
    // The weights' moments live in one chunk per share of the work; a live change of the thread
    // count re-cuts them, and the moments the checkpoint sees stay the same bits.
    const auto data = digits(600);
    TrainingConfig c = config(Algorithm::CD, 1, OptimizerKind::Adam);
    Trainer t(data, nullptr, c);
    for (int i = 0; i < 5; ++i) t.trainBatch();
    const OptimizerState before = t.state().optimizer;
    QVERIFY(before.first[GroupWeights].size() == t.model().W.size());
    c.threads = 3;
    t.setConfig(c);
    QVERIFY(t.state().optimizer.first[GroupWeights] == before.first[GroupWeights]);
    QVERIFY(t.state().optimizer.second[GroupWeights] == before.second[GroupWeights]);
    t.trainBatch();
    QCOMPARE(t.optimizerSteps(), std::int64_t(6));
    QVERIFY(t.state().optimizer.first[GroupWeights] != before.first[GroupWeights]);
    QVERIFY(t.model().isFinite());
}

void TestPerformanceInvariants::batchesAllocateNothing_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<int>("threads");
    QTest::newRow("CD-1 momentum") << int(Algorithm::CD) << int(OptimizerKind::Momentum) << 1;
    QTest::newRow("PCD-2 adam") << int(Algorithm::PCD) << int(OptimizerKind::Adam) << 1;
    QTest::newRow("CD-1 sgd, 2 threads") << int(Algorithm::CD) << int(OptimizerKind::Sgd) << 2;
}

void TestPerformanceInvariants::batchesAllocateNothing() {
    QFETCH(int, algorithm);
    QFETCH(int, optimizer);
    QFETCH(int, threads);
    // Under the baseline variant too, where the batch and the chains are compressed.
    for (bool baseline : {false, true}) {
        const Variant variant(baseline);
        const long perBatch = allocationsPerBatch(static_cast<Algorithm>(algorithm),
                                                  static_cast<OptimizerKind>(optimizer), threads);
        QVERIFY2(perBatch == 0, qPrintable(QString("%1 allocations per batch%2").arg(perBatch).arg(baseline ? " (baseline)" : "")));
    }
}

long TestPerformanceInvariants::allocationsPerBatch(Algorithm algorithm, OptimizerKind optimizer, int threads) {
    const auto data = digits(2000);  // no epoch boundary inside the counted batches
    TrainingConfig c = config(algorithm, threads, optimizer);
    Trainer t(data, nullptr, c);
    t.trainBatch();  // the first batch sizes the workspaces; every later one allocates nothing
    const long before = gAllocations.load();
    for (int i = 0; i < 10; ++i) t.trainBatch();
    return (gAllocations.load() - before) / 10;
}

void TestPerformanceInvariants::publicViewsMatchTheModel() {
    // lastBatch / lastHiddenProbabilities / negativeSamples are one example per row (types.h),
    // whatever layout the trainer uses inside.
    const auto data = digits(600);
    TrainingConfig c = config(Algorithm::CD, 1, OptimizerKind::Sgd);
    c.learningRateWeights = c.learningRateBiases = 0.0f;  // the model stays what produced them
    c.weightDecay = 0.0f;
    c.sparsityCost = 0.0f;
    Trainer t(data, nullptr, c);
    t.trainBatch();
    const Matrix& v = t.lastBatch();
    QCOMPARE(v.rows(), Eigen::Index(c.batchSize));
    QCOMPARE(v.cols(), Eigen::Index(784));
    QVERIFY(v.minCoeff() >= 0.0f && v.maxCoeff() <= 1.0f);
    Matrix h(v.rows(), c.hidden);
    hiddenProbabilities(t.model(), v, h);
    QVERIFY((h - t.lastHiddenProbabilities()).cwiseAbs().maxCoeff() < 1e-5f);
    const Matrix& neg = t.negativeSamples();  // CD-1: the reconstruction probabilities
    QCOMPARE(neg.rows(), Eigen::Index(c.batchSize));
    QCOMPARE(neg.cols(), Eigen::Index(784));
    QVERIFY(neg.minCoeff() >= 0.0f && neg.maxCoeff() <= 1.0f);
}

QTEST_APPLESS_MAIN(TestPerformanceInvariants)
#include "test_performance_invariants.moc"
