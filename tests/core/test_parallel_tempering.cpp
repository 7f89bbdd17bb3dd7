// Parallel tempering on a 10 x 6 RBM against the exact distribution by enumeration (2^10 visible
// states): the beta = 1 rung samples p(v), and the swap move alone leaves the product of the
// rungs' distributions invariant. Samples are independent chains (one row each), so Pearson's
// X^2 over the visible states has mean dof and standard deviation sqrt(2 dof); a test fails
// above dof + 5 sqrt(2 dof) (a false alarm well under 1e-4). Each test also shows the check has
// power: the same samples judged against a hotter rung's distribution fail it by far. With
// label units (10 x 6 + 3 labels) the same checks run over the (v, y) states.
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "rbm/parallel_tempering.h"
#include "tiny_labelled_rbm.h"

using namespace rbm;
using rbm::testing::Enumeration;
using rbm::testing::LabelledEnumeration;
using rbm::testing::labelledModel;
using rbm::testing::randomRbm;

namespace {

constexpr int kVisible = 10;
constexpr int kHidden = 6;
constexpr int kLabels = 3;

Rbm scaled(const Rbm& m, float beta) {
    Rbm s = m;
    s.W *= beta;
    s.visibleBias *= beta;
    s.hiddenBias *= beta;
    s.labelWeights *= beta;
    s.labelBias *= beta;
    return s;
}

/// Exact p_beta(v) over the 2^nv visible states.
std::vector<double> visibleDistribution(const Rbm& m, float beta) {
    const Enumeration e(scaled(m, beta));
    std::vector<double> p(1u << m.nVisible());
    for (unsigned v = 0; v < p.size(); ++v) p[v] = e.marginalV(v);
    return p;
}

unsigned stateIndex(const Matrix& V, Eigen::Index row) {
    unsigned s = 0;
    for (Eigen::Index i = 0; i < V.cols(); ++i)
        if (V(row, i) > 0.5f) s |= 1u << i;
    return s;
}

struct ChiSquare {
    double x2 = 0;
    int dof = 0;
    double limit() const { return dof + 5.0 * std::sqrt(2.0 * dof); }
};

/// Pearson's X^2 of the counts against p: states expected >= 5 times are bins of their own,
/// the rest pooled into one bin (so the chi-square approximation holds).
ChiSquare chiSquare(const std::vector<double>& counts, const std::vector<double>& p) {
    double n = 0;
    for (double c : counts) n += c;
    ChiSquare r;
    double restObserved = 0, restExpected = 0;
    int bins = 0;
    for (std::size_t s = 0; s < p.size(); ++s) {
        const double expected = n * p[s];
        if (expected >= 5.0) {
            r.x2 += (counts[s] - expected) * (counts[s] - expected) / expected;
            ++bins;
        } else {
            restObserved += counts[s];
            restExpected += expected;
        }
    }
    if (restExpected > 0) {
        r.x2 += (restObserved - restExpected) * (restObserved - restExpected) / restExpected;
        ++bins;
    }
    r.dof = bins - 1;
    return r;
}

double totalVariation(const std::vector<double>& counts, const std::vector<double>& p) {
    double n = 0, tv = 0;
    for (double c : counts) n += c;
    for (std::size_t s = 0; s < p.size(); ++s) tv += std::abs(counts[s] / n - p[s]);
    return tv / 2;
}

/// Rows of exact joint samples (v, h) of p_beta, by inverse CDF over the enumeration.
void exactSamples(const Rbm& m, float beta, Random& rng, GibbsState& s) {
    const Enumeration e(scaled(m, beta));
    std::vector<double> cdf(e.joint.size());
    double acc = 0;
    for (std::size_t i = 0; i < cdf.size(); ++i) cdf[i] = acc += e.joint[i];
    for (Eigen::Index r = 0; r < s.v.rows(); ++r) {
        const double u = rng.uniformDouble() * acc;
        const auto state = static_cast<unsigned>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        for (int i = 0; i < e.nv; ++i) s.v(r, i) = static_cast<float>((state >> i) & 1u);
        for (int j = 0; j < e.nh; ++j) s.h(r, j) = static_cast<float>((state >> (e.nv + j)) & 1u);
    }
    s.vProb = s.v;
    s.hProb = s.h;
}

/// Exact p_beta(v, y) of a labelled model, index v | (y << nv).
std::vector<double> labelledDistribution(const Rbm& m, float beta) {
    const LabelledEnumeration e(scaled(m, beta));
    std::vector<double> p(static_cast<std::size_t>(e.nl) << e.nv);
    for (int y = 0; y < e.nl; ++y)
        for (unsigned v = 0; v < (1u << e.nv); ++v) p[v | (static_cast<unsigned>(y) << e.nv)] = e.pvy(v, y);
    return p;
}

unsigned labelledIndex(const GibbsState& s, Eigen::Index row) {
    Eigen::Index y = 0;
    s.y.row(row).maxCoeff(&y);
    return stateIndex(s.v, row) | (static_cast<unsigned>(y) << s.v.cols());
}

/// Rows of exact joint samples (v, y, h) of a labelled model's p_beta.
void exactLabelledSamples(const Rbm& m, float beta, Random& rng, GibbsState& s) {
    const LabelledEnumeration e(scaled(m, beta));
    std::vector<double> cdf(e.p.size());
    double acc = 0;
    for (std::size_t i = 0; i < cdf.size(); ++i) cdf[i] = acc += e.p[i];
    s.y.setZero(s.v.rows(), e.nl);
    for (Eigen::Index r = 0; r < s.v.rows(); ++r) {
        const double u = rng.uniformDouble() * acc;
        const auto state = static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        // LabelledEnumeration's index: v + 2^nv (y + nl h).
        const std::size_t v = state % (1u << e.nv), rest = state >> e.nv;
        const auto y = static_cast<Eigen::Index>(rest % static_cast<std::size_t>(e.nl));
        const std::size_t h = rest / static_cast<std::size_t>(e.nl);
        for (int i = 0; i < e.nv; ++i) s.v(r, i) = static_cast<float>((v >> i) & 1u);
        for (int j = 0; j < e.nh; ++j) s.h(r, j) = static_cast<float>((h >> j) & 1u);
        s.y(r, y) = 1.0f;
    }
    s.vProb = s.v;
    s.hProb = s.h;
    s.yProb = s.y;
}

}  // namespace

