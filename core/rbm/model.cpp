#include "rbm/model.h"

#include <cmath>

#include "rbm/label_units.h"
#include "rbm/products.h"

namespace rbm {

Rbm::Rbm(int nVisible, int nHidden)
    : W(Matrix::Zero(nVisible, nHidden)),
      visibleBias(Vector::Zero(nVisible)),
      hiddenBias(Vector::Zero(nHidden)) {}

bool Rbm::isFinite() const {
    return W.allFinite() && visibleBias.allFinite() && hiddenBias.allFinite() && labelWeights.allFinite() &&
           labelBias.allFinite();
}

void sigmoidInPlace(MatrixRef x) {
    // Eigen's vectorised logistic is accurate for large |x| (no overflow to NaN).
    x = x.array().logistic().matrix();
}

float softplus(float x) {
    // log(1 + e^x) without overflow: for large x it is x, for very negative x it is e^x.
    if (x > 20.0f) return x;
    if (x < -20.0f) return std::exp(x);
    return std::log1p(std::exp(x));
}

void hiddenProbabilities(const Rbm& m, ConstMatrixRef V, MatrixRef out, float beta) {
    multiply(out, V, Op::Plain, m.W, Op::Plain);
    out.rowwise() += m.hiddenBias.transpose();
    if (beta != 1.0f) out *= beta;
    sigmoidInPlace(out);
}

void visibleProbabilities(const Rbm& m, ConstMatrixRef H, MatrixRef out, float beta) {
    multiply(out, H, Op::Plain, m.W, Op::Transposed);
    out.rowwise() += m.visibleBias.transpose();
    if (beta != 1.0f) out *= beta;
    sigmoidInPlace(out);
}

Eigen::VectorXd freeEnergy(const Rbm& m, ConstMatrixRef V) {
    if (m.hasLabels()) return -labelledNegativeFreeEnergy(m, V);
    Matrix pre = V * m.W;
    pre.rowwise() += m.hiddenBias.transpose();
    // softplus(x) = max(x, 0) + log1p(exp(-|x|)): vectorised and accurate for any x.
    pre.array() = pre.array().max(0.0f) + (-pre.array().abs()).exp().log1p();
    const Eigen::VectorXd s = pre.cast<double>().rowwise().sum();
    const Eigen::VectorXd vb = V.cast<double>() * m.visibleBias.cast<double>();
    return -vb - s;
}

double energy(const Rbm& m, ConstVectorRef v, ConstVectorRef h) {
    const Eigen::VectorXd vd = v.cast<double>();
    const Eigen::VectorXd hd = h.cast<double>();
    return -vd.dot(m.visibleBias.cast<double>()) - hd.dot(m.hiddenBias.cast<double>()) -
           vd.dot(m.W.cast<double>() * hd);
}

}  // namespace rbm
