// The random numbers behind sampling, checked statistically: the xoshiro256++ generator
// (rbm::Random) and the counter-based draws of the trainer's fast path (kernels.h).
// Every tolerance is stated in standard errors (SE) of the estimate; with fixed seeds the
// tests are deterministic, and a correct generator sits well inside 5 SE.
#include <QtTest>

#include <cmath>
#include <functional>
#include <vector>

#include "rbm/kernels.h"
#include "rbm/random.h"

using namespace rbm;

namespace {

constexpr double kSe = 5.0;  // tolerance in standard errors

struct Moments {
    double mean = 0, variance = 0;
    std::vector<double> lagCorrelation;  // lags 1..
};

Moments moments(const std::vector<float>& u, int maxLag) {
    Moments m;
    const double n = static_cast<double>(u.size());
    for (float x : u) m.mean += static_cast<double>(x);
    m.mean /= n;
    for (float x : u) m.variance += (static_cast<double>(x) - m.mean) * (static_cast<double>(x) - m.mean);
    m.variance /= n;
    for (int lag = 1; lag <= maxLag; ++lag) {
        double c = 0;
        for (std::size_t i = 0; i + static_cast<std::size_t>(lag) < u.size(); ++i)
            c += (static_cast<double>(u[i]) - m.mean) * (static_cast<double>(u[i + static_cast<std::size_t>(lag)]) - m.mean);
        m.lagCorrelation.push_back(c / (n - lag) / m.variance);
    }
    return m;
}

/// n uniforms from the generator named by `source`.
std::vector<float> uniforms(const QString& source, std::size_t n) {
    std::vector<float> u(n);
    if (source == "xoshiro") {
        Random r(2024);
        for (float& x : u) x = r.uniform();
    } else if (source == "xoshiro fillUniform") {
        Random r(2025);
        Matrix m(static_cast<Eigen::Index>(n), 1);
        r.fillUniform(m);
        for (std::size_t i = 0; i < n; ++i) u[i] = m(static_cast<Eigen::Index>(i), 0);
    } else {  // counter-based, one key, consecutive counters
        const std::uint64_t key = Random(2026).next();
        for (std::size_t i = 0; i < n; ++i) u[i] = kernels::counterUniform(key, i);
    }
    return u;
}

}  // namespace

class TestRandom : public QObject {
    Q_OBJECT
private slots:
    void uniformMomentsAndLagCorrelations_data();
    void uniformMomentsAndLagCorrelations();
    void uniformHistogramIsFlat_data();
    void uniformHistogramIsFlat();
    void bernoulliFrequenciesMatchP_data();
    void bernoulliFrequenciesMatchP();
    void neighbouringBernoulliDrawsAreIndependent();
    void counterStreamsOfDifferentKeysAreUncorrelated();
    void sameSeedSameStream();
    void savedStateResumesTheStream();
    void counterDrawsDoNotDependOnTheSplit();
    void fusedSigmoidSamplingMatchesItsDefinition();
};

void TestRandom::uniformMomentsAndLagCorrelations_data() {
    QTest::addColumn<QString>("source");
    QTest::newRow("xoshiro256++ uniform()") << QString("xoshiro");
    QTest::newRow("xoshiro256++ fillUniform") << QString("xoshiro fillUniform");
    QTest::newRow("counter-based (SplitMix64 hash)") << QString("counter");
}

void TestRandom::uniformMomentsAndLagCorrelations() {
    QFETCH(QString, source);
    const std::size_t n = 1 << 20;
    const Moments m = moments(uniforms(source, n), 8);
    // U(0,1): mean 1/2 with SE sqrt(1/12 / n); variance 1/12 with SE sqrt((1/80 - 1/144) / n);
    // lag correlations 0 with SE 1/sqrt(n).
    const double dn = static_cast<double>(n);
    QVERIFY2(std::abs(m.mean - 0.5) < kSe * std::sqrt(1.0 / 12.0 / dn), qPrintable(QString::number(m.mean)));
    QVERIFY2(std::abs(m.variance - 1.0 / 12.0) < kSe * std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / dn),
             qPrintable(QString::number(m.variance)));
    for (std::size_t lag = 0; lag < m.lagCorrelation.size(); ++lag)
        QVERIFY2(std::abs(m.lagCorrelation[lag]) < kSe / std::sqrt(dn),
                 qPrintable(QString("lag %1: %2").arg(lag + 1).arg(m.lagCorrelation[lag])));
}

