#pragma once
/// The likelihood any RBM should beat: independent pixels, each on with its own smoothed rate.
#include "rbm/types.h"

namespace rbm {

/// The average log-likelihood of `test` under the independent-pixels model fitted to `train`:
/// p_i = (count_i + 1) / (n + 2) (add-one smoothing, so no pixel is impossible), log p(v) =
/// sum_i [v_i log p_i + (1 - v_i) log(1 - p_i)]. About -206 nats on the embedded held-out
/// digits at pixel > 127. Both matrices binary, one example per row; NaN if `test` is empty.
double independentPixelsLogLikelihood(ConstMatrixRef train, ConstMatrixRef test);

}  // namespace rbm
