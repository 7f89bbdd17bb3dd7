// Exact log Z by enumeration (core/rbm/partition_function.h) against a brute-force double sum
// over ALL joint states (v,h) of tiny RBMs.
#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "tiny_rbm.h"
#include "rbm/partition_function.h"
#include "rbm/random.h"

using namespace rbm;

namespace {

using rbm::testing::randomModel;

Eigen::VectorXd bits(int count, long long state) {
    Eigen::VectorXd x(count);
    for (int k = 0; k < count; ++k) x(k) = double((state >> k) & 1);
    return x;
}

/// -E(v,h) = b.v + c.h + v^T W h in double.
double negEnergy(const Rbm& m, const Eigen::VectorXd& v, const Eigen::VectorXd& h) {
    const Eigen::MatrixXd W = m.W.cast<double>();
    return m.visibleBias.cast<double>().dot(v) + m.hiddenBias.cast<double>().dot(h) + v.dot(W * h);
}

double logSumExp(const std::vector<double>& x) {
    double mx = -std::numeric_limits<double>::infinity();
    for (double t : x) mx = std::max(mx, t);
    double s = 0;
    for (double t : x) s += std::exp(t - mx);
    return mx + std::log(s);
}

/// log sum_h exp(-E(v,h)) by brute force.
double bruteLogMarginal(const Rbm& m, const Eigen::VectorXd& v) {
    std::vector<double> terms;
    for (long long hs = 0; hs < (1LL << m.nHidden()); ++hs) terms.push_back(negEnergy(m, v, bits(m.nHidden(), hs)));
    return logSumExp(terms);
}

/// log Z by the double sum over every (v,h).
double bruteLogZ(const Rbm& m) {
    std::vector<double> terms;
    for (long long vs = 0; vs < (1LL << m.nVisible()); ++vs) {
        const Eigen::VectorXd v = bits(m.nVisible(), vs);
        for (long long hs = 0; hs < (1LL << m.nHidden()); ++hs) terms.push_back(negEnergy(m, v, bits(m.nHidden(), hs)));
    }
    return logSumExp(terms);
}

Rbm transposed(const Rbm& m) {
    Rbm t(m.nHidden(), m.nVisible());
    t.W = m.W.transpose();
    t.visibleBias = m.hiddenBias;
    t.hiddenBias = m.visibleBias;
    return t;
}

}  // namespace

class TestPartitionFunction : public QObject {
    Q_OBJECT
private slots:
    void matchesBruteForce_data();
    void matchesBruteForce();
    void averageLogLikelihoodMatchesBruteForce_data();
    void averageLogLikelihoodMatchesBruteForce();
    void chunksAndThreadsDoNotChangeTheResult_data();
    void chunksAndThreadsDoNotChangeTheResult();
    void transposedModelHasTheSameZ();
    void refusesTooManyStates();
    void negativeFreeEnergyMatchesModelDefinition();
};

void TestPartitionFunction::matchesBruteForce_data() {
    QTest::addColumn<int>("nv");
    QTest::addColumn<int>("nh");
    QTest::addColumn<double>("scale");
    QTest::addColumn<qulonglong>("seed");
    // hidden layer smaller -> enumerates h; visible smaller -> enumerates v.
    QTest::newRow("6x4 enumerates h") << 6 << 4 << 1.0 << qulonglong(1);
    QTest::newRow("4x7 enumerates v") << 4 << 7 << 1.0 << qulonglong(2);
    QTest::newRow("5x5 equal layers") << 5 << 5 << 0.5 << qulonglong(3);
    QTest::newRow("8x3 large weights") << 8 << 3 << 3.0 << qulonglong(4);
    QTest::newRow("3x9 large weights") << 3 << 9 << 3.0 << qulonglong(5);
    QTest::newRow("7x1 one hidden") << 7 << 1 << 1.0 << qulonglong(6);
}

void TestPartitionFunction::matchesBruteForce() {
    QFETCH(int, nv);
    QFETCH(int, nh);
    QFETCH(double, scale);
    QFETCH(qulonglong, seed);
    const Rbm m = randomModel(nv, nh, scale, seed);
    const double brute = bruteLogZ(m);
    const double exact = exactLogPartition(m);
    QVERIFY2(std::abs(exact - brute) <= 1e-9 * std::max(1.0, std::abs(brute)),
             qPrintable(QString("exact %1 vs brute force %2").arg(exact, 0, 'g', 17).arg(brute, 0, 'g', 17)));
}

void TestPartitionFunction::averageLogLikelihoodMatchesBruteForce_data() { matchesBruteForce_data(); }

