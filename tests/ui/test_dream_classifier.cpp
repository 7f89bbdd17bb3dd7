// "Which digit is it now": logistic regression on p(h|v), trained in the background for the
// current weights, read out by the dream panel at every step.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <atomic>
#include <memory>
#include <numeric>

#include "patience.h"
#include "dream/classifier_trainer.h"
#include "dream/dream_engine.h"
#include "dream/dream_panel.h"
#include "dream/dream_views.h"
#include "rbm/feature_classifier.h"
#include "test_dream_support.h"

using dreamtest::trainedModel;

class TestDreamClassifier : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QElapsedTimer t;
        t.start();
        QVERIFY(trainedModel()->isFinite());
        qInfo("trained the test RBM in %lld ms", static_cast<long long>(t.elapsed()));
    }

    void probabilitiesSumToOne() {
        const rbm::DatasetPair& d = dreamtest::mnist();
        const rbm::FeatureClassifier c = rbm::trainFeatureClassifier(*trainedModel(), d.train, 1000);
        QCOMPARE(c.classes(), 10);
        QCOMPARE(c.features(), 100);
        rbm::Matrix V(50, 784), H(50, 100), P(50, 10);
        for (int i = 0; i < 50; ++i)
            for (int j = 0; j < 784; ++j) V(i, j) = d.test.image(static_cast<std::size_t>(i))[j] / 255.0f;
        rbm::hiddenProbabilities(*trainedModel(), V, H);
        c.predict(H, P);
        for (int i = 0; i < 50; ++i) {
            QVERIFY(std::abs(P.row(i).sum() - 1.0f) < 1e-5f);
            QVERIFY(P.row(i).minCoeff() >= 0.0f);
        }
    }

    void generalises() {
        // Held-out digits: accuracy far above chance (10 %). A 1-epoch, 100-unit RBM's features
        // give about 85-90 %; the bound leaves room for seeds and BLAS differences. (How fast it
        // trains is not asserted: a test must not depend on the machine's load.)
        const rbm::DatasetPair& d = dreamtest::mnist();
        QElapsedTimer t;
        t.start();
        const rbm::FeatureClassifier c = rbm::trainFeatureClassifier(*trainedModel(), d.train, 3000);
        qInfo("classifier trained on 3,000 digits in %lld ms", static_cast<long long>(t.elapsed()));
        const std::size_t n = d.test.count;
        rbm::Matrix V(static_cast<Eigen::Index>(n), 784), H(static_cast<Eigen::Index>(n), 100), P(static_cast<Eigen::Index>(n), 10);
        for (std::size_t i = 0; i < n; ++i)
            for (int j = 0; j < 784; ++j) V(static_cast<Eigen::Index>(i), j) = d.test.image(i)[j] / 255.0f;
        rbm::hiddenProbabilities(*trainedModel(), V, H);
        c.predict(H, P);
        const double acc = rbm::classificationAccuracy(P, d.test.labels);
        qInfo("held-out accuracy %.3f", acc);
        QVERIFY2(acc > 0.7, qPrintable(QStringLiteral("accuracy %1").arg(acc)));
    }

    void rejectsBadInput() {
        rbm::FeatureClassifier c;
        rbm::Matrix X = rbm::Matrix::Zero(3, 4);
        QVERIFY_THROWS_EXCEPTION(rbm::Error, c.train(X, {0, 1}, 2));
        QVERIFY_THROWS_EXCEPTION(rbm::Error, c.train(X, {0, 1, 5}, 2));
        rbm::Dataset unlabelled = dreamtest::mnist().test;
        unlabelled.labels.clear();
        QVERIFY_THROWS_EXCEPTION(rbm::Error, rbm::trainFeatureClassifier(*trainedModel(), unlabelled));
    }

    void cancelStopsTraining() {
        // Set before the call: trainFeatureClassifier gives up at its first check.
        const std::atomic<bool> cancel{true};
        rbm::FeatureClassifierOptions o;
        o.cancel = &cancel;
        QVERIFY_THROWS_EXCEPTION(rbm::Error, rbm::trainFeatureClassifier(*trainedModel(), dreamtest::mnist().train, 3000, o));
        rbm::FeatureClassifier c;
        QVERIFY_THROWS_EXCEPTION(rbm::Error, c.train(rbm::Matrix::Zero(4, 3), {0, 1, 0, 1}, 2, o));
        QVERIFY(!c.trained());
    }

    void destroyingTheTrainerCancelsItsJob() {
        auto trainer = std::make_unique<studio::ClassifierTrainer>();
        QSignalSpy ready(trainer.get(), &studio::ClassifierTrainer::classifierReady);
        trainer->setSubset(0);  // every digit: the job is still running when the trainer goes
        trainer->setDataset(std::make_shared<const rbm::Dataset>(dreamtest::mnist().train));
        trainer->setModel(trainedModel());
        QVERIFY(trainer->busy());
        trainer.reset();  // cancels and joins; nothing is delivered afterwards
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), 0);
    }

    void newDatasetRestartsARunningJob() {
        studio::ClassifierTrainer trainer;
        trainer.setMinimumInterval(0);
        QSignalSpy ready(&trainer, &studio::ClassifierTrainer::classifierReady);
        trainer.setModel(trainedModel());
        trainer.setDataset(std::make_shared<const rbm::Dataset>(dreamtest::mnist().train));
        QVERIFY(trainer.busy());
        // A smaller labelled set replaces the first while it trains: the job is cancelled and
        // the classifier that arrives is trained on the new set.
        rbm::Dataset few = dreamtest::mnist().train;
        few.count = 200;
        few.pixels.resize(200 * 784);
        few.labels.resize(200);
        trainer.setDataset(std::make_shared<const rbm::Dataset>(few));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, rbm::testing::patient(10000));
        QVERIFY(trainer.classifier());
        QVERIFY(trainer.classifier()->weights() == rbm::trainFeatureClassifier(*trainedModel(), few, 3000).weights());
    }

    void trainerRetrainsOnlyWhenTheModelMoves() {
        studio::ClassifierTrainer trainer;
        trainer.setMinimumInterval(0);
        QSignalSpy ready(&trainer, &studio::ClassifierTrainer::classifierReady);
        trainer.setDataset(std::make_shared<const rbm::Dataset>(dreamtest::mnist().train));
        trainer.setModel(trainedModel());
        QVERIFY(trainer.available());
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, rbm::testing::patient(10000));
        QVERIFY(trainer.classifier());
        // A copy with a 1 % nudge: not worth retraining. A 20 % change: retrained.
        auto nudged = std::make_shared<rbm::Rbm>(*trainedModel());
        nudged->W *= 1.01f;
        trainer.setModel(nudged);
        QTest::qWait(300);
        QCOMPARE(ready.count(), 1);
        auto moved = std::make_shared<rbm::Rbm>(*trainedModel());
        moved->W *= 1.2f;
        trainer.setModel(moved);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, rbm::testing::patient(10000));
    }

    void panelReadoutAgreesWithLabelsAtStepZero() {
        studio::DreamPanel panel;
        const rbm::DatasetPair& d = dreamtest::mnist();
        panel.setDatasets(std::make_shared<const rbm::Dataset>(d.train), std::make_shared<const rbm::Dataset>(d.test));
        panel.setModel(trainedModel());
        QTRY_VERIFY_WITH_TIMEOUT(panel.classifierTrainer()->classifier() != nullptr, rbm::testing::patient(10000));
        int hits = 0;
        const int n = 200;
        for (int i = 0; i < n; ++i) {
            QVERIFY(panel.startFromTestDigit(i));
            QCOMPARE(panel.engine()->halfSteps(), std::int64_t(0));
            const std::vector<float> p = panel.currentClassProbabilities();
            QCOMPARE(static_cast<int>(p.size()), 10);
            QVERIFY(std::abs(std::accumulate(p.begin(), p.end(), 0.0f) - 1.0f) < 1e-4f);
            const int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
            hits += best == d.test.labels[static_cast<std::size_t>(i)];
        }
        qInfo("panel readout at step 0: %d / %d correct", hits, n);
        QVERIFY2(hits > n * 6 / 10, qPrintable(QStringLiteral("%1 of %2").arg(hits).arg(n)));
        // And it keeps summing to 1 while the chain dreams.
        for (int s = 0; s < 20; ++s) panel.engine()->step();
        const std::vector<float> p = panel.currentClassProbabilities();
        QVERIFY(std::abs(std::accumulate(p.begin(), p.end(), 0.0f) - 1.0f) < 1e-4f);
    }

    void noLabelsHidesTheReadout() {
        studio::DreamPanel panel;
        rbm::Dataset unlabelled = dreamtest::mnist().test;
        unlabelled.labels.clear();
        auto data = std::make_shared<const rbm::Dataset>(unlabelled);
        panel.setDatasets(data, data);
        panel.setModel(trainedModel());
        panel.show();
        QVERIFY(!panel.readout()->isVisible());
        QVERIFY(!panel.classifierTrainer()->available());
        QVERIFY(panel.currentClassProbabilities().empty());
    }
};

QTEST_MAIN(TestDreamClassifier)
#include "test_dream_classifier.moc"
