// Label units (label_units.h) on a tiny labelled RBM (6 visible, 4 hidden, 3 labels), against
// brute-force enumeration of every joint state (v, y, h): the conditionals, the free energies,
// log Z (exact and AIS), a class-clamped Gibbs chain's stationary distribution, the training
// gradient of the label weights, and the checkpoint arrays.
#include <QtTest>

#include <cmath>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/label_training.h"
#include "rbm/label_units.h"
#include "rbm/likelihood.h"
#include "rbm/npz.h"
#include "rbm/sampler.h"
#include "rbm/trainer.h"
#include "tiny_labelled_rbm.h"

using namespace rbm;
using rbm::testing::LabelledEnumeration;
using rbm::testing::labelledModel;
using rbm::testing::randomRbm;
using rbm::testing::stateVector;

namespace {

constexpr int kV = 6, kH = 4, kL = 3;

Matrix allVisibleStates(int nv) {
    Matrix V(1 << nv, nv);
    for (unsigned v = 0; v < (1u << nv); ++v) V.row(v) = stateVector(v, nv).transpose();
    return V;
}

}  // namespace

class TestLabelUnits : public QObject {
    Q_OBJECT
private slots:
    void conditionalsMatchEnumeration();
    void freeEnergiesAndLogZMatchEnumeration();
    void aisOfALabelledModelMatchesExact();
    void clampedChainSamplesTheClassConditional();
    void labelGradientMatchesEnumeration();
    void checkpointKeepsTheLabelArrays();
    void trainingWithoutLabelsInTheDataIsRefused();
};

void TestLabelUnits::conditionalsMatchEnumeration() {
    const Rbm m = labelledModel(kV, kH, kL, 11);
    const LabelledEnumeration e(m);
    const Matrix V = allVisibleStates(kV);
    // p(y|v): exact from free energies.
    const Eigen::MatrixXd py = labelPosterior(m, V);
    for (unsigned v = 0; v < (1u << kV); ++v)
        for (int y = 0; y < kL; ++y) QVERIFY(std::abs(py(v, y) - e.pvy(v, y) / e.pv(v)) < 1e-9);
    // p(h_j=1|v,y).
    for (int y = 0; y < kL; ++y) {
        const Matrix Y = Matrix::Zero(V.rows(), kL) + Matrix::Ones(V.rows(), 1) * oneHotRows({y}, kL);
        Matrix ph(V.rows(), kH);
        hiddenProbabilitiesGivenLabels(m, V, Y, ph);
        for (unsigned v = 0; v < (1u << kV); ++v)
            for (int j = 0; j < kH; ++j) {
                double on = 0;
                for (unsigned h = 0; h < (1u << kH); ++h)
                    if ((h >> j) & 1u) on += e.p[e.index(v, y, h)];
                QVERIFY2(std::abs(double(ph(v, j)) - on / e.pvy(v, y)) < 1e-5, qPrintable(QString("v %1 y %2 j %3").arg(v).arg(y).arg(j)));
            }
    }
    // p(y|h) and p(v_i=1|h) (which must not depend on y).
    const Matrix H = allVisibleStates(kH);
    Matrix pyh(H.rows(), kL), pvh(H.rows(), kV);
    labelProbabilities(m, H, pyh);
    visibleProbabilities(m, H, pvh);
    for (unsigned h = 0; h < (1u << kH); ++h) {
        double ph = 0;
        std::vector<double> perY(kL, 0.0), onV(kV, 0.0);
        for (int y = 0; y < kL; ++y)
            for (unsigned v = 0; v < (1u << kV); ++v) {
                const double q = e.p[e.index(v, y, h)];
                ph += q;
                perY[static_cast<std::size_t>(y)] += q;
                for (int i = 0; i < kV; ++i)
                    if ((v >> i) & 1u) onV[static_cast<std::size_t>(i)] += q;
            }
        for (int y = 0; y < kL; ++y) QVERIFY(std::abs(double(pyh(h, y)) - perY[static_cast<std::size_t>(y)] / ph) < 1e-5);
        for (int i = 0; i < kV; ++i) QVERIFY(std::abs(double(pvh(h, i)) - onV[static_cast<std::size_t>(i)] / ph) < 1e-5);
        for (int y = 0; y < kL; ++y)
            for (int i = 0; i < kV; ++i) {
                double on = 0, all = 0;
                for (unsigned v = 0; v < (1u << kV); ++v) {
                    all += e.p[e.index(v, y, h)];
                    if ((v >> i) & 1u) on += e.p[e.index(v, y, h)];
                }
                QVERIFY(std::abs(double(pvh(h, i)) - on / all) < 1e-5);
            }
    }
}

