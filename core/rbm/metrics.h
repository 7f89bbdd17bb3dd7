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

/// Hinton's thresholds for a hidden unit that never fires (dead) or always fires (saturated),
/// judged on its mean p(h_j=1|v) over data.
constexpr float kDeadBelow = 0.01f;
constexpr float kSaturatedAbove = 0.99f;

struct HiddenActivity {
    Vector mean;        ///< mean p(h_j=1|v) over the examples
    int dead = 0;       ///< units with mean below deadBelow
    int saturated = 0;  ///< units with mean above saturatedAbove
};
HiddenActivity hiddenActivity(const Rbm& m, ConstMatrixRef V, float deadBelow = kDeadBelow,
                              float saturatedAbove = kSaturatedAbove);
/// The same counts for mean activities already known (a running estimate, a batch's mean).
HiddenActivity classifyUnits(Vector meanActivity, float deadBelow = kDeadBelow,
                             float saturatedAbove = kSaturatedAbove);

/// ||update|| / ||param|| (Frobenius); Hinton's rule of thumb: about 1e-3 for the weights.
/// Every view and rule shows this one number, so its edge cases are decided here:
///   - shapes differ (no update known for this parameter): NaN, shown as "n/a";
///   - param is zero: 0 if the update is zero too (nothing moved), else +inf (a step from
///     zero has no relative size; hidden biases start at zero).
double updateRatio(ConstMatrixRef update, ConstMatrixRef param);

/// sqrt(mean W_ij^2), 0 for an empty matrix: the size of the weights the health rules track.
double rootMeanSquare(ConstMatrixRef W);

}  // namespace rbm
