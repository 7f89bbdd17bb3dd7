// The tiny exact lab's core: the bars-and-stripes generator (every pattern once, nothing else)
// and the exact p(v), mean log-likelihood and KL(data || model) against brute-force
// enumeration of every joint state (v, h).
#include <QtTest>

#include <cmath>
#include <memory>
#include <set>
#include <vector>

#include "rbm/bars_and_stripes.h"
#include "rbm/dataset.h"
#include "rbm/exact_distribution.h"
#include "rbm/trainer.h"
#include "tiny_rbm.h"

using namespace rbm;
using rbm::testing::Enumeration;
using rbm::testing::randomModel;

namespace {

/// Every row of the image constant, or every column constant.
bool isBarsOrStripes(const std::vector<int>& img, int rows, int cols) {
    bool stripes = true, bars = true;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            stripes = stripes && img[std::size_t(r * cols + c)] == img[std::size_t(r * cols)];
            bars = bars && img[std::size_t(r * cols + c)] == img[std::size_t(c)];
        }
    return stripes || bars;
}

/// Data rows 0/1 with duplicates: pattern indices listed (unit i = bit i).
Matrix rowsOf(const std::vector<unsigned>& states, int n) {
    Matrix V(Eigen::Index(states.size()), n);
    for (std::size_t r = 0; r < states.size(); ++r)
        for (int i = 0; i < n; ++i) V(Eigen::Index(r), i) = rbm::testing::bit(states[r], i);
    return V;
}

}  // namespace

