#pragma once
/// Owns the training run and its worker, on the GUI thread: the worker's loop runs as a
/// BackgroundJob. start / pause / resume / step / stop / reset; snapshots arrive as
/// studio::SnapshotPtr through queued signals. stop() joins the thread, so after it returns
/// nothing runs in the background.
#include <QObject>
#include <QPointer>
#include <memory>
#include <optional>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/training_config.h"
#include "support/background_job.h"
#include "training/training_snapshot.h"

namespace studio {

class TrainingWorker;

class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    /// The datasets to train on (must not be called while a run is active: stops it first).
    /// A start model of another image size is dropped.
    void setData(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test);
    std::shared_ptr<const rbm::Dataset> trainData() const { return train_; }
    std::shared_ptr<const rbm::Dataset> testData() const { return test_; }

    /// Idle: the configuration of the next start. Running: the live fields apply at the next
    /// batch (structural fields wait for the next model).
    void setConfig(const rbm::TrainingConfig& config);
    const rbm::TrainingConfig& config() const { return config_; }

    /// The run a start model belongs to: training it goes on in that folder (epochs after the
    /// model's move aside, see RunFolder::resumeAt) and its curves keep the history before it.
    struct StartRun {
        QString dir;                              ///< empty: Start makes a new run folder
        std::vector<rbm::EpochMetrics> history;  ///< epochs up to the model's, oldest first
    };
    /// What Start continues from: a loaded or restored checkpoint, or the end of the last run.
    /// Empty: Start initialises a new model from the configuration (in a new run folder).
    void setStartModel(std::optional<rbm::Checkpoint> checkpoint, StartRun run = {});
    const std::optional<rbm::Checkpoint>& startModel() const { return startModel_; }
    const StartRun& startRun() const { return startRun_; }
    /// The epoch Start trains to from the start model (never below the epoch it is at).
    std::int64_t plannedEpochs() const;

    /// Parent folder for run folders; empty = do not write runs to disk.
    void setRunsDirectory(const QString& dir) { runsDir_ = dir; }
    QString runsDirectory() const { return runsDir_; }
    /// The folder of the current (or last) run.
    QString runDirectory() const { return runDir_; }
    void setPublishInterval(int ms) { publishMs_ = ms; }

    State state() const { return state_; }
    bool isActive() const { return state_ != State::Idle; }
    /// Batches trained by the current run (thread-safe read of the worker's counter).
    std::int64_t batchesDone() const;
    SnapshotPtr latestSnapshot() const { return latest_; }
    /// A snapshot of the start model, or of a freshly initialised one (built here, quickly).
    /// Null, with errorOccurred, when that model would not fit (whyDoesNotFit).
    SnapshotPtr previewSnapshot();
    /// Why training the configuration (or the start model's size) on the data would exceed
    /// the memory ceilings or this machine's memory (rbm::whyTrainingDoesNotFit: the shape and
    /// the bytes), or empty. Start and the preview refuse with it instead of allocating.
    QString whyDoesNotFit() const;

public slots:
    void start();
    void pause();
    void resume();
    void togglePause();  ///< Space: start if idle, else pause / resume
    void step();         ///< one minibatch, then paused
    void stop();         ///< joins the thread; the end state becomes the start model
    void reset();        ///< stops, forgets the model; the next start initialises a new one

signals:
    void snapshotReady(studio::SnapshotPtr snapshot);
    void epochFinished(studio::SnapshotPtr snapshot);
    void errorOccurred(QString message);
    void stateChanged(studio::TrainingController::State state);
    /// A run ended (completed, stopped or failed); the thread is joined.
    void finished();
    /// The start model changed without training (reset, restore, load): views start afresh.
    void modelReplaced(studio::SnapshotPtr snapshot);

private:
    using Job = BackgroundJob<std::optional<rbm::Checkpoint>>;
    void launch(bool paused);
    void finishRun(Job::Outcome outcome);
    void setState(State s);

    std::shared_ptr<const rbm::Dataset> train_, test_;
    rbm::TrainingConfig config_;
    std::optional<rbm::Checkpoint> startModel_;
    StartRun startRun_;
    QString runsDir_, runDir_;
    int publishMs_ = 40;
    std::unique_ptr<TrainingWorker> worker_;  ///< the current run's controls; null when Idle
    // The worker's signals are queued to this object and still arrive after stop() (the last
    // snapshot of a run), so a generation, not the job, drops those of a replaced run.
    std::uint64_t generation_ = 0;
    State state_ = State::Idle;
    SnapshotPtr latest_;
    Job job_;  ///< last: destroyed (joined) before the worker it runs
};

}  // namespace studio
