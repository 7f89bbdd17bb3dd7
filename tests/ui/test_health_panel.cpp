// The training-health panel: it feeds the rules (rbm/health_rules, tested in
// tests/core/test_health_rules.cpp) with core's numbers and advises early stopping once a run.
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

#include <QComboBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <qcustomplot.h>

#include "health/early_stop_banner.h"
#include "health/health_docks.h"
#include "health/health_panel.h"
#include "health/likelihood_view.h"
#include "patience.h"
#include "rbm/presets.h"
#include "training/training_controller.h"
#include "views/controls_dock.h"
#include "views/metrics_view.h"
#include "window/main_window.h"
#include "rbm/health_rules.h"
#include "rbm/metrics.h"
#include "fixtures.h"

using namespace studio;

namespace {

rbm::EpochMetrics epoch(int e, double gap = 0, double mse = 0.05) { return rbm::testing::epochRow(e, gap, mse); }

LikelihoodPoint estimate(double e, double ll) {
    LikelihoodPoint p;
    p.epoch = e;
    p.report.method = "ais";
    p.report.hasTest = true;
    p.report.reliable = true;
    p.report.avgLogLikTest = ll;
    p.report.logZStdErr = 0.2;
    return p;
}

/// A studio window training a small model (36 hidden units) on the embedded digits.
std::unique_ptr<MainWindow> smallWindow(const QString& runs, int epochs) {
    MainWindow::Options o;
    o.useSettings = false;
    o.interactive = false;
    o.runsDirectory = runs;
    auto w = std::make_unique<MainWindow>(o);
    rbm::TrainingConfig cfg = w->controller()->config();
    cfg.hidden = 36;
    cfg.batchSize = 100;
    cfg.epochs = epochs;
    cfg.evalSubset = 200;
    w->controlsDock()->setConfig(cfg);
    w->controller()->setConfig(cfg);
    w->show();
    return w;
}

}  // namespace

class TestHealthPanel : public QObject {
    Q_OBJECT
private slots:
    void panelAdvisesStopOnce_data();
    void panelAdvisesStopOnce();
    void ratiosAreCoresNumbers();
    void presetAfterTrainingLeavesOnlyTheNewModelsRows();
    void earlyStopPauseShowsABannerThatContinues();
    void classroomPresetDoesNotStopEarly();
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

void TestHealthPanel::presetAfterTrainingLeavesOnlyTheNewModelsRows() {
    // Issue 12: after applying "Default" the panel kept "fell 103.9 nats since epoch 32: stop
    // here" of the model trained before, at the new model's epoch 4.
    QTemporaryDir runs;
    auto w = smallWindow(runs.path(), 1);
    HealthPanel* health = w->panels().health.health;
    LikelihoodView* view = w->panels().health.likelihood;
    QSignalSpy finished(w->controller(), &TrainingController::finished);
    w->controller()->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, rbm::testing::patient(30000));
    QTRY_COMPARE_WITH_TIMEOUT(int(health->input().epochs.size()), 1, rbm::testing::patient(5000));
    // Estimates of the old model, as the estimator delivers them: the likelihood fell.
    for (const LikelihoodPoint& p : {estimate(0, -120), estimate(1, -135)}) {
        view->addPoint(p);
        health->addLikelihood(p);
    }
    QVERIFY(health->lightOf("divergence") != rbm::Light::Unknown);
    QCOMPARE(w->metricsView()->epochPointCount(), 1);

    // As a person does: pick "Default" in the panel's preset box.
    auto* box = health->findChild<QComboBox*>();
    QVERIFY(box);
    const int index = box->findText(QStringLiteral("Default"));
    QVERIFY(index > 0);
    emit box->activated(index);

    QCOMPARE(w->currentModel()->nHidden(), rbm::trainingPreset("Default").config.hidden);
    const rbm::HealthInput& in = health->input();
    QVERIFY(in.epochs.empty());
    QVERIFY(in.likelihood.empty());
    for (const rbm::WeightSample& ws : in.weights) QCOMPARE(ws.epoch, 0.0);  // the new model's epoch 0 only
    QCOMPARE(in.nHidden, rbm::trainingPreset("Default").config.hidden);
    QCOMPARE(health->lightOf("divergence"), rbm::Light::Unknown);
    for (const rbm::HealthCheck& c : health->checks())
        QVERIFY2(!QString::fromStdString(c.value + " " + c.advice).contains(QLatin1String("since epoch")),
                 qPrintable(QString::fromStdString(c.value + " " + c.advice)));
    QCOMPARE(view->pointCount(), 0);
    // Axes of the new model: no epochs of the old one, the x axis its plan.
    QCOMPARE(w->metricsView()->epochPointCount(), 0);
    QCOMPARE(w->metricsView()->plot()->axisRects().front()->axis(QCPAxis::atBottom)->range().upper,
             double(rbm::trainingPreset("Default").config.epochs));
    w->close();
}

void TestHealthPanel::earlyStopPauseShowsABannerThatContinues() {
    // Issue 12: early stopping paused training with only "Paused" in the status bar.
    QTemporaryDir runs;
    auto w = smallWindow(runs.path(), 1000);
    HealthPanel* health = w->panels().health.health;
    EarlyStopBanner* banner = w->panels().health.banner;
    health->setEarlyStopping(true);
    TrainingController* ctl = w->controller();
    ctl->start();
    QTRY_VERIFY_WITH_TIMEOUT(ctl->batchesDone() > 3, rbm::testing::patient(10000));
    QVERIFY(!banner->isVisible());
    // The held-out likelihood falls below its best: the panel advises the stop.
    for (const LikelihoodPoint& p : {estimate(1, -120), estimate(2, -105), estimate(3, -109), estimate(4, -115)})
        health->addLikelihood(p);
    QCOMPARE(ctl->state(), TrainingController::State::Paused);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), rbm::testing::patient(2000));  // the tool bar lays it out
    QVERIFY2(banner->text().contains(QLatin1String("epoch 2")), qPrintable(banner->text()));  // the reason
    QVERIFY(banner->text().contains(QLatin1String("Space")));                                  // how to go on
    if (qEnvironmentVariableIsSet("RBM_SCREENSHOTS"))
        w->grab().save(qEnvironmentVariable("RBM_SCREENSHOTS") + QStringLiteral("/early_stop_banner.png"));
    auto* go = banner->findChild<QPushButton*>(QStringLiteral("earlyStopContinue"));
    QVERIFY(go);
    QTest::mouseClick(go, Qt::LeftButton);
    QCOMPARE(ctl->state(), TrainingController::State::Running);
    QVERIFY(!banner->isVisible());
    ctl->stop();
    w->close();
}

void TestHealthPanel::classroomPresetDoesNotStopEarly() {
    QVERIFY(!rbm::trainingPreset("Classroom").earlyStopping);
    QVERIFY(rbm::trainingPreset("Default").earlyStopping);
    QTemporaryDir runs;
    MainWindow::Options o;
    o.useSettings = false;
    o.interactive = false;
    o.runsDirectory = runs.path();
    MainWindow w(o);  // starts on the Classroom preset (README)
    HealthPanel* health = w.panels().health.health;
    QVERIFY(!health->earlyStopping());
    auto* box = health->findChild<QComboBox*>();
    emit box->activated(box->findText(QStringLiteral("Default")));
    QVERIFY(health->earlyStopping());
    emit box->activated(box->findText(QStringLiteral("Classroom (fast)")));
    QVERIFY(!health->earlyStopping());
}

QTEST_MAIN(TestHealthPanel)
#include "test_health_panel.moc"
