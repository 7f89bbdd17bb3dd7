// Exact mathematics of the core on tiny RBMs (8 visible x 5 hidden), by enumeration.
#include <QtTest>

#include <cmath>

#include "rbm/model.h"
#include "rbm/sampler.h"
#include "tiny_rbm.h"

using namespace rbm;
using rbm::testing::Enumeration;
using rbm::testing::randomRbm;
using rbm::testing::stateVector;

namespace {

constexpr int kVisible = 8;
constexpr int kHidden = 5;

/// The exact average log-likelihood of binary data rows (as state indices), in double.
double exactLogLikelihood(const Rbm& m, const std::vector<unsigned>& data) {
    const Enumeration e(m);
    double sum = 0;
    for (unsigned v : data) sum += std::log(e.marginalV(v));
    return sum / static_cast<double>(data.size());
}

}  // namespace

class TestRbmMath : public QObject {
    Q_OBJECT
private slots:
    void freeEnergyMatchesBruteForce_data();
    void freeEnergyMatchesBruteForce();
    void conditionalsMatchEnumeration();
    void inverseTemperatureScalesTheInput();
    void exactGradientMatchesFiniteDifferences();
    void gibbsMarginalsMatchExact_data();
    void gibbsMarginalsMatchExact();
    void clampedUnitsNeverChange();
    void forcedHiddenUnitAddsItsWeights();
    void dreamAtFollowsOneSeededChain();
};

void TestRbmMath::freeEnergyMatchesBruteForce_data() {
    QTest::addColumn<double>("scale");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("small weights") << 0.1 << quint64(1);
    QTest::newRow("unit weights") << 1.0 << quint64(2);
    QTest::newRow("large weights") << 4.0 << quint64(3);
}

void TestRbmMath::freeEnergyMatchesBruteForce() {
    QFETCH(double, scale);
    QFETCH(quint64, seed);
    const Rbm m = randomRbm(kVisible, kHidden, scale, seed);
    const Enumeration e(m);
    Matrix V(1 << kVisible, kVisible);
    for (unsigned v = 0; v < (1u << kVisible); ++v) V.row(v) = stateVector(v, kVisible).transpose();
    const Eigen::VectorXd f = freeEnergy(m, V);
    for (unsigned v = 0; v < (1u << kVisible); ++v) {
        // float parameters, double accumulation: relative agreement to ~1e-5
        const double expected = e.freeEnergy(v);
        QVERIFY2(std::abs(f(v) - expected) <= 1e-5 * (1.0 + std::abs(expected)),
                 qPrintable(QString("v=%1: %2 vs %3").arg(v).arg(f(v)).arg(expected)));
    }
}

void TestRbmMath::conditionalsMatchEnumeration() {
    const Rbm m = randomRbm(kVisible, kHidden, 1.0, 7);
    const Enumeration e(m);
    // p(h_j = 1 | v) = sum_{h: h_j=1} p(v,h) / p(v), for every v
    Matrix V(1 << kVisible, kVisible);
    for (unsigned v = 0; v < (1u << kVisible); ++v) V.row(v) = stateVector(v, kVisible).transpose();
    Matrix H(V.rows(), kHidden);
    hiddenProbabilities(m, V, H);
    for (unsigned v = 0; v < (1u << kVisible); ++v) {
        const double pv = e.marginalV(v);
        for (int j = 0; j < kHidden; ++j) {
            double num = 0;
            for (unsigned h = 0; h < (1u << kHidden); ++h)
                if ((h >> j) & 1u) num += e.joint[v | (h << kVisible)];
            QVERIFY(std::abs(static_cast<double>(H(v, j)) - num / pv) < 1e-5);
        }
    }
    // p(v_i = 1 | h) likewise
    Matrix Hs(1 << kHidden, kHidden);
    for (unsigned h = 0; h < (1u << kHidden); ++h) Hs.row(h) = stateVector(h, kHidden).transpose();
    Matrix Vp(Hs.rows(), kVisible);
    visibleProbabilities(m, Hs, Vp);
    for (unsigned h = 0; h < (1u << kHidden); ++h) {
        double ph = 0;
        for (unsigned v = 0; v < (1u << kVisible); ++v) ph += e.joint[v | (h << kVisible)];
        for (int i = 0; i < kVisible; ++i) {
            double num = 0;
            for (unsigned v = 0; v < (1u << kVisible); ++v)
                if ((v >> i) & 1u) num += e.joint[v | (h << kVisible)];
            QVERIFY(std::abs(static_cast<double>(Vp(h, i)) - num / ph) < 1e-5);
        }
    }
}

