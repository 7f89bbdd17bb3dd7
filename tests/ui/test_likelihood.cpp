// The likelihood estimator and view: a 20-hidden model's estimate comes back from the background
// thread equal to the exact log-likelihood while the event loop keeps running; estimates can be
// cancelled; every-N-epochs scheduling; the independent-pixels baseline; each model's own
// evaluation set; the plot's points and reference lines.
#include <QDockWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <cmath>
#include <memory>
#include <qcustomplot.h>

#include "patience.h"
#include "workload.h"
#include "health/health_panel.h"
#include "health/likelihood_estimator.h"
#include "health/likelihood_view.h"
#include "rbm/ais.h"
#include "rbm/baseline.h"
#include "rbm/evaluation_set.h"
#include "rbm/partition_function.h"
#include "rbm/trainer.h"
#include "training/training_worker.h"
#include "views/controls_dock.h"
#include "window/main_window.h"

using namespace studio;

namespace {

struct Digits {
    std::shared_ptr<const rbm::Dataset> train, test;
};

const Digits& digits() {
    static const Digits d = [] {
        rbm::DatasetPair p = rbm::loadEmbeddedMnist();
        return Digits{std::make_shared<const rbm::Dataset>(std::move(p.train)),
                      std::make_shared<const rbm::Dataset>(std::move(p.test))};
    }();
    return d;
}

/// A model with `hidden` units trained for `batches` CD-1 minibatches on the binarized digits.
SnapshotPtr trainedSnapshot(int hidden, int batches, std::int64_t epoch) {
    rbm::TrainingConfig c;
    c.hidden = hidden;
    c.batchSize = 50;
    c.learningRateWeights = 0.05f;
    c.learningRateBiases = 0.05f;
    c.binarization = rbm::Binarization::Threshold;
    c.evalSubset = 100;
    c.seed = 5;
    rbm::Trainer t(digits().train, digits().test, c);
    for (int i = 0; i < batches; ++i) t.trainBatch();
    std::shared_ptr<TrainingSnapshot> s = snapshotOf(t);
    s->counters.epoch = epoch;
    s->counters.batchInEpoch = 0;
    return s;
}

rbm::Matrix binaryTest(int rows) {
    return rbm::toMatrix(rbm::binarized(*digits().test, rbm::Binarization::Threshold, 127, 2), std::size_t(rows));
}

LikelihoodPoint fakePoint(double epoch, double heldOut, bool reliable, const char* method = "ais") {
    LikelihoodPoint p;
    p.epoch = epoch;
    p.report.method = method;
    p.report.hasTest = true;
    p.report.reliable = reliable;
    p.report.avgLogLikTest = heldOut;
    p.report.avgLogLikTrain = heldOut + 2;
    p.report.logZStdErr = 0.5;
    p.report.upperBoundLogLikTest = heldOut + 6;
    p.report.avgLogLikTestReverse = heldOut - 1;
    p.report.verdict = "test verdict";
    return p;
}

}  // namespace

class TestLikelihood : public QObject {
    Q_OBJECT
private slots:
    void exactResultInBackground();
    void cancelAbandonsEstimate();
    void estimatesEveryNEpochs_data();
    void estimatesEveryNEpochs();
    void independentPixelsBaseline();
    void evaluationSetFollowsTheSeed();
    void viewAddsPointsAndReferenceLines();
    void studioWindowEstimatesWhileTraining();
};

