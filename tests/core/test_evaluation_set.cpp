// The digits a model's likelihood is measured on (rbm/evaluation_set) and the baseline it must
// beat (rbm/baseline): which binarization each configuration gets, determinism from the seed,
// and the independent-pixels log-likelihood by hand.
#include <QtTest>
#include <cmath>

#include "rbm/baseline.h"
#include "rbm/evaluation_set.h"

namespace {

const rbm::DatasetPair& digits() {
    static const rbm::DatasetPair d = rbm::loadEmbeddedMnist();
    return d;
}

bool binary(const rbm::Matrix& m) { return ((m.array() == 0.0f) || (m.array() == 1.0f)).all(); }

}  // namespace

class TestEvaluationSet : public QObject {
    Q_OBJECT
private slots:
    void binarizationOfAConfig_data();
    void binarizationOfAConfig();
    void thresholdSetIsTheBinarizedData();
    void stochasticSetIsFixedBySeed();
    void seedsThatOnceCollidedDiffer();
    void withoutHeldOutDigits();
    void independentPixelsByHand();
    void independentPixelsOnTheDigits();
};

void TestEvaluationSet::binarizationOfAConfig_data() {
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<int>("seed");
    QTest::addColumn<int>("expectedMode");
    QTest::addColumn<int>("expectedThreshold");
    QTest::addColumn<int>("expectedSeed");
    const int none = int(rbm::Binarization::None), thr = int(rbm::Binarization::Threshold),
              sto = int(rbm::Binarization::Stochastic);
    // Grey-level training is evaluated at pixel > 127; the fields a mode does not use are fixed,
    // so two binarizations compare equal exactly when they give the same digits.
    QTest::newRow("none -> pixel > 127") << none << 90 << 5 << thr << 127 << 1;
    QTest::newRow("threshold keeps its threshold") << thr << 90 << 5 << thr << 90 << 1;
    QTest::newRow("stochastic keeps its seed") << sto << 90 << 5 << sto << 127 << 5;
}

void TestEvaluationSet::binarizationOfAConfig() {
    QFETCH(int, mode);
    QFETCH(int, threshold);
    QFETCH(int, seed);
    QFETCH(int, expectedMode);
    QFETCH(int, expectedThreshold);
    QFETCH(int, expectedSeed);
    rbm::TrainingConfig c;
    c.binarization = rbm::Binarization(mode);
    c.binarizeThreshold = threshold;
    c.seed = std::uint64_t(seed);
    const rbm::EvaluationBinarization b = rbm::evaluationBinarization(c);
    QCOMPARE(int(b.mode), expectedMode);
    QCOMPARE(b.threshold, expectedThreshold);
    QCOMPARE(b.seed, std::uint64_t(expectedSeed));
    QVERIFY(!b.describe().empty());
}

void TestEvaluationSet::thresholdSetIsTheBinarizedData() {
    const rbm::DatasetPair& d = digits();
    rbm::EvaluationBinarization b;
    b.threshold = 100;
    const rbm::EvaluationSet s = rbm::evaluationSet(d.train, &d.test, b, 300, 200);
    QCOMPARE(s.train.rows(), Eigen::Index(300));
    QCOMPARE(s.test.rows(), Eigen::Index(200));
    QCOMPARE(s.train.cols(), Eigen::Index(784));
    QVERIFY(binary(s.train) && binary(s.test));
    for (Eigen::Index r = 0; r < s.train.rows(); r += 37)
        for (Eigen::Index i = 0; i < 784; ++i)
            QCOMPARE(s.train(r, i), d.train.image(std::size_t(r))[i] > 100 ? 1.0f : 0.0f);
    QVERIFY(s.binarization == b);
    // 0 rows asked = every image.
    QCOMPARE(std::size_t(rbm::evaluationSet(d.train, &d.test, b).train.rows()), d.train.count);
}

