#pragma once
/// Estimating log Z of a binary RBM that is too large to enumerate, and saying honestly how
/// far the estimate can be trusted.
///
/// Forward AIS (Salakhutdinov & Murray 2008, "On the quantitative analysis of deep belief
/// networks", and Salakhutdinov's RBM_AIS code). The base model A has the visible biases of
/// the smoothed data mean, b_A = log((p+eps)/(1-p+eps)), zero weights and zero hidden biases,
/// so log Z_A = sum_i softplus(b_A,i) + nHidden log 2. The intermediate distributions are the
/// interpolated RBMs of that code (NOT a geometric average of free energies: these have exact
/// block-Gibbs transitions):
///   log p*_beta(v) = (1-beta) b_A.v + beta b.v + sum_j softplus(beta (c_j + v.W_:j))
/// so p*_0 is the base (with its nHidden log 2) and p*_1(v) = exp(-F(v)). Each run starts from
/// an exact sample of the base, adds log p*_k(v) - log p*_{k-1}(v) at every beta_k and moves v
/// by one Gibbs sweep at beta_k (h ~ sigmoid(beta(c + vW)), v ~ sigmoid((1-beta) b_A + beta(b + Wh))).
/// log Z ~ log Z_A + log mean exp(w). The estimate is unbiased in Z, so in log Z it tends to
/// UNDER-estimate: a model whose runs never reach its modes looks better than it is.
///
/// Reverse AIS (in the spirit of Burda, Grosse & Salakhutdinov 2015, "Accurate and conservative
/// estimates of MRF log-likelihood using reverse annealing"): chains start at the data (the
/// held-out digits followed by a few Gibbs sweeps of the model, standing in for exact samples
/// of the model) and anneal along the reversed schedule to the base:
///   log Z ~ log Z_A - log mean exp(w_reverse),
/// When the start states are representative samples of the model this tends to OVER-estimate
/// log Z (a conservative, low likelihood), the mirror image of forward AIS. Started from data,
/// it is only as good as that assumption: a model that puts much of its mass on spurious modes
/// far from the digits (CD-1 with a large learning rate does) makes it UNDER-estimate too.
/// Then forward and reverse disagree, and the verdict says so; agreement of the two from both
/// sides, with a healthy ESS and above the lower bound, is what makes an estimate credible.
///
/// All data here must be BINARY (0/1 per unit). RBM Studio binarizes pixels > 127 -> 1 unless
/// the model was trained on another binarization; the caller passes binary matrices.
/// Batches follow types.h: one example (one AIS run) per row.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "rbm/model.h"
#include "rbm/work_progress.h"

namespace rbm {

struct AisConfig {
    int runs = 100;
    /// Betas per segment of the schedule: [0,0.5), [0.5,0.9), [0.9,1]. The default is the
    /// paper's 500 / 4,000 / 10,000 scaled by 1/4 (3,625 betas); `rbm eval` and the studio's
    /// live estimate both use it. On the three trained presets its mean log Z is within 0.15
    /// nat of 14,500 betas (bench/RESULTS.md, AIS).
    int stepsLow = 125, stepsMid = 1000, stepsHigh = 2500;
    /// An explicit increasing schedule from 0 to 1; overrides the steps when not empty.
    std::vector<double> betas;
    /// Re-space the betas (as many as the steps give) by a pilot run so that each step adds
    /// about the same spread to the log weights (annealingSchedule). Ignored with explicit
    /// betas. Off by default: it matched 14,500 betas at the cost of 3,625 on a CD-10 model
    /// but read worse than the paper's spacing on a PCD one (bench/RESULTS.md, AIS).
    bool adaptive = false;
    int pilotRuns = 10, pilotBetas = 1000;  ///< the pilot: runs x betas of the paper's schedule
    double baseRateSmoothing = 0.05;  ///< eps in b_A = log((p+eps)/(1-p+eps))
    int reverseBurnIn = 20;           ///< Gibbs sweeps of the model from the data before reverse AIS
    std::uint64_t seed = 1;
    int threads = 2;                  ///< runs are split between this many std::threads
    /// Set to true from another thread (e.g. training stopped) to abandon the estimate: the
    /// call throws Error within 64 betas.
    const std::atomic<bool>* cancel = nullptr;
    WorkProgress* progress = nullptr;  ///< gets runs x betas x 2 nVisible nHidden as chains anneal

    /// 1,450 betas (the paper's count / 10), 100 runs: a few seconds on 500 hidden units.
    static AisConfig quick();
    /// Salakhutdinov & Murray: 14,500 betas, 100 runs.
    static AisConfig paper();
    /// `runs` runs and about `totalBetas` betas in the paper's proportions. Throws Error if
    /// runs < 2 or totalBetas < 3.
    static AisConfig withBetas(int runs, int totalBetas);

    /// The schedule before any adaptive re-spacing: increasing, starts at 0, ends at 1.
    std::vector<double> schedule() const;
    int betaCount() const { return static_cast<int>(schedule().size()); }
};

struct AisResult {
    double logZ = 0;          ///< the estimate
    double stdErr = 0;        ///< delta-method standard error of logZ
    double ess = 0;           ///< (sum r)^2 / sum r^2 of the weights r = exp(w - max w), in [1, runs]
    int runs = 0;
    double logZLow = 0, logZHigh = 0;  ///< logZ at mean(r) -/+ 3 standard errors (may be +-inf)
    double logZBase = 0;      ///< log Z_A of the base-rate model
    bool reverse = false;
    Eigen::VectorXd logWeights;  ///< one per run
    Matrix finalStates;          ///< runs x nVisible, binary: where each run ended
};

/// b_A = log((p+eps)/(1-p+eps)), p = the column means of the binary data (0.5 if empty).
Vector baseRateVisibleBias(ConstMatrixRef data, double eps = 0.05);
/// log Z_A = sum_i softplus(b_A,i) + nHidden log 2.
double baseRateLogPartition(ConstVectorRef baseBias, int nHidden);

/// The betas forward AIS from the base-rate model of `trainData` to `m` runs along: c.schedule(),
/// or with c.adaptive (and no explicit betas) as many betas spaced so that every step adds
/// about the same spread to the log weights, measured by c.pilotRuns runs at c.pilotBetas betas.
std::vector<double> annealingSchedule(const Rbm& m, ConstMatrixRef trainData, const AisConfig& c);

/// Forward AIS from the base-rate model of `trainData` to `m`.
AisResult forwardAis(const Rbm& m, ConstMatrixRef trainData, const AisConfig& c = {});
/// Reverse AIS: chains start at rows of `startData` (cycled), take c.reverseBurnIn Gibbs
/// sweeps of `m`, then anneal to the base-rate model of `trainData`.
AisResult reverseAis(const Rbm& m, ConstMatrixRef trainData, ConstMatrixRef startData,
                     const AisConfig& c = {});

}  // namespace rbm

// estimateLikelihood (AIS + bound + verdict), for callers that include only this header. After
// the types above, which likelihood.h needs (it includes this file first; #pragma once skips it).
#include "rbm/likelihood.h"
