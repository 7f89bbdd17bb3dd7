#pragma once
/// The studio's front end of a rbm::TrainingSession, on its own thread: pause, step, live
/// settings and publishing snapshots (the session trains, evaluates, times and saves). run()
/// is that thread's whole life (a BackgroundJob's work, with no event loop), so pause / step /
/// stop and live hyperparameter edits are not slots: they set atomic flags and a mutex-guarded
/// pending config that the loop reads between batches. The object itself lives on the GUI
/// thread; its signals are emitted from run()'s thread.
#include <QObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/trainer.h"
#include "rbm/training_session.h"
#include "training/training_snapshot.h"

namespace studio {

/// Snapshot of a trainer (model, last updates, a few samples). Extras are filled by the caller.
std::shared_ptr<TrainingSnapshot> snapshotOf(const rbm::Trainer& t, int maxSamples = 64, int maxBatchRows = 100);
/// Snapshot of a model on its own (a loaded checkpoint, an initial model).
std::shared_ptr<TrainingSnapshot> snapshotOf(const rbm::Checkpoint& c);
/// "lr W 0.05→0.1, k 1→3": the live fields that differ (TrainingConfig::liveChanges), empty if none.
QString describeChanges(const rbm::TrainingConfig& before, const rbm::TrainingConfig& after);
QString describeChanges(const std::vector<rbm::TrainingConfig::Change>& changes);

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    struct Setup {
        std::shared_ptr<const rbm::Dataset> train, test;
        rbm::TrainingConfig config;
        std::optional<rbm::Checkpoint> from;  ///< continue from this model (+ state if present)
        std::vector<rbm::EpochMetrics> history;  ///< the epochs before `from` (its run's curves)
        QString runDir;                       ///< empty: no run folder (no checkpoints on disk)
        bool startPaused = false;
        int publishIntervalMs = 40;
        /// Crash tests only: called between an epoch's checkpoint and its metrics row.
        std::function<void(std::int64_t epoch)> afterCheckpoint;
    };
    explicit TrainingWorker(Setup setup);
    ~TrainingWorker() override;

    // --- thread-safe controls (called from the GUI thread)
    void requestStop();
    void setPaused(bool paused);
    void requestStep();
    void setPendingConfig(const rbm::TrainingConfig& config);
    /// Batches trained so far (any thread; for status and tests).
    std::int64_t batchesDone() const { return batchesDone_.load(); }

    // --- valid once run() has returned (the thread is joined)
    const std::optional<rbm::Checkpoint>& finalCheckpoint() const { return final_; }

    /// The training loop; returns when the epochs are done, on stop, or on an error.
    void run();

signals:
    void snapshotReady(studio::SnapshotPtr snapshot);
    void epochFinished(studio::SnapshotPtr snapshot);
    void errorOccurred(QString message);
    void finished(bool completed);

private:
    Setup setup_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> paused_{false};
    std::atomic<int> steps_{0};
    std::atomic<std::int64_t> batchesDone_{0};
    std::mutex mutex_;  ///< guards pending_ and the wait below
    std::condition_variable wake_;
    std::optional<rbm::TrainingConfig> pending_;
    std::optional<rbm::Checkpoint> final_;
};

}  // namespace studio