void TestLikelihood::exactResultInBackground() {
    // 20 hidden units is the largest model the estimator enumerates (exactMaxUnits).
    const SnapshotPtr s = trainedSnapshot(rbm::testing::sizeFor(20, 14), 60, 1);
    LikelihoodEstimator est;
    LikelihoodEstimator::Settings settings;
    settings.testRows = 300;
    settings.trainRows = 300;
    est.setSettings(settings);
    est.setData(digits().train, digits().test);
    QSignalSpy ready(&est, &LikelihoodEstimator::resultReady);
    QSignalSpy failed(&est, &LikelihoodEstimator::failed);

    int ticks = 0, ticksAtResult = -1;
    QTimer probe;
    probe.setInterval(5);
    connect(&probe, &QTimer::timeout, this, [&] { ++ticks; });
    connect(&est, &LikelihoodEstimator::resultReady, this, [&] { ticksAtResult = ticks; });
    probe.start();

    est.estimate(s);
    QVERIFY(est.busy());           // returned at once: the sum runs on another thread
    QCOMPARE(ready.count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, rbm::testing::patient(60000));
    QCOMPARE(failed.count(), 0);
    QVERIFY(!est.busy());
    QVERIFY2(ticksAtResult > 0, "the GUI event loop did not run while the estimate was computed");

    const LikelihoodPoint p = ready.at(0).at(0).value<LikelihoodPoint>();
    QCOMPARE(p.report.method, std::string("exact"));
    QCOMPARE(p.epoch, 1.0);
    const double logZ = rbm::exactLogPartition(s->model);
    const double expected = rbm::averageLogLikelihood(s->model, binaryTest(300), logZ);
    QVERIFY2(std::abs(p.report.avgLogLikTest - expected) < 1e-6,
             qPrintable(QStringLiteral("%1 vs exact %2").arg(p.report.avgLogLikTest).arg(expected)));
    QVERIFY(p.sample().reliable);
    QCOMPARE(p.heldOut(), p.report.avgLogLikTest);
}

void TestLikelihood::cancelAbandonsEstimate() {
    const SnapshotPtr s = trainedSnapshot(40, 5, 2);  // 40 hidden: AIS, not exact
    LikelihoodEstimator est;
    LikelihoodEstimator::Settings settings;
    settings.exactMaxUnits = 20;
    settings.ais = rbm::AisConfig::withBetas(100, 2000000);  // minutes if it were not cancelled
    est.setSettings(settings);
    est.setData(digits().train, digits().test);
    QSignalSpy ready(&est, &LikelihoodEstimator::resultReady);
    QSignalSpy cancelled(&est, &LikelihoodEstimator::cancelled);
    QSignalSpy started(&est, &LikelihoodEstimator::started);
    est.estimate(s);
    QCOMPARE(started.count(), 1);
    QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("AIS"));
    QTest::qWait(50);
    est.cancel();
    QCOMPARE(cancelled.count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!est.busy(), rbm::testing::patient(20000));
    QCOMPARE(ready.count(), 0);

    // After a cancel the estimator works again; and destroying it mid-estimate returns promptly
    // (the destructor cancels and joins).
    auto second = std::make_unique<LikelihoodEstimator>();
    second->setSettings(settings);
    second->setData(digits().train, digits().test);
    second->estimate(s);
    QVERIFY(second->busy());
    second.reset();
}

void TestLikelihood::estimatesEveryNEpochs_data() {
    QTest::addColumn<int>("every");
    QTest::addColumn<int>("epoch");
    QTest::addColumn<bool>("estimates");
    QTest::newRow("every 2, epoch 4") << 2 << 4 << true;
    QTest::newRow("every 2, epoch 3") << 2 << 3 << false;
    QTest::newRow("every 1, epoch 1") << 1 << 1 << true;
    QTest::newRow("never") << 0 << 4 << false;
    QTest::newRow("initial model") << 1 << 0 << false;
}

void TestLikelihood::estimatesEveryNEpochs() {
    QFETCH(int, every);
    QFETCH(int, epoch);
    QFETCH(bool, estimates);
    static const SnapshotPtr base = trainedSnapshot(8, 20, 0);
    auto s = std::make_shared<TrainingSnapshot>(*base);
    s->counters.epoch = epoch;
    LikelihoodEstimator est;
    est.setEveryEpochs(every);
    est.setData(digits().train, digits().test);
    QSignalSpy ready(&est, &LikelihoodEstimator::resultReady);
    est.onEpochFinished(s);
    QCOMPARE(est.busy(), estimates);
    if (estimates) {
        // A second epoch ending while busy waits, and is estimated afterwards.
        auto next = std::make_shared<TrainingSnapshot>(*s);
        next->counters.epoch = epoch + every;
        est.onEpochFinished(next);
        QVERIFY(est.hasPending());
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 2, rbm::testing::patient(30000));
        QCOMPARE(ready.at(1).at(0).value<LikelihoodPoint>().epoch, double(epoch + every));
    }
}

