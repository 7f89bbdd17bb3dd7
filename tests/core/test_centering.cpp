// Centring (core/rbm/centering.h) against the paper's definition, by enumeration: the centred
// gradient is the gradient of the log-likelihood in the centred parameters (checked by finite
// differences of the exact log-likelihood of a 4 x 3 RBM written with the centred energy), and
// the step mapped back to the standard parameters is that gradient step, mapped by hand.
#include <QtTest>

#include <cmath>
#include <vector>

#include "rbm/centering.h"
#include "rbm/model.h"
#include "rbm/random.h"

using namespace rbm;

namespace {

constexpr int kV = 4, kH = 3;
using MatrixD = Eigen::MatrixXd;
using VectorD = Eigen::VectorXd;

VectorD bits(int x, int n) {
    VectorD v(n);
    for (int i = 0; i < n; ++i) v(i) = (x >> i) & 1;
    return v;
}

/// The centred parameters as one vector: W (column-major), b', c'.
struct Centred {
    MatrixD W;
    VectorD b, c;
    VectorD flat() const {
        VectorD x(W.size() + b.size() + c.size());
        x << Eigen::Map<const VectorD>(W.data(), W.size()), b, c;
        return x;
    }
    static Centred from(const VectorD& x) {
        Centred p;
        p.W = Eigen::Map<const MatrixD>(x.data(), kV, kH);
        p.b = x.segment(kV * kH, kV);
        p.c = x.segment(kV * kH + kV, kH);
        return p;
    }
};

/// Mean log p(v) over `data` with E(v,h) = -(v-mu)^T W (h-lambda) - (v-mu)^T b' - (h-lambda)^T c'.
double centredLogLikelihood(const Centred& p, const VectorD& mu, const VectorD& lambda, const std::vector<VectorD>& data) {
    auto unnormalised = [&](const VectorD& v) {
        double s = 0;
        for (int h = 0; h < (1 << kH); ++h) {
            const VectorD hv = bits(h, kH);
            s += std::exp((v - mu).dot(p.W * (hv - lambda)) + (v - mu).dot(p.b) + (hv - lambda).dot(p.c));
        }
        return s;
    };
    double z = 0;
    for (int v = 0; v < (1 << kV); ++v) z += unnormalised(bits(v, kV));
    double ll = 0;
    for (const VectorD& v : data) ll += std::log(unnormalised(v) / z);
    return ll / static_cast<double>(data.size());
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

class TestCentering : public QObject {
    Q_OBJECT
private slots:
    void centredStepIsTheGradientStepOfTheCentredLikelihood();
    void zeroOffsetsChangeNothing();
};

void TestCentering::centredStepIsTheGradientStepOfTheCentredLikelihood() {
    Random rng(7);
    Rbm m(kV, kH);
    for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(rng.normal() * 0.8);
    for (int i = 0; i < kV; ++i) m.visibleBias(i) = static_cast<float>(rng.normal() * 0.5);
    for (int j = 0; j < kH; ++j) m.hiddenBias(j) = static_cast<float>(rng.normal() * 0.5);
    Vector mu(kV), lambda(kH);
    mu << 0.2f, 0.7f, 0.5f, 0.9f;
    lambda << 0.4f, 0.6f, 0.3f;
    const std::vector<VectorD> data = {bits(0b0011, kV), bits(0b0110, kV), bits(0b1111, kV), bits(0b1000, kV),
                                       bits(0b0101, kV)};

    // The standard gradient statistics, exact: data with p(h|v), the model by enumeration.
    const MatrixD W = m.W.cast<double>();
    const VectorD b = m.visibleBias.cast<double>(), c = m.hiddenBias.cast<double>();
    MatrixD vhData = MatrixD::Zero(kV, kH), vhModel = MatrixD::Zero(kV, kH);
    VectorD vData = VectorD::Zero(kV), hData = VectorD::Zero(kH), vModel = VectorD::Zero(kV), hModel = VectorD::Zero(kH);
    for (const VectorD& v : data) {
        const VectorD ph = (W.transpose() * v + c).unaryExpr([](double x) { return sigmoid(x); });
        vhData += v * ph.transpose() / double(data.size());
        vData += v / double(data.size());
        hData += ph / double(data.size());
    }
    double z = 0;
    for (int vi = 0; vi < (1 << kV); ++vi)
        for (int hi = 0; hi < (1 << kH); ++hi) {
            const VectorD v = bits(vi, kV), h = bits(hi, kH);
            const double p = std::exp(v.dot(W * h) + v.dot(b) + h.dot(c));
            z += p;
            vhModel += p * v * h.transpose();
            vModel += p * v;
            hModel += p * h;
        }
    vhModel /= z;
    vModel /= z;
    hModel /= z;
    Matrix gradW = (vhData - vhModel).cast<float>();
    const Vector db = (vData - vModel).cast<float>(), dc = (hData - hModel).cast<float>();

    // The library's step: centred weight gradient, biases to centred, step, back to standard.
    const float lr = 0.1f;
    centreWeightGradient(gradW, 0, kH, mu, lambda, db, dc);
    Vector bStep = m.visibleBias, cStep = m.hiddenBias;
    toCentredBiases(m.W, mu, lambda, bStep, cStep);
    bStep += lr * db;
    cStep += lr * dc;
    const Matrix wStep = m.W + lr * gradW;
    toStandardBiases(wStep, mu, lambda, bStep, cStep);

    // The paper's: the gradient of the centred log-likelihood by central differences...
    const VectorD muD = mu.cast<double>(), lambdaD = lambda.cast<double>();
    Centred p{W, b + W * lambdaD, c + W.transpose() * muD};
    const VectorD x = p.flat();
    VectorD grad(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double eps = 1e-5;
        VectorD up = x, down = x;
        up(i) += eps;
        down(i) -= eps;
        grad(i) = (centredLogLikelihood(Centred::from(up), muD, lambdaD, data) -
                   centredLogLikelihood(Centred::from(down), muD, lambdaD, data)) / (2 * eps);
    }
    // ...equals the centred formula, dW = <(v - mu)(h - lambda)^T>_data - <...>_model...
    const MatrixD centredW = Centred::from(grad).W;
    QVERIFY((centredW - gradW.cast<double>()).cwiseAbs().maxCoeff() < 1e-6);
    // ...and its step, mapped back by hand (b = b' - W lambda, c = c' - W^T mu), is the library's.
    const Centred after = Centred::from(x + double(lr) * grad);
    const VectorD bBack = after.b - after.W * lambdaD, cBack = after.c - after.W.transpose() * muD;
    QVERIFY((wStep.cast<double>() - after.W).cwiseAbs().maxCoeff() < 1e-6);
    QVERIFY((bStep.cast<double>() - bBack).cwiseAbs().maxCoeff() < 1e-5);
    QVERIFY((cStep.cast<double>() - cBack).cwiseAbs().maxCoeff() < 1e-5);
    // Centring changes the step: the plain one differs by more than the tolerances above.
    QVERIFY((m.visibleBias + lr * db - bStep).cwiseAbs().maxCoeff() > 1e-3f);
}

void TestCentering::zeroOffsetsChangeNothing() {
    Rbm m(kV, kH);
    m.W.setConstant(0.3f);
    m.visibleBias.setConstant(-0.2f);
    m.hiddenBias.setConstant(0.1f);
    const Vector mu = Vector::Zero(kV), lambda = Vector::Zero(kH);
    Matrix g = Matrix::Constant(kV, kH, 0.25f);
    centreWeightGradient(g, 0, kH, mu, lambda, Vector::Constant(kV, 1.0f), Vector::Constant(kH, 2.0f));
    QVERIFY(g == Matrix::Constant(kV, kH, 0.25f));
    Vector b = m.visibleBias, c = m.hiddenBias;
    toCentredBiases(m.W, mu, lambda, b, c);
    QVERIFY(b == m.visibleBias && c == m.hiddenBias);
    // Sliding offsets move towards the batch mean at the given rate.
    Vector offset = Vector::Constant(2, 0.5f);
    Matrix cols(2, 2);
    cols << 1, 0, 1, 1;
    slideOffset(offset, cols, 2, 0.1f);
    QVERIFY(std::fabs(offset(0) - 0.5f) < 1e-7f && std::fabs(offset(1) - 0.55f) < 1e-7f);
}

QTEST_APPLESS_MAIN(TestCentering)
#include "test_centering.moc"
