#include "dream/typicality_checker.h"

#include <QTimer>
#include <limits>

namespace studio {

TypicalityChecker::TypicalityChecker(QObject* parent) : QObject(parent) {}

TypicalityChecker::~TypicalityChecker() = default;

void TypicalityChecker::setHeldOut(std::shared_ptr<const rbm::Dataset> heldOut) {
    heldOut_ = std::move(heldOut);
    if (!pending_) pending_ = measured_;  // the model measured on the old set, again
    measured_.reset();
    range_ = {};
    job_.cancel();  // its outcome (cancelled) starts over with the new set
    maybeStart();
}

void TypicalityChecker::setModel(std::shared_ptr<const rbm::Rbm> model) {
    pending_ = std::move(model);
    maybeStart();
}

rbm::TypicalityRange TypicalityChecker::rangeFor(const rbm::Rbm& m) const {
    if (!measured_ || measured_->nVisible() != m.nVisible() || measured_->nHidden() != m.nHidden()) return {};
    return range_;
}

double TypicalityChecker::measuredFreeEnergy(const std::uint8_t* pixels, int count) const {
    if (!measured_ || measured_->nVisible() != count) return std::numeric_limits<double>::quiet_NaN();
    rbm::Matrix v(1, count);
    for (int i = 0; i < count; ++i) v(0, i) = static_cast<float>(pixels[i]) / 255.0f;
    return rbm::freeEnergy(*measured_, v)(0);
}

void TypicalityChecker::maybeStart() {
    if (job_.active() || waiting_ || !pending_ || !heldOut_ || heldOut_->empty()) return;
    if (pending_ == measured_ || heldOut_->pixelsPerImage() != pending_->nVisible()) return;
    std::shared_ptr<const rbm::Rbm> model = pending_;
    std::shared_ptr<const rbm::Dataset> data = heldOut_;
    job_.start(
        [model, data](const JobContext& job) {
            rbm::TypicalityOptions o;
            o.cancel = job.cancelFlag();
            return rbm::typicalityRange(*model, *data, o);
        },
        [this, model](Job::Outcome outcome) {
            if (outcome.ok()) {
                measured_ = model;
                range_ = *outcome.result;
                emit rangeReady();
            } else if (!outcome.cancelled) {
                measured_ = model;  // do not retry a failing model in a loop
                range_ = {};
            }
            waiting_ = true;
            QTimer::singleShot(outcome.cancelled ? 0 : minIntervalMs_, this, [this] {
                waiting_ = false;
                maybeStart();
            });
        });
}

}  // namespace studio
