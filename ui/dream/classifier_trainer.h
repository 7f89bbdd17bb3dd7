#pragma once
/// Keeps a "which digit is it" classifier in step with a model that keeps changing: trains
/// rbm::FeatureClassifier on p(h|v) of labelled training digits in a BackgroundJob (never on
/// the GUI thread), and again whenever the weights have moved noticeably since the last training.
#include <QObject>
#include <memory>

#include "rbm/dataset.h"
#include "rbm/feature_classifier.h"
#include "rbm/model.h"
#include "support/background_job.h"

namespace studio {

class ClassifierTrainer : public QObject {
    Q_OBJECT
public:
    explicit ClassifierTrainer(QObject* parent = nullptr);
    ~ClassifierTrainer() override;  ///< cancels a running job (it stops within milliseconds)

    /// Labelled training digits; a set without labels disables the classifier. Cancels a job
    /// training on the previous set.
    void setDataset(std::shared_ptr<const rbm::Dataset> train);
    /// A new model; retrains in the background if none is trained yet, the sizes changed, or
    /// |W - W_trained| / |W_trained| exceeds the threshold (default 5 %).
    void setModel(std::shared_ptr<const rbm::Rbm> model);
    void setSubset(std::size_t examples) { subset_ = examples; }
    void setChangeThreshold(double relative) { threshold_ = relative; }
    /// Minimum pause between two trainings, so a live training run is not slowed down (ms).
    void setMinimumInterval(int ms) { minIntervalMs_ = ms; }

    bool available() const;  ///< the dataset has labels and matches the model
    /// The newest trained classifier (nullptr until the first one is ready). Its feature count
    /// may differ from the current model's hidden size right after a change of model size.
    std::shared_ptr<const rbm::FeatureClassifier> classifier() const { return classifier_; }
    bool busy() const { return job_.active(); }

signals:
    void classifierReady();
    void failed(const QString& message);

private:
    using Job = BackgroundJob<std::shared_ptr<const rbm::FeatureClassifier>>;
    void maybeStart();
    void deliver(std::shared_ptr<const rbm::Rbm> model, Job::Outcome outcome);
    bool needsTraining(const rbm::Rbm& m) const;

    std::shared_ptr<const rbm::Dataset> train_;
    std::shared_ptr<const rbm::Rbm> pending_, trainedFrom_;
    std::shared_ptr<const rbm::FeatureClassifier> classifier_;
    std::size_t subset_ = 3000;
    double threshold_ = 0.05;
    int minIntervalMs_ = 1500;
    bool waiting_ = false;  ///< a delayed start is scheduled
    Job job_;               ///< last: destroyed (cancelled, joined) first
};

}  // namespace studio
