// The numbers every view shows and every health rule judges, decided once in rbm/metrics:
// |update|/|param| with its edge cases, dead and saturated units, the RMS of the weights.
#include <QtTest>
#include <cmath>
#include <limits>

#include "rbm/metrics.h"

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void updateRatio_data();
    void updateRatio();
    void classifyUnits_data();
    void classifyUnits();
    void hiddenActivityAgreesWithClassifyUnits();
    void rootMeanSquare();
};

void TestMetrics::updateRatio_data() {
    QTest::addColumn<float>("update");  // every entry of a 3 x 2 update
    QTest::addColumn<float>("param");   // every entry of a 3 x 2 parameter
    QTest::addColumn<double>("expected");
    QTest::newRow("Hinton's 1e-3") << 1e-3f << 1.0f << double(1e-3f);
    QTest::newRow("negative entries") << -2e-3f << -0.5f << double(2e-3f) / double(0.5f);
    QTest::newRow("no step") << 0.0f << 0.7f << 0.0;
    // Zero parameters (hidden biases start at zero): nothing moved is 0, a step is infinite.
    QTest::newRow("zero param, zero update") << 0.0f << 0.0f << 0.0;
    QTest::newRow("zero param, a step") << 1e-3f << 0.0f << std::numeric_limits<double>::infinity();
}

void TestMetrics::updateRatio() {
    QFETCH(float, update);
    QFETCH(float, param);
    QFETCH(double, expected);
    const rbm::Matrix u = rbm::Matrix::Constant(3, 2, update);
    const rbm::Matrix p = rbm::Matrix::Constant(3, 2, param);
    const double r = rbm::updateRatio(u, p);
    if (std::isinf(expected)) QVERIFY(std::isinf(r) && r > 0);
    else QVERIFY2(std::abs(r - expected) <= 1e-6 * expected, qPrintable(QString::number(r)));
    // Vectors (the biases) work the same way.
    const rbm::Vector uv = rbm::Vector::Constant(6, update), pv = rbm::Vector::Constant(6, param);
    QCOMPARE(rbm::updateRatio(uv, pv), r);
    // No update of this parameter's shape (none known yet): not a number, shown as "n/a".
    QVERIFY(std::isnan(rbm::updateRatio(rbm::Matrix(0, 0), p)));
    QVERIFY(std::isnan(rbm::updateRatio(rbm::Vector::Constant(5, update), pv)));
}

void TestMetrics::classifyUnits_data() {
    QTest::addColumn<QVector<float>>("means");
    QTest::addColumn<int>("dead");
    QTest::addColumn<int>("saturated");
    // Dead below 0.01, saturated above 0.99; the thresholds themselves are neither.
    QTest::newRow("healthy") << QVector<float>{0.2f, 0.5f, 0.05f} << 0 << 0;
    QTest::newRow("at the thresholds") << QVector<float>{0.01f, 0.99f} << 0 << 0;
    QTest::newRow("one of each") << QVector<float>{0.005f, 0.995f, 0.4f} << 1 << 1;
    QTest::newRow("all dead") << QVector<float>{0.0f, 0.0f, 0.001f} << 3 << 0;
    QTest::newRow("no units") << QVector<float>{} << 0 << 0;
}

void TestMetrics::classifyUnits() {
    QFETCH(QVector<float>, means);
    QFETCH(int, dead);
    QFETCH(int, saturated);
    rbm::Vector m(means.size());
    for (int i = 0; i < means.size(); ++i) m(i) = means[i];
    const rbm::HiddenActivity a = rbm::classifyUnits(m);
    QCOMPARE(a.dead, dead);
    QCOMPARE(a.saturated, saturated);
    QVERIFY(a.mean == m);
}

void TestMetrics::hiddenActivityAgreesWithClassifyUnits() {
    // Hidden unit 0 never fires (bias -20), unit 1 always does (+20), unit 2 half the time.
    rbm::Rbm m(4, 3);
    m.W.setZero();
    m.hiddenBias << -20.0f, 20.0f, 0.0f;
    const rbm::Matrix V = rbm::Matrix::Ones(5, 4);
    const rbm::HiddenActivity a = rbm::hiddenActivity(m, V);
    QCOMPARE(a.dead, 1);
    QCOMPARE(a.saturated, 1);
    const rbm::HiddenActivity b = rbm::classifyUnits(a.mean);
    QCOMPARE(b.dead, a.dead);
    QCOMPARE(b.saturated, a.saturated);
    // No examples: nothing measured, nothing counted.
    const rbm::HiddenActivity none = rbm::hiddenActivity(m, rbm::Matrix(0, 4));
    QCOMPARE(none.dead + none.saturated, 0);
    QCOMPARE(none.mean.size(), Eigen::Index(3));
}

void TestMetrics::rootMeanSquare() {
    rbm::Matrix W(2, 2);
    W << 1, -1, 3, -3;
    QVERIFY(std::abs(rbm::rootMeanSquare(W) - std::sqrt(5.0)) < 1e-12);
    QCOMPARE(rbm::rootMeanSquare(rbm::Matrix(0, 0)), 0.0);
}

QTEST_MAIN(TestMetrics)
#include "test_metrics.moc"