class TestParallelTempering : public QObject {
    Q_OBJECT
private slots:
    void ladderIsLinearFromOne();
    void coldRungSamplesTheExactDistribution();
    void swapMoveAloneLeavesTheProductInvariant();
    void jointEnergyHasTheLabelTerm();
    void labelledSwapsLeaveTheProductInvariant();
    void labelledColdRungSamplesTheExactDistribution();
};

void TestParallelTempering::ladderIsLinearFromOne() {
    const std::vector<float> b = linearLadder(5, 0.6f);
    QCOMPARE(b.size(), std::size_t(5));
    QCOMPARE(b.front(), 1.0f);
    QVERIFY(std::abs(b.back() - 0.6f) < 1e-6f);
    QVERIFY(std::abs(b[2] - 0.8f) < 1e-6f);
    QCOMPARE(linearLadder(1, 0.5f), std::vector<float>{1.0f});
}

void TestParallelTempering::coldRungSamplesTheExactDistribution() {
    // Strong weights (scale 2.5): several modes, so the hot rungs have work to do.
    const Rbm m = randomRbm(kVisible, kHidden, 2.5, 11);
    const std::vector<float> betas = linearLadder(4, 0.4f);
    ParallelTempering pt(7);
    pt.setLadder(betas);
    constexpr int kChains = 2048, kBurnIn = 100, kGap = 25, kRecords = 8;
    Matrix V(kChains, kVisible);
    pt.rng().bernoulli(Matrix::Constant(kChains, kVisible, 0.5f), V);
    pt.start(m, V);
    std::vector<double> counts(1u << kVisible, 0.0), hotCounts(counts.size(), 0.0);
    for (int t = 1; t <= kBurnIn + kGap * kRecords; ++t) {
        pt.sweep(m);
        if (t > kBurnIn && (t - kBurnIn) % kGap == 0)
            for (Eigen::Index r = 0; r < kChains; ++r) {
                counts[stateIndex(pt.replica(0).v, r)] += 1;
                hotCounts[stateIndex(pt.replica(3).v, r)] += 1;
            }
    }
    const std::vector<double> exact = visibleDistribution(m, 1.0f);
    const ChiSquare cold = chiSquare(counts, exact);
    const double tv = totalVariation(counts, exact);
    qInfo("cold rung: X^2 = %.1f on %d dof (limit %.1f), total variation %.4f; swap rates %.2f %.2f %.2f", cold.x2, cold.dof,
          cold.limit(), tv, pt.acceptanceRate(0), pt.acceptanceRate(1), pt.acceptanceRate(2));
    QVERIFY2(cold.x2 < cold.limit(), qPrintable(QString::number(cold.x2)));
    // The hottest rung is its own distribution, not the model's: the same check rejects it.
    const ChiSquare hotAsCold = chiSquare(hotCounts, exact);
    QVERIFY2(hotAsCold.x2 > 10 * hotAsCold.limit(), qPrintable(QString::number(hotAsCold.x2)));
    const ChiSquare hot = chiSquare(hotCounts, visibleDistribution(m, betas[3]));
    QVERIFY2(hot.x2 < hot.limit(), qPrintable(QString::number(hot.x2)));
    for (int k = 0; k + 1 < pt.rungs(); ++k) {
        QVERIFY(pt.proposed(k) > 0);
        QVERIFY(pt.acceptanceRate(k) > 0.05 && pt.acceptanceRate(k) < 1.0);
    }
}

