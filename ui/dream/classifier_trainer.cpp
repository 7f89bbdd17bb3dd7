#include "dream/classifier_trainer.h"

#include <QTimer>
#include <algorithm>

namespace studio {

ClassifierTrainer::ClassifierTrainer(QObject* parent) : QObject(parent) {}

// job_ (the last member) cancels and joins first.
ClassifierTrainer::~ClassifierTrainer() = default;

void ClassifierTrainer::setDataset(std::shared_ptr<const rbm::Dataset> train) {
    train_ = std::move(train);
    trainedFrom_.reset();
    classifier_.reset();
    job_.cancel();  // its outcome (cancelled) starts over with the new set
    maybeStart();
}

void ClassifierTrainer::setModel(std::shared_ptr<const rbm::Rbm> model) {
    pending_ = std::move(model);
    maybeStart();
}

bool ClassifierTrainer::available() const {
    const rbm::Rbm* m = pending_ ? pending_.get() : trainedFrom_.get();
    return train_ && train_->hasLabels() && train_->count > 0 && m && m->nVisible() == train_->pixelsPerImage();
}

bool ClassifierTrainer::needsTraining(const rbm::Rbm& m) const {
    if (!trainedFrom_) return true;
    if (trainedFrom_->W.rows() != m.W.rows() || trainedFrom_->W.cols() != m.W.cols()) return true;
    const double base = std::max(1e-6, static_cast<double>(trainedFrom_->W.norm()));
    const double diff = static_cast<double>((m.W - trainedFrom_->W).norm()) +
                        static_cast<double>((m.hiddenBias - trainedFrom_->hiddenBias).norm());
    return diff / base > threshold_;
}

void ClassifierTrainer::maybeStart() {
    if (job_.active() || waiting_ || !pending_ || !available()) return;
    if (!needsTraining(*pending_)) return;
    std::shared_ptr<const rbm::Rbm> model = pending_;
    std::shared_ptr<const rbm::Dataset> data = train_;
    const std::size_t subset = subset_;
    job_.start(
        [model, data, subset](const JobContext& job) {
            rbm::FeatureClassifierOptions o;
            o.cancel = job.cancelFlag();
            return std::make_shared<const rbm::FeatureClassifier>(rbm::trainFeatureClassifier(*model, *data, subset, o));
        },
        [this, model](Job::Outcome outcome) { deliver(model, std::move(outcome)); });
}

void ClassifierTrainer::deliver(std::shared_ptr<const rbm::Rbm> model, Job::Outcome outcome) {
    if (outcome.cancelled) {
        // Trained on a dataset that has since been replaced: start over with the new one.
        maybeStart();
        return;
    }
    trainedFrom_ = std::move(model);  // on failure too: do not retry the same failing model in a loop
    if (outcome.ok()) {
        classifier_ = std::move(*outcome.result);
        emit classifierReady();
    } else {
        emit failed(outcome.error);
    }
    // The model may have moved on while this one trained: look again after a pause.
    waiting_ = true;
    QTimer::singleShot(minIntervalMs_, this, [this] {
        waiting_ = false;
        maybeStart();
    });
}

}  // namespace studio