void TestLikelihood::independentPixelsBaseline() {
    // The formula is tested in tests/core/test_evaluation_set.cpp; the estimator shows core's
    // number for every training digit and its held-out rows at pixel > 127: about -206 nats.
    LikelihoodEstimator est;
    QSignalSpy changed(&est, &LikelihoodEstimator::baselineChanged);
    est.setData(digits().train, digits().test);
    QCOMPARE(changed.count(), 1);
    QVERIFY2(est.baseline() > -215 && est.baseline() < -195, qPrintable(QString::number(est.baseline())));
    const rbm::EvaluationSet all = rbm::evaluationSet(*digits().train, digits().test.get(), rbm::EvaluationBinarization{},
                                                      0, std::size_t(est.settings().testRows));
    QCOMPARE(est.baseline(), rbm::independentPixelsLogLikelihood(all.train, all.test));
}

void TestLikelihood::evaluationSetFollowsTheSeed() {
    // Regression: the estimator cached its binarized digits under 100000 + seed % 50000, so a
    // model trained with stochastic binarization and seed 50001 was measured on the digits of
    // seed 1. Each estimate now uses core's evaluation set for its own model.
    const SnapshotPtr base = trainedSnapshot(8, 20, 1);
    LikelihoodEstimator est;
    LikelihoodEstimator::Settings settings;
    settings.trainRows = 200;
    settings.testRows = 200;
    est.setSettings(settings);
    est.setData(digits().train, digits().test);
    QSignalSpy ready(&est, &LikelihoodEstimator::resultReady);
    std::vector<rbm::Matrix> trainSets;
    for (std::uint64_t seed : {std::uint64_t(1), std::uint64_t(50001)}) {
        auto s = std::make_shared<TrainingSnapshot>(*base);
        s->config.binarization = rbm::Binarization::Stochastic;
        s->config.seed = seed;
        est.estimate(s);
        QTRY_VERIFY_WITH_TIMEOUT(!est.busy(), rbm::testing::patient(30000));
        const rbm::EvaluationBinarization b = rbm::evaluationBinarization(s->config);
        QVERIFY(est.evaluationSet()->binarization == b);
        const rbm::EvaluationSet expected = rbm::evaluationSet(*digits().train, digits().test.get(), b, 200, 200);
        QVERIFY(est.evaluationSet()->train == expected.train);
        QVERIFY(est.evaluationSet()->test == expected.test);
        // And the estimate is the exact likelihood of those digits.
        const double logZ = rbm::exactLogPartition(s->model);
        const LikelihoodPoint p = ready.back().at(0).value<LikelihoodPoint>();
        QVERIFY(std::abs(p.report.avgLogLikTrain - rbm::averageLogLikelihood(s->model, expected.train, logZ)) < 1e-6);
        trainSets.push_back(expected.train);
    }
    QCOMPARE(ready.count(), 2);
    QVERIFY(trainSets[0] != trainSets[1]);
}

void TestLikelihood::viewAddsPointsAndReferenceLines() {
    LikelihoodView view;
    view.resize(900, 520);
    QCOMPARE(view.referenceLineCount(), 3);
    const QString labels = view.referenceLabels().join('\n');
    for (const char* l : {"CD-1, full MNIST (S&M 2008): -125.53", "CD-3, full MNIST (S&M 2008): -105.50",
                          "CD-25, full MNIST (S&M 2008): -86.34"})
        QVERIFY2(labels.contains(QLatin1String(l)), qPrintable(labels));
    view.setBaseline(-206.4);
    QCOMPARE(view.referenceLineCount(), 4);
    view.setBaseline(-205.0);  // replaced, not added
    QCOMPARE(view.referenceLineCount(), 4);
    QVERIFY(view.referenceLabels().join('\n').contains(QStringLiteral("independent pixels, this data: -205.00")));

    view.addPoint(fakePoint(2, -150, true));
    view.addPoint(fakePoint(4, -120, true));
    view.addPoint(fakePoint(6, -104, false));  // unreliable: only the bound counts
    LikelihoodPoint exact = fakePoint(8, -99, true, "exact");
    exact.report.avgLogLikTestReverse.reset();
    exact.report.logZStdErr = 0;
    view.addPoint(exact);
    QCOMPARE(view.pointCount(), 4);
    QCOMPARE(view.heldOutGraph()->dataCount(), 3);  // two reliable AIS + exact
    QCOMPARE(view.heldOutErrorBars()->dataCount(), 3);
    QCOMPARE(view.plot()->graph(1)->dataCount(), 1);  // unreliable
    QCOMPARE(view.plot()->graph(2)->dataCount(), 3);  // reverse AIS
    QCOMPARE(view.plot()->graph(3)->dataCount(), 3);  // bound (not for exact)
    QVERIFY(view.verdictText().contains(QStringLiteral("exact")));
    // Every point and reference line is inside the visible range.
    const QCPRange y = view.plot()->yAxis->range();
    QVERIFY(y.contains(-86.34) && y.contains(-205.0) && y.contains(-150));
    QVERIFY(view.plot()->xAxis->range().contains(8));

    if (qEnvironmentVariableIsSet("RBM_SCREENSHOTS")) {
        view.plot()->replot();
        view.grab().save(qEnvironmentVariable("RBM_SCREENSHOTS") + QStringLiteral("/likelihood_view.png"));
    }
    view.setBaseline(std::nan(""));
    QCOMPARE(view.referenceLineCount(), 3);
    view.clear();
    QCOMPARE(view.pointCount(), 0);
    QCOMPARE(view.heldOutGraph()->dataCount(), 0);
}