void TestParallelTempering::swapMoveAloneLeavesTheProductInvariant() {
    const Rbm m = randomRbm(kVisible, kHidden, 2.5, 12);
    const std::vector<float> betas{1.0f, 0.7f, 0.4f};
    ParallelTempering pt(3);
    pt.setLadder(betas);
    constexpr int kChains = 16384;
    pt.start(m, Matrix::Zero(kChains, kVisible));
    Random rng(99);
    for (int k = 0; k < pt.rungs(); ++k) exactSamples(m, betas[static_cast<std::size_t>(k)], rng, pt.replica(k));
    // Only swaps: every chain row is then a product-distributed state moved by exchanges alone.
    for (int round = 0; round < 6; ++round) pt.swapRound(m);
    for (int k = 0; k < pt.rungs(); ++k) {
        std::vector<double> counts(1u << kVisible, 0.0);
        for (Eigen::Index r = 0; r < kChains; ++r) counts[stateIndex(pt.replica(k).v, r)] += 1;
        const ChiSquare c = chiSquare(counts, visibleDistribution(m, betas[static_cast<std::size_t>(k)]));
        qInfo("rung %d (beta %.1f): X^2 = %.1f on %d dof (limit %.1f)", k, double(betas[static_cast<std::size_t>(k)]), c.x2, c.dof,
              c.limit());
        QVERIFY2(c.x2 < c.limit(), qPrintable(QString::number(c.x2)));
        if (k > 0) {
            // Power: had the swaps been accepted always, rung 0 would hold rung 1's states.
            const ChiSquare wrong = chiSquare(counts, visibleDistribution(m, betas[0]));
            QVERIFY2(wrong.x2 > 3 * wrong.limit(), qPrintable(QString::number(wrong.x2)));
        }
    }
    for (int k = 0; k + 1 < pt.rungs(); ++k) QVERIFY(pt.acceptanceRate(k) > 0.05 && pt.acceptanceRate(k) < 0.99);
}

void TestParallelTempering::jointEnergyHasTheLabelTerm() {
    const Rbm m = labelledModel(kVisible, kHidden, kLabels, 5, 1.5);
    GibbsState s;
    s.resize(4, kVisible, kHidden);
    Random rng(8);
    exactLabelledSamples(m, 1.0f, rng, s);
    const Eigen::VectorXd e = jointEnergies(m, s);
    for (Eigen::Index r = 0; r < s.v.rows(); ++r) {
        Eigen::Index y = 0;
        s.y.row(r).maxCoeff(&y);
        const double exact = labelledEnergy(m, s.v.row(r).transpose(), static_cast<int>(y), s.h.row(r).transpose());
        QVERIFY2(std::abs(e(r) - exact) < 1e-5 * (1.0 + std::abs(exact)), qPrintable(QString::number(e(r) - exact)));
    }
}

