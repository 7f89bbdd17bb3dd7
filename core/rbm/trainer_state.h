#pragma once
/// What training carries besides the model, and what it reports: plain data, shared by the
/// trainer, the checkpoint format and the front ends (none of them needs the Trainer for it).
#include <cstdint>
#include <vector>

#include "rbm/optimizer.h"
#include "rbm/random.h"
#include "rbm/types.h"

namespace rbm {

/// Where training is: enough to resume exactly where it stopped.
struct TrainerCounters {
    std::int64_t epoch = 0;          ///< completed epochs
    std::int64_t batchInEpoch = 0;   ///< batches done in the current epoch
    std::int64_t positionInEpoch = 0; ///< examples of this epoch's order already used
    std::int64_t totalBatches = 0;
    std::int64_t samplesSeen = 0;
};

/// Everything besides the model that training carries from batch to batch.
struct TrainerState {
    TrainerCounters counters;
    OptimizerState optimizer;
    Matrix persistentChains;       ///< PCD: chains x nVisible binary states (empty for CD)
    Random::State rng{};
    Random::State chainRng{};
    std::vector<int> order;        ///< this epoch's permutation of the training examples
    Vector hiddenActivityEstimate; ///< running mean activity q (sparsity)
    Vector visibleOffset;          ///< centring's mu (centering.h); empty until centring runs
    Vector hiddenOffset;           ///< centring's lambda
    Matrix persistentLabels;       ///< PCD with label units: chains x nLabels one-hot states
    OptimizerState labelOptimizer; ///< label units: moments of U (group 0) and d (group 1)
};

/// The state's per-unit vectors by the names checkpoints give them (empty ones are not saved).
struct UnitVectorField {
    const char* name;
    bool hidden;  ///< one entry per hidden unit (else per visible unit)
    Vector TrainerState::*field;
};
inline constexpr UnitVectorField kUnitVectorFields[] = {
    {"hidden_activity_estimate", true, &TrainerState::hiddenActivityEstimate},
    {"centering_visible_offset", false, &TrainerState::visibleOffset},
    {"centering_hidden_offset", true, &TrainerState::hiddenOffset},
};

struct BatchReport {
    TrainerCounters counters;
    int batchesPerEpoch = 0;
    double reconstructionMse = 0;  ///< of this batch (v0 vs its p(v|h0) reconstruction)
    double reconstructionCrossEntropy = 0;
    float learningRateWeights = 0, learningRateBiases = 0;  ///< the rates this batch used (scheduled)
};

struct EpochMetrics {
    std::int64_t epoch = 0;
    double seconds = 0;                ///< wall time of this epoch's training
    double samplesPerSecond = 0;
    double trainMse = 0, testMse = 0;  ///< reconstruction error (evaluation subsets)
    double trainCrossEntropy = 0, testCrossEntropy = 0;
    double trainFreeEnergy = 0, testFreeEnergy = 0;  ///< gap = test - train grows as it overfits
    double pseudoLogLikelihood = 0;    ///< on the training subset
    int deadUnits = 0, saturatedUnits = 0;
    double ratioWeights = 0, ratioVisibleBias = 0, ratioHiddenBias = 0;  ///< |update|/|param|
    bool hasTest = false;
};

}  // namespace rbm