void TestLikelihood::studioWindowEstimatesWhileTraining() {
    QTemporaryDir dir;
    MainWindow::Options o;
    o.useSettings = false;
    o.interactive = false;
    o.runsDirectory = dir.path();
    MainWindow w(o);
    auto* view = w.findChild<LikelihoodView*>(QStringLiteral("likelihoodView"));
    auto* health = w.findChild<HealthPanel*>(QStringLiteral("healthPanel"));
    auto* est = w.findChild<LikelihoodEstimator*>(QStringLiteral("likelihoodEstimator"));
    QVERIFY(view && health && est);
    QVERIFY(std::isfinite(est->baseline()));
    QCOMPARE(view->referenceLineCount(), 4);  // the published figures and this data's baseline
    health->setEarlyStopping(false);
    est->setEveryEpochs(1);
    // 20 hidden units: exact likelihoods, a few seconds per epoch.
    rbm::TrainingConfig cfg = w.controller()->config();
    cfg.hidden = rbm::testing::sizeFor(20, 14);
    cfg.epochs = 5;
    cfg.batchSize = 100;
    cfg.evalSubset = 200;
    cfg.binarization = rbm::Binarization::Threshold;
    w.controlsDock()->setConfig(cfg);
    emit w.controlsDock()->configEdited(cfg);
    w.resize(1600, 1000);
    w.show();
    w.controller()->start();
    QTRY_VERIFY_WITH_TIMEOUT(view->pointCount() >= 1, rbm::testing::patient(120000));
    // Early stopping as the panel advises it: the window pauses training and says why.
    if (w.controller()->state() == TrainingController::State::Running) {
        emit health->stopAdvised(QStringLiteral("Early stopping: test"));
        QCOMPARE(w.controller()->state(), TrainingController::State::Paused);
        w.controller()->resume();
    }
    QTRY_VERIFY_WITH_TIMEOUT(view->pointCount() >= 2, rbm::testing::patient(120000));
    QCOMPARE(view->points().front().report.method, std::string("exact"));
    QVERIFY(view->points().back().report.avgLogLikTest > est->baseline());  // beats independent pixels
    QVERIFY(health->lightOf("nan") == rbm::Light::Green);
    QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->isActive(), rbm::testing::patient(120000));
    if (qEnvironmentVariableIsSet("RBM_SCREENSHOTS")) {
        QTRY_VERIFY_WITH_TIMEOUT(!est->busy(), rbm::testing::patient(60000));
        const QString out = qEnvironmentVariable("RBM_SCREENSHOTS");
        for (QDockWidget* d : w.findChildren<QDockWidget*>())
            if (d->widget() == view || d->widget() == health) d->raise();
        QTest::qWait(300);
        w.grab().save(out + QStringLiteral("/studio_health.png"));
    }
    // Reset clears the plot and the lights.
    w.controller()->reset();
    QTRY_COMPARE(view->pointCount(), 0);
    w.close();
}

QTEST_MAIN(TestLikelihood)
#include "test_likelihood.moc"