void TestRandom::uniformHistogramIsFlat_data() { uniformMomentsAndLagCorrelations_data(); }

void TestRandom::uniformHistogramIsFlat() {
    QFETCH(QString, source);
    const std::size_t n = 1 << 20;
    const int bins = 64;
    std::vector<double> count(bins, 0.0);
    for (float x : uniforms(source, n)) {
        QVERIFY(x >= 0.0f && x < 1.0f);
        count[static_cast<std::size_t>(x * bins)] += 1;
    }
    // Chi-square with 63 degrees of freedom: mean 63, SD sqrt(126).
    const double expected = static_cast<double>(n) / bins;
    double chi2 = 0;
    for (double c : count) chi2 += (c - expected) * (c - expected) / expected;
    QVERIFY2(std::abs(chi2 - 63.0) < kSe * std::sqrt(126.0), qPrintable(QString("chi2 %1").arg(chi2)));
}

void TestRandom::bernoulliFrequenciesMatchP_data() {
    QTest::addColumn<bool>("counter");
    QTest::addColumn<float>("p");
    for (const float p : {0.0f, 0.001f, 0.1f, 0.5f, 0.73f, 0.999f, 1.0f}) {
        QTest::addRow("xoshiro bernoulli p=%g", double(p)) << false << p;
        QTest::addRow("counter-based p=%g", double(p)) << true << p;
    }
}

void TestRandom::bernoulliFrequenciesMatchP() {
    QFETCH(bool, counter);
    QFETCH(float, p);
    const Eigen::Index rows = 1000, cols = 1000;
    const Matrix P = Matrix::Constant(rows, cols, p);
    Matrix S(rows, cols);
    if (counter)
        kernels::bernoulliCounter(P.data(), S.data(), static_cast<std::size_t>(S.size()), Random(77).next(), 0);
    else
        Random(77).bernoulli(P, S);
    QVERIFY(((S.array() == 0.0f) || (S.array() == 1.0f)).all());
    const double n = static_cast<double>(S.size());
    const double freq = static_cast<double>(S.sum()) / n;
    if (p == 0.0f || p == 1.0f) {
        QCOMPARE(freq, static_cast<double>(p));  // exact: never / always
        return;
    }
    const double se = std::sqrt(static_cast<double>(p) * (1.0 - static_cast<double>(p)) / n);
    QVERIFY2(std::abs(freq - static_cast<double>(p)) < kSe * se,
             qPrintable(QString("frequency %1 for p %2 (SE %3)").arg(freq).arg(double(p)).arg(se)));
}

void TestRandom::neighbouringBernoulliDrawsAreIndependent() {
    // Pairs of neighbours (along the matrix storage, i.e. down a column and across the
    // column boundary) at p = 1/2: each of the 4 outcomes has frequency 1/4.
    const std::size_t n = 1 << 20;
    std::vector<float> p(n, 0.5f), s(n);
    kernels::bernoulliCounter(p.data(), s.data(), n, Random(5).next(), 12345);
    double pairs[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i + 1 < n; i += 2) pairs[static_cast<int>(s[i]) * 2 + static_cast<int>(s[i + 1])] += 1;
    const double m = static_cast<double>(n / 2);
    for (double c : pairs)
        QVERIFY2(std::abs(c / m - 0.25) < kSe * std::sqrt(0.25 * 0.75 / m), qPrintable(QString::number(c / m)));
}

void TestRandom::counterStreamsOfDifferentKeysAreUncorrelated() {
    // The trainer takes a fresh key per draw from xoshiro: consecutive keys' streams at the
    // same counters must be uncorrelated (SE 1/sqrt(n)).
    Random r(11);
    const std::uint64_t a = r.next(), b = r.next();
    const std::size_t n = 1 << 20;
    double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = static_cast<double>(kernels::counterUniform(a, i)) - 0.5;
        const double y = static_cast<double>(kernels::counterUniform(b, i)) - 0.5;
        sa += x;
        sb += y;
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    const double dn = static_cast<double>(n);
    const double corr = (sab / dn - sa / dn * sb / dn) /
                        std::sqrt((saa / dn - sa / dn * sa / dn) * (sbb / dn - sb / dn * sb / dn));
    QVERIFY2(std::abs(corr) < kSe / std::sqrt(dn), qPrintable(QString::number(corr)));
}

