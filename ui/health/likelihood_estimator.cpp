#include "health/likelihood_estimator.h"

#include <algorithm>

#include "rbm/baseline.h"
#include "rbm/partition_function.h"

namespace studio {

double LikelihoodPoint::heldOut() const {
    if (report.method == "exact" || report.reliable) return report.avgLogLikTest;
    return report.upperBoundLogLikTest;
}

rbm::LikelihoodSample LikelihoodPoint::sample() const {
    rbm::LikelihoodSample s;
    s.epoch = epoch;
    s.heldOut = report.avgLogLikTest;
    s.stdErr = report.logZStdErr;
    s.reliable = report.hasTest && (report.method == "exact" || report.reliable);
    return s;
}

LikelihoodEstimator::LikelihoodEstimator(QObject* parent) : QObject(parent) {
    qRegisterMetaType<studio::LikelihoodPoint>();
    qRegisterMetaType<studio::SnapshotPtr>();
}

// job_ (the last member) cancels and joins first.
LikelihoodEstimator::~LikelihoodEstimator() = default;

void LikelihoodEstimator::setData(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test) {
    cancel();
    train_ = std::move(train);
    test_ = std::move(test);
    evalSet_.reset();
    history_.clear();
    warned_ = false;
    // The baseline for the usual binarization (pixel > 127), fitted to every training digit.
    baseline_ = std::numeric_limits<double>::quiet_NaN();
    if (train_ && !train_->empty()) {
        const rbm::EvaluationSet all = rbm::evaluationSet(*train_, test_.get(), rbm::EvaluationBinarization{}, 0,
                                                          std::size_t(std::max(1, settings_.testRows)));
        baseline_ = rbm::independentPixelsLogLikelihood(all.train, all.test);
    }
    emit baselineChanged(baseline_);
}

std::shared_ptr<const rbm::EvaluationSet> LikelihoodEstimator::evaluationSetFor(const rbm::TrainingConfig& c) {
    const rbm::EvaluationBinarization b = rbm::evaluationBinarization(c);
    const EvaluationRows rows{std::size_t(std::max(1, settings_.trainRows)), std::size_t(std::max(1, settings_.testRows))};
    // Keyed by the whole binarization (mode, threshold and seed), never by a number folded from
    // them: the old key 100000 + seed % 50000 gave seeds 1 and 50001 the same digits.
    if (!evalSet_ || evalSet_->binarization != b || evalRows_ != rows) {
        evalSet_ = std::make_shared<const rbm::EvaluationSet>(
            rbm::evaluationSet(*train_, test_.get(), b, rows.train, rows.test));
        evalRows_ = rows;
    }
    return evalSet_;
}

void LikelihoodEstimator::onEpochFinished(SnapshotPtr snapshot) {
    if (!snapshot || settings_.everyEpochs <= 0) return;
    const std::int64_t epoch = snapshot->counters.epoch;
    if (epoch <= 0 || epoch % settings_.everyEpochs != 0) return;
    estimate(std::move(snapshot));
}

void LikelihoodEstimator::estimate(SnapshotPtr snapshot) {
    if (!snapshot || !train_ || train_->empty()) return;
    if (snapshot->model.nVisible() != train_->pixelsPerImage()) return;
    if (job_.active()) {
        pending_ = std::move(snapshot);  // only the newest waits
        return;
    }
    launch(snapshot);
}

void LikelihoodEstimator::launch(const SnapshotPtr& s) {
    std::shared_ptr<const rbm::EvaluationSet> data = evaluationSetFor(s->config);
    rbm::LikelihoodOptions o;
    o.exactMaxUnits = settings_.exactMaxUnits;
    o.reverseAis = settings_.reverseAis;
    o.ais = settings_.ais;
    o.ais.threads = settings_.threads;
    o.threads = settings_.threads;
    job_.start(
        [s, data, o](const JobContext& job) mutable {
            o.cancel = job.cancelFlag();
            o.ais.cancel = job.cancelFlag();
            return rbm::estimateLikelihood(s->model, data->train, data->test, o);
        },
        [this, s](BackgroundJob<rbm::LikelihoodReport>::Outcome outcome) { finish(s, std::move(outcome)); });
    const bool exact = rbm::canEnumerate(s->model, settings_.exactMaxUnits);
    emit started(s->epochPosition(), exact ? tr("exact") : tr("AIS"));
}

void LikelihoodEstimator::finish(const SnapshotPtr& s, BackgroundJob<rbm::LikelihoodReport>::Outcome outcome) {
    if (!outcome.cancelled) {
        const double epoch = s->epochPosition();
        if (!outcome.ok()) {
            emit failed(epoch, outcome.error);
        } else {
            LikelihoodPoint p;
            p.epoch = epoch;
            p.report = std::move(*outcome.result);
            history_.push_back(p.sample());
            emit resultReady(p);
            const rbm::LikelihoodSample* best = rbm::bestLikelihood(history_);
            if (!warned_ && best && rbm::likelihoodFalling(history_)) {
                warned_ = true;
                emit likelihoodFalling(tr("Held-out log-likelihood fell from %1 (epoch %2) to %3 nats: the model "
                                          "has started to get worse.")
                                           .arg(best->heldOut, 0, 'f', 1)
                                           .arg(best->epoch, 0, 'f', 0)
                                           .arg(p.report.avgLogLikTest, 0, 'f', 1));
            }
        }
    }
    if (pending_) {
        SnapshotPtr next = std::move(pending_);
        pending_.reset();
        launch(next);
    }
}

void LikelihoodEstimator::cancel() {
    pending_.reset();
    if (job_.cancel()) emit cancelled();  // whatever the job delivers now is dropped
}

void LikelihoodEstimator::reset() {
    cancel();
    history_.clear();
    warned_ = false;
}

}  // namespace studio
