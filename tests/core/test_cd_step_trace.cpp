// One CD-k / PCD-k step traced for one example (rbm/cd_step_trace.h): every stage is the
// trainer's own, so the traced change of W equals the trainer's step for a batch of one with
// learning rate 1, plain SGD, no weight decay; p(h|v0) equals the model's closed form.
#include <QtTest>

#include <memory>

#include "rbm/cd_step_trace.h"
#include "rbm/trainer.h"
#include "tiny_rbm.h"

using namespace rbm;

namespace {

constexpr int kSide = 4;  // 4 x 4 images: 16 visible units
constexpr int kHidden = 8;

/// One 4 x 4 image with an empty first row and column (the trainer skips zero pixels there).
std::shared_ptr<const Dataset> oneImage() {
    auto d = std::make_shared<Dataset>();
    d->name = "one image";
    d->rows = d->cols = kSide;
    d->count = 1;
    d->pixels = {0, 0, 0, 0, 0, 255, 128, 30, 0, 200, 0, 255, 0, 17, 255, 90};
    return d;
}

Vector asVector(const Dataset& d) {
    Vector v(d.pixelsPerImage());
    for (int i = 0; i < v.size(); ++i) v(i) = static_cast<float>(d.pixels[std::size_t(i)]) * (1.0f / 255.0f);
    return v;
}

TrainingConfig batchOfOne(Algorithm a, int k) {
    TrainingConfig c;
    c.hidden = kHidden;
    c.algorithm = a;
    c.k = k;
    c.persistentChains = 1;
    c.batchSize = 1;
    c.optimizer.kind = OptimizerKind::Sgd;
    c.learningRateWeights = 1.0f;
    c.learningRateBiases = 1.0f;
    c.weightDecay = 0.0f;
    c.evalSubset = 0;
    c.threads = 1;
    return c;
}

float maxAbsDiff(const Matrix& a, const Matrix& b) { return (a - b).cwiseAbs().maxCoeff(); }

}  // namespace

class TestCdStepTrace : public QObject {
    Q_OBJECT
private slots:
    void equalsTheTrainersStepForABatchOfOne_data() {
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<int>("k");
        QTest::newRow("CD-1") << int(Algorithm::CD) << 1;
        QTest::newRow("CD-3") << int(Algorithm::CD) << 3;
        QTest::newRow("PCD-1") << int(Algorithm::PCD) << 1;
        QTest::newRow("PCD-2") << int(Algorithm::PCD) << 2;
    }
    void equalsTheTrainersStepForABatchOfOne() {
        QFETCH(int, algorithm);
        QFETCH(int, k);
        const auto alg = static_cast<Algorithm>(algorithm);
        const auto data = oneImage();
        // Weights large enough that the probabilities are far from 1/2 (a wrong stage shows).
        const Rbm model = testing::randomRbm(kSide * kSide, kHidden, 1.5, 11);
        TrainerState state;
        state.order = {0};
        state.rng = Random(5).state();
        state.chainRng = Random(6).state();
        Random chainInit(9);
        Vector chain(kSide * kSide);
        for (int i = 0; i < chain.size(); ++i) chain(i) = chainInit.uniform() < 0.5f ? 1.0f : 0.0f;
        if (alg == Algorithm::PCD) state.persistentChains = chain.transpose();

        CdStepOptions o;
        o.algorithm = alg;
        o.k = k;
        o.rng = state.rng;
        o.chainRng = state.chainRng;
        if (alg == Algorithm::PCD) o.chain = chain;
        const CdStepTrace t = traceCdStep(model, asVector(*data), o);

        Trainer trainer(data, std::make_shared<const Dataset>(), batchOfOne(alg, k), model, state);
        trainer.trainBatch();
        QCOMPARE(trainer.lastWeightUpdate().rows(), t.deltaW.rows());
        QVERIFY2(maxAbsDiff(trainer.lastWeightUpdate(), t.deltaW) < 1e-6f, "dW differs from the trainer's step");
        QVERIFY(maxAbsDiff(trainer.lastVisibleBiasUpdate(), t.deltaB) < 1e-6f);
        QVERIFY(maxAbsDiff(trainer.lastHiddenBiasUpdate(), t.deltaC) < 1e-6f);
        QVERIFY(maxAbsDiff(trainer.lastHiddenProbabilities().row(0).transpose(), t.h0Prob) < 1e-6f);
        QVERIFY(maxAbsDiff(trainer.negativeSamples().row(0).transpose(), t.v1) < 1e-6f);
        QVERIFY(maxAbsDiff(trainer.model().W, model.W + t.deltaW) < 1e-5f);
        // The trace drew exactly what the trainer drew: the streams end in the same state.
        QVERIFY(trainer.state().rng == t.rngAfter);
        QVERIFY(trainer.state().chainRng == t.chainRngAfter);
        // A step that changes nothing would pass the comparisons above too.
        QVERIFY(t.deltaW.cwiseAbs().maxCoeff() > 0.01f);
    }

