#pragma once
/// Keeps "is this frame digit-like?" in step with a model that keeps changing: computes
/// rbm::typicalityRange (the free-energy range of 99% of the held-out digits) in a
/// BackgroundJob, never on the GUI thread, once for each model it is handed, at most every
/// `minimumInterval` ms while a training run sends new snapshots. The range belongs to the model
/// it was computed on; rangeFor() gives it only for a model of the same sizes.
#include <QObject>
#include <cstdint>
#include <memory>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/typicality.h"
#include "support/background_job.h"

namespace studio {

class TypicalityChecker : public QObject {
    Q_OBJECT
public:
    explicit TypicalityChecker(QObject* parent = nullptr);
    ~TypicalityChecker() override;  ///< cancels a running job

    /// The held-out digits (the test set, else the training set); null disables the check.
    void setHeldOut(std::shared_ptr<const rbm::Dataset> heldOut);
    void setModel(std::shared_ptr<const rbm::Rbm> model);
    void setMinimumInterval(int ms) { minIntervalMs_ = ms; }

    /// The newest range, if it was computed for a model of `m`'s sizes (else invalid).
    rbm::TypicalityRange rangeFor(const rbm::Rbm& m) const;
    /// F(v) of one visible state (`pixels`, 0-255) under the model the newest range was
    /// measured on: the range lags a training run, and F(v) moves with the weights, so a state
    /// is judged against the range under that same model. NaN before the first range.
    double measuredFreeEnergy(const std::uint8_t* pixels, int count) const;
    /// The model the newest range was computed on (null before the first).
    const std::shared_ptr<const rbm::Rbm>& measuredModel() const { return measured_; }
    bool busy() const { return job_.active(); }

signals:
    void rangeReady();

private:
    using Job = BackgroundJob<rbm::TypicalityRange>;
    void maybeStart();

    std::shared_ptr<const rbm::Dataset> heldOut_;
    std::shared_ptr<const rbm::Rbm> pending_, measured_;
    rbm::TypicalityRange range_;
    int minIntervalMs_ = 1000;
    bool waiting_ = false;
    Job job_;  ///< last: destroyed (cancelled, joined) first
};

}  // namespace studio
