#include "rbm/kernels.h"
#include "rbm/products.h"
#include "rbm/trainer.h"

// The negative phase: CD-k chains from the data, or PCD-k persistent chains (the choice of
// which states are sampled and which stay probabilities is in trainer.h).
namespace rbm {

namespace {

/// PCD needs no reconstruction for its chains: the batch report's reconstruction error is
/// estimated on this many examples of the batch (a quarter of a product at batch 100).
constexpr int kPcdReconstructionExamples = 25;

}  // namespace

void Trainer::negativePhase(int batch) {
    const int k = config_.k;
    if (config_.algorithm == Algorithm::CD) {
        // Chain from the sampled hidden states of the data. Visible reconstructions are
        // probabilities (or, with cdSampleVisible, binary samples of them, which then drive
        // the chain and the statistics); intermediate hidden states are sampled; the last one is not.
        const bool sampledV = config_.cdSampleVisible;
        if (sampledV && (vsT_.rows() != vT_.rows() || vsT_.cols() != batch)) vsT_.resize(vT_.rows(), batch);
        const Matrix* drive = &hsT_;
        for (int step = 1; step <= k; ++step) {
            Matrix& v = step == 1 ? reconT_ : vkT_;  // the first one is the reconstruction
            visibleLayer(*drive, batch, v, sampledV ? &vsT_ : nullptr, sampledV ? rng_.next() : 0,
                         step == 1 ? &vT_ : nullptr);
            const Matrix* y = labels_ ? &labels_->reconstruct(model_, *drive, batch) : nullptr;  // p(y|h)
            const bool sample = step < k;
            hiddenLayer(sampledV ? vsT_ : v, batch, hkpT_, sample ? &hkT_ : nullptr, sample ? rng_.next() : 0, 0, -1, y);
            drive = &hkT_;
        }
        chainsSparse_ = false;
        negV_ = sampledV ? &vsT_ : k == 1 ? &reconT_ : &vkT_;
        negH_ = &hkpT_;
        reconColumns_ = batch;
        return;
    }
    // PCD: persistent chains of binary visible states, advanced k full sweeps per batch.
    const int nv = model_.nVisible(), nh = model_.nHidden();
    const int chains = config_.persistentChains > 0 ? config_.persistentChains : batch;
    Random& chainRng = chainSampler_.rng();
    if (chainHpT_.rows() != nh || chainHpT_.cols() != chains) {
        chainHpT_.resize(nh, chains);
        chainHsT_.resize(nh, chains);
        chainVpT_.resize(nv, chains);
    }
    if (chainsT_.cols() != chains || chainsT_.rows() != nv) {
        // New (or resized) chains start at training examples, binarized by sampling.
        std::vector<const std::uint8_t*> images(static_cast<std::size_t>(chains));
        for (auto& img : images) img = train_->image(static_cast<std::size_t>(chainRng.below(train_->count)));
        kernels::imagesToColumns(images.data(), chains, nv, chainVpT_.data(), nv);
        chainsT_.resize(nv, chains);
        sparseChains_.reserve(nv, chains);
        sparseChainRows_.reserve(chains, nv);
        kernels::bernoulliCounter(chainVpT_.data(), chainsT_.data(), static_cast<std::size_t>(chainsT_.size()),
                                  chainRng.next(), 0);
    }
    // The reconstruction only feeds the batch report: a few examples estimate it.
    reconColumns_ = std::min(batch, kPcdReconstructionExamples);
    visibleLayer(hsT_, reconColumns_, reconT_, nullptr, 0, &vT_);
    const Matrix* y = labels_ ? &labels_->chains(chains, chainRng) : nullptr;  // sampled beside v
    // The chains are 0/1: their hidden products (and, with the last states, the gradient's
    // negative term) may run as sums of selected rows.
    for (int step = 0; step < k; ++step) {
        hiddenLayer(chainsT_, chains, chainHpT_, &chainHsT_, chainRng.next(), 0, -1, y, compressChains(false));
        visibleLayer(chainHsT_, chains, chainVpT_, &chainsT_, chainRng.next());
        if (labels_) labels_->sampleChains(model_, chainHsT_, chainRng);
    }
    hiddenLayer(chainsT_, chains, chainHpT_, nullptr, 0, 0, -1, y, compressChains(true));
    negV_ = &chainsT_;
    negH_ = &chainHpT_;
    chainsFresh_ = false;
}
}  // namespace rbm