void TestRbmMath::inverseTemperatureScalesTheInput() {
    const Rbm m = randomRbm(kVisible, kHidden, 1.0, 11);
    Matrix V(1, kVisible);
    V.row(0) = stateVector(0b10110101, kVisible).transpose();
    Matrix cold(1, kHidden), hot(1, kHidden);
    hiddenProbabilities(m, V, cold, 0.25f);
    for (int j = 0; j < kHidden; ++j) {
        const double x = static_cast<double>(m.hiddenBias(j)) + V.row(0).cast<double>().dot(m.W.col(j).cast<double>());
        QVERIFY(std::abs(static_cast<double>(cold(0, j)) - 1.0 / (1.0 + std::exp(-0.25 * x))) < 1e-6);
    }
    hiddenProbabilities(m, V, hot, 0.0f);
    QVERIFY((hot.array() == 0.5f).all());  // beta = 0: the uniform distribution
}

void TestRbmMath::exactGradientMatchesFiniteDifferences() {
    // d/dtheta mean log p(v) = <dE/dtheta>_model - <dE/dtheta>_data with exact expectations.
    const Rbm m = randomRbm(kVisible, kHidden, 0.7, 5);
    const std::vector<unsigned> data{0b00001111, 0b11110000, 0b10101010, 0b00111100, 0b11000011, 0b01100110};
    const Enumeration e(m);
    Matrix V(static_cast<Eigen::Index>(data.size()), kVisible);
    for (std::size_t n = 0; n < data.size(); ++n) V.row(static_cast<Eigen::Index>(n)) = stateVector(data[n], kVisible).transpose();
    Matrix H(V.rows(), kHidden);
    hiddenProbabilities(m, V, H);
    const Matrix dataVH = V.transpose() * H / static_cast<float>(V.rows());

    const float eps = 1.0f / 64.0f;  // exactly representable, so W +- eps is exact
    for (int i = 0; i < kVisible; ++i) {
        for (int j = 0; j < kHidden; ++j) {
            const double analytic = static_cast<double>(dataVH(i, j)) - e.correlation(i, j);
            Rbm plus = m, minus = m;
            plus.W(i, j) += eps;
            minus.W(i, j) -= eps;
            const double numeric =
                (exactLogLikelihood(plus, data) - exactLogLikelihood(minus, data)) / (2.0 * static_cast<double>(eps));
            QVERIFY2(std::abs(analytic - numeric) < 2e-4,
                     qPrintable(QString("dW(%1,%2): analytic %3 numeric %4").arg(i).arg(j).arg(analytic).arg(numeric)));
        }
    }
    for (int i = 0; i < kVisible; ++i) {
        const double analytic = static_cast<double>(V.col(i).mean()) - e.visibleMarginal(i);
        Rbm plus = m, minus = m;
        plus.visibleBias(i) += eps;
        minus.visibleBias(i) -= eps;
        const double numeric =
            (exactLogLikelihood(plus, data) - exactLogLikelihood(minus, data)) / (2.0 * static_cast<double>(eps));
        QVERIFY(std::abs(analytic - numeric) < 2e-4);
    }
    for (int j = 0; j < kHidden; ++j) {
        const double analytic = static_cast<double>(H.col(j).mean()) - e.hiddenMarginal(j);
        Rbm plus = m, minus = m;
        plus.hiddenBias(j) += eps;
        minus.hiddenBias(j) -= eps;
        const double numeric =
            (exactLogLikelihood(plus, data) - exactLogLikelihood(minus, data)) / (2.0 * static_cast<double>(eps));
        QVERIFY(std::abs(analytic - numeric) < 2e-4);
    }
}

void TestRbmMath::gibbsMarginalsMatchExact_data() {
    QTest::addColumn<double>("scale");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("weak coupling") << 0.5 << quint64(21);
    QTest::newRow("strong coupling") << 1.5 << quint64(22);
}

