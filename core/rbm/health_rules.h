#pragma once
/// Hinton's practical checks on a training run (UTML TR 2010-003), as traffic lights with one
/// sentence of advice each. Pure logic: no widgets, no Qt, so the rules are tested on hand-made
/// metric sequences (tests/core/test_health_rules.cpp) and the studio's panel only paints them.
///
/// The checks, in the order the panel shows them:
///   - update size per parameter group: |update| / |param| should be about 1e-3 (weights);
///   - overfitting: the free-energy gap (held-out minus training subset) growing;
///   - hidden units: dead (mean activity < 0.01) or saturated (> 0.99);
///   - CD divergence: held-out likelihood falling while reconstruction error improves;
///   - weights growing fast (large weights make Gibbs chains mix slowly);
///   - NaN / Inf in the model or the metrics.
#include <optional>
#include <string>
#include <vector>

#include "rbm/trainer.h"

namespace rbm {

enum class Light { Unknown, Green, Amber, Red };
const char* toString(Light l);

/// One held-out log-likelihood estimate (nats per digit) at an epoch.
struct LikelihoodSample {
    double epoch = 0;
    double heldOut = 0;  ///< AIS (or exact) average held-out log-likelihood
    double stdErr = 0;   ///< of heldOut (0 when exact)
    bool reliable = true;
};

/// The RMS of W at an epoch end: sqrt(mean W_ij^2).
struct WeightSample {
    double epoch = 0;
    double rms = 0;
};

struct HealthInput {
    int nHidden = 0;
    std::vector<EpochMetrics> epochs;  ///< every evaluated epoch, in order
    /// The newest |update|/|param| of (W, b, c) from a live snapshot; else the last epoch's.
    std::optional<double> liveRatioWeights, liveRatioVisible, liveRatioHidden;
    std::vector<WeightSample> weights;        ///< one per epoch end, in order
    std::vector<LikelihoodSample> likelihood; ///< in epoch order
    bool modelFinite = true;                  ///< every W, b, c finite
};

struct HealthThresholds {
    // update-to-weight ratio of W: green inside [ratioLow, ratioHigh], red beyond ratioRedHigh
    // or below ratioRedLow, amber between.
    double ratioLow = 1e-4, ratioHigh = 1e-2, ratioRedLow = 1e-6, ratioRedHigh = 5e-2;
    // biases may move by larger fractions (they start at or near zero): never red, amber
    // above biasRatioHigh
    double biasRatioHigh = 5e-2;
    // free-energy gap = held-out minus training mean free energy = how many nats per digit the
    // model prefers its training digits. Amber/red when the gap itself exceeds gapAmber/gapRed
    // or it grew by more than windowAmber/windowRed over the last gapWindow epochs. (A healthy
    // CD-10 run on the 9,000 digits ends near +3.5 nats, growing ~0.2 nats per epoch.)
    double gapAmber = 5.0, gapRed = 10.0;
    double windowAmber = 1.5, windowRed = 4.0;
    int gapWindow = 3;
    int gapMinEpochs = 3;  ///< no verdict before this many evaluated epochs
    // fraction of hidden units dead or saturated
    double unitsAmber = 0.05, unitsRed = 0.25;
    // likelihood fall below its best: max(fallNats, fallSigmas * combined standard error)
    double fallNats = 1.0, fallSigmas = 2.0;
    // weights: relative growth of the RMS per epoch (after weightMinEpoch), and absolute RMS
    // (a healthy CD-10 run on the digits grows 44%, 25%, 17%, 13% in epochs 6-9 as momentum
    // rises to 0.9, then slower)
    double growthAmber = 0.15, growthRed = 0.35;
    int weightMinEpoch = 10;  ///< early epochs grow from the tiny initial weights: not judged
    double rmsAmber = 0.5, rmsRed = 1.0;
};

struct HealthCheck {
    std::string key;     ///< "ratio-weights", "ratio-visible", "ratio-hidden", "overfitting",
                         ///< "units", "divergence", "weights", "nan"
    std::string title;   ///< "Update size: weights"
    Light light = Light::Unknown;
    std::string value;   ///< the measured number for people: "2.1e-03"
    std::string advice;  ///< one sentence
};

/// All checks, in the panel's order (always the same keys).
std::vector<HealthCheck> evaluateHealth(const HealthInput& in, const HealthThresholds& t = {});

/// The check with `key` from a result of evaluateHealth (nullptr if absent).
const HealthCheck* findCheck(const std::vector<HealthCheck>& checks, const std::string& key);

/// The best reliable, finite held-out estimate (the first of equals; nullptr if there is none).
const LikelihoodSample* bestLikelihood(const std::vector<LikelihoodSample>& samples);

/// True when the newest reliable held-out estimate has fallen below the best reliable one by
/// more than max(t.fallNats, t.fallSigmas * sqrt(se_best^2 + se_newest^2)): the moment to stop
/// early. Unreliable estimates are ignored.
bool likelihoodFalling(const std::vector<LikelihoodSample>& samples, const HealthThresholds& t = {});

/// The worst light of the checks (Unknown counts as Green).
Light worstLight(const std::vector<HealthCheck>& checks);

}  // namespace rbm
