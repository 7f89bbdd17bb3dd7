#pragma once
/// Measures of how training goes. Reconstruction uses probabilities throughout (v -> p(h|v) ->
/// p(v|h)), so it is deterministic and comparable between batches and runs.
#include <cstdint>

#include "rbm/model.h"
#include "rbm/random.h"

namespace rbm {

struct ReconstructionError {
    double meanSquared = 0;   ///< mean over examples of sum_i (v_i - r_i)^2 / nVisible
    double crossEntropy = 0;  ///< mean over examples of -sum_i [v log r + (1-v) log(1-r)]
};
ReconstructionError reconstructionError(const Rbm& m, ConstMatrixRef V);
/// Same, when the reconstruction probabilities R are already known.
ReconstructionError reconstructionError(ConstMatrixRef V, ConstMatrixRef R);

/// Mean of F(v) over the rows of V.
double meanFreeEnergy(const Rbm& m, ConstMatrixRef V);

/// Pseudo-log-likelihood as scikit-learn's BernoulliRBM.score_samples defines it: for each
/// example v replace one randomly chosen unit v_i by 1 - v_i and take
/// nVisible * log sigmoid(F(v_flipped) - F(v)); this returns the mean over examples.
double pseudoLogLikelihood(const Rbm& m, ConstMatrixRef V, Random& rng);

struct HiddenActivity {
    Vector mean;        ///< mean p(h_j=1|v) over the examples
    int dead = 0;       ///< units with mean below deadBelow
    int saturated = 0;  ///< units with mean above saturatedAbove
};
HiddenActivity hiddenActivity(const Rbm& m, ConstMatrixRef V, float deadBelow = 0.01f,
                              float saturatedAbove = 0.99f);

/// ||update|| / ||param|| (Frobenius); Hinton's rule of thumb: about 1e-3 for the weights.
double updateRatio(ConstMatrixRef update, ConstMatrixRef param);

}  // namespace rbm