void TestLabelUnits::freeEnergiesAndLogZMatchEnumeration() {
    // Both enumeration directions: the hidden layer smaller (6 x 4) and larger (4 x 6).
    for (const auto& [nv, nh] : {std::pair{kV, kH}, std::pair{kH, kV}}) {
        const Rbm m = labelledModel(nv, nh, kL, 23);
        const LabelledEnumeration e(m);
        const Matrix V = allVisibleStates(nv);
        const Eigen::MatrixXd Fvy = labelFreeEnergies(m, V);
        const Eigen::VectorXd F = freeEnergy(m, V);
        const Eigen::VectorXd negF = negativeFreeEnergy(m, V);
        for (unsigned v = 0; v < (1u << nv); ++v) {
            for (int y = 0; y < kL; ++y) QVERIFY(std::abs(Fvy(v, y) + std::log(e.pvy(v, y)) + e.logZ) < 1e-9);
            const double exactF = -(std::log(e.pv(v)) + e.logZ);
            QVERIFY(std::abs(negF(v) + exactF) < 1e-9);
            QVERIFY(std::abs(F(v) - exactF) < 1e-9);
        }
        // The slices' hidden biases c + U_y are float sums: log Z is exact to their rounding.
        QVERIFY2(std::abs(exactLogPartition(m) - e.logZ) < 1e-6,
                 qPrintable(QString("%1 vs %2").arg(exactLogPartition(m), 0, 'g', 12).arg(e.logZ, 0, 'g', 12)));
        // The likelihood the app reports: p(v) with y summed out.
        const Matrix data = V.topRows(10);
        const LikelihoodReport rep = estimateLikelihood(m, data, data);
        double mean = 0;
        for (unsigned v = 0; v < 10; ++v) mean += std::log(e.pv(v));
        QCOMPARE(rep.method, std::string("exact"));
        QVERIFY(std::abs(rep.avgLogLikTest - mean / 10) < 1e-6);
    }
}

void TestLabelUnits::aisOfALabelledModelMatchesExact() {
    const Rbm m = labelledModel(kV, kH, kL, 31);
    const double exact = exactLogPartition(m);
    const Matrix data = allVisibleStates(kV).topRows(20);
    const AisConfig c = AisConfig::withBetas(100, 600);
    const AisResult fwd = forwardAis(m, data, c);
    QCOMPARE(fwd.runs, 300);  // 100 per label slice
    QVERIFY2(std::abs(fwd.logZ - exact) < 3 * fwd.stdErr + 0.05,
             qPrintable(QString("AIS %1 +/- %2, exact %3").arg(fwd.logZ).arg(fwd.stdErr).arg(exact)));
    const AisResult rev = reverseAis(m, data, data, c);
    QVERIFY(std::abs(rev.logZ - exact) < 3 * rev.stdErr + 0.05);
}