    void stagesAreTheModelsConditionals() {
        const Rbm m = testing::randomRbm(kSide * kSide, kHidden, 1.0, 3);
        const Vector v0 = asVector(*oneImage());
        const CdStepTrace t = traceCdStep(m, v0, CdStepOptions::fromSeed(17));
        Matrix expected(1, kHidden);
        hiddenProbabilities(m, v0.transpose(), expected);
        QVERIFY(maxAbsDiff(expected.row(0).transpose(), t.h0Prob) < 1e-6f);
        // The sums a person reads: p = sigmoid(c + input).
        for (int j = 0; j < kHidden; ++j) {
            const float p = 1.0f / (1.0f + std::exp(-(m.hiddenBias(j) + t.h0Input(j))));
            QVERIFY(std::abs(p - t.h0Prob(j)) < 1e-6f);
            QCOMPARE(t.h0(j), t.h0Uniform(j) < t.h0Prob(j) ? 1.0f : 0.0f);
        }
        Matrix recon(1, kSide * kSide);
        visibleProbabilities(m, t.h0.transpose(), recon);
        QVERIFY(maxAbsDiff(recon.row(0).transpose(), t.reconProb) < 1e-6f);
        QVERIFY(maxAbsDiff(t.v1, t.reconProb) == 0.0f);  // CD-1: v1 is the reconstruction
        Matrix h1(1, kHidden);
        hiddenProbabilities(m, t.v1.transpose(), h1);
        QVERIFY(maxAbsDiff(h1.row(0).transpose(), t.h1Prob) < 1e-6f);
        QCOMPARE(t.positive(5, 2), t.v0(5) * t.h0Prob(2));
        QCOMPARE(t.negative(5, 2), t.v1(5) * t.h1Prob(2));
        QVERIFY(maxAbsDiff(t.deltaW, t.positive - t.negative) == 0.0f);
    }

    void sameSeedSameTraceAndPcdChainsAreBinary() {
        const Rbm m = testing::randomRbm(kSide * kSide, kHidden, 1.0, 4);
        const Vector v0 = asVector(*oneImage());
        const CdStepTrace a = traceCdStep(m, v0, CdStepOptions::fromSeed(8, Algorithm::PCD, 2));
        const CdStepTrace b = traceCdStep(m, v0, CdStepOptions::fromSeed(8, Algorithm::PCD, 2));
        QVERIFY(a.deltaW == b.deltaW);
        for (int i = 0; i < a.v1.size(); ++i) {
            QVERIFY(a.v1(i) == 0.0f || a.v1(i) == 1.0f);
            QVERIFY(a.chainStart(i) == 0.0f || a.chainStart(i) == 1.0f);
        }
    }

    void refusesMismatchedSizes() {
        const Rbm m = testing::randomRbm(kSide * kSide, kHidden, 1.0, 4);
        QVERIFY_THROWS_EXCEPTION(Error, traceCdStep(m, Vector::Zero(5), CdStepOptions::fromSeed(1)));
        CdStepOptions o = CdStepOptions::fromSeed(1);
        o.k = 0;
        QVERIFY_THROWS_EXCEPTION(Error, traceCdStep(m, Vector::Zero(16), o));
    }
};

QTEST_APPLESS_MAIN(TestCdStepTrace)
#include "test_cd_step_trace.moc"
