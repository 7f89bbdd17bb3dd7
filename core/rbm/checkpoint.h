#pragma once
/// Checkpoints: a .npz that numpy.load reads, holding
///   W (nVisible x nHidden, float32), visible_bias, hidden_bias (float32),
///   config (JSON string of the TrainingConfig), meta (JSON: image size, dataset, format version,
///   last epoch metrics), and the training state: counters (int64), rng / chain_rng (uint64 x 4),
///   order (int32), optimizer moments opt_first_W, opt_second_W, ... (float32), opt_steps,
///   persistent_chains (float32), hidden_activity_estimate.
/// Loading validates every shape against the others; a truncated, corrupt or foreign file is
/// refused with Error and nothing the caller holds is touched.
#include <optional>
#include <string>

#include "rbm/model.h"
#include "rbm/trainer.h"
#include "rbm/training_config.h"

namespace rbm {

struct Checkpoint {
    Rbm model;
    TrainingConfig config;
    std::optional<TrainerState> state;   ///< absent for a model-only file (weights only)
    std::optional<EpochMetrics> metrics; ///< the metrics of the epoch that ended here
    std::string datasetName;
};

void saveCheckpoint(const std::string& path, const Checkpoint& c);  ///< atomic; throws Error
Checkpoint loadCheckpoint(const std::string& path);                 ///< throws Error

/// A checkpoint of a running trainer (model + state + config).
Checkpoint checkpointOf(const Trainer& t, const std::optional<EpochMetrics>& metrics = std::nullopt);

}  // namespace rbm
