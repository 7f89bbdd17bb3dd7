#include "dream/classifier_trainer.h"

#include <QTimer>

namespace studio {

ClassifierTrainer::ClassifierTrainer(QObject* parent) : QObject(parent) {}

ClassifierTrainer::~ClassifierTrainer() {
    if (worker_.joinable()) worker_.join();
}

void ClassifierTrainer::setDataset(std::shared_ptr<const rbm::Dataset> train) {
    train_ = std::move(train);
    trainedFrom_.reset();
    classifier_.reset();
    ++generation_;
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
    if (running_ || waiting_ || !pending_ || !available()) return;
    if (!needsTraining(*pending_)) return;
    if (worker_.joinable()) worker_.join();
    training_ = pending_;
    jobGeneration_ = generation_;
    running_ = true;
    std::shared_ptr<const rbm::Rbm> model = training_;
    std::shared_ptr<const rbm::Dataset> data = train_;
    const std::size_t subset = subset_;
    worker_ = std::thread([this, model, data, subset] {
        std::shared_ptr<const rbm::FeatureClassifier> result;
        QString error;
        try {
            result = std::make_shared<const rbm::FeatureClassifier>(rbm::trainFeatureClassifier(*model, *data, subset));
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            result_ = std::move(result);
            error_ = error;
        }
        // `this` outlives the thread (the destructor joins), and a queued call to a destroyed
        // object is dropped by Qt.
        QMetaObject::invokeMethod(this, "deliver", Qt::QueuedConnection);
    });
}

void ClassifierTrainer::deliver() {
    if (worker_.joinable()) worker_.join();
    std::shared_ptr<const rbm::FeatureClassifier> result;
    QString error;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        result = std::move(result_);
        error = error_;
    }
    running_ = false;
    if (jobGeneration_ != generation_) {
        // Trained on a dataset that has since been replaced: start over with the new one.
        training_.reset();
        maybeStart();
        return;
    }
    if (result) {
        classifier_ = std::move(result);
        trainedFrom_ = training_;
        emit classifierReady();
    } else {
        trainedFrom_ = training_;  // do not retry the same failing model in a loop
        emit failed(error);
    }
    training_.reset();
    // The model may have moved on while this one trained: look again after a pause.
    waiting_ = true;
    QTimer::singleShot(minIntervalMs_, this, [this] {
        waiting_ = false;
        maybeStart();
    });
}

}  // namespace studio