void TestEvaluationSet::stochasticSetIsFixedBySeed() {
    const rbm::DatasetPair& d = digits();
    rbm::EvaluationBinarization b;
    b.mode = rbm::Binarization::Stochastic;
    b.threshold = 127;
    b.seed = 9;
    const rbm::EvaluationSet once = rbm::evaluationSet(d.train, &d.test, b, 500, 500);
    const rbm::EvaluationSet again = rbm::evaluationSet(d.train, &d.test, b, 500, 500);
    QVERIFY(binary(once.train) && binary(once.test));
    QVERIFY(once.train == again.train);
    QVERIFY(once.test == again.test);
    // The first rows do not depend on how many are asked for.
    QVERIFY(rbm::evaluationSet(d.train, &d.test, b, 100, 100).train == once.train.topRows(100));
    // The held-out digits are drawn from seed + 1, as `rbm eval` always did.
    QVERIFY(once.test == rbm::toMatrix(rbm::binarized(d.test, rbm::Binarization::Stochastic, 127, 10), 500));
}

void TestEvaluationSet::seedsThatOnceCollidedDiffer() {
    // Regression: the studio's estimator keyed its binarized digits by 100000 + seed % 50000, so
    // seeds 1 and 50001 shared one set. They are different binarizations with different digits.
    const rbm::DatasetPair& d = digits();
    rbm::TrainingConfig c;
    c.binarization = rbm::Binarization::Stochastic;
    c.seed = 1;
    const rbm::EvaluationBinarization one = rbm::evaluationBinarization(c);
    c.seed = 50001;
    const rbm::EvaluationBinarization other = rbm::evaluationBinarization(c);
    QVERIFY(one != other);
    QVERIFY(rbm::evaluationSet(d.train, &d.test, one, 200, 200).train !=
            rbm::evaluationSet(d.train, &d.test, other, 200, 200).train);
}

void TestEvaluationSet::withoutHeldOutDigits() {
    const rbm::DatasetPair& d = digits();
    const rbm::EvaluationSet none = rbm::evaluationSet(d.train, nullptr, {}, 50, 50);
    QCOMPARE(none.train.rows(), Eigen::Index(50));
    QCOMPARE(none.test.rows(), Eigen::Index(0));
    QCOMPARE(none.test.cols(), Eigen::Index(784));
    rbm::Dataset other = d.test;  // another image size: not held-out digits of this set
    other.rows = 14;
    other.cols = 14;
    other.count = d.test.pixels.size() / 196;
    QCOMPARE(rbm::evaluationSet(d.train, &other, {}, 50, 50).test.rows(), Eigen::Index(0));
}

void TestEvaluationSet::independentPixelsByHand() {
    // Two pixels on in 3 and 1 of 4 training rows -> add-one smoothing p = (2/3, 1/3).
    rbm::Matrix train(4, 2), test(2, 2);
    train << 1, 0, 1, 1, 1, 0, 0, 0;
    test << 1, 0, 0, 1;
    const double a = std::log(2.0 / 3.0), b = std::log(1.0 / 3.0);
    const double expected = 0.5 * (a + a) + 0.5 * (b + b);
    QVERIFY(std::abs(rbm::independentPixelsLogLikelihood(train, test) - expected) < 1e-9);
    QVERIFY(std::isnan(rbm::independentPixelsLogLikelihood(train, rbm::Matrix(0, 2))));
    // No training rows: every pixel on with probability 1/2.
    QVERIFY(std::abs(rbm::independentPixelsLogLikelihood(rbm::Matrix(0, 2), test) - 2 * std::log(0.5)) < 1e-12);
}

void TestEvaluationSet::independentPixelsOnTheDigits() {
    // On the embedded held-out digits (pixel > 127) independent pixels score about -206 nats.
    const rbm::DatasetPair& d = digits();
    const rbm::EvaluationSet s = rbm::evaluationSet(d.train, &d.test, {});
    const double ll = rbm::independentPixelsLogLikelihood(s.train, s.test);
    QVERIFY2(ll > -215 && ll < -195, qPrintable(QString::number(ll)));
}

QTEST_MAIN(TestEvaluationSet)
#include "test_evaluation_set.moc"
