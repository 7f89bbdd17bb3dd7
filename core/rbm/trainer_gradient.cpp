#include <algorithm>
#include <sstream>

#include "rbm/centering.h"
#include "rbm/kernels.h"
#include "rbm/products.h"
#include "rbm/trainer.h"

// The gradient and the optimizer's step, per chunk of W while it is in cache, and the check
// that keeps the last finite parameters when a step diverges.
namespace rbm {

namespace {

Eigen::Map<Vector> flat(Vector& v) { return Eigen::Map<Vector>(v.data(), v.size()); }
Eigen::Map<const Vector> flatConst(const Vector& v) { return Eigen::Map<const Vector>(v.data(), v.size()); }

}  // namespace

void Trainer::applyGradient(int batch) {
    const Matrix& negV = *negV_;
    const Matrix& negH = *negH_;
    const Eigen::Index nv = model_.nVisible(), nh = model_.nHidden(), nNeg = negV.cols();
    const float invB = 1.0f / static_cast<float>(batch);
    const float invN = 1.0f / static_cast<float>(nNeg);

    lastFiniteB_ = model_.visibleBias;
    lastFiniteC_ = model_.hiddenBias;
    const bool sparsity = config_.sparsityTarget > 0.0f && config_.sparsityCost > 0.0f;
    if (sparsity) {
        // Hinton's guide, section 11: a running estimate q of each unit's activity is pulled
        // towards the target through the hidden bias and the weights.
        Vector& q = state_.hiddenActivityEstimate;
        batchMeanH_.setZero(nh);
        batchMeanV_.setZero(nv);
        for (Eigen::Index c = 0; c < batch; ++c) {
            batchMeanH_ += hpT_.col(c);
            batchMeanV_ += vT_.col(c);
        }
        batchMeanH_ *= invB;
        batchMeanV_ *= invB;
        if (q.size() != batchMeanH_.size()) q = batchMeanH_;
        q = config_.sparsityDecay * q + (1.0f - config_.sparsityDecay) * batchMeanH_;
        pull_ = config_.sparsityCost * (config_.sparsityTarget - q.array()).matrix();
    }
    // Bias gradients of a range of units: <x>_data - <x>_model (columns summed in order).
    auto biasGradient = [&](Vector& grad, const Matrix& data, const Matrix& model, Eigen::Index r0, Eigen::Index n) {
        grad.segment(r0, n).setZero();
        for (Eigen::Index c = 0; c < batch; ++c) grad.segment(r0, n) += data.block(r0, c, n, 1);
        grad.segment(r0, n) *= invB;
        for (Eigen::Index c = 0; c < nNeg; ++c) grad.segment(r0, n) -= invN * model.block(r0, c, n, 1);
    };

    // Centring (centering.h): offsets first (the standard model does not change), then the
    // whole bias gradients, which the centred weight gradient needs in every chunk.
    const bool centred = config_.centering;
    Vector& mu = state_.visibleOffset;
    Vector& lambda = state_.hiddenOffset;
    if (centred) {
        if (mu.size() != nv || lambda.size() != nh) initialiseOffsets(mu, lambda, pixelMeans(*train_), nh);
        slideOffset(mu, vT_, batch, config_.centeringRate);
        slideOffset(lambda, hpT_, batch, config_.centeringRate);
        biasGradient(gradB_, vT_, negV, 0, nv);
        biasGradient(gradC_, hpT_, negH, 0, nh);
        toCentredBiases(model_.W, mu, lambda, model_.visibleBias, model_.hiddenBias);
    }

    OptimizerState& os = state_.optimizer;
    ++os.steps;
    const std::int64_t epoch = state_.counters.epoch;
    const float decay = config_.weightDecay;
    const int chunks = moments_.count();
    // Per chunk of hidden units (a contiguous range of W's columns, sized to stay in L2):
    // the gradient and then the optimizer's step on it, while both are still in cache.
    auto job = [&](int i) {
        const auto [j0, j1] = columnRange(nh, chunks, i);
        const Eigen::Index n = j1 - j0, size = n * nv;
        if (!centred) {
            const auto [r0, r1] = columnRange(nv, chunks, i);
            biasGradient(gradB_, vT_, negV, r0, r1 - r0);
            biasGradient(gradC_, hpT_, negH, j0, n);
            if (sparsity) gradC_.segment(j0, n) += pull_.segment(j0, n);
        }
        // The step is taken on a copy of W (made in the pass that starts the gradient with its
        // weight-decay term) and checked while it is in cache; W itself is only replaced, by
        // swapping the buffers, once every chunk is finite. A diverging step leaves W untouched.
        const float* w = model_.W.data() + j0 * nv;
        float* next = nextW_.data() + j0 * nv;
        float* g = gradW_.data() + j0 * nv;
        for (Eigen::Index e = 0; e < size; ++e) {
            next[e] = w[e];
            g[e] = -decay * w[e];
        }
        // Pixels that are 0 in the whole batch (an MNIST digit's empty border rows) add nothing.
        const Eigen::Index depth = activeEnd_ - activeBegin_;
        // Sparse: for each nonzero pixel i of example b, row b of p(h) added to row i.
        if (dataSparse_)
            multiplyTransposedAdd(gradW_.middleCols(j0, n), hpT_.block(j0, 0, n, batch), sparseDataRows_, invB);
        else if (depth > 0)
            multiply(gradW_.block(activeBegin_, j0, depth, n), vT_.block(activeBegin_, 0, depth, batch), Op::Plain,
                     hpT_.block(j0, 0, n, batch), Op::Transposed, invB, true);
        if (chainsSparse_ && negV_ == &chainsT_)
            multiplyTransposedAdd(gradW_.middleCols(j0, n), negH.middleRows(j0, n), sparseChainRows_, -invN);
        else
            multiply(gradW_.middleCols(j0, n), negV, Op::Plain, negH.middleRows(j0, n), Op::Transposed, -invN, true);
        if (sparsity) gradW_.middleCols(j0, n).noalias() += batchMeanV_ * pull_.segment(j0, n).transpose();
        if (centred) centreWeightGradient(gradW_, j0, n, mu, lambda, gradB_, gradC_);
        OptimizerState& c = moments_.chunk(i);
        c.steps = os.steps;
        optimizer_->step(GroupWeights, Eigen::Map<Vector>(next, size), Eigen::Map<const Vector>(g, size),
                         Eigen::Map<Vector>(updateW_.data() + j0 * nv, size), rateW_, c,
                         config_.optimizer, epoch);
        chunkFinite_[static_cast<std::size_t>(i)] = kernels::allFinite(next, static_cast<std::size_t>(size)) ? 1 : 0;
    };
    chunkFinite_.assign(static_cast<std::size_t>(chunks), 0);
    if (pool_) pool_->run(chunks, job);
    else
        for (int i = 0; i < chunks; ++i) job(i);
    moments_.markStepped();
    if (centred && sparsity) gradC_ += pull_;

    optimizer_->step(GroupVisibleBias, flat(model_.visibleBias), flatConst(gradB_), flat(updateB_),
                     rateB_, os, config_.optimizer, epoch);
    optimizer_->step(GroupHiddenBias, flat(model_.hiddenBias), flatConst(gradC_), flat(updateC_),
                     rateB_, os, config_.optimizer, epoch);
    if (centred) {
        // Back to the standard biases with the new weights; the step shown is the standard one.
        toStandardBiases(nextW_, mu, lambda, model_.visibleBias, model_.hiddenBias);
        updateB_ = model_.visibleBias - lastFiniteB_;
        updateC_ = model_.hiddenBias - lastFiniteC_;
    }
    if (labels_)
        labels_->step(model_, hpT_, batch, negH, *optimizer_, config_, rateW_, rateB_, state_.labelOptimizer, os.steps,
                      epoch);
}

void Trainer::checkFinite() {
    const bool weights = std::all_of(chunkFinite_.begin(), chunkFinite_.end(), [](char f) { return f != 0; });
    const bool finite =
        weights &&
        kernels::allFinite(model_.visibleBias.data(), static_cast<std::size_t>(model_.visibleBias.size())) &&
        kernels::allFinite(model_.hiddenBias.data(), static_cast<std::size_t>(model_.hiddenBias.size())) &&
        (!labels_ || labels_->stepFinite());
    if (finite) {
        model_.W.swap(nextW_);  // nextW_ now holds the previous weights (reused next batch)
        if (labels_) labels_->commit(model_);
        return;
    }
    // W was never written; the biases are restored from their copies.
    model_.visibleBias = lastFiniteB_;
    model_.hiddenBias = lastFiniteC_;
    std::ostringstream msg;
    msg << "training diverged at epoch " << state_.counters.epoch + 1 << ", batch " << state_.counters.batchInEpoch + 1
        << ": the parameters became NaN or infinite (learning rate for weights " << rateW_
        << ", for biases " << rateB_
        << "). The last finite parameters were kept; lower the learning rates and continue.";
    throw Error(msg.str());
}
}  // namespace rbm
