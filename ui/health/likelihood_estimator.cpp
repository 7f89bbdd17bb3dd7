#include "health/likelihood_estimator.h"

#include <QMetaObject>
#include <cmath>
#include <exception>

#include "rbm/partition_function.h"

namespace studio {

namespace {

struct BinKey {
    rbm::Binarization mode;
    int threshold;
    std::uint64_t seed;
};

/// How a model's data is binarized for its likelihood: as it was trained when it was trained
/// on a binarization, else pixel > 127 (what `rbm eval` does).
BinKey binarizationOf(const rbm::TrainingConfig& c) {
    if (c.binarization == rbm::Binarization::Stochastic) return {rbm::Binarization::Stochastic, 127, c.seed};
    if (c.binarization == rbm::Binarization::Threshold) return {rbm::Binarization::Threshold, c.binarizeThreshold, 1};
    return {rbm::Binarization::Threshold, 127, 1};
}

int keyOf(const BinKey& k) {
    return k.mode == rbm::Binarization::Stochastic ? 100000 + int(k.seed % 50000) : k.threshold;
}

}  // namespace

double LikelihoodPoint::heldOut() const {
    if (report.method == "exact" || report.reliable) return report.avgLogLikTest;
    return report.upperBoundLogLikTest;
}

LikelihoodSample LikelihoodPoint::sample() const {
    LikelihoodSample s;
    s.epoch = epoch;
    s.heldOut = report.avgLogLikTest;
    s.stdErr = report.logZStdErr;
    s.reliable = report.hasTest && (report.method == "exact" || report.reliable);
    return s;
}

double independentPixelsLogLikelihood(rbm::ConstMatrixRef train, rbm::ConstMatrixRef test) {
    if (test.rows() == 0) return std::numeric_limits<double>::quiet_NaN();
    const Eigen::VectorXd counts = train.cast<double>().colwise().sum().transpose();
    const Eigen::ArrayXd p = (counts.array() + 1.0) / (double(train.rows()) + 2.0);
    const Eigen::VectorXd logOn = p.log().matrix(), logOff = (1.0 - p).log().matrix();
    double sum = 0;
    for (Eigen::Index r = 0; r < test.rows(); ++r) {
        const Eigen::VectorXd v = test.row(r).cast<double>().transpose();
        sum += v.dot(logOn) + (Eigen::VectorXd::Ones(v.size()) - v).dot(logOff);
    }
    return sum / double(test.rows());
}

struct LikelihoodEstimator::Job {
    SnapshotPtr snapshot;
    std::shared_ptr<const rbm::Matrix> train, test;
    rbm::LikelihoodOptions options;
    rbm::LikelihoodReport report;
    QString error;
    bool cancelled = false;
};

LikelihoodEstimator::LikelihoodEstimator(QObject* parent) : QObject(parent) {
    qRegisterMetaType<studio::LikelihoodPoint>();
    qRegisterMetaType<studio::SnapshotPtr>();
}

LikelihoodEstimator::~LikelihoodEstimator() {
    if (cancel_) cancel_->store(true);
    join();
}

void LikelihoodEstimator::join() {
    if (thread_.joinable()) thread_.join();
}

void LikelihoodEstimator::setData(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test) {
    cancel();
    train_ = std::move(train);
    test_ = std::move(test);
    trainBin_.reset();
    testBin_.reset();
    binKey_ = -1;
    history_.clear();
    warned_ = false;
    // The baseline for the usual binarization (pixel > 127), fitted to every training digit.
    baseline_ = std::numeric_limits<double>::quiet_NaN();
    if (train_ && !train_->empty()) {
        const rbm::TrainingConfig defaults;
        const rbm::Matrix all =
            rbm::toMatrix(rbm::binarized(*train_, rbm::Binarization::Threshold, 127, 1));
        baseline_ = independentPixelsLogLikelihood(all, binaryTest(defaults));
    }
    emit baselineChanged(baseline_);
}

const rbm::Matrix& LikelihoodEstimator::binaryTrain(const rbm::TrainingConfig& c) {
    const BinKey k = binarizationOf(c);
    if (!trainBin_ || binKey_ != keyOf(k)) {
        binKey_ = keyOf(k);
        const std::size_t nTrain = std::min<std::size_t>(train_->count, std::size_t(std::max(1, settings_.trainRows)));
        trainBin_ = std::make_shared<rbm::Matrix>(rbm::toMatrix(rbm::binarized(*train_, k.mode, k.threshold, k.seed), nTrain));
        if (test_ && !test_->empty() && test_->pixelsPerImage() == train_->pixelsPerImage()) {
            const std::size_t nTest = std::min<std::size_t>(test_->count, std::size_t(std::max(1, settings_.testRows)));
            testBin_ = std::make_shared<rbm::Matrix>(
                rbm::toMatrix(rbm::binarized(*test_, k.mode, k.threshold, k.seed + 1), nTest));
        } else {
            testBin_ = std::make_shared<rbm::Matrix>(0, train_->pixelsPerImage());
        }
    }
    return *trainBin_;
}

const rbm::Matrix& LikelihoodEstimator::binaryTest(const rbm::TrainingConfig& c) {
    binaryTrain(c);
    return *testBin_;
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
    if (running_) {
        pending_ = std::move(snapshot);  // only the newest waits
        return;
    }
    launch(snapshot);
}

void LikelihoodEstimator::launch(const SnapshotPtr& s) {
    join();  // a finished thread not yet joined
    auto job = std::make_shared<Job>();
    job->snapshot = s;
    binaryTrain(s->config);
    job->train = trainBin_;
    job->test = testBin_;
    rbm::LikelihoodOptions& o = job->options;
    o.exactMaxUnits = settings_.exactMaxUnits;
    o.reverseAis = settings_.reverseAis;
    o.ais = settings_.ais;
    o.ais.threads = settings_.threads;
    o.threads = settings_.threads;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    o.cancel = cancel_.get();
    o.ais.cancel = cancel_.get();
    running_ = true;
    const std::uint64_t generation = ++generation_;
    const bool exact = rbm::canEnumerate(s->model, settings_.exactMaxUnits);
    emit started(s->epochPosition(), exact ? tr("exact") : tr("AIS"));
    std::shared_ptr<std::atomic<bool>> flag = cancel_;
    thread_ = std::thread([this, job, generation, flag] {
        try {
            job->report = rbm::estimateLikelihood(job->snapshot->model, *job->train, *job->test, job->options);
        } catch (const std::exception& e) {
            if (flag->load()) job->cancelled = true;
            else job->error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [this, generation, job] { finish(generation, job); }, Qt::QueuedConnection);
    });
}

void LikelihoodEstimator::finish(std::uint64_t generation, const std::shared_ptr<Job>& job) {
    join();
    running_ = false;
    if (generation == generation_ && !job->cancelled) {
        const double epoch = job->snapshot->epochPosition();
        if (!job->error.isEmpty()) {
            emit failed(epoch, job->error);
        } else {
            LikelihoodPoint p;
            p.epoch = epoch;
            p.report = job->report;
            history_.push_back(p.sample());
            emit resultReady(p);
            if (!warned_ && studio::likelihoodFalling(history_)) {
                warned_ = true;
                std::size_t best = 0;
                for (std::size_t i = 0; i < history_.size(); ++i)
                    if (history_[i].reliable && (!history_[best].reliable || history_[i].heldOut > history_[best].heldOut))
                        best = i;
                emit likelihoodFalling(tr("Held-out log-likelihood fell from %1 (epoch %2) to %3 nats: the model "
                                          "has started to get worse.")
                                           .arg(history_[best].heldOut, 0, 'f', 1)
                                           .arg(history_[best].epoch, 0, 'f', 0)
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
    if (!running_) return;
    if (cancel_) cancel_->store(true);
    ++generation_;  // whatever the thread delivers now is dropped
    emit cancelled();
}

void LikelihoodEstimator::reset() {
    cancel();
    history_.clear();
    warned_ = false;
}

}  // namespace studio
