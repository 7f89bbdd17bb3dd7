#pragma once
/// One CD-k or PCD-k update for ONE example, stage by stage, for people to look at (the
/// studio's "Explain one step"). The stages are those of Trainer::trainBatch for a batch of
/// one, computed with the trainer's own kernels (kernels::biasLogisticSample and its
/// counter-based draws, the same Eigen products on the same layout) and drawing from the
/// same streams in the same order, so a trace started from a trainer's generator states
/// reproduces that trainer's batch of one (tests/core/test_cd_step_trace.cpp checks it).
///
///   v0                       the example (values in [0,1])
///   p(h|v0) = sigmoid(c + W^T v0)       h0 ~ p(h|v0)  (binary: it drives the chain)
///   p(v|h0) = sigmoid(b + W h0)         the reconstruction
///   CD:  v1 = p(v|h0), or after k steps v_k = p(v|h_{k-1}) with h_t ~ p(h|v_t) sampled;
///   PCD: v1 = the persistent chain after k sweeps h~ ~ p(h|v~), v~ ~ p(v|h~) (binary);
///   p(h|v1) = sigmoid(c + W^T v1)       (probabilities: no last sample, trainer.h)
///   positive = v0 p(h|v0)^T,  negative = v1 p(h|v1)^T,  dW = positive - negative
///   db = v0 - v1,  dc = p(h|v0) - p(h|v1)
/// dW is the ascent direction the trainer hands its optimizer for a batch of one: its step
/// with learning rate 1, no momentum, no weight decay and no sparsity.
#include <cstdint>

#include "rbm/model.h"
#include "rbm/random.h"
#include "rbm/training_config.h"

namespace rbm {

struct CdStepOptions {
    Algorithm algorithm = Algorithm::CD;
    int k = 1;  ///< Gibbs steps of the negative phase (at least 1)
    /// The trainer's data stream (h0's draws and CD's intermediate hidden samples) and its
    /// PCD chain stream. fromSeed() fills them as a new Trainer with that seed does.
    Random::State rng{};
    Random::State chainRng{};
    /// PCD: the chain's visible state before the step (binary, nVisible). Empty: a new chain
    /// at the example, binarized by one draw from the chain stream (as the trainer starts one).
    Vector chain;

    static CdStepOptions fromSeed(std::uint64_t seed, Algorithm algorithm = Algorithm::CD, int k = 1);
};

struct CdStepTrace {
    Algorithm algorithm = Algorithm::CD;
    int k = 1;
    Vector v0;                    ///< the example
    Vector h0Input, h0Prob, h0;   ///< sum_i v0_i W_ij (no bias), p(h|v0), the sample
    Vector h0Uniform;             ///< the uniform draw per unit: h0_j = 1 iff it is < p(h_j|v0)
    Vector reconInput, reconProb; ///< sum_j W_ij h0_j (no bias), p(v|h0)
    Vector chainStart;            ///< PCD: the chain before the sweeps; CD: v0
    Vector negDrive;              ///< the hidden sample that produced v1 (CD-1: h0)
    Vector negVisibleInput, negVisibleProb;  ///< sum_j W_ij negDrive_j, p(v|negDrive)
    Vector v1;                    ///< the negative visible state (CD: = negVisibleProb)
    Vector h1Input, h1Prob;       ///< sum_i v1_i W_ij, p(h|v1)
    Matrix positive, negative;    ///< nVisible x nHidden: v0 p(h|v0)^T and v1 p(h|v1)^T
    Matrix deltaW;                ///< positive - negative
    Vector deltaB, deltaC;        ///< v0 - v1, p(h|v0) - p(h|v1)
    Random::State rngAfter{}, chainRngAfter{};  ///< the streams after the step
};

/// Every stage of one CD-k / PCD-k step on `v0` (nVisible values in [0,1]). Throws Error if
/// the sizes disagree or k < 1.
CdStepTrace traceCdStep(const Rbm& model, ConstVectorRef v0, const CdStepOptions& options);

}  // namespace rbm
