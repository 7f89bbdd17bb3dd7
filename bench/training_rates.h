// The trainer as rbm-bench drives it: the standard configurations, the embedded digits, the
// rate of training batches and the dense FLOP count of a step.
#pragma once

#include <memory>

#include "bench_common.h"
#include "rbm/dataset.h"
#include "rbm/trainer.h"

namespace bench {

/// The embedded digits (9,000 training examples), loaded once.
std::shared_ptr<const rbm::Dataset> embeddedTrain();

/// `a`-k at nVisible x `hidden`, batch `batch`, momentum, lr 0.01, one thread, seed 7.
rbm::TrainingConfig standardConfig(rbm::Algorithm a, int k, int hidden, int batch);

/// Batches per second of `t` over about `budget` seconds (after a warm-up).
Rate batchesPerSecond(rbm::Trainer& t, double budget, int minBatches = 5);

/// The dense FLOP count of one training step, whatever the kernels skip: products of
/// 2 * batch * nv * nh FLOP each (see the definition for which).
double cdFlopsPerBatch(rbm::Algorithm a, int k, int batch, int nv, int nh);

}  // namespace bench
