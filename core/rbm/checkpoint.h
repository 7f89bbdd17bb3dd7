#pragma once
/// Checkpoints: a .npz that numpy.load reads, holding
///   W (nVisible x nHidden, float32), visible_bias, hidden_bias (float32),
///   config (JSON string of the TrainingConfig), meta (JSON: image size, dataset, format version,
///   last epoch metrics), and the training state: counters (int64), rng / chain_rng (uint64 x 4),
///   order (int32), optimizer moments opt_first_W, opt_second_W, ... (float32), opt_steps,
///   persistent_chains (float32), hidden_activity_estimate, centering_visible_offset and
///   centering_hidden_offset (float32; TrainerState's kUnitVectorFields); with label units their
///   own arrays label_weights (nLabels x nHidden), label_bias and their state (checkpoint_labels.h).
/// Loading validates every shape against the others; a truncated, corrupt or foreign file is
/// refused with Error and nothing the caller holds is touched.
///
/// Layout details (format "rbm-studio-checkpoint", version 1):
///   - every matrix is written in C order (row-major), as numpy expects: f["W"][i, j] = W(i, j);
///   - the optimizer moments of W are flat column-major vectors in memory (a Map over W's
///     storage) and are written reshaped to nVisible x nHidden like W; bias moments are 1-d;
///   - counters = [epoch, batchInEpoch, positionInEpoch, totalBatches, samplesSeen] (int64,
///     TrainerCounters in declaration order); opt_steps is 0-d;
///   - config and meta are 0-d numpy unicode strings holding JSON: json.loads(str(f["meta"])).
/// A file with only W, visible_bias and hidden_bias (np.savez, float32 or float64) loads as a
/// model without state; its image size is guessed as a square when nVisible is a square number.
#include <cstdint>
#include <optional>
#include <string>

#include "rbm/model.h"
#include "rbm/trainer_state.h"
#include "rbm/training_config.h"

namespace rbm {

class Trainer;

struct Checkpoint {
    Rbm model;
    TrainingConfig config;
    std::optional<TrainerState> state;   ///< absent for a model-only file (weights only)
    std::optional<EpochMetrics> metrics; ///< the metrics of the epoch that ended here
    std::string datasetName;
};

void saveCheckpoint(const std::string& path, const Checkpoint& c);  ///< atomic; throws Error
Checkpoint loadCheckpoint(const std::string& path);                 ///< throws Error

/// What a checkpoint's 'meta' entry says, read without loading the arrays (for run lists).
struct CheckpointInfo {
    std::int64_t epoch = 0;  ///< completed epochs when saved (metrics epoch, or 0 without state)
    int nVisible = 0, nHidden = 0;
    int nLabels = 0;  ///< label units (0: none)
    int imageRows = 0, imageCols = 0;
    std::string datasetName;
    bool hasState = false;
    std::optional<EpochMetrics> metrics;
};
/// Throws Error for a file that is unreadable or has no RBM Studio 'meta' entry.
CheckpointInfo readCheckpointInfo(const std::string& path);

/// A checkpoint of a running trainer (model + state + config).
Checkpoint checkpointOf(const Trainer& t, const std::optional<EpochMetrics>& metrics = std::nullopt);

}  // namespace rbm
