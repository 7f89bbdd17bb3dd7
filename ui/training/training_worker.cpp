#include "training/training_worker.h"

#include <Eigen/Core>
#include <QStringList>
#include <algorithm>
#include <chrono>
#include <cmath>
#if defined(__linux__)
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif


namespace studio {

namespace {

std::atomic<std::uint64_t> g_changeId{0};
std::atomic<std::uint64_t> g_sequence{0};

}  // namespace

std::shared_ptr<TrainingSnapshot> snapshotOf(const rbm::Trainer& t, int maxSamples, int maxBatchRows) {
    auto s = std::make_shared<TrainingSnapshot>();
    s->sequence = ++g_sequence;
    s->model = t.model();
    s->weightUpdate = t.lastWeightUpdate();
    s->visibleBiasUpdate = t.lastVisibleBiasUpdate();
    s->hiddenBiasUpdate = t.lastHiddenBiasUpdate();
    s->counters = t.counters();
    s->batchesPerEpoch = t.batchesPerEpoch();
    s->optimizerSteps = t.optimizerSteps();
    const rbm::Matrix& neg = t.negativeSamples();
    if (neg.cols() == s->model.nVisible())
        s->negativeSamples = neg.topRows(std::min<Eigen::Index>(neg.rows(), maxSamples));
    const rbm::Matrix& v0 = t.lastBatch();
    const rbm::Matrix& h0 = t.lastHiddenProbabilities();
    if (v0.rows() > 0 && h0.rows() == v0.rows()) {
        const Eigen::Index n = std::min<Eigen::Index>(v0.rows(), maxBatchRows);
        s->batch = v0.topRows(n);
        s->batchHidden = h0.topRows(n);
    }
    s->config = t.config();
    s->fromTraining = true;
    s->origin = QObject::tr("training");
    return s;
}

std::shared_ptr<TrainingSnapshot> snapshotOf(const rbm::Checkpoint& c) {
    auto s = std::make_shared<TrainingSnapshot>();
    s->sequence = ++g_sequence;
    s->model = c.model;
    s->config = c.config;
    if (c.state) {
        s->counters = c.state->counters;
        s->optimizerSteps = c.state->optimizer.steps;
        if (c.state->persistentChains.rows() > 0 && c.state->persistentChains.cols() == c.model.nVisible())
            s->negativeSamples = c.state->persistentChains.topRows(std::min<Eigen::Index>(c.state->persistentChains.rows(), 64));
    }
    if (c.metrics) s->epochMetrics.push_back(*c.metrics);
    // The plan it is shown against is the one Start trains to: never an epoch past it.
    s->config.epochs = int(rbm::TrainingSession::plannedEpochs(rbm::TrainingSession::EpochTarget::MoreIfDone,
                                                               s->counters.epoch, c.config.epochs));
    s->fromTraining = false;
    return s;
}

QString describeChanges(const std::vector<rbm::TrainingConfig::Change>& changes) {
    QStringList parts;
    for (const rbm::TrainingConfig::Change& c : changes) parts << QString::fromStdString(c.text());
    return parts.join(QStringLiteral(", "));
}

QString describeChanges(const rbm::TrainingConfig& before, const rbm::TrainingConfig& after) {
    return describeChanges(before.liveChanges(after));
}

TrainingWorker::TrainingWorker(Setup setup) : setup_(std::move(setup)) {
    paused_ = setup_.startPaused;
    // One training thread: the second core stays with the GUI (the event loop must never wait).
    setup_.config.threads = 1;
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::requestStop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
}

void TrainingWorker::setPaused(bool paused) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = paused;
    }
    wake_.notify_all();
}

void TrainingWorker::requestStep() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = true;
        ++steps_;
    }
    wake_.notify_all();
}

void TrainingWorker::setPendingConfig(const rbm::TrainingConfig& config) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_ = config;
    }
    wake_.notify_all();
}

