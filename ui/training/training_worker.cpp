#include "training/training_worker.h"

#include <Eigen/Core>
#include <QDir>
#include <QFileInfo>
#include <chrono>
#include <cmath>
#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "rbm/run_folder.h"

namespace studio {

namespace {

std::atomic<std::uint64_t> g_changeId{0};
std::atomic<std::uint64_t> g_sequence{0};

QString num(double v) { return QString::number(v, 'g', 4); }

}  // namespace

std::shared_ptr<TrainingSnapshot> snapshotOf(const rbm::Trainer& t, int maxSamples, int maxBatchRows) {
    auto s = std::make_shared<TrainingSnapshot>();
    s->sequence = ++g_sequence;
    s->model = t.model();
    s->weightUpdate = t.lastWeightUpdate();
    s->visibleBiasUpdate = t.lastVisibleBiasUpdate();
    s->hiddenBiasUpdate = t.lastHiddenBiasUpdate();
    s->counters = t.state().counters;
    s->batchesPerEpoch = t.batchesPerEpoch();
    s->optimizerSteps = t.state().optimizer.steps;
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
    s->fromTraining = false;
    return s;
}

QString describeChanges(const rbm::TrainingConfig& a, const rbm::TrainingConfig& b) {
    QStringList parts;
    auto f = [&](const char* name, double x, double y) {
        if (x != y) parts << QStringLiteral("%1 %2\u2192%3").arg(QLatin1String(name), num(x), num(y));
    };
    if (a.algorithm != b.algorithm)
        parts << QStringLiteral("%1\u2192%2").arg(QString::fromLatin1(rbm::toString(a.algorithm)).toUpper(),
                                                   QString::fromLatin1(rbm::toString(b.algorithm)).toUpper());
    f("k", a.k, b.k);
    if (b.algorithm == rbm::Algorithm::PCD) f("chains", a.persistentChains, b.persistentChains);
    f("batch", a.batchSize, b.batchSize);
    if (a.optimizer.kind != b.optimizer.kind)
        parts << QStringLiteral("%1\u2192%2").arg(QLatin1String(rbm::toString(a.optimizer.kind)),
                                                   QLatin1String(rbm::toString(b.optimizer.kind)));
    f("lr W", a.learningRateWeights, b.learningRateWeights);
    f("lr b", a.learningRateBiases, b.learningRateBiases);
    f("momentum", a.optimizer.momentum, b.optimizer.momentum);
    if (a.optimizer.momentumSchedule != b.optimizer.momentumSchedule)
        parts << (b.optimizer.momentumSchedule ? QStringLiteral("schedule on") : QStringLiteral("schedule off"));
    f("decay", a.weightDecay, b.weightDecay);
    f("sparsity", a.sparsityTarget, b.sparsityTarget);
    f("sparsity cost", a.sparsityCost, b.sparsityCost);
    f("epochs", a.epochs, b.epochs);
    return parts.join(QStringLiteral(", "));
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
#endif

    std::unique_ptr<rbm::Trainer> trainer;
    try {
        if (setup_.from) {
            rbm::TrainerState state;
            // A model-only file has no state: the trainer then seeds fresh generators itself.
            if (setup_.from->state) state = *setup_.from->state;
            trainer = std::make_unique<rbm::Trainer>(setup_.train, setup_.test, setup_.config, setup_.from->model, state);
        } else {
            trainer = std::make_unique<rbm::Trainer>(setup_.train, setup_.test, setup_.config);
        }
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Cannot start training: %1").arg(QString::fromUtf8(e.what())));
        emit finished(false);
        return;
    }

    std::unique_ptr<rbm::RunFolder> folder;
    std::int64_t savedAtBatch = -1;
    if (!setup_.runDir.isEmpty()) {
        try {
            folder = std::make_unique<rbm::RunFolder>(setup_.runDir.toStdString());
            folder->writeConfig(trainer->config());
            folder->saveCheckpoint(rbm::checkpointOf(*trainer), trainer->state().counters.epoch);
            savedAtBatch = trainer->state().counters.totalBatches;
        } catch (const std::exception& e) {
            emit errorOccurred(tr("The run folder %1 cannot be written (%2). Training continues without "
                                  "checkpoints on disk.").arg(setup_.runDir, QString::fromUtf8(e.what())));
            folder.reset();
        }
    }

    const std::int64_t startEpoch = trainer->state().counters.epoch;
    // A model that already finished its planned epochs trains that many more.
    auto targetFor = [&](int epochs) -> std::int64_t {
        return startEpoch < epochs ? epochs : startEpoch + epochs;
    };
    std::int64_t target = targetFor(trainer->config().epochs);

    std::vector<BatchPoint> pendingPoints;
    std::vector<rbm::EpochMetrics> epochs;
    std::vector<ConfigChange> changes;
    std::optional<rbm::EpochMetrics> lastMetrics;
    rbm::Vector activity;
    double samplesPerSecond = 0;
    auto lastPublish = Clock::now();
    std::int64_t samplesAtPublish = trainer->state().counters.samplesSeen;
    auto epochStart = Clock::now();
    std::int64_t samplesAtEpochStart = samplesAtPublish;
    bool completed = false;

    auto publish = [&](bool epochEnd, bool last) {
        const auto now = Clock::now();
        const double dt = std::chrono::duration<double>(now - lastPublish).count();
        const std::int64_t seen = trainer->state().counters.samplesSeen;
        if (dt > 0.005 && !paused_) {
            const double rate = double(seen - samplesAtPublish) / dt;
            samplesPerSecond = samplesPerSecond > 0 ? 0.7 * samplesPerSecond + 0.3 * rate : rate;
        }
        lastPublish = now;
        samplesAtPublish = seen;
        auto s = snapshotOf(*trainer);
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
        s->config.epochs = int(target);
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
            const rbm::TrainingConfig before = trainer->config();
            try {
                trainer->setConfig(*next);
                target = targetFor(next->epochs);
                const rbm::TrainerCounters& now = trainer->state().counters;
                if (target <= now.epoch) target = now.epoch + (now.batchInEpoch > 0 ? 1 : 0);
                const QString text = describeChanges(before, trainer->config());
                if (!text.isEmpty()) {
                    ConfigChange c;
                    c.id = ++g_changeId;
                    const auto& ctr = trainer->state().counters;
                    const int bpe = std::max(1, trainer->batchesPerEpoch());
                    c.epoch = double(ctr.epoch) + double(ctr.batchInEpoch) / bpe;
                    c.text = text;
                    changes.push_back(c);
                }
                publish(false, false);
            } catch (const std::exception& e) {
                emit errorOccurred(tr("The new settings were not applied: %1").arg(QString::fromUtf8(e.what())));
            }
        }
        if (trainer->state().counters.epoch >= target) {
            completed = true;
            break;
        }
        bool stepping = false;
        if (paused_) {
            std::unique_lock<std::mutex> lock(mutex_);
            if (steps_ == 0 && !stop_ && !pending_) {
                lock.unlock();
                publish(false, false);  // shows the paused state
                lock.lock();
                wake_.wait(lock, [&] { return stop_ || !paused_ || steps_ > 0 || pending_.has_value(); });
                lastPublish = Clock::now();
                samplesAtPublish = trainer->state().counters.samplesSeen;
                epochStart = Clock::now();
                samplesAtEpochStart = samplesAtPublish;
            }
            if (stop_ || pending_ || (paused_ && steps_ == 0)) continue;
            if (paused_ && steps_ > 0) {
                --steps_;
                stepping = true;
            }
        }

        rbm::BatchReport report;
        try {
            report = trainer->trainBatch();
        } catch (const std::exception& e) {
            // rbm::Error on divergence: the trainer kept the last finite parameters.
            emit errorOccurred(QString::fromUtf8(e.what()));
            break;
        }
        ++batchesDone_;
        const int bpe = std::max(1, report.batchesPerEpoch);
        pendingPoints.push_back({double(report.counters.epoch) + double(report.counters.batchInEpoch) / bpe,
                                 report.reconstructionMse});

        if (trainer->epochFinished()) {
            const double seconds = std::chrono::duration<double>(Clock::now() - epochStart).count();
            rbm::EpochMetrics m = trainer->evaluate();
            m.seconds = seconds;
            m.samplesPerSecond =
                seconds > 0 ? double(trainer->state().counters.samplesSeen - samplesAtEpochStart) / seconds : 0.0;
            epochs.push_back(m);
            lastMetrics = m;
            if (folder) {
                try {
                    folder->appendMetrics(m);
                    folder->saveCheckpoint(rbm::checkpointOf(*trainer, m), m.epoch);
                    savedAtBatch = trainer->state().counters.totalBatches;
                } catch (const std::exception& e) {
                    emit errorOccurred(tr("Checkpoint of epoch %1 not saved: %2").arg(m.epoch).arg(QString::fromUtf8(e.what())));
                }
            }
            publish(true, false);
            epochStart = Clock::now();
            samplesAtEpochStart = trainer->state().counters.samplesSeen;
        } else if (stepping ||
                   Clock::now() - lastPublish >= std::chrono::milliseconds(setup_.publishIntervalMs)) {
            publish(false, false);
        }
    }

    // Lose nothing: the state at the stop goes to latest.npz (epoch files stay whole epochs).
    final_ = rbm::checkpointOf(*trainer, lastMetrics);
    if (folder && trainer->state().counters.totalBatches != savedAtBatch) {
        try {
            rbm::saveCheckpoint((QDir(setup_.runDir).filePath(QStringLiteral("latest.npz"))).toStdString(), *final_);
        } catch (const std::exception& e) {
            emit errorOccurred(tr("The last state was not saved: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    paused_ = false;
    publish(false, true);
    emit finished(completed);
}

}  // namespace studio
