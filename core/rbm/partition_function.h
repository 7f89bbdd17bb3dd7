#pragma once
/// The exact log partition function of a (small) binary RBM, and exact log-likelihoods.
///
///   Z = sum_v sum_h exp(-E(v,h)) = sum_v exp(-F(v)) = sum_h exp(-G(h)),
///   F(v) = -b.v - sum_j softplus(c_j + v.W_:j)      (hidden units summed out)
///   G(h) = -c.h - sum_i softplus(b_i + W_i:.h)      (visible units summed out)
///
/// The sum runs over the SMALLER layer (2^min(nVisible, nHidden) states), so a 784 x 20 model
/// costs 2^20 rows of 784 softplus terms. States are enumerated in chunks of 2^12: the low 12
/// bits of a state index select a row of a fixed, precomputed chunk of pre-activations, the
/// high bits add one offset row, so no matrix product runs per chunk. Everything is in double
/// precision with log-sum-exp accumulation; chunks are split between threads and combined in
/// a fixed order, so the result does not depend on the number of threads.
///
/// Data for likelihoods must be BINARY (0/1 per unit): a grey-level image is not a state of
/// the model. Callers binarize first (RBM Studio uses pixel > 127 -> 1 unless the model was
/// trained on another binarization).
#include <atomic>
#include <functional>

#include <Eigen/Core>

#include "rbm/model.h"
#include "rbm/work_progress.h"

namespace rbm {

struct ExactOptions {
    int maxUnits = 25;  ///< refuse (Error) to enumerate more than 2^maxUnits states
    int threads = 2;    ///< std::thread workers splitting the chunks
    int chunkBits = 12; ///< 2^chunkBits states per chunk
    /// Set to true from another thread to stop early: the call then throws Error.
    const std::atomic<bool>* cancel = nullptr;
    WorkProgress* progress = nullptr;  ///< gets states x other-layer units as chunks finish
};

/// min(nVisible, nHidden) <= maxUnits: exact enumeration is possible.
bool canEnumerate(const Rbm& m, int maxUnits = 25);

/// log Z by enumerating the smaller layer. Throws Error if that layer has more than
/// o.maxUnits units or the model is not finite.
double exactLogPartition(const Rbm& m, const ExactOptions& o = {});

/// -F(v) per row of V (batch x nVisible), with the product V W and the sums in double precision.
Eigen::VectorXd negativeFreeEnergy(const Rbm& m, ConstMatrixRef V);

/// mean over rows of -F(v): the unnormalised average log-probability. 0 for an empty V.
double meanNegativeFreeEnergy(const Rbm& m, ConstMatrixRef V);

/// acc(r) += sign * sum_j softplus(scale * X(r,j)), in double. Works column by column as
/// sum_j max(s x, 0) + log prod_j (1 + exp(-|s x|)) (factors in (1,2], renormalised every 512
/// columns): one logarithm per row instead of one per element, vectorised, and accurate to a
/// few ulps of the sum. `work` is resized to X.rows() if needed (no allocation once sized).
void addSoftplusRowSums(const Eigen::ArrayXXd& X, double scale, double sign, Eigen::ArrayXd& acc,
                        Eigen::ArrayXd& work);

/// Runs task(0), ..., task(threads - 1) on std::threads (inline when threads <= 1), joins them
/// all, then rethrows the first exception any of them threw.
void runThreads(int threads, const std::function<void(int)>& task);

/// Average log p(v) = mean(-F(v)) - logZ over the rows of a BINARY matrix V.
double averageLogLikelihood(const Rbm& m, ConstMatrixRef V, double logZ);

}  // namespace rbm
