#pragma once
/// The Bernoulli-Bernoulli RBM as plain data, and the small pieces of maths on it.
///
///   E(v,h) = -b.v - c.h - v^T W h,   v in {0,1}^nVisible, h in {0,1}^nHidden
///   p(h_j=1|v) = sigmoid(c_j + v^T W_:j),   p(v_i=1|h) = sigmoid(b_i + W_i: h)
///   F(v) = -b.v - sum_j softplus(c_j + v^T W_:j)          (free energy, p(v) = e^{-F(v)}/Z)
///
/// Optionally a one-hot group of label units y beside the pixels (label_units.h has their
/// maths): E(v,y,h) = E(v,h) - d.y - y^T U h. The functions here that take no labels see the
/// label group switched off (y = 0), except freeEnergy, which sums the labels out.
///
/// All functions take batches in the layout documented in types.h (one example per row).
#include "rbm/types.h"

namespace rbm {

struct Rbm {
    Matrix W;            ///< nVisible x nHidden
    Vector visibleBias;  ///< b, nVisible
    Vector hiddenBias;   ///< c, nHidden
    int imageRows = 0;   ///< how the visible units tile as an image (0 = unknown)
    int imageCols = 0;
    Matrix labelWeights; ///< U, nLabels x nHidden; empty: a model without label units
    Vector labelBias;    ///< d, nLabels

    Rbm() = default;
    Rbm(int nVisible, int nHidden);  ///< all zeros
    int nVisible() const { return static_cast<int>(W.rows()); }
    int nHidden() const { return static_cast<int>(W.cols()); }
    int nLabels() const { return static_cast<int>(labelWeights.rows()); }
    bool hasLabels() const { return labelWeights.rows() > 0; }
    bool isFinite() const;
};

/// Numerically safe logistic function and softplus (log(1+e^x)), elementwise in place.
void sigmoidInPlace(MatrixRef x);
float softplus(float x);

/// p(h=1|v) = sigmoid(beta * (V W + 1 c^T)); V: batch x nVisible -> out: batch x nHidden.
void hiddenProbabilities(const Rbm& m, ConstMatrixRef V, MatrixRef out, float beta = 1.0f);
/// p(v=1|h) = sigmoid(beta * (H W^T + 1 b^T)); H: batch x nHidden -> out: batch x nVisible.
void visibleProbabilities(const Rbm& m, ConstMatrixRef H, MatrixRef out, float beta = 1.0f);

/// F(v) per row, in double precision accumulation: -b.v - sum_j softplus(c_j + v.W_:j).
/// With label units, F(v) = -log sum_y exp(-F(v,y)) (the labels summed out).
Eigen::VectorXd freeEnergy(const Rbm& m, ConstMatrixRef V);
/// E(v,h) for one pair of state vectors.
double energy(const Rbm& m, ConstVectorRef v, ConstVectorRef h);

}  // namespace rbm