void TestPartitionFunction::averageLogLikelihoodMatchesBruteForce() {
    QFETCH(int, nv);
    QFETCH(int, nh);
    QFETCH(double, scale);
    QFETCH(qulonglong, seed);
    const Rbm m = randomModel(nv, nh, scale, seed);
    Random rng(seed + 100);
    Matrix V(17, nv);
    for (int r = 0; r < V.rows(); ++r)
        for (int i = 0; i < nv; ++i) V(r, i) = rng.uniform() < 0.4f ? 1.0f : 0.0f;
    const double logZ = bruteLogZ(m);
    double expected = 0;
    for (int r = 0; r < V.rows(); ++r) expected += bruteLogMarginal(m, V.row(r).transpose().cast<double>()) - logZ;
    expected /= double(V.rows());
    const double got = averageLogLikelihood(m, V, exactLogPartition(m));
    QVERIFY2(std::abs(got - expected) <= 1e-9 * std::max(1.0, std::abs(expected)),
             qPrintable(QString("avg log-lik %1 vs brute force %2").arg(got, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    // A probability distribution: the log-probabilities of all states sum to 1.
    if (nv <= 8) {
        Matrix all(1 << nv, nv);
        for (int s = 0; s < (1 << nv); ++s) all.row(s) = bits(nv, s).cast<float>().transpose();
        const Eigen::VectorXd lp = negativeFreeEnergy(m, all).array() - logZ;
        QVERIFY(std::abs(lp.array().exp().sum() - 1.0) < 1e-9);
    }
}

void TestPartitionFunction::chunksAndThreadsDoNotChangeTheResult_data() {
    QTest::addColumn<int>("chunkBits");
    QTest::addColumn<int>("threads");
    QTest::newRow("one state per chunk, 1 thread") << 0 << 1;
    QTest::newRow("4 states per chunk, 2 threads") << 2 << 2;
    QTest::newRow("32 states per chunk, 3 threads") << 5 << 3;
    QTest::newRow("chunk larger than the layer") << 20 << 2;
}

void TestPartitionFunction::chunksAndThreadsDoNotChangeTheResult() {
    QFETCH(int, chunkBits);
    QFETCH(int, threads);
    const Rbm m = randomModel(30, 11, 0.7, 9);
    ExactOptions reference;
    reference.threads = 1;
    ExactOptions o;
    o.chunkBits = chunkBits;
    o.threads = threads;
    const double a = exactLogPartition(m, reference);
    const double b = exactLogPartition(m, o);
    QVERIFY2(std::abs(a - b) <= 1e-10 * std::abs(a), qPrintable(QString("%1 vs %2").arg(a, 0, 'g', 17).arg(b, 0, 'g', 17)));
}

void TestPartitionFunction::transposedModelHasTheSameZ() {
    // Z is symmetric in the two layers: swapping them swaps which layer is enumerated.
    const Rbm m = randomModel(13, 12, 0.8, 11);
    const double a = exactLogPartition(m);
    const double b = exactLogPartition(transposed(m));
    QVERIFY2(std::abs(a - b) <= 1e-10 * std::abs(a), qPrintable(QString("%1 vs %2").arg(a, 0, 'g', 17).arg(b, 0, 'g', 17)));
}

void TestPartitionFunction::refusesTooManyStates() {
    const Rbm m(30, 30);
    ExactOptions o;
    o.maxUnits = 25;
    QVERIFY(!canEnumerate(m, 25));
    QVERIFY_THROWS_EXCEPTION(Error, exactLogPartition(m, o));
    QVERIFY(canEnumerate(Rbm(784, 25), 25));
    // An all-zero model: every one of the 2^(nv+nh) joint states has energy 0.
    const Rbm zero(784, 3);
    QVERIFY(std::abs(exactLogPartition(zero) - 787 * std::log(2.0)) < 1e-9 * 787);
}

void TestPartitionFunction::negativeFreeEnergyMatchesModelDefinition() {
    const Rbm m = randomModel(9, 6, 1.0, 21);
    Random rng(5);
    Matrix V(5, 9);
    for (int r = 0; r < 5; ++r)
        for (int i = 0; i < 9; ++i) V(r, i) = rng.uniform() < 0.5f ? 1.0f : 0.0f;
    const Eigen::VectorXd f = negativeFreeEnergy(m, V);
    for (int r = 0; r < 5; ++r) {
        const double brute = bruteLogMarginal(m, V.row(r).transpose().cast<double>());
        QVERIFY2(std::abs(f(r) - brute) < 1e-10 * std::max(1.0, std::abs(brute)),
                 qPrintable(QString("row %1: %2 vs %3").arg(r).arg(f(r)).arg(brute)));
    }
}

QTEST_APPLESS_MAIN(TestPartitionFunction)
#include "test_partition_function.moc"
