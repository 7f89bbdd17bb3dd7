#include "rbm/training_session.h"

namespace rbm {

namespace {

/// The start checkpoint's metrics, if they describe the epoch the state is at the end of.
std::optional<EpochMetrics> metricsAtBoundary(const Checkpoint& from, const TrainerCounters& c) {
    if (!from.metrics || c.batchInEpoch != 0 || c.positionInEpoch != 0 || from.metrics->epoch != c.epoch)
        return std::nullopt;
    return from.metrics;
}

}  // namespace

TrainingSession::TrainingSession(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                                 const TrainingConfig& config, EpochTarget target)
    : trainer_(std::make_unique<Trainer>(std::move(train), std::move(test), config)), targetRule_(target) {
    target_ = targetFor(trainer_->config().epochs);
    startEpochClock();
}

TrainingSession::TrainingSession(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                                 const TrainingConfig& config, const Checkpoint& from, EpochTarget target)
    // A model-only file has no state: the trainer then seeds fresh generators itself.
    : trainer_(std::make_unique<Trainer>(std::move(train), std::move(test), config, from.model,
                                         from.state ? *from.state : TrainerState{})),
      targetRule_(target) {
    startEpoch_ = trainer_->counters().epoch;
    startMetrics_ = metricsAtBoundary(from, trainer_->counters());
    target_ = targetFor(trainer_->config().epochs);
    startEpochClock();
}

TrainingSession::~TrainingSession() = default;

std::int64_t TrainingSession::plannedEpochs(EpochTarget target, std::int64_t startEpoch, int epochs) {
    if (target == EpochTarget::MoreIfDone && startEpoch >= epochs) return startEpoch + epochs;
    return epochs;
}

std::int64_t TrainingSession::targetFor(int epochs) const { return plannedEpochs(targetRule_, startEpoch_, epochs); }

void TrainingSession::openRunFolder(const std::string& dir, int keepLast, bool saveStart) {
    folder_.reset();
    auto folder = std::make_unique<RunFolder>(dir, keepLast);
    folder->resumeAt(trainer_->counters().epoch);  // one history: nothing of a later branch stays mixed in
    folder->writeConfig(trainer_->config());
    // Killed between the checkpoint and the metrics row of its epoch: the row is in the meta.
    if (startMetrics_ && folder->hasCheckpoint(startMetrics_->epoch) &&
        folder->lastMetricsEpoch() < startMetrics_->epoch)
        folder->appendMetrics(*startMetrics_);
    if (saveStart) {
        const TrainerCounters& c = trainer_->counters();
        Checkpoint start = checkpointOf(*trainer_, startMetrics_);
        if (c.batchInEpoch == 0 && c.positionInEpoch == 0) folder->saveCheckpoint(start, c.epoch);
        else folder->saveLatest(start);
        savedAtBatch_ = c.totalBatches;
    }
    folder_ = std::move(folder);
}

void TrainingSession::startEpochClock() {
    runningSince_ = Clock::now();
    secondsBefore_ = 0;
    samplesAtEpochStart_ = trainer_->counters().samplesSeen;
}

double TrainingSession::epochSeconds() const {
    if (clockPaused_) return secondsBefore_;
    return secondsBefore_ + std::chrono::duration<double>(Clock::now() - runningSince_).count();
}

void TrainingSession::pauseClock() {
    if (clockPaused_) return;
    secondsBefore_ = epochSeconds();
    clockPaused_ = true;
}

void TrainingSession::resumeClock() {
    if (!clockPaused_) return;
    runningSince_ = Clock::now();
    clockPaused_ = false;
}

SessionStep TrainingSession::step() {
    SessionStep out;
    try {
        out.batch = trainer_->trainBatch();
    } catch (const Error&) {
        // The trainer kept the last finite parameters: save them for inspection. The divergence
        // is the message that matters, so a failing save does not replace it.
        if (folder_) {
            try {
                folder_->saveLatest(checkpoint());
                savedAtBatch_ = trainer_->counters().totalBatches;
            } catch (const Error&) {
            }
        }
        throw;
    }
    if (!trainer_->epochFinished()) return out;

    // The epoch's time is its training: measured before the evaluation, restarted after saving.
    const double seconds = epochSeconds();
    EpochMetrics m = trainer_->evaluate();
    m.seconds = seconds;
    m.samplesPerSecond =
        seconds > 0 ? static_cast<double>(trainer_->counters().samplesSeen - samplesAtEpochStart_) / seconds : 0.0;
    lastMetrics_ = m;
    if (folder_) saveEpoch(m, out);
    out.epoch = m;
    startEpochClock();
    return out;
}

void TrainingSession::saveEpoch(const EpochMetrics& m, SessionStep& out) {
    try {
        // Checkpoint first: see the header for what a kill in between leaves.
        folder_->saveCheckpoint(checkpointOf(*trainer_, m), m.epoch);
        savedAtBatch_ = trainer_->counters().totalBatches;
        if (afterCheckpoint_) afterCheckpoint_(m.epoch);
        folder_->appendMetrics(m);
    } catch (const Error& e) {
        out.saveError = e.what();
    }
}

bool TrainingSession::run(const Callbacks& callbacks) {
    while (!finished()) {
        const SessionStep s = step();
        if (s.saveError) throw Error(*s.saveError);
        if (callbacks.onBatch && !callbacks.onBatch(s.batch)) return false;
        if (s.epoch && callbacks.onEpoch && !callbacks.onEpoch(*s.epoch)) return false;
    }
    return true;
}

std::vector<TrainingConfig::Change> TrainingSession::setConfig(const TrainingConfig& config) {
    const TrainingConfig before = trainer_->config();
    trainer_->setConfig(config);
    target_ = targetFor(trainer_->config().epochs);
    const TrainerCounters& now = trainer_->counters();
    if (target_ <= now.epoch) target_ = now.epoch + (now.batchInEpoch > 0 ? 1 : 0);
    return before.liveChanges(trainer_->config());
}

std::string TrainingSession::saveLatest() {
    if (!folder_) return {};
    if (trainer_->counters().totalBatches != savedAtBatch_) {
        folder_->saveLatest(checkpoint());
        savedAtBatch_ = trainer_->counters().totalBatches;
    }
    return folder_->latestPath();
}

Checkpoint TrainingSession::checkpoint() const { return checkpointOf(*trainer_, lastMetrics_); }

}  // namespace rbm
