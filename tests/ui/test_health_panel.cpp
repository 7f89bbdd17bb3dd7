// The training-health panel: it feeds the rules (rbm/health_rules, tested in
// tests/core/test_health_rules.cpp) with core's numbers and advises early stopping once a run.
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

#include "health/health_panel.h"
#include "rbm/health_rules.h"
#include "rbm/metrics.h"
#include "fixtures.h"

using namespace studio;

namespace {

rbm::EpochMetrics epoch(int e, double gap = 0, double mse = 0.05) { return rbm::testing::epochRow(e, gap, mse); }

}  // namespace

class TestHealthPanel : public QObject {
    Q_OBJECT
private slots:
    void panelAdvisesStopOnce_data();
    void panelAdvisesStopOnce();
    void ratiosAreCoresNumbers();
};

void TestHealthPanel::panelAdvisesStopOnce_data() {
    QTest::addColumn<bool>("earlyStopping");
    QTest::newRow("on") << true;
    QTest::newRow("off") << false;
}

void TestHealthPanel::panelAdvisesStopOnce() {
    QFETCH(bool, earlyStopping);
    HealthPanel panel;
    panel.setEarlyStopping(earlyStopping);
    QSignalSpy stop(&panel, &HealthPanel::stopAdvised);
    auto point = [](double e, double ll) {
        LikelihoodPoint p;
        p.epoch = e;
        p.report.method = "ais";
        p.report.hasTest = true;
        p.report.reliable = true;
        p.report.avgLogLikTest = ll;
        p.report.logZStdErr = 0.2;
        return p;
    };
    panel.addLikelihood(point(2, -120));
    panel.addLikelihood(point(4, -105));
    QCOMPARE(stop.count(), 0);
    QCOMPARE(panel.lightOf("divergence"), rbm::Light::Green);
    panel.addLikelihood(point(6, -109));
    panel.addLikelihood(point(8, -115));
    QCOMPARE(stop.count(), earlyStopping ? 1 : 0);  // once per run, not at every estimate
    QVERIFY(panel.lightOf("divergence") != rbm::Light::Green);
    if (earlyStopping) QVERIFY(stop.at(0).at(0).toString().contains(QStringLiteral("epoch 4")));
    if (qEnvironmentVariableIsSet("RBM_SCREENSHOTS") && earlyStopping) {
        TrainingSnapshot snap;
        snap.model = rbm::Rbm(16, 10);
        snap.model.W.setConstant(0.05f);
        snap.model.visibleBias.setConstant(-1.0f);
        snap.model.hiddenBias.setConstant(0.1f);
        snap.weightUpdate = rbm::Matrix::Constant(16, 10, 5e-5f);
        snap.visibleBiasUpdate = rbm::Vector::Constant(16, 1e-4f);
        snap.hiddenBiasUpdate = rbm::Vector::Constant(10, 0.02f);
        for (int e = 1; e <= 8; ++e) {
            rbm::EpochMetrics m = epoch(e, e > 5 ? 1.0 * (e - 5) : 0, 0.05 - 0.003 * e);
            m.deadUnits = e > 6 ? 1 : 0;
            snap.epochMetrics.push_back(m);
        }
        snap.counters.epoch = 8;
        panel.showSnapshot(snap);
        panel.resize(720, 420);
        panel.grab().save(qEnvironmentVariable("RBM_SCREENSHOTS") + QStringLiteral("/health_panel.png"));
    }
    panel.clear();
    QCOMPARE(panel.lightOf("divergence"), rbm::Light::Unknown);
}

void TestHealthPanel::ratiosAreCoresNumbers() {
    // The panel once computed |update|/|param| itself and called 0/0 infinite (so a bias that
    // did not move showed "n/a"): it now shows rbm::updateRatio and rbm::rootMeanSquare.
    TrainingSnapshot s;
    s.model = rbm::Rbm(6, 4);
    s.model.W.setConstant(0.5f);
    s.model.visibleBias.setConstant(-1.0f);
    s.model.hiddenBias.setZero();
    s.weightUpdate = rbm::Matrix::Constant(6, 4, 5e-4f);
    s.visibleBiasUpdate = rbm::Vector::Constant(6, 1e-3f);
    s.hiddenBiasUpdate = rbm::Vector::Zero(4);
    s.counters.epoch = 1;
    HealthPanel panel;
    panel.showSnapshot(s);
    const rbm::HealthInput& in = panel.input();
    QVERIFY(in.liveRatioWeights && in.liveRatioVisible && in.liveRatioHidden);
    QCOMPARE(*in.liveRatioWeights, rbm::updateRatio(s.weightUpdate, s.model.W));
    QVERIFY(std::abs(*in.liveRatioWeights - 1e-3) < 1e-9);
    QCOMPARE(*in.liveRatioVisible, rbm::updateRatio(s.visibleBiasUpdate, s.model.visibleBias));
    QCOMPARE(*in.liveRatioHidden, 0.0);  // zero biases that did not move: nothing moved
    QCOMPARE(panel.lightOf("ratio-weights"), rbm::Light::Green);
    QCOMPARE(panel.lightOf("ratio-hidden"), rbm::Light::Green);
    QCOMPARE(int(in.weights.size()), 1);
    QCOMPARE(in.weights.back().rms, rbm::rootMeanSquare(s.model.W));
    QVERIFY(std::abs(in.weights.back().rms - 0.5) < 1e-9);
}

QTEST_MAIN(TestHealthPanel)
#include "test_health_panel.moc"