class TestExactDistribution : public QObject {
    Q_OBJECT
private slots:
    void generatorHasEveryPatternOnce_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("3x3") << 3 << 3;
        QTest::newRow("4x4") << 4 << 4;
        QTest::newRow("2x5") << 2 << 5;
        QTest::newRow("1x4") << 1 << 4;
        QTest::newRow("4x1") << 4 << 1;
    }
    void generatorHasEveryPatternOnce() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        const Dataset d = barsAndStripes(rows, cols);
        QCOMPARE(d.rows, rows);
        QCOMPARE(d.cols, cols);
        QCOMPARE(d.count, std::size_t((1u << rows) + (1u << cols) - 2));
        QCOMPARE(d.pixels.size(), d.count * std::size_t(rows * cols));
        std::set<std::vector<int>> seen;
        for (std::size_t k = 0; k < d.count; ++k) {
            std::vector<int> img(std::size_t(rows * cols));
            for (std::size_t p = 0; p < img.size(); ++p) {
                const int px = d.image(k)[p];
                QVERIFY(px == 0 || px == 255);
                img[p] = px / 255;
            }
            QVERIFY2(isBarsOrStripes(img, rows, cols), qPrintable(QStringLiteral("pattern %1").arg(k)));
            QVERIFY2(seen.insert(img).second, qPrintable(QStringLiteral("pattern %1 twice").arg(k)));
        }
        // Nothing missing: of all 2^(rows*cols) images, exactly the generated ones qualify.
        std::size_t all = 0;
        const int n = rows * cols;
        for (unsigned s = 0; s < (1u << n); ++s) {
            std::vector<int> img(static_cast<std::size_t>(n));
            for (int p = 0; p < n; ++p) img[std::size_t(p)] = int((s >> p) & 1u);
            all += isBarsOrStripes(img, rows, cols) ? 1 : 0;
        }
        QCOMPARE(all, d.count);
    }

    void namesGoThroughLoadDataset() {
        const DatasetPair p = loadDataset("bars-and-stripes:3x3");
        QCOMPARE(p.train.count, std::size_t(14));
        QCOMPARE(p.train.pixelsPerImage(), 9);
        QCOMPARE(p.test.pixels, p.train.pixels);  // nothing to hold out: the same patterns
        QCOMPARE(loadDataset("bars-and-stripes").train.count, std::size_t(30));  // 4 x 4
        for (const char* bad : {"bars-and-stripes:4", "bars-and-stripes:0x4", "bars-and-stripes:x4",
                                "bars-and-stripes:17x2", "bars-and-stripes:9x9", "bars-and-stripes:4x4x"}) {
            bool threw = false;
            try {
                loadDataset(bad);
            } catch (const Error& e) {
                threw = QString::fromUtf8(e.what()).contains(QStringLiteral("bars-and-stripes"));
            }
            QVERIFY2(threw, bad);
        }
    }

    void modelDistributionIsTheBruteForceMarginal_data() {
        QTest::addColumn<int>("nv");
        QTest::addColumn<int>("nh");
        QTest::newRow("6 x 4 (hidden enumerated for log Z)") << 6 << 4;
        QTest::newRow("5 x 7 (visible enumerated)") << 5 << 7;
        QTest::newRow("9 x 1") << 9 << 1;
    }
    void modelDistributionIsTheBruteForceMarginal() {
        QFETCH(int, nv);
        QFETCH(int, nh);
        const Rbm m = randomModel(nv, nh, 1.0, 7 + std::uint64_t(nv));
        const Enumeration e(m);
        const ModelDistribution d = modelDistribution(m);
        QCOMPARE(d.patterns(), std::size_t(1) << nv);
        QVERIFY(std::abs(d.logZ - e.logZ) < 1e-9);
        double sum = 0;
        for (unsigned v = 0; v < (1u << nv); ++v) {
            const double p = std::exp(d.logProbability(Eigen::Index(v)));
            sum += p;
            QVERIFY2(std::abs(p - e.marginalV(v)) < 1e-9 * e.marginalV(v),  // relative: small p(v) too
                     qPrintable(QStringLiteral("v=%1: %2 vs %3").arg(v).arg(p).arg(e.marginalV(v))));
        }
        QVERIFY2(std::abs(sum - 1.0) < 1e-9, qPrintable(QString::number(sum - 1.0)));
        const std::vector<std::uint64_t> top = mostProbablePatterns(d, 5);
        QCOMPARE(top.size(), std::size_t(5));
        for (std::size_t k = 1; k < top.size(); ++k)
            QVERIFY(d.logProbability(Eigen::Index(top[k - 1])) >= d.logProbability(Eigen::Index(top[k])));
        QCOMPARE(d.logProbability(Eigen::Index(top[0])), d.logProbability.maxCoeff());
    }

    void klIsMinusEntropyMinusLikelihood() {
        const int nv = 6;
        const Rbm m = randomModel(nv, 4, 1.0, 3);
        const std::vector<unsigned> states = {5, 5, 5, 12, 40, 40, 63, 0, 17, 5};
        const Matrix V = rowsOf(states, nv);
        const DataDistribution q = dataDistribution(V);
        QCOMPARE(q.examples, states.size());
        QCOMPARE(q.distinct(), std::size_t(6));
        QVERIFY(std::abs(q.probability.sum() - 1.0) < 1e-15);
        QVERIFY(std::abs(q.probability(0) - 0.4) < 1e-15);  // 5 four times in ten, seen first
        const double entropy = -(0.4 * std::log(0.4) + 0.2 * std::log(0.2) + 4 * 0.1 * std::log(0.1));
        QVERIFY(std::abs(q.entropy() - entropy) < 1e-12);

        const ModelDistribution p = modelDistribution(m);
        const ExactFit fit = exactFit(m, q, p.logZ);
        // The mean over the ten rows (duplicates counted) is the q-weighted mean over patterns.
        QVERIFY(std::abs(fit.meanLogLikelihood - averageLogLikelihood(m, V, p.logZ)) < 1e-9);
        // KL two ways: term by term (exactFit) and -H(q) - L; and from the listed p(v).
        QVERIFY(std::abs(fit.kl - (-fit.dataEntropy - fit.meanLogLikelihood)) < 1e-9);
        double kl = 0;
        for (Eigen::Index k = 0; k < q.patterns.rows(); ++k) {
            const Vector row = q.patterns.row(k).transpose();
            kl += q.probability(k) * (std::log(q.probability(k)) - p.logProbability(Eigen::Index(patternIndex(row))));
        }
        QVERIFY(std::abs(fit.kl - kl) < 1e-9);
        QVERIFY(fit.kl > 0);
    }

    void klIsZeroForTheDataDistribution() {
        // W = 0, b = 0: p(v) = 2^-n for every v, which is exactly the data's distribution
        // when the data is every pattern once.
        const int nv = 5;
        Rbm m(nv, 3);
        std::vector<unsigned> all;
        for (unsigned v = 0; v < (1u << nv); ++v) all.push_back(v);
        const DataDistribution q = dataDistribution(rowsOf(all, nv));
        const ExactFit fit = exactFit(m, q, exactLogPartition(m));
        QVERIFY(std::abs(fit.kl) < 1e-12);
        QVERIFY(std::abs(fit.meanLogLikelihood + nv * std::log(2.0)) < 1e-12);
    }

    void greyDataAndLargeLayersAreRefused() {
        Matrix V = Matrix::Zero(2, 3);
        V(1, 2) = 0.5f;
        QVERIFY_THROWS_EXCEPTION(Error, dataDistribution(V));
        const Rbm wide(21, 2);
        QVERIFY(!canListDistribution(wide));
        QVERIFY_THROWS_EXCEPTION(Error, modelDistribution(wide));
    }

    void trainingOnBarsAndStripesLowersTheKl() {
        // No 28 x 28 assumption in the trainer: 3 x 3 images, 14 of them, smaller than a batch.
        auto data = std::make_shared<const Dataset>(barsAndStripes(3, 3));
        TrainingConfig c;
        c.hidden = 8;
        c.batchSize = 14;
        c.learningRateWeights = c.learningRateBiases = 0.1f;
        c.seed = 5;
        Trainer t(data, data, c);
        const DataDistribution q = dataDistribution(toMatrix(*data));
        const double before = exactFit(t.model(), q, exactLogPartition(t.model())).kl;
        for (int i = 0; i < 300; ++i) t.trainBatch();
        const double after = exactFit(t.model(), q, exactLogPartition(t.model())).kl;
        QVERIFY2(after < before - 0.1, qPrintable(QStringLiteral("KL %1 -> %2").arg(before).arg(after)));
    }
};

QTEST_APPLESS_MAIN(TestExactDistribution)
#include "test_exact_distribution.moc"