void TestLabelUnits::clampedChainSamplesTheClassConditional() {
    // 20,000 independent chains, each after 60 sweeps clamped to class K: their states are
    // draws of p(v | y=K); every state's frequency must lie within 4.5 standard errors
    // (sqrt(p(1-p)/N), a multinomial count) of the enumerated probability.
    const Rbm m = labelledModel(kV, kH, kL, 41);
    const LabelledEnumeration e(m);
    const int chains = 20000, K = 2;
    GibbsSampler sampler(5);
    GibbsOptions o;
    o.clampLabel = K;
    Matrix start(chains, kV);
    sampler.rng().fillUniform(start);
    start = (start.array() < 0.5f).cast<float>().matrix();
    GibbsState s;
    sampler.start(m, s, start, o);
    for (int t = 0; t < 60; ++t) sampler.step(m, s, o);
    QVERIFY((s.y.col(K).array() == 1.0f).all());
    std::vector<double> count(1u << kV, 0.0);
    for (int c = 0; c < chains; ++c) {
        unsigned v = 0;
        for (int i = 0; i < kV; ++i) v |= (s.v(c, i) > 0.5f ? 1u : 0u) << i;
        count[v] += 1;
    }
    double pK = 0;
    for (unsigned v = 0; v < (1u << kV); ++v) pK += e.pvy(v, K);
    double worst = 0;
    for (unsigned v = 0; v < (1u << kV); ++v) {
        const double p = e.pvy(v, K) / pK, f = count[v] / chains;
        const double se = std::sqrt(std::max(p * (1 - p), 1e-6) / chains);
        worst = std::max(worst, std::abs(f - p) / se);
    }
    QVERIFY2(worst < 4.5, qPrintable(QString("largest deviation %1 standard errors").arg(worst)));
    // Free labels: the chain's label frequencies are the model's p(y).
    GibbsOptions free;
    sampler.start(m, s, start, free);
    for (int t = 0; t < 60; ++t) sampler.step(m, s, free);
    for (int y = 0; y < kL; ++y) {
        double p = 0;
        for (unsigned v = 0; v < (1u << kV); ++v) p += e.pvy(v, y);
        const double f = s.y.col(y).sum() / chains, se = std::sqrt(p * (1 - p) / chains);
        QVERIFY2(std::abs(f - p) < 4.5 * se, qPrintable(QString("p(y=%1) %2, chains %3").arg(y).arg(p).arg(f)));
    }
}

void TestLabelUnits::labelGradientMatchesEnumeration() {
    // One PCD batch with plain SGD and a small learning rate: (U' - U) / (scale lr) is the trainer's
    // gradient <y h>_data - <y h>_model. The data term is exact; the model term comes from
    // 20,000 persistent chains after 100 sweeps, so it must be within 4.5 standard errors.
    const Rbm m = labelledModel(kV, kH, kL, 53, 0.7);
    const LabelledEnumeration e(m);
    auto data = std::make_shared<Dataset>();
    data->rows = 2;
    data->cols = 3;
    data->count = 30;
    data->name = "tiny labelled";
    Random rng(3);
    for (std::size_t n = 0; n < data->count; ++n) {
        for (int i = 0; i < kV; ++i) data->pixels.push_back(rng.uniform() < 0.5f ? 255 : 0);
        data->labels.push_back(static_cast<std::uint8_t>(n % kL));
    }
    TrainingConfig c;
    c.hidden = kH;
    c.algorithm = Algorithm::PCD;
    c.k = 100;
    c.persistentChains = 20000;
    c.batchSize = 30;
    c.optimizer.kind = OptimizerKind::Sgd;
    c.learningRateWeights = c.learningRateBiases = 1e-3f;
    c.weightDecay = 0;
    c.evalSubset = 10;
    Trainer t(data, nullptr, c, m, TrainerState{});
    QVERIFY(t.config().labels);
    t.trainBatch();
    // The label units learn kLabelRateScale times faster (label_training.h).
    const Matrix gU = (t.model().labelWeights - m.labelWeights) / (kLabelRateScale * c.learningRateWeights);
    const Vector gd = (t.model().labelBias - m.labelBias) / (kLabelRateScale * c.learningRateBiases);
    for (int k = 0; k < kL; ++k) {
        // <y_k>_model, <y_k h_j>_model by enumeration; the data term from p(h|v,y) of the data.
        double modelY = 0;
        std::vector<double> modelYH(kH, 0.0);
        for (unsigned h = 0; h < (1u << kH); ++h)
            for (unsigned v = 0; v < (1u << kV); ++v) {
                const double q = e.p[e.index(v, k, h)];
                modelY += q;
                for (int j = 0; j < kH; ++j)
                    if ((h >> j) & 1u) modelYH[static_cast<std::size_t>(j)] += q;
            }
        Matrix X = toMatrix(*data);
        Matrix Y = oneHotRows(std::vector<int>(data->labels.begin(), data->labels.end()), kL);
        Matrix ph(X.rows(), kH);
        hiddenProbabilitiesGivenLabels(m, X, Y, ph);
        const double dataY = Y.col(k).mean();
        const double se = std::sqrt(modelY * (1 - modelY) / c.persistentChains) + 1e-4;
        QVERIFY2(std::abs(double(gd(k)) - (dataY - modelY)) < 4.5 * se,
                 qPrintable(QString("dd_%1 %2, exact %3").arg(k).arg(gd(k)).arg(dataY - modelY)));
        for (int j = 0; j < kH; ++j) {
            const double dataYH = (Y.col(k).array() * ph.col(j).array()).mean();
            const double q = modelYH[static_cast<std::size_t>(j)];
            const double exact = dataYH - q;
            const double seJ = std::sqrt(modelY * (1 - modelY) / c.persistentChains) + 1e-4;
            QVERIFY2(std::abs(double(gU(k, j)) - exact) < 4.5 * seJ,
                     qPrintable(QString("dU_%1%2 %3, exact %4").arg(k).arg(j).arg(gU(k, j)).arg(exact)));
        }
    }
}