void TestParallelTempering::labelledSwapsLeaveTheProductInvariant() {
    // Strong label weights: which label is on changes the energy by several units, so swaps that
    // left the label term out would move rung 0 measurably off p(v, y).
    const Rbm m = labelledModel(kVisible, kHidden, kLabels, 13, 2.0);
    const std::vector<float> betas{1.0f, 0.6f, 0.3f};
    ParallelTempering pt(5);
    pt.setLadder(betas);
    constexpr int kChains = 16384;
    pt.start(m, Matrix::Zero(kChains, kVisible));
    Random rng(77);
    for (int k = 0; k < pt.rungs(); ++k) exactLabelledSamples(m, betas[static_cast<std::size_t>(k)], rng, pt.replica(k));
    for (int round = 0; round < 6; ++round) pt.swapRound(m);
    for (int k = 0; k < pt.rungs(); ++k) {
        std::vector<double> counts(static_cast<std::size_t>(kLabels) << kVisible, 0.0);
        for (Eigen::Index r = 0; r < kChains; ++r) counts[labelledIndex(pt.replica(k), r)] += 1;
        const ChiSquare c = chiSquare(counts, labelledDistribution(m, betas[static_cast<std::size_t>(k)]));
        qInfo("labelled rung %d (beta %.1f): X^2 = %.1f on %d dof (limit %.1f)", k, double(betas[static_cast<std::size_t>(k)]), c.x2,
              c.dof, c.limit());
        QVERIFY2(c.x2 < c.limit(), qPrintable(QString::number(c.x2)));
        if (k > 0) {
            const ChiSquare wrong = chiSquare(counts, labelledDistribution(m, betas[0]));
            QVERIFY2(wrong.x2 > 3 * wrong.limit(), qPrintable(QString::number(wrong.x2)));
        }
    }
    for (int k = 0; k + 1 < pt.rungs(); ++k) QVERIFY(pt.acceptanceRate(k) > 0.05 && pt.acceptanceRate(k) < 0.99);
}

void TestParallelTempering::labelledColdRungSamplesTheExactDistribution() {
    // Full tempered sweeps of a labelled model, the label group free: rung 0 samples p(v, y).
    const Rbm m = labelledModel(kVisible, kHidden, kLabels, 17, 2.0);
    const std::vector<float> betas = linearLadder(4, 0.4f);
    ParallelTempering pt(9);
    pt.setLadder(betas);
    constexpr int kChains = 2048, kBurnIn = 100, kGap = 25, kRecords = 8;
    Matrix V(kChains, kVisible);
    pt.rng().bernoulli(Matrix::Constant(kChains, kVisible, 0.5f), V);
    pt.start(m, V);
    std::vector<double> counts(static_cast<std::size_t>(kLabels) << kVisible, 0.0);
    for (int t = 1; t <= kBurnIn + kGap * kRecords; ++t) {
        pt.sweep(m);
        if (t > kBurnIn && (t - kBurnIn) % kGap == 0)
            for (Eigen::Index r = 0; r < kChains; ++r) counts[labelledIndex(pt.replica(0), r)] += 1;
    }
    const ChiSquare cold = chiSquare(counts, labelledDistribution(m, 1.0f));
    qInfo("labelled cold rung: X^2 = %.1f on %d dof (limit %.1f); swap rates %.2f %.2f %.2f", cold.x2, cold.dof, cold.limit(),
          pt.acceptanceRate(0), pt.acceptanceRate(1), pt.acceptanceRate(2));
    QVERIFY2(cold.x2 < cold.limit(), qPrintable(QString::number(cold.x2)));
    for (int k = 0; k + 1 < pt.rungs(); ++k) QVERIFY(pt.acceptanceRate(k) > 0.05 && pt.acceptanceRate(k) < 1.0);
}

QTEST_APPLESS_MAIN(TestParallelTempering)
#include "test_parallel_tempering.moc"
