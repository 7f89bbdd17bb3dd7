#include "training/training_controller.h"

#include <QFileInfo>

#include "rbm/memory_limits.h"
#include "rbm/run_folder.h"
#include "rbm/trainer.h"
#include "rbm/training_session.h"
#include "training/training_worker.h"

namespace studio {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<studio::SnapshotPtr>("studio::SnapshotPtr");
    qRegisterMetaType<studio::TrainingController::State>("studio::TrainingController::State");
}

TrainingController::~TrainingController() {
    // job_ goes first and joins; a paused loop must be woken for that, and no signal is wanted.
    if (worker_) worker_->requestStop();
}

void TrainingController::setState(State s) {
    if (s == state_) return;
    state_ = s;
    emit stateChanged(s);
}

void TrainingController::setData(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test) {
    if (isActive()) stop();
    train_ = std::move(train);
    test_ = std::move(test);
    if (startModel_ && train_ && startModel_->model.nVisible() != train_->pixelsPerImage()) {
        startModel_.reset();
        startRun_ = {};
    }
}

void TrainingController::setConfig(const rbm::TrainingConfig& config) {
    config_ = config;
    if (worker_) worker_->setPendingConfig(config);
}

void TrainingController::setStartModel(std::optional<rbm::Checkpoint> checkpoint, StartRun run) {
    startModel_ = std::move(checkpoint);
    startRun_ = startModel_ ? std::move(run) : StartRun{};
    ++generation_;  // snapshots still queued from an earlier run no longer describe this model
}

std::int64_t TrainingController::plannedEpochs() const {
    const std::int64_t at = startModel_ && startModel_->state ? startModel_->state->counters.epoch : 0;
    return rbm::TrainingSession::plannedEpochs(rbm::TrainingSession::EpochTarget::MoreIfDone, at, config_.epochs);
}

std::int64_t TrainingController::batchesDone() const { return worker_ ? worker_->batchesDone() : 0; }

QString TrainingController::whyDoesNotFit() const {
    if (!train_ || train_->empty()) return {};
    rbm::TrainingConfig c = config_;
    if (startModel_) c.hidden = startModel_->model.nHidden();  // a loaded model keeps its size
    const std::string why = rbm::whyTrainingDoesNotFit(c, train_->pixelsPerImage(), train_->count);
    if (why.empty()) return {};
    return tr("Cannot train on %1 (%2 images of %3x%4): %5.")
        .arg(QString::fromStdString(train_->name))
        .arg(train_->count)
        .arg(train_->rows)
        .arg(train_->cols)
        .arg(QString::fromStdString(why));
}

SnapshotPtr TrainingController::previewSnapshot() {
    std::shared_ptr<TrainingSnapshot> s;
    if (startModel_) {
        s = snapshotOf(*startModel_);
        s->origin = tr("loaded model");
        if (!startRun_.history.empty()) s->epochMetrics = startRun_.history;
        s->config.epochs = int(plannedEpochs());
        s->runDir = startRun_.dir;
    } else if (train_ && !train_->empty()) {
        // Checked before the model is made: a shape that does not fit is a sentence, not bad_alloc.
        const QString tooLarge = whyDoesNotFit();
        if (!tooLarge.isEmpty()) {
            emit errorOccurred(tooLarge);
            return nullptr;
        }
        try {
            rbm::TrainingConfig c = config_;
            c.evalSubset = 1;  // nothing is evaluated: keep the preview cheap
            rbm::Trainer t(train_, test_, c);
            s = snapshotOf(t);
            s->config = config_;  // the model's structure, not the preview's evaluation shortcut
            s->weightUpdate.resize(0, 0);
            s->visibleBiasUpdate.resize(0);
            s->hiddenBiasUpdate.resize(0);
            s->negativeSamples.resize(0, 0);
            s->batch.resize(0, 0);
            s->batchHidden.resize(0, 0);
            s->fromTraining = false;
            s->origin = tr("new model (seed %1)").arg(c.seed);
        } catch (const std::exception& e) {
            emit errorOccurred(QString::fromUtf8(e.what()));
            return nullptr;
        }
    }
    if (s) latest_ = s;
    return s;
}