void TestRandom::sameSeedSameStream() {
    Random a(123), b(123), c(124);
    bool allSame = true, anyDifferent = false;
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t x = a.next(), y = b.next(), z = c.next();
        allSame = allSame && x == y;
        anyDifferent = anyDifferent || x != z;
    }
    QVERIFY(allSame);
    QVERIFY(anyDifferent);
    const Matrix P = Matrix::Constant(50, 40, 0.3f);
    Matrix s1(50, 40), s2(50, 40);
    Random(9).bernoulli(P, s1);
    Random(9).bernoulli(P, s2);
    QVERIFY(s1 == s2);
    kernels::bernoulliCounter(P.data(), s1.data(), 2000, 42, 0);
    kernels::bernoulliCounter(P.data(), s2.data(), 2000, 42, 0);
    QVERIFY(s1 == s2);
    kernels::bernoulliCounter(P.data(), s2.data(), 2000, 43, 0);
    QVERIFY(s1 != s2);
}

void TestRandom::savedStateResumesTheStream() {
    Random a(99);
    for (int i = 0; i < 17; ++i) a.next();
    const Random::State saved = a.state();  // four words: what checkpoints store
    QCOMPARE(saved.size(), std::size_t(4));
    std::vector<std::uint64_t> expected;
    for (int i = 0; i < 100; ++i) expected.push_back(a.next());
    Random b(1);
    b.setState(saved);
    for (int i = 0; i < 100; ++i) QCOMPARE(b.next(), expected[static_cast<std::size_t>(i)]);
}

void TestRandom::counterDrawsDoNotDependOnTheSplit() {
    // What lets threads split a layer any way: the same key gives the same samples whether
    // the matrix is done whole or in row blocks of any size.
    const Eigen::Index rows = 500, cols = 37;
    Matrix X = Matrix::Random(rows, cols) * 3.0f;
    const Vector bias = Vector::Random(rows);
    Matrix whole = X, wholeS(rows, cols);
    kernels::biasLogisticSample(whole.data(), rows, rows, cols, bias.data(), wholeS.data(), rows, 7, 0,
                                static_cast<std::uint64_t>(rows));
    for (const Eigen::Index block : {Eigen::Index(1), Eigen::Index(31), Eigen::Index(125), Eigen::Index(499)}) {
        Matrix parts = X, partsS(rows, cols);
        for (Eigen::Index r0 = 0; r0 < rows; r0 += block) {
            const Eigen::Index n = std::min(block, rows - r0);
            kernels::biasLogisticSample(parts.data() + r0, n, rows, cols, bias.data() + r0, partsS.data() + r0, rows,
                                        7, static_cast<std::uint64_t>(r0), static_cast<std::uint64_t>(rows));
        }
        QVERIFY(parts == whole);
        QVERIFY(partsS == wholeS);
    }
}

void TestRandom::fusedSigmoidSamplingMatchesItsDefinition() {
    // X <- sigmoid(X + b) to float accuracy, and s = [u < X] with u the documented counter draw.
    const Eigen::Index rows = 64, cols = 9;
    const Matrix X = Matrix::Random(rows, cols) * 20.0f;
    const Vector bias = Vector::Random(rows) * 5.0f;
    Matrix P = X, S(rows, cols);
    const std::uint64_t key = 0x1234abcdULL;
    kernels::biasLogisticSample(P.data(), rows, rows, cols, bias.data(), S.data(), rows, key, 0,
                                static_cast<std::uint64_t>(rows));
    for (Eigen::Index c = 0; c < cols; ++c) {
        for (Eigen::Index r = 0; r < rows; ++r) {
            const double x = static_cast<double>(X(r, c)) + static_cast<double>(bias(r));
            const double exact = 1.0 / (1.0 + std::exp(-x));
            QVERIFY2(std::abs(static_cast<double>(P(r, c)) - exact) < 1e-6,
                     qPrintable(QString("sigmoid(%1) = %2, expected %3").arg(x).arg(double(P(r, c))).arg(exact)));
            const float u = kernels::counterUniform(key, static_cast<std::uint64_t>(r + c * rows));
            QCOMPARE(S(r, c), u < P(r, c) ? 1.0f : 0.0f);
        }
    }
}

QTEST_APPLESS_MAIN(TestRandom)
#include "test_random.moc"
