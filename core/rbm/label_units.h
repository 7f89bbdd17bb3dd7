#pragma once
/// Label units (Larochelle & Bengio 2008, "Classification using discriminative restricted
/// Boltzmann machines"; Hinton's digit movies): a one-hot group y of nLabels units beside the
/// pixels, joined to the hidden layer by U (Rbm::labelWeights, nLabels x nHidden) with biases
/// d (Rbm::labelBias), trained jointly with the pixels as a generative model of p(v, y):
///
///   E(v,y,h) = -b.v - c.h - d.y - v^T W h - y^T U h,   y one-hot
///   p(h_j=1|v,y) = sigmoid(c_j + v.W_:j + U_yj)
///   p(y=k|h)     = softmax_k(d_k + U_k:.h)     (the group is one unit with nLabels values)
///   F(v,y)       = -b.v - d_y - sum_j softplus(c_j + v.W_:j + U_yj)
///   p(y|v)       = softmax_y(-F(v,y))          (exact: nLabels free energies, no sampling)
///   F(v)         = -log sum_y exp(-F(v,y))     (the labels summed out)
///
/// Summing y out makes the model a mixture of nLabels plain RBMs: "slice" y is the RBM with
/// hidden bias c + U_y:, so exp(-F(v,y)) = exp(d_y - F_y(v)) and Z = sum_y exp(d_y) Z_y. The
/// exact partition function and AIS of a labelled model use that (labelledLogPartition,
/// labelledAis). Batches follow types.h: one example per row; Y is batch x nLabels.
#include <cstdint>
#include <vector>

#include "rbm/ais.h"
#include "rbm/model.h"
#include "rbm/partition_function.h"
#include "rbm/random.h"

namespace rbm {

struct Dataset;

/// Adds nLabels label units with zero weights and biases (replacing any there were).
void addLabelUnits(Rbm& m, int nLabels);
/// How many label units a model of `d` needs: the largest label + 1 (at least 2). Throws Error
/// naming the dataset when it has no labels.
int labelCountOf(const Dataset& d);
/// Rows of one-hot vectors: out(r, labels[r]) = 1.
Matrix oneHotRows(const std::vector<int>& labels, int nLabels);

/// p(h=1|v,y) = sigmoid(beta (V W + Y U + 1 c^T)); Y may hold probabilities (mean field).
void hiddenProbabilitiesGivenLabels(const Rbm& m, ConstMatrixRef V, ConstMatrixRef Y, MatrixRef out,
                                    float beta = 1.0f);
/// p(y|h) = softmax(beta (H U^T + 1 d^T)) per row; H: batch x nHidden -> out: batch x nLabels.
void labelProbabilities(const Rbm& m, ConstMatrixRef H, MatrixRef out, float beta = 1.0f);
/// One draw per row of the categorical distribution in that row of P (rows sum to 1).
void sampleOneHot(ConstMatrixRef P, MatrixRef out, Random& rng);

/// F(v,y) for every row of V and every label: batch x nLabels, in double precision.
Eigen::MatrixXd labelFreeEnergies(const Rbm& m, ConstMatrixRef V);
/// The exact p(y|v) = softmax_y(-F(v,y)): batch x nLabels.
Eigen::MatrixXd labelPosterior(const Rbm& m, ConstMatrixRef V);
/// -F(v) = log sum_y exp(-F(v,y)) per row (what negativeFreeEnergy returns for a labelled model).
Eigen::VectorXd labelledNegativeFreeEnergy(const Rbm& m, ConstMatrixRef V);
/// E(v,y,h) for one configuration, y the index of the label that is on.
double labelledEnergy(const Rbm& m, ConstVectorRef v, int y, ConstVectorRef h);

/// The plain RBM of label y: hidden bias c + U_y:, no label units.
Rbm labelSlice(const Rbm& m, int y);
/// log Z = log sum_y exp(d_y + log Z_y), each Z_y exact (exactLogPartition of the slice).
double labelledLogPartition(const Rbm& m, const ExactOptions& o);
/// AIS (forward, or reverse from `startData`) for each slice, combined as
/// log Z = log sum_y exp(d_y + log Z_y); each slice gets c.runs runs. The standard error is
/// the delta method's over the independent slices; ess and runs are the slices' sums.
AisResult labelledAis(const Rbm& m, ConstMatrixRef trainData, const Matrix* startData, const AisConfig& c);

}  // namespace rbm
