#pragma once
/// One training run: the Trainer, the run folder it saves into, and the order of saving. The
/// command line (`rbm train`) and the studio's worker both drive a session batch by batch;
/// each adds only what is its own (a progress bar and signals; pause, step and publishing).
///
/// What a session with a run folder writes (names: RunFolder):
///   - when the folder is opened: config.json, then the start model if asked: initial.npz for
///     a new model, epoch-NNNN.npz for a model at the end of epoch N, latest.npz alone for a
///     model stopped mid-epoch (epoch-NNNN.npz always means "end of epoch N");
///   - at the end of each epoch: the checkpoint FIRST (with the epoch's metrics in its meta),
///     then the metrics row. Killed before the checkpoint, a resumed run redoes the epoch;
///     killed between the two, the resumed session finds the checkpoint's epoch missing from
///     metrics.csv and appends its row from the checkpoint. Every epoch has exactly one row;
///   - saveLatest(): the state at a stop, to latest.npz only;
///   - on divergence: the last finite parameters to latest.npz, then the Error goes on.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/run_folder.h"
#include "rbm/trainer.h"
#include "rbm/training_config.h"

namespace rbm {

/// What one step() did.
struct SessionStep {
    BatchReport batch;
    /// Set when this batch completed an epoch: its evaluation, timed (seconds, samples/s).
    std::optional<EpochMetrics> epoch;
    /// The epoch's checkpoint or metrics row could not be written (the run goes on in memory).
    std::optional<std::string> saveError;
};

class TrainingSession {
public:
    /// What config.epochs means for a model that has already trained.
    enum class EpochTarget {
        Total,      ///< the total count: a model past it is finished (rbm train)
        MoreIfDone  ///< a model that already finished its planned epochs trains that many more (the studio)
    };

    /// A new model initialised from `config` (throws Error as Trainer does).
    TrainingSession(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                    const TrainingConfig& config, EpochTarget target = EpochTarget::Total);
    /// Continues `from` (its model, and its state if it has one) with `config`.
    TrainingSession(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                    const TrainingConfig& config, const Checkpoint& from, EpochTarget target = EpochTarget::Total);
    ~TrainingSession();
    TrainingSession(const TrainingSession&) = delete;
    TrainingSession& operator=(const TrainingSession&) = delete;

    /// From now on the run is saved in `dir` (created if needed): config.json, a missing metrics
    /// row of the start checkpoint (see above), and the start model if `saveStart`. A folder
    /// that already holds epochs past the start model's (a run restored at an earlier epoch)
    /// continues from it: RunFolder::resumeAt moves the later ones aside. Throws Error if any of
    /// it fails; the session then has no run folder and trains in memory.
    void openRunFolder(const std::string& dir, int keepLast = 0, bool saveStart = true);
    const RunFolder* runFolder() const { return folder_.get(); }

    /// One minibatch; at the end of an epoch also evaluation, timing, checkpoint and metrics
    /// row. Throws Error on divergence (after saving the last finite parameters to latest.npz).
    SessionStep step();
    /// Has the model reached targetEpochs()?
    bool finished() const { return trainer_->counters().epoch >= target_; }
    std::int64_t targetEpochs() const { return target_; }
    /// The epoch a session started at `startEpoch` trains to with config.epochs = `epochs`
    /// (what targetEpochs() will be: the plan a restored model is shown against).
    static std::int64_t plannedEpochs(EpochTarget target, std::int64_t startEpoch, int epochs);

    struct Callbacks {
        std::function<bool(const BatchReport&)> onBatch;  ///< after every batch; false stops
        std::function<bool(const EpochMetrics&)> onEpoch; ///< after every saved epoch; false stops
    };
    /// step() until finished() or a callback says stop. Returns true if finished. An epoch that
    /// could not be saved throws Error (the command line stops; the studio calls step() itself).
    bool run(const Callbacks& callbacks = {});

    /// The live fields of `config` from the next batch on (structure stays the model's); the
    /// epoch target follows config.epochs (a target already passed ends the current epoch).
    /// Returns what changed. Throws Error for an invalid configuration (nothing changes then).
    std::vector<TrainingConfig::Change> setConfig(const TrainingConfig& config);

    /// Time between pauseClock() and resumeClock() does not count towards an epoch's seconds.
    void pauseClock();
    void resumeClock();

    /// The state now to latest.npz, if anything trained since the last save; returns the path
    /// (empty without a run folder).
    std::string saveLatest();
    /// The model and state now, with the metrics of the last epoch this session completed.
    Checkpoint checkpoint() const;
    const std::optional<EpochMetrics>& lastEpochMetrics() const { return lastMetrics_; }

    const Trainer& trainer() const { return *trainer_; }
    const TrainerCounters& counters() const { return trainer_->counters(); }

    /// Crash tests only: called between an epoch's checkpoint and its metrics row.
    void setAfterCheckpointHook(std::function<void(std::int64_t epoch)> hook) { afterCheckpoint_ = std::move(hook); }

private:
    using Clock = std::chrono::steady_clock;
    std::int64_t targetFor(int epochs) const;
    void startEpochClock();
    double epochSeconds() const;
    void saveEpoch(const EpochMetrics& m, SessionStep& out);

    std::unique_ptr<Trainer> trainer_;
    std::unique_ptr<RunFolder> folder_;
    std::optional<EpochMetrics> startMetrics_;
    std::optional<EpochMetrics> lastMetrics_;
    EpochTarget targetRule_;
    std::int64_t startEpoch_ = 0, target_ = 0;
    std::int64_t savedAtBatch_ = -1;  // totalBatches of the newest checkpoint on disk
    // The epoch clock: training time of the current epoch, pauses excluded.
    Clock::time_point runningSince_{};
    double secondsBefore_ = 0;  // of this epoch, before the last pause
    bool clockPaused_ = false;
    std::int64_t samplesAtEpochStart_ = 0;
    std::function<void(std::int64_t)> afterCheckpoint_;
};

}  // namespace rbm
