#include "rbm/likelihood.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "rbm/partition_function.h"

namespace rbm {
namespace {

std::string fmt(double x, int digits = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, x);
    return buf;
}

/// Seeds of the bound: the AIS end states (both directions), then up to maxDataRows data rows.
Matrix boundSeeds(const AisResult& fwd, const std::optional<AisResult>& rev, ConstMatrixRef trainData,
                  ConstMatrixRef testData, int maxDataRows) {
    const Eigen::Index dataRows =
        std::min<Eigen::Index>(std::max(0, maxDataRows), trainData.rows() + testData.rows());
    const Eigen::Index fromTrain = std::min<Eigen::Index>(dataRows, trainData.rows());
    const Eigen::Index fromTest = dataRows - fromTrain;
    const Eigen::Index revRows = rev ? rev->finalStates.rows() : 0;
    Matrix seeds(fwd.finalStates.rows() + revRows + dataRows, trainData.cols());
    seeds.topRows(fwd.finalStates.rows()) = fwd.finalStates;
    if (rev) seeds.middleRows(fwd.finalStates.rows(), revRows) = rev->finalStates;
    seeds.middleRows(fwd.finalStates.rows() + revRows, fromTrain) = trainData.topRows(fromTrain);
    if (fromTest > 0) seeds.bottomRows(fromTest) = testData.topRows(fromTest);
    return seeds;
}

/// Why the forward AIS estimate cannot be trusted, one clause each; empty if it can.
std::vector<std::string> reliabilityProblems(const AisResult& fwd, const std::optional<AisResult>& rev,
                                             const LowerBound& lb, const std::optional<double>& exact,
                                             const LikelihoodOptions& o) {
    std::vector<std::string> problems;
    if (fwd.logZ < lb.logZ) {
        problems.push_back("its log Z (" + fmt(fwd.logZ) + ") is below the rigorous lower bound (" + fmt(lb.logZ) +
                           "), so the runs missed most of the probability mass");
    }
    if (fwd.ess < o.minEssFraction * fwd.runs) {
        problems.push_back("its effective sample size is " + fmt(fwd.ess, 1) + " of " + std::to_string(fwd.runs) +
                           " runs");
    }
    if (rev) {
        const double gap = std::abs(fwd.logZ - rev->logZ);
        const double allowed =
            o.disagreementSigmas * std::sqrt(fwd.stdErr * fwd.stdErr + rev->stdErr * rev->stdErr) +
            o.disagreementNats;
        if (!(gap <= allowed)) {
            problems.push_back("forward (" + fmt(fwd.logZ) + ") and reverse (" + fmt(rev->logZ) +
                               ") AIS disagree by " + fmt(gap) + " nats");
        }
    }
    if (exact && !(std::abs(fwd.logZ - *exact) <= 3 * fwd.stdErr + 0.05)) {
        problems.push_back("it is " + fmt(fwd.logZ - *exact) + " nats off the exact value " + fmt(*exact, 3) +
                           ", beyond 3 standard errors");
    }
    if (!std::isfinite(fwd.logZ) || !std::isfinite(fwd.stdErr)) problems.push_back("its estimate is not finite");
    return problems;
}

/// One or two sentences for people: the estimate and what it agrees with, or why it is
/// unreliable and the honest figure instead.
std::string verdictFor(const LikelihoodReport& rep, const AisResult& fwd, bool withReverse,
                       const std::vector<std::string>& problems) {
    if (problems.empty()) {
        return "AIS estimate (" + std::to_string(fwd.runs) + " runs, " + std::to_string(rep.betas) +
               " betas): log Z = " + fmt(fwd.logZ) + " +/- " + fmt(fwd.stdErr, 3) +
               ", consistent with the lower bound" + std::string(withReverse ? " and reverse AIS" : "") + ".";
    }
    std::string joined;
    for (std::size_t i = 0; i < problems.size(); ++i) joined += (i ? "; " : "") + problems[i];
    const std::string which = rep.hasTest ? "held-out" : "training";
    const double ub = rep.hasTest ? rep.upperBoundLogLikTest : rep.upperBoundLogLikTrain;
    // With the exact value at hand, that value (not the bound) is the honest statement.
    const std::string honest =
        rep.exact ? "The exact value is known: " + which + " log-likelihood = " +
                        fmt((rep.hasTest ? rep.meanNegFreeEnergyTest : rep.meanNegFreeEnergyTrain) - *rep.exact) +
                        " nats."
                  : "The honest statement is the upper bound: " + which + " log-likelihood <= " + fmt(ub) + " nats.";
    return "AIS is unreliable for this model: " + joined + ". " + honest;
}

}  // namespace

