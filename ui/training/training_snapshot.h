#pragma once
/// What the training worker publishes to the views: an immutable copy of everything a view
/// may draw, shared as std::shared_ptr<const TrainingSnapshot>. The worker builds one at most
/// every ~40 ms (never once per batch); the GUI keeps only the newest for painting.
#include <QMetaType>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "rbm/model.h"
#include "rbm/trainer_state.h"
#include "rbm/training_config.h"

namespace studio {

/// One minibatch's reconstruction error, placed on the epoch axis (epoch + fraction).
struct BatchPoint {
    double epoch = 0;
    double mse = 0;
};

/// A live hyperparameter edit, as applied by the worker at a batch boundary.
struct ConfigChange {
    std::uint64_t id = 0;  ///< process-wide increasing: a view shows each change once
    double epoch = 0;      ///< where on the epoch axis it took effect
    QString text;          ///< "lr W 0.05 -> 0.1"
};

struct TrainingSnapshot {
    std::uint64_t sequence = 0;  ///< increasing per publisher

    rbm::Rbm model;
    rbm::Matrix weightUpdate;        ///< last step taken (empty for a model not being trained)
    rbm::Vector visibleBiasUpdate;
    rbm::Vector hiddenBiasUpdate;

    rbm::TrainerCounters counters;
    int batchesPerEpoch = 0;
    std::int64_t optimizerSteps = 0;

    std::vector<BatchPoint> batchErrors;          ///< batches since the previous snapshot
    std::vector<rbm::EpochMetrics> epochMetrics;  ///< every evaluated epoch of this run
    std::vector<ConfigChange> configChanges;      ///< every live edit of this run

    rbm::Matrix negativeSamples;  ///< a few negative-phase visible states (rows)
    rbm::Matrix batch;            ///< a few rows of the last minibatch
    rbm::Matrix batchHidden;      ///< their p(h|v)
    rbm::Vector meanHiddenActivity;  ///< running mean of p(h|v) per unit (empty if unknown)

    rbm::TrainingConfig config;   ///< the configuration in force
    double samplesPerSecond = 0;
    bool fromTraining = false;    ///< false: an initial, loaded or restored model
    bool paused = false;          ///< the worker is waiting (paused or stepping)
    bool finished = false;        ///< the last snapshot of a run
    QString origin;               ///< for people: "training", "initial model", "epoch-0003.npz"
    QString runDir;

    /// Position on the epoch axis: completed epochs + fraction of the current one.
    double epochPosition() const {
        const double frac = batchesPerEpoch > 0 ? double(counters.batchInEpoch) / batchesPerEpoch : 0.0;
        return double(counters.epoch) + frac;
    }
    bool hasUpdates() const { return weightUpdate.size() == model.W.size() && model.W.size() > 0; }
};

using SnapshotPtr = std::shared_ptr<const TrainingSnapshot>;

}  // namespace studio

Q_DECLARE_METATYPE(studio::SnapshotPtr)
