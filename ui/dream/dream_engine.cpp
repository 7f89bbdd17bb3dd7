#include "dream/dream_engine.h"

#include <algorithm>
#include <cmath>

namespace studio {

DreamEngine::DreamEngine(QObject* parent) : QObject(parent), sampler_(1) {
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &DreamEngine::onTick);
    setStepsPerSecond(stepsPerSecond_);
}

void DreamEngine::setModel(std::shared_ptr<const rbm::Rbm> model) {
    const int oldVisible = model_ ? model_->nVisible() : -1;
    const int oldHidden = model_ ? model_->nHidden() : -1;
    model_ = std::move(model);
    if (!model_) {
        pause();
        return;
    }
    const int nv = model_->nVisible(), nh = model_->nHidden();
    if (nv != oldVisible) {
        start_.assign(static_cast<std::size_t>(nv), 0.0f);
        options_.clampMask.resize(0);
        options_.hiddenForce.assign(static_cast<std::size_t>(nh), -1);
        reset();
        return;
    }
    if (nh != oldHidden) {
        options_.hiddenForce.assign(static_cast<std::size_t>(nh), -1);
        // The visible chains carry over; the hidden layer is recomputed for the new size.
        state_.h.setZero(state_.v.rows(), nh);
        state_.hProb.setZero(state_.v.rows(), nh);
        sampler_.updateHidden(*model_, state_, options_);
        phase_ = Phase::HiddenFresh;
        frames_.clear();
        emit timelineReset();
        recordFrame();
        emit hiddenForceChanged();
    }
    // Same sizes: nothing to do; the next update uses the new weights.
}

void DreamEngine::setStartImage(std::vector<float> image) {
    if (model_ && static_cast<int>(image.size()) != model_->nVisible()) image.resize(static_cast<std::size_t>(model_->nVisible()), 0.0f);
    start_ = std::move(image);
    applyClampToState();
}

void DreamEngine::setSeed(std::uint64_t seed) { seed_ = seed; }

void DreamEngine::setChains(int chains) {
    chains_ = std::clamp(chains, 1, kMaxChains);
    reset();
}

void DreamEngine::setBeta(float beta) { options_.beta = std::max(0.0f, beta); }

void DreamEngine::setMeanField(bool on) {
    options_.sampleHidden = !on;
    options_.sampleVisible = !on;
}

void DreamEngine::setClampMask(const std::vector<float>& mask) {
    bool any = false;
    for (float m : mask) any = any || m > 0.5f;
    if (!any) {
        options_.clampMask.resize(0);
        return;
    }
    options_.clampMask = Eigen::Map<const rbm::Vector>(mask.data(), static_cast<Eigen::Index>(mask.size()));
    applyClampToState();
}

void DreamEngine::applyClampToState() {
    if (options_.clampMask.size() == 0 || options_.clampMask.size() != state_.v.cols() ||
        static_cast<Eigen::Index>(start_.size()) != state_.v.cols())
        return;
    for (Eigen::Index i = 0; i < state_.v.cols(); ++i) {
        if (options_.clampMask(i) > 0.5f) {
            state_.v.col(i).setConstant(start_[static_cast<std::size_t>(i)]);
            state_.vProb.col(i).setConstant(start_[static_cast<std::size_t>(i)]);
        }
    }
}

void DreamEngine::setHiddenForce(int unit, int force) {
    if (unit < 0 || unit >= static_cast<int>(options_.hiddenForce.size())) return;
    options_.hiddenForce[static_cast<std::size_t>(unit)] = static_cast<signed char>(std::clamp(force, -1, 1));
    applyForceToState();
    emit hiddenForceChanged();
}

int DreamEngine::hiddenForce(int unit) const {
    if (unit < 0 || unit >= static_cast<int>(options_.hiddenForce.size())) return -1;
    return options_.hiddenForce[static_cast<std::size_t>(unit)];
}

