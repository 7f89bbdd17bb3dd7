#pragma once
/// The average log-likelihood of a dataset under a binary RBM: mean(-F(v)) - log Z, with log Z
/// exact when the smaller layer can be enumerated, else from forward and reverse AIS (ais.h),
/// checked against the rigorous lower bound (likelihood_bound.h), and a verdict for people
/// saying how far the figure can be trusted.
#include <atomic>
#include <cstddef>
#include <optional>
#include <string>

#include "rbm/ais.h"
#include "rbm/likelihood_bound.h"
#include "rbm/model.h"

namespace rbm {

struct LikelihoodOptions {
    int exactMaxUnits = 25;  ///< enumerate when min(nVisible, nHidden) <= this
    bool forceAis = false;   ///< run AIS (and the bound) even when exact is possible
    bool reverseAis = true;
    AisConfig ais;
    LowerBoundOptions bound;
    int threads = 2;
    int maxBoundDataRows = 2000;    ///< data rows (train, then test) used as seeds of the bound
    double minEssFraction = 0.1;    ///< ESS below this fraction of runs: unreliable
    double disagreementSigmas = 3;  ///< |forward - reverse| beyond this many combined errors
    double disagreementNats = 1;    ///<   plus this many nats: unreliable
    const std::atomic<bool>* cancel = nullptr;  ///< passed on to the exact sum and to AIS
    WorkProgress* progress = nullptr;           ///< total set here, then passed on like cancel
};

struct LikelihoodReport {
    std::string method;          ///< "exact" or "ais"
    double logZ = 0;             ///< the value used for the log-likelihoods (exact or forward AIS)
    double logZStdErr = 0;       ///< 0 when exact
    double ess = 0;              ///< forward AIS (0 when exact)
    int runs = 0;                ///< forward AIS runs (0 when exact)
    int betas = 0;               ///< AIS schedule length (0 when exact)
    std::optional<double> reverseLogZ, reverseLogZStdErr, reverseEss;
    std::optional<double> lowerBound;    ///< rigorous lower bound on log Z (AIS only)
    std::size_t lowerBoundStates = 0;
    std::optional<double> exact;         ///< exact log Z when enumerated
    double meanNegFreeEnergyTrain = 0, meanNegFreeEnergyTest = 0;
    double avgLogLikTrain = 0;   ///< mean(-F) - logZ over the training rows
    double avgLogLikTest = 0;    ///< over the held-out rows (NaN if there are none)
    std::optional<double> avgLogLikTestReverse;  ///< with reverse AIS's log Z
    double upperBoundLogLikTrain = 0, upperBoundLogLikTest = 0;  ///< mean(-F) - lower bound
    bool hasTest = false;
    bool reliable = true;
    std::string verdict;         ///< one or two sentences for people
    double seconds = 0;
};

/// Exact when min(nVisible, nHidden) <= o.exactMaxUnits (and !o.forceAis), else forward AIS,
/// reverse AIS (from the held-out rows, or the training rows if there are none) and the
/// lower bound, with the verdict. Both matrices must be binary; testData may have 0 rows.
///
/// The AIS estimate is called unreliable when any of these holds (and the verdict says which):
/// its log Z is below the rigorous lower bound; its ESS is below o.minEssFraction of the runs;
/// forward and reverse differ by more than o.disagreementSigmas combined standard errors plus
/// o.disagreementNats; it misses the exact value (when known, o.forceAis) by more than 3
/// standard errors + 0.05 nat; it is not finite. The honest figure is then
/// upperBoundLogLikTest (mean(-F) - lower bound), which no sampling failure can make too low.
LikelihoodReport estimateLikelihood(const Rbm& m, ConstMatrixRef trainData, ConstMatrixRef testData,
                                    const LikelihoodOptions& o = {});

}  // namespace rbm
