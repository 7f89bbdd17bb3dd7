#pragma once
/// Parallel tempering (replica exchange) for a batch of Gibbs chains: a ladder of inverse
/// temperatures 1 = beta_0 > beta_1 > ... > beta_{K-1}, one GibbsState per rung, every rung
/// swept by block Gibbs at its own beta, and neighbouring rungs proposing to swap their states.
/// Replica k samples p_k(v,h) ~ exp(-beta_k E(v,h)); a swap of rungs k, k+1 (per chain row) is
/// accepted with probability
///
///   min(1, exp((beta_k - beta_{k+1}) (E(x_k) - E(x_{k+1}))))     x = (v, h), E the joint energy,
///
/// which leaves the product p_0 x ... x p_{K-1} invariant (Metropolis on the exchange), so rung
/// 0 stays an exact sampler of the model while hot rungs carry it between modes (Swendsen and
/// Wang 1986; Desjardins et al. 2010 for RBMs). Rungs alternate: even pairs after even sweeps,
/// odd pairs after odd sweeps, so every pair is tried every second sweep.
///
/// The clamp mask and forced hidden units of the base options apply on every rung (the swap is
/// then exact for the conditional distribution); mean field makes no sense here and is ignored.
/// With label units the state is (v, y, h): the energy has the label term and a swap exchanges
/// the labels too; a clamped label is the same on every rung, so the swap is exact for p(v,h|y=K).
#include <cstdint>
#include <vector>

#include "rbm/model.h"
#include "rbm/random.h"
#include "rbm/sampler.h"

namespace rbm {

/// `replicas` inverse temperatures, linear from 1 down to `betaMin` (one rung: {1}).
std::vector<float> linearLadder(int replicas, float betaMin);

/// E(v,h) = -b.v - c.h - v^T W h for every row of a state (v, h); with label units and labels in
/// the state, E(v,y,h) = E(v,h) - d.y - y^T U h (label_units.h).
Eigen::VectorXd jointEnergies(const Rbm& m, const GibbsState& s);

class ParallelTempering {
public:
    explicit ParallelTempering(std::uint64_t seed = 1);

    /// The rungs, betas[0] first (the chain people look at). Resets the swap counts and drops
    /// the replicas: start() or startFrom() next.
    void setLadder(std::vector<float> betas);
    const std::vector<float>& betas() const { return betas_; }
    int rungs() const { return static_cast<int>(betas_.size()); }

    /// Every rung starts at V (batch x nVisible), with a hidden update at its own beta.
    void start(const Rbm& m, ConstMatrixRef V, const GibbsOptions& base = {});
    /// Every rung becomes a copy of `s` (no update): tempering joins a chain where it is.
    void startFrom(const GibbsState& s);
    /// One Gibbs sweep v -> h -> v of every rung, then one round of swaps.
    void sweep(const Rbm& m, const GibbsOptions& base = {});
    /// Half sweeps (for a dream stepped one layer at a time): the hidden or the visible layer
    /// of every rung at its own beta. No swaps: call swapRound() when the sweep is complete.
    void updateHidden(const Rbm& m, const GibbsOptions& base = {});
    void updateVisible(const Rbm& m, const GibbsOptions& base = {});
    /// Swaps of every second pair, alternating even and odd pairs from call to call.
    void swapRound(const Rbm& m);
    /// The Metropolis exchange of rungs k and k+1 for every chain row (the move alone).
    void swapPair(const Rbm& m, int k);

    bool started() const { return !replicas_.empty(); }
    GibbsState& replica(int k) { return replicas_[static_cast<std::size_t>(k)]; }
    const GibbsState& replica(int k) const { return replicas_[static_cast<std::size_t>(k)]; }
    /// Accepted / proposed swaps of rungs k, k+1 since the last start() (0 if none proposed).
    double acceptanceRate(int k) const;
    std::int64_t proposed(int k) const { return proposed_[static_cast<std::size_t>(k)]; }
    void resetCounts();

    Random& rng() { return sampler_.rng(); }

private:
    GibbsOptions rungOptions(const GibbsOptions& base, int k);

    std::vector<float> betas_{1.0f};
    std::vector<GibbsState> replicas_;
    GibbsSampler sampler_;
    std::vector<std::int64_t> proposed_, accepted_;
    std::int64_t rounds_ = 0;
    float baseBeta_ = 1.0f;  ///< the base options' beta of the last update: rung k runs at baseBeta_ * betas_[k]
};

}  // namespace rbm