LikelihoodReport estimateLikelihood(const Rbm& m, ConstMatrixRef trainData, ConstMatrixRef testData,
                                    const LikelihoodOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    if (trainData.rows() == 0) throw Error("likelihood: there are no training rows to evaluate.");
    if (trainData.cols() != m.nVisible() || (testData.rows() > 0 && testData.cols() != m.nVisible())) {
        throw Error("likelihood: data has " + std::to_string(trainData.cols()) + " columns but the model has " +
                    std::to_string(m.nVisible()) + " visible units.");
    }
    if (!m.isFinite()) throw Error("likelihood: the model has NaN or infinite parameters.");
    const double nan = std::numeric_limits<double>::quiet_NaN();

    LikelihoodReport rep;
    rep.hasTest = testData.rows() > 0;
    rep.meanNegFreeEnergyTrain = meanNegativeFreeEnergy(m, trainData);
    rep.meanNegFreeEnergyTest = rep.hasTest ? meanNegativeFreeEnergy(m, testData) : nan;

    const bool exactPossible = canEnumerate(m, o.exactMaxUnits);
    if (o.progress) {
        const int small = std::min(m.nVisible(), m.nHidden()), large = std::max(m.nVisible(), m.nHidden());
        const std::uint64_t exact = exactPossible ? (std::uint64_t(1) << small) * std::uint64_t(large) : 0;
        const std::uint64_t ais = std::uint64_t(o.ais.runs) * o.ais.schedule().size() * 2 * std::uint64_t(m.W.size());
        o.progress->total = exact + (exactPossible && !o.forceAis ? 0 : ais * (o.reverseAis ? 2 : 1));
    }
    if (exactPossible) {
        ExactOptions eo;
        eo.maxUnits = o.exactMaxUnits;
        eo.threads = o.threads;
        eo.cancel = o.cancel;
        eo.progress = o.progress;
        rep.exact = exactLogPartition(m, eo);
    }

    if (exactPossible && !o.forceAis) {
        rep.method = "exact";
        rep.logZ = *rep.exact;
        rep.reliable = true;
        rep.avgLogLikTrain = rep.meanNegFreeEnergyTrain - rep.logZ;
        rep.avgLogLikTest = rep.meanNegFreeEnergyTest - rep.logZ;
        rep.upperBoundLogLikTrain = rep.avgLogLikTrain;
        rep.upperBoundLogLikTest = rep.avgLogLikTest;
        rep.verdict = "Exact: log Z by enumerating all 2^" +
                      std::to_string(std::min(m.nVisible(), m.nHidden())) + " states of the smaller layer.";
        rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return rep;
    }

    AisConfig ac = o.ais;
    ac.threads = o.threads;
    ac.cancel = o.cancel;
    ac.progress = o.progress;
    const AisResult fwd = forwardAis(m, trainData, ac);
    rep.method = "ais";
    rep.logZ = fwd.logZ;
    rep.logZStdErr = fwd.stdErr;
    rep.ess = fwd.ess;
    rep.runs = fwd.runs;
    rep.betas = static_cast<int>(ac.schedule().size());

    std::optional<AisResult> rev;
    if (o.reverseAis) {
        rev = reverseAis(m, trainData, rep.hasTest ? testData : trainData, ac);
        rep.reverseLogZ = rev->logZ;
        rep.reverseLogZStdErr = rev->stdErr;
        rep.reverseEss = rev->ess;
    }

    const LowerBound lb = partitionLowerBound(m, boundSeeds(fwd, rev, trainData, testData, o.maxBoundDataRows), o.bound);
    rep.lowerBound = lb.logZ;
    rep.lowerBoundStates = lb.states;

    rep.avgLogLikTrain = rep.meanNegFreeEnergyTrain - rep.logZ;
    rep.avgLogLikTest = rep.meanNegFreeEnergyTest - rep.logZ;
    rep.upperBoundLogLikTrain = rep.meanNegFreeEnergyTrain - lb.logZ;
    rep.upperBoundLogLikTest = rep.meanNegFreeEnergyTest - lb.logZ;
    if (rev) rep.avgLogLikTestReverse = rep.meanNegFreeEnergyTest - rev->logZ;

    const std::vector<std::string> problems = reliabilityProblems(fwd, rev, lb, rep.exact, o);
    rep.reliable = problems.empty();
    rep.verdict = verdictFor(rep, fwd, rev.has_value(), problems);
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

}  // namespace rbm