void DreamEngine::toggleHiddenUnit(int unit) {
    const int f = hiddenForce(unit);
    setHiddenForce(unit, f < 0 ? 1 : (f == 1 ? 0 : -1));
}

void DreamEngine::applyForceToState() {
    for (std::size_t j = 0; j < options_.hiddenForce.size() && static_cast<Eigen::Index>(j) < state_.h.cols(); ++j) {
        const signed char f = options_.hiddenForce[j];
        if (f < 0) continue;
        state_.h.col(static_cast<Eigen::Index>(j)).setConstant(float(f));
        state_.hProb.col(static_cast<Eigen::Index>(j)).setConstant(float(f));
    }
}

void DreamEngine::setStepsPerSecond(double sps) {
    stepsPerSecond_ = std::clamp(sps, 0.1, 2000.0);
    // Up to 60 steps/s: one step per tick. Faster: ~60 ticks/s, each doing the steps owed.
    const int interval = stepsPerSecond_ <= 60 ? static_cast<int>(std::lround(1000.0 / stepsPerSecond_)) : 16;
    timer_.setInterval(std::max(1, interval));
}

void DreamEngine::play() {
    if (!model_ || timer_.isActive()) return;
    stepsOwed_ = 0;
    clock_.start();
    timer_.start();
    emit playingChanged(true);
}

void DreamEngine::pause() {
    if (!timer_.isActive()) return;
    timer_.stop();
    emit playingChanged(false);
}

void DreamEngine::onTick() {
    if (stepsPerSecond_ <= 60) {
        step();
        return;
    }
    const double elapsed = static_cast<double>(clock_.restart()) / 1000.0;
    stepsOwed_ = std::min(stepsOwed_ + elapsed * stepsPerSecond_, 64.0);  // never a backlog avalanche
    const int n = static_cast<int>(stepsOwed_);
    stepsOwed_ -= n;
    for (int i = 0; i < n; ++i) step();
}

void DreamEngine::doHalfStep() {
    if (phase_ == Phase::HiddenFresh) {
        sampler_.updateVisible(*model_, state_, options_);
        phase_ = Phase::VisibleFresh;
    } else {
        sampler_.updateHidden(*model_, state_, options_);
        phase_ = Phase::HiddenFresh;
    }
    ++halfSteps_;
}

void DreamEngine::step() {
    if (!model_ || state_.v.rows() == 0) return;
    doHalfStep();
    doHalfStep();
    recordFrame();
}

void DreamEngine::halfStep() {
    if (!model_ || state_.v.rows() == 0) return;
    doHalfStep();
    recordFrame();
}

void DreamEngine::reset() {
    frames_.clear();
    halfSteps_ = 0;
    phase_ = Phase::HiddenFresh;
    sampler_.rng().reseed(seed_);
    if (!model_) {
        state_ = rbm::GibbsState{};
        emit timelineReset();
        return;
    }
    const int nv = model_->nVisible();
    if (static_cast<int>(start_.size()) != nv) start_.assign(static_cast<std::size_t>(nv), 0.0f);
    if (static_cast<int>(options_.hiddenForce.size()) != model_->nHidden())
        options_.hiddenForce.assign(static_cast<std::size_t>(model_->nHidden()), -1);
    if (options_.clampMask.size() != 0 && options_.clampMask.size() != nv) options_.clampMask.resize(0);
    rbm::Matrix V(chains_, nv);
    for (int c = 0; c < chains_; ++c)
        V.row(c) = Eigen::Map<const rbm::RowVector>(start_.data(), nv);
    sampler_.start(*model_, state_, V, options_);
    emit timelineReset();
    recordFrame();
}

void DreamEngine::recordFrame() {
    const Eigen::VectorXd fe = rbm::freeEnergy(*model_, state_.v);
    std::vector<double> f(fe.data(), fe.data() + fe.size());
    frames_.push(DreamFrame::capture(state_, f, halfSteps_));
    emit frameAdded();
}

}  // namespace studio