void TrainingWorker::run() {
    using Clock = std::chrono::steady_clock;
    // One Eigen thread: the other core stays with the GUI (and matrix products stay reproducible).
    Eigen::setNbThreads(1);
#if defined(__linux__)
    // Nicer than the GUI thread: when cores are scarce the event loop wins, training waits
    // (Linux nice values are per thread; raising one needs no privilege).
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    pthread_setname_np(pthread_self(), "training");  // what QThread's object name used to give top / gdb
#endif

    using Target = rbm::TrainingSession::EpochTarget;
    std::unique_ptr<rbm::TrainingSession> session;
    try {
        if (setup_.from)
            session = std::make_unique<rbm::TrainingSession>(setup_.train, setup_.test, setup_.config, *setup_.from,
                                                             Target::MoreIfDone);
        else
            session = std::make_unique<rbm::TrainingSession>(setup_.train, setup_.test, setup_.config, Target::MoreIfDone);
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Cannot start training: %1").arg(QString::fromUtf8(e.what())));
        emit finished(false);
        return;
    }
    session->setAfterCheckpointHook(setup_.afterCheckpoint);
    const rbm::Trainer& trainer = session->trainer();

    if (!setup_.runDir.isEmpty()) {
        try {
            session->openRunFolder(setup_.runDir.toStdString());
        } catch (const std::exception& e) {
            emit errorOccurred(tr("The run folder %1 cannot be written (%2). Training continues without "
                                  "checkpoints on disk.").arg(setup_.runDir, QString::fromUtf8(e.what())));
        }
    }

    std::vector<BatchPoint> pendingPoints;
    std::vector<rbm::EpochMetrics> epochs = setup_.history;
    const std::int64_t startEpoch = trainer.counters().epoch;
    epochs.erase(std::remove_if(epochs.begin(), epochs.end(), [&](const rbm::EpochMetrics& m) { return m.epoch > startEpoch; }),
                 epochs.end());
    std::vector<ConfigChange> changes;
    rbm::Vector activity;
    double samplesPerSecond = 0;
    auto lastPublish = Clock::now();
    std::int64_t samplesAtPublish = trainer.counters().samplesSeen;
    bool completed = false;

    auto publish = [&](bool epochEnd, bool last) {
        const auto now = Clock::now();
        const double dt = std::chrono::duration<double>(now - lastPublish).count();
        const std::int64_t seen = trainer.counters().samplesSeen;
        if (dt > 0.005 && !paused_) {
            const double rate = double(seen - samplesAtPublish) / dt;
            samplesPerSecond = samplesPerSecond > 0 ? 0.7 * samplesPerSecond + 0.3 * rate : rate;
        }
        lastPublish = now;
        samplesAtPublish = seen;
        auto s = snapshotOf(trainer);
        if (s->batchHidden.rows() > 0) {
            const rbm::Vector m = s->batchHidden.colwise().mean().transpose();
            if (activity.size() != m.size())
                activity = m;
            else
                activity = 0.7f * activity + 0.3f * m;
        }
        s->meanHiddenActivity = activity;
        s->batchErrors.swap(pendingPoints);
        pendingPoints.clear();
        s->epochMetrics = epochs;
        s->configChanges = changes;
        s->config.epochs = int(session->targetEpochs());
        s->samplesPerSecond = samplesPerSecond;
        s->paused = paused_;
        s->finished = last;
        s->runDir = setup_.runDir;
        SnapshotPtr shared = std::move(s);
        emit snapshotReady(shared);
        if (epochEnd) emit epochFinished(shared);
    };

    publish(false, false);
    while (!stop_) {
        // Live hyperparameters, at a batch boundary.
        std::optional<rbm::TrainingConfig> next;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            next.swap(pending_);
        }
        if (next) {
            next->threads = 1;
            try {
                const QString text = describeChanges(session->setConfig(*next));
                if (!text.isEmpty()) {
                    ConfigChange c;
                    c.id = ++g_changeId;
                    const rbm::TrainerCounters& ctr = trainer.counters();
                    c.epoch = double(ctr.epoch) + double(ctr.batchInEpoch) / std::max(1, trainer.batchesPerEpoch());
                    c.text = text;
                    changes.push_back(c);
                }
                publish(false, false);
            } catch (const std::exception& e) {
                emit errorOccurred(tr("The new settings were not applied: %1").arg(QString::fromUtf8(e.what())));
            }
        }
        if (session->finished()) {
            completed = true;
            break;
        }
        bool stepping = false;
        if (paused_) {
            std::unique_lock<std::mutex> lock(mutex_);
            if (steps_ == 0 && !stop_ && !pending_) {
                lock.unlock();
                publish(false, false);  // shows the paused state
                session->pauseClock();
                lock.lock();
                wake_.wait(lock, [&] { return stop_ || !paused_ || steps_ > 0 || pending_.has_value(); });
                session->resumeClock();
                lastPublish = Clock::now();
                samplesAtPublish = trainer.counters().samplesSeen;
            }
            if (stop_ || pending_ || (paused_ && steps_ == 0)) continue;
            if (paused_ && steps_ > 0) {
                --steps_;
                stepping = true;
            }
        }

        rbm::SessionStep step;
        try {
            step = session->step();
        } catch (const std::exception& e) {
            // rbm::Error on divergence: the session kept (and saved) the last finite parameters.
            emit errorOccurred(QString::fromUtf8(e.what()));
            break;
        }
        ++batchesDone_;
        const rbm::BatchReport& report = step.batch;
        const int bpe = std::max(1, report.batchesPerEpoch);
        pendingPoints.push_back({double(report.counters.epoch) + double(report.counters.batchInEpoch) / bpe,
                                 report.reconstructionMse});
        if (step.saveError)
            emit errorOccurred(tr("Checkpoint of epoch %1 not saved: %2")
                                   .arg(step.epoch ? step.epoch->epoch : report.counters.epoch)
                                   .arg(QString::fromStdString(*step.saveError)));
        if (step.epoch) {
            epochs.push_back(*step.epoch);
            publish(true, false);
        } else if (stepping || Clock::now() - lastPublish >= std::chrono::milliseconds(setup_.publishIntervalMs)) {
            publish(false, false);
        }
    }

    // Lose nothing: the state at the stop goes to latest.npz (epoch files stay whole epochs).
    final_ = session->checkpoint();
    try {
        session->saveLatest();
    } catch (const std::exception& e) {
        emit errorOccurred(tr("The last state was not saved: %1").arg(QString::fromUtf8(e.what())));
    }
    paused_ = false;
    publish(false, true);
    emit finished(completed);
}

}  // namespace studio