void TestLabelUnits::checkpointKeepsTheLabelArrays() {
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/labelled.npz").toStdString();
    Checkpoint c;
    c.model = labelledModel(kV, kH, kL, 61);
    c.config.hidden = kH;
    c.config.labels = true;
    TrainerState s;
    s.order = {0, 1, 2};
    s.persistentLabels = oneHotRows({2, 0, 1, 1}, kL);
    s.persistentChains = Matrix::Zero(4, kV);
    s.labelOptimizer.first[0] = Vector::LinSpaced(kL * kH, -1, 1);
    s.labelOptimizer.first[1] = Vector::LinSpaced(kL, 0, 1);
    c.state = s;
    saveCheckpoint(path, c);
    const Checkpoint back = loadCheckpoint(path);
    QVERIFY(back.model.hasLabels());
    QVERIFY(back.config.labels);
    QCOMPARE(back.model.labelWeights, c.model.labelWeights);
    QCOMPARE(back.model.labelBias, c.model.labelBias);
    QCOMPARE(back.state->persistentLabels, s.persistentLabels);
    QCOMPARE(back.state->labelOptimizer.first[0], s.labelOptimizer.first[0]);
    QCOMPARE(back.state->labelOptimizer.first[1], s.labelOptimizer.first[1]);
    QCOMPARE(readCheckpointInfo(path).nLabels, kL);
    // Their own arrays, in C order: label_weights[k, j] = U(k, j).
    const std::vector<NpyArray> arrays = readNpz(path);
    bool sawWeights = false, sawBias = false;
    for (const NpyArray& a : arrays) {
        if (a.name == "label_weights") {
            sawWeights = true;
            QCOMPARE(a.shape, (std::vector<std::size_t>{kL, kH}));
            QCOMPARE(a.toFloats()[1 * kH + 2], c.model.labelWeights(1, 2));
        }
        if (a.name == "label_bias") {
            sawBias = true;
            QCOMPARE(a.shape, (std::vector<std::size_t>{kL}));
        }
    }
    QVERIFY(sawWeights && sawBias);
    // A model without label units writes none and loads without them.
    Checkpoint plain;
    plain.model = randomRbm(kV, kH, 1.0, 3);
    plain.config.hidden = kH;
    saveCheckpoint(path, plain);
    QVERIFY(!loadCheckpoint(path).model.hasLabels());
    for (const NpyArray& a : readNpz(path)) QVERIFY(a.name.rfind("label", 0) != 0);
}

void TestLabelUnits::trainingWithoutLabelsInTheDataIsRefused() {
    auto data = std::make_shared<Dataset>();
    data->rows = 2;
    data->cols = 3;
    data->count = 4;
    data->name = "unlabelled pictures";
    data->pixels.assign(24, 0);
    TrainingConfig c;
    c.hidden = kH;
    c.labels = true;
    try {
        Trainer t(data, nullptr, c);
        QFAIL("a dataset without labels was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("unlabelled pictures") && QString(e.what()).contains("no labels"), e.what());
    }
}

QTEST_APPLESS_MAIN(TestLabelUnits)
#include "test_label_units.moc"
