#pragma once
/// Held-out log-likelihood estimates while training runs: every N epochs the model of an epoch's
/// snapshot goes to a BackgroundJob that runs rbm::estimateLikelihood (exact for small models,
/// else forward AIS at core's default schedule, reverse AIS and the rigorous bound) on the
/// evaluation set core builds for the model (rbm::evaluationSet). The GUI thread only copies
/// shared pointers; the result comes back on it. One estimate runs at a time: an epoch that
/// ends while one runs waits as "pending" (only the newest is kept). cancel() sets the job's
/// flag, which the core checks every 64 betas; the destructor cancels and joins, so closing the
/// window never waits for a full estimate.
#include <QMetaType>
#include <QObject>
#include <QString>
#include <limits>
#include <memory>
#include <vector>

#include "rbm/ais.h"
#include "rbm/dataset.h"
#include "rbm/evaluation_set.h"
#include "rbm/health_rules.h"
#include "support/background_job.h"
#include "training/training_snapshot.h"

namespace studio {

/// One estimate of a model at an epoch.
struct LikelihoodPoint {
    double epoch = 0;
    rbm::LikelihoodReport report;
    /// The held-out figure people should see: exact or AIS when reliable, else the upper bound.
    double heldOut() const;
    rbm::LikelihoodSample sample() const;
};

class LikelihoodEstimator : public QObject {
    Q_OBJECT
public:
    struct Settings {
        int everyEpochs = 2;    ///< estimate at epochs divisible by this (0 = only on request)
        int trainRows = 1000;   ///< rows of the training set used (the base rate, the training figure)
        int testRows = 1000;    ///< held-out rows used
        int exactMaxUnits = 20; ///< enumerate when the smaller layer has at most this many units
        bool reverseAis = true;
        rbm::AisConfig ais;     ///< core's default, as `rbm eval` uses
        int threads = 1;        ///< leave the other core to training
    };

    explicit LikelihoodEstimator(QObject* parent = nullptr);
    ~LikelihoodEstimator() override;

    void setSettings(const Settings& s) { settings_ = s; }
    const Settings& settings() const { return settings_; }
    void setEveryEpochs(int n) { settings_.everyEpochs = n; }

    /// The data the estimates use (binarized as each model's configuration says, pixel > 127 by
    /// default). Cancels a running estimate.
    void setData(std::shared_ptr<const rbm::Dataset> train, std::shared_ptr<const rbm::Dataset> test);
    /// rbm::independentPixelsLogLikelihood of the current data at pixel > 127, fitted to every
    /// training digit and scored on the held-out rows used (NaN without held-out digits).
    double baseline() const { return baseline_; }
    /// The evaluation set of the newest estimate (nullptr before the first).
    std::shared_ptr<const rbm::EvaluationSet> evaluationSet() const { return evalSet_; }

    bool busy() const { return job_.active(); }
    bool hasPending() const { return pending_ != nullptr; }

public slots:
    /// An epoch ended: estimates if its epoch is a multiple of everyEpochs (queued if busy).
    void onEpochFinished(studio::SnapshotPtr snapshot);
    /// Estimates this snapshot's model now (queued behind a running estimate).
    void estimate(studio::SnapshotPtr snapshot);
    /// Abandons the running estimate and the pending one; returns at once (the thread ends
    /// within a few hundred milliseconds and its result is dropped).
    void cancel();
    /// A new run or another model: cancels and forgets the history (for likelihoodFalling).
    void reset();

signals:
    void started(double epoch, QString method);
    void resultReady(studio::LikelihoodPoint point);
    void failed(double epoch, QString message);
    void cancelled();
    /// The newest reliable held-out estimate fell below the best one (see likelihoodFalling).
    void likelihoodFalling(QString message);
    void baselineChanged(double logLikelihood);

private:
    void launch(const SnapshotPtr& s);
    void finish(const SnapshotPtr& s, BackgroundJob<rbm::LikelihoodReport>::Outcome outcome);
    /// Core's evaluation set for this model's configuration, rebuilt only when it differs.
    std::shared_ptr<const rbm::EvaluationSet> evaluationSetFor(const rbm::TrainingConfig& c);

    Settings settings_;
    std::shared_ptr<const rbm::Dataset> train_, test_;
    struct EvaluationRows {
        std::size_t train = 0, test = 0;
        bool operator!=(const EvaluationRows& o) const { return train != o.train || test != o.test; }
    };
    std::shared_ptr<const rbm::EvaluationSet> evalSet_;
    EvaluationRows evalRows_;  ///< what evalSet_ was built for
    double baseline_ = std::numeric_limits<double>::quiet_NaN();

    SnapshotPtr pending_;
    std::vector<rbm::LikelihoodSample> history_;
    bool warned_ = false;
    BackgroundJob<rbm::LikelihoodReport> job_;  ///< last: destroyed (cancelled, joined) first
};

}  // namespace studio

Q_DECLARE_METATYPE(studio::LikelihoodPoint)