void TrainingController::launch(bool paused) {
    if (!train_ || train_->empty()) {
        emit errorOccurred(tr("There is no training data to train on."));
        return;
    }
    const QString tooLarge = whyDoesNotFit();
    if (!tooLarge.isEmpty()) {
        emit errorOccurred(tooLarge);
        return;
    }
    runDir_.clear();
    // A model of a run on disk goes on in that run's folder (the same history), else a new one.
    if (!startRun_.dir.isEmpty() && startModel_ && QFileInfo(startRun_.dir).isDir()) {
        runDir_ = startRun_.dir;
    } else if (!runsDir_.isEmpty()) {
        try {
            runDir_ = QString::fromStdString(rbm::RunFolder::newRunDir(runsDir_.toStdString()));
        } catch (const std::exception& e) {
            emit errorOccurred(tr("No run folder under %1: %2").arg(runsDir_, QString::fromUtf8(e.what())));
        }
    }
    TrainingWorker::Setup setup;
    setup.train = train_;
    setup.test = test_;
    setup.config = config_;
    setup.from = startModel_;
    if (startModel_) setup.history = startRun_.history;
    setup.runDir = runDir_;
    setup.startPaused = paused;
    setup.publishIntervalMs = publishMs_;

    const std::uint64_t gen = ++generation_;
    worker_ = std::make_unique<TrainingWorker>(std::move(setup));
    // Emitted on the job's thread, so queued onto this (GUI) thread; the generation drops
    // signals of a run already replaced.
    connect(worker_.get(), &TrainingWorker::snapshotReady, this, [this, gen](SnapshotPtr s) {
        if (gen != generation_) return;
        latest_ = s;
        emit snapshotReady(s);
    });
    connect(worker_.get(), &TrainingWorker::epochFinished, this, [this, gen](SnapshotPtr s) {
        if (gen == generation_) emit epochFinished(s);
    });
    connect(worker_.get(), &TrainingWorker::errorOccurred, this, [this, gen](QString m) {
        if (gen == generation_) emit errorOccurred(m);
    });
    TrainingWorker* worker = worker_.get();  // outlives the run: reset only by finishRun()
    job_.start(
        [worker](const JobContext&) {
            worker->run();
            return worker->finalCheckpoint();
        },
        [this](Job::Outcome outcome) { finishRun(std::move(outcome)); });
    setState(paused ? State::Paused : State::Running);
}

void TrainingController::finishRun(Job::Outcome outcome) {
    // Delivered after the worker's last signals were queued, so after the last snapshot.
    if (outcome.result && *outcome.result) {
        startModel_ = std::move(*outcome.result);
        // Start again continues this run: same folder, the curves so far.
        startRun_ = {runDir_, latest_ ? latest_->epochMetrics : std::vector<rbm::EpochMetrics>{}};
    }
    if (!outcome.cancelled && !outcome.error.isEmpty()) emit errorOccurred(outcome.error);
    worker_.reset();
    setState(State::Idle);
    emit finished();
}

void TrainingController::start() {
    if (state_ == State::Paused) {
        resume();
        return;
    }
    if (state_ == State::Running) return;
    launch(false);
}

void TrainingController::pause() {
    if (state_ != State::Running) return;
    worker_->setPaused(true);
    setState(State::Paused);
}

void TrainingController::resume() {
    if (state_ != State::Paused) return;
    worker_->setPaused(false);
    setState(State::Running);
}

void TrainingController::togglePause() {
    switch (state_) {
    case State::Idle: start(); break;
    case State::Running: pause(); break;
    case State::Paused: resume(); break;
    }
}

void TrainingController::step() {
    if (state_ == State::Idle) launch(true);
    if (!worker_) return;
    worker_->requestStep();
    setState(State::Paused);
}

void TrainingController::stop() {
    if (!worker_) return;
    worker_->requestStop();  // wakes a paused loop, which does not watch the job's cancel flag
    job_.cancel();
    job_.wait();  // joined; finishRun() has run
}

void TrainingController::reset() {
    stop();
    startModel_.reset();
    startRun_ = {};
    ++generation_;
    config_.seed += 1;  // a new initialisation, not the same one again
    SnapshotPtr s = previewSnapshot();
    if (s) emit modelReplaced(s);
}

}  // namespace studio