void TestRbmMath::gibbsMarginalsMatchExact() {
    QFETCH(double, scale);
    QFETCH(quint64, seed);
    const Rbm m = randomRbm(kVisible, kHidden, scale, seed);
    const Enumeration e(m);
    // Many independent chains, long burn-in, one sample each: independent draws, so the
    // standard error of each marginal is sqrt(p(1-p)/chains).
    const int chains = 20000;
    GibbsSampler sampler(seed);
    GibbsState s;
    Matrix start(chains, kVisible);
    sampler.rng().fillUniform(start);
    start = (start.array() < 0.5f).cast<float>().matrix();
    sampler.start(m, s, start);
    for (int t = 0; t < 100; ++t) sampler.step(m, s);
    sampler.updateHidden(m, s);
    for (int i = 0; i < kVisible; ++i) {
        const double p = e.visibleMarginal(i);
        const double se = std::sqrt(p * (1 - p) / chains);
        const double got = static_cast<double>(s.v.col(i).mean());
        QVERIFY2(std::abs(got - p) < 4.5 * se,
                 qPrintable(QString("v%1: empirical %2 exact %3 (se %4)").arg(i).arg(got).arg(p).arg(se)));
    }
    for (int j = 0; j < kHidden; ++j) {
        const double p = e.hiddenMarginal(j);
        const double se = std::sqrt(p * (1 - p) / chains);
        const double got = static_cast<double>(s.h.col(j).mean());
        QVERIFY2(std::abs(got - p) < 4.5 * se,
                 qPrintable(QString("h%1: empirical %2 exact %3 (se %4)").arg(j).arg(got).arg(p).arg(se)));
    }
}

void TestRbmMath::clampedUnitsNeverChange() {
    const Rbm m = randomRbm(kVisible, kHidden, 2.0, 31);
    GibbsSampler sampler(3);
    GibbsState s;
    Matrix start = Matrix::Zero(50, kVisible);
    start.col(0).setOnes();
    start.col(3).setOnes();
    GibbsOptions o;
    o.clampMask = Vector::Zero(kVisible);
    o.clampMask(0) = o.clampMask(1) = o.clampMask(3) = 1.0f;
    sampler.start(m, s, start, o);
    bool otherUnitsMoved = false;
    for (int t = 0; t < 200; ++t) {
        sampler.step(m, s, o);
        QVERIFY((s.v.col(0).array() == 1.0f).all());
        QVERIFY((s.v.col(1).array() == 0.0f).all());
        QVERIFY((s.v.col(3).array() == 1.0f).all());
        otherUnitsMoved = otherUnitsMoved || (s.v.col(5).array() != 0.0f).any();
    }
    QVERIFY(otherUnitsMoved);  // the free units really are sampled
}

void TestRbmMath::forcedHiddenUnitAddsItsWeights() {
    const Rbm m = randomRbm(kVisible, kHidden, 1.0, 41);
    GibbsSampler sampler(4);
    GibbsState s;
    Matrix start = Matrix::Zero(1, kVisible);
    GibbsOptions free;
    free.sampleHidden = false;
    GibbsOptions forced = free;
    forced.hiddenForce.assign(kHidden, -1);
    forced.hiddenForce[2] = 1;
    sampler.start(m, s, start, forced);
    QCOMPARE(s.h(0, 2), 1.0f);
    const Matrix hFree = [&] { Matrix h = s.h; h(0, 2) = 0.0f; return h; }();
    Matrix pOn(1, kVisible), pOff(1, kVisible);
    visibleProbabilities(m, s.h, pOn);
    visibleProbabilities(m, hFree, pOff);
    // In logit space, switching unit 2 on adds exactly its weights.
    for (int i = 0; i < kVisible; ++i) {
        const double logitOn = std::log(pOn(0, i) / (1 - pOn(0, i)));
        const double logitOff = std::log(pOff(0, i) / (1 - pOff(0, i)));
        QVERIFY(std::abs((logitOn - logitOff) - static_cast<double>(m.W(i, 2))) < 1e-4);
    }
}

void TestRbmMath::dreamAtFollowsOneSeededChain() {
    // Compare runs dreams one start on every run's model: frames at the asked sweep counts of
    // one chain, the start first, and the same seed the same chain.
    const Rbm m = randomRbm(kVisible, kHidden, 1.5, 51);
    Matrix start = Matrix::Zero(1, kVisible);
    start(0, 2) = start(0, 5) = 1.0f;
    const std::vector<Vector> frames = rbm::dreamAt(m, start, {0, 1, 7}, 9);
    QCOMPARE(frames.size(), std::size_t(3));
    QVERIFY(frames[0].isApprox(start.row(0).transpose()));
    GibbsSampler sampler(9);
    GibbsState s;
    sampler.start(m, s, start);
    sampler.step(m, s);
    QVERIFY(frames[1] == s.vProb.row(0).transpose());
    for (int t = 1; t < 7; ++t) sampler.step(m, s);
    QVERIFY(frames[2] == s.vProb.row(0).transpose());
    QVERIFY(rbm::dreamAt(m, start, {0, 1, 7}, 9)[2] == frames[2]);
    QVERIFY(!(rbm::dreamAt(m, start, {7}, 10)[0] == frames[2]));  // another seed (fixed: deterministic), another chain
}

QTEST_APPLESS_MAIN(TestRbmMath)
#include "test_rbm_math.moc"
