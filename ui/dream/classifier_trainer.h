#pragma once
/// Keeps a "which digit is it" classifier in step with a model that keeps changing: trains
/// rbm::FeatureClassifier on p(h|v) of labelled training digits in a background thread (never on
/// the GUI thread), and again whenever the weights have moved noticeably since the last training.
#include <QObject>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "rbm/dataset.h"
#include "rbm/feature_classifier.h"
#include "rbm/model.h"

namespace studio {

class ClassifierTrainer : public QObject {
    Q_OBJECT
public:
    explicit ClassifierTrainer(QObject* parent = nullptr);
    ~ClassifierTrainer() override;  ///< waits for a running job (well under a second)

    /// Labelled training digits; a set without labels disables the classifier.
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
    bool busy() const { return running_; }

signals:
    void classifierReady();
    void failed(const QString& message);

private slots:
    void deliver();

private:
    void maybeStart();
    bool needsTraining(const rbm::Rbm& m) const;

    std::shared_ptr<const rbm::Dataset> train_;
    std::shared_ptr<const rbm::Rbm> pending_, trainedFrom_, training_;
    std::shared_ptr<const rbm::FeatureClassifier> classifier_;
    std::size_t subset_ = 3000;
    double threshold_ = 0.05;
    int minIntervalMs_ = 1500;
    bool waiting_ = false;  ///< a delayed start is scheduled
    int generation_ = 0;    ///< bumped by setDataset: results of older jobs are dropped
    int jobGeneration_ = 0;

    std::thread worker_;
    std::atomic<bool> running_{false};
    std::mutex mutex_;
    std::shared_ptr<const rbm::FeatureClassifier> result_;  ///< guarded by mutex_
    QString error_;                                         ///< guarded by mutex_
};

}  // namespace studio
