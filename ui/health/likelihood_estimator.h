#pragma once
/// Held-out log-likelihood estimates while training runs: every N epochs the model of an epoch's
/// snapshot goes to a background std::thread that runs rbm::estimateLikelihood (exact for small
/// models, else forward AIS at the quick schedule, reverse AIS and the rigorous bound). The GUI
/// thread only copies a shared pointer; the result comes back through a queued call. One
/// estimate runs at a time: an epoch that ends while one runs waits as "pending" (only the
/// newest is kept). cancel() sets an atomic flag the core checks every 64 betas; the destructor
/// cancels and joins, so closing the window never waits for a full estimate.
#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <limits>
#include <memory>
#include <thread>

#include "health/health_rules.h"
#include "rbm/ais.h"
#include "rbm/dataset.h"
#include "training/training_snapshot.h"

namespace studio {

/// One estimate of a model at an epoch.
struct LikelihoodPoint {
    double epoch = 0;
    rbm::LikelihoodReport report;
    /// The held-out figure people should see: exact or AIS when reliable, else the upper bound.
    double heldOut() const;
    LikelihoodSample sample() const;
};

/// The average held-out log-likelihood of the independent-pixels model fitted to `train`:
/// p_i = (count_i + 1) / (n + 2) (add-one smoothing, so no pixel is impossible), log p(v) =
/// sum_i [v_i log p_i + (1 - v_i) log(1 - p_i)]. The baseline any RBM should beat (about -206
/// nats on the embedded digits at pixel > 127). Both matrices binary; NaN if `test` is empty.
double independentPixelsLogLikelihood(rbm::ConstMatrixRef train, rbm::ConstMatrixRef test);

class LikelihoodEstimator : public QObject {
    Q_OBJECT
public:
    struct Settings {
        int everyEpochs = 2;    ///< estimate at epochs divisible by this (0 = only on request)
        int trainRows = 1000;   ///< rows of the training set used (the base rate, the training figure)
        int testRows = 1000;    ///< held-out rows used
        int exactMaxUnits = 20; ///< enumerate when the smaller layer has at most this many units
        bool reverseAis = true;
        rbm::AisConfig ais = rbm::AisConfig::quick();
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
    /// The independent-pixels baseline of the current data (NaN without held-out digits).
    double baseline() const { return baseline_; }

    bool busy() const { return running_; }
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
    struct Job;
    void launch(const SnapshotPtr& s);
    void finish(std::uint64_t generation, const std::shared_ptr<Job>& job);
    void join();
    const rbm::Matrix& binaryTrain(const rbm::TrainingConfig& c);
    const rbm::Matrix& binaryTest(const rbm::TrainingConfig& c);

    Settings settings_;
    std::shared_ptr<const rbm::Dataset> train_, test_;
    // binarized copies for one binarization (rebuilt when a model asks for another)
    std::shared_ptr<rbm::Matrix> trainBin_, testBin_;
    int binKey_ = -1;
    double baseline_ = std::numeric_limits<double>::quiet_NaN();

    std::thread thread_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::uint64_t generation_ = 0;
    bool running_ = false;
    SnapshotPtr pending_;
    std::vector<LikelihoodSample> history_;
    bool warned_ = false;
};

}  // namespace studio

Q_DECLARE_METATYPE(studio::LikelihoodPoint)
