#include "dream/dream_engine.h"

#include <algorithm>
#include <cmath>

#include "rbm/label_units.h"

namespace studio {

DreamEngine::DreamEngine(QObject* parent) : QObject(parent), sampler_(1), tempered_(1) {
    tempered_.setLadder(rbm::linearLadder(8, 0.8f));
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &DreamEngine::onTick);
    setStepsPerSecond(stepsPerSecond_);
}

void DreamEngine::setModel(std::shared_ptr<const rbm::Rbm> model) {
    const int oldVisible = model_ ? model_->nVisible() : -1;
    const int oldHidden = model_ ? model_->nHidden() : -1;
    const bool wasTempered = temperingActive();
    model_ = std::move(model);
    if (!model_) {
        pause();
        return;
    }
    handOver(wasTempered);  // label units or none: the ladder may start or stop
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
        if (temperingActive()) state_ = tempered_.replica(0);
        state_.h.setZero(state_.v.rows(), nh);
        state_.hProb.setZero(state_.v.rows(), nh);
        sampler_.updateHidden(*model_, state_, options_);
        if (temperingActive()) tempered_.startFrom(state_);
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

void DreamEngine::setClampedLabel(int k) { options_.clampLabel = std::max(-1, k); }

int DreamEngine::clampedLabel() const {
    return labelled() && options_.clampLabel < model_->nLabels() ? options_.clampLabel : -1;
}

void DreamEngine::setBeta(float beta) { options_.beta = std::max(0.0f, beta); }

void DreamEngine::setMeanField(bool on) {
    const bool was = temperingActive();
    options_.sampleHidden = !on;
    options_.sampleVisible = !on;
    handOver(was);
}

void DreamEngine::setTempering(bool on) {
    const bool was = temperingActive();
    tempering_ = on;
    handOver(was);
}

void DreamEngine::setLadder(int rungs, float betaMin) {
    const bool was = temperingActive();
    if (was) state_ = tempered_.replica(0);
    tempered_.setLadder(rbm::linearLadder(std::clamp(rungs, 2, 32), std::clamp(betaMin, 0.0f, 1.0f)));
    if (was) tempered_.startFrom(state_);
}

std::vector<double> DreamEngine::swapRates() const {
    std::vector<double> r;
    for (int k = 0; k + 1 < tempered_.rungs(); ++k) r.push_back(tempered_.acceptanceRate(k));
    return r;
}

void DreamEngine::handOver(bool wasActive) {
    const bool active = temperingActive();
    if (active == wasActive) return;
    if (active)
        tempered_.startFrom(state_);  // the hot rungs begin where the chains are
    else if (tempered_.started())
        state_ = tempered_.replica(0);
}

std::vector<rbm::GibbsState*> DreamEngine::runningStates() {
    if (!temperingActive()) return {&state_};
    std::vector<rbm::GibbsState*> all;
    for (int k = 0; k < tempered_.rungs(); ++k) all.push_back(&tempered_.replica(k));
    return all;
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
    for (rbm::GibbsState* s : runningStates()) {
        if (options_.clampMask.size() == 0 || options_.clampMask.size() != s->v.cols() ||
            static_cast<Eigen::Index>(start_.size()) != s->v.cols())
            return;
        for (Eigen::Index i = 0; i < s->v.cols(); ++i) {
            if (options_.clampMask(i) > 0.5f) {
                s->v.col(i).setConstant(start_[static_cast<std::size_t>(i)]);
                s->vProb.col(i).setConstant(start_[static_cast<std::size_t>(i)]);
            }
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
    for (rbm::GibbsState* s : runningStates()) {
        for (std::size_t j = 0; j < options_.hiddenForce.size() && static_cast<Eigen::Index>(j) < s->h.cols(); ++j) {
            const signed char f = options_.hiddenForce[j];
            if (f < 0) continue;
            s->h.col(static_cast<Eigen::Index>(j)).setConstant(float(f));
            s->hProb.col(static_cast<Eigen::Index>(j)).setConstant(float(f));
        }
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
    if (temperingActive()) {
        if (phase_ == Phase::HiddenFresh) {
            tempered_.updateVisible(*model_, options_);
            phase_ = Phase::VisibleFresh;
        } else {
            tempered_.updateHidden(*model_, options_);
            phase_ = Phase::HiddenFresh;
            tempered_.swapRound(*model_);  // a full sweep is complete: (v, h) is a joint state
        }
        ++halfSteps_;
        return;
    }
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
    if (!model_ || state().v.rows() == 0) return;
    doHalfStep();
    doHalfStep();
    recordFrame();
}

void DreamEngine::halfStep() {
    if (!model_ || state().v.rows() == 0) return;
    doHalfStep();
    recordFrame();
}

void DreamEngine::reset() {
    frames_.clear();
    halfSteps_ = 0;
    phase_ = Phase::HiddenFresh;
    sampler_.rng().reseed(seed_);
    tempered_.rng().reseed(seed_ ^ 0x7e3d1a5bULL);  // its own stream, as reproducible
    if (!model_) {
        state_ = rbm::GibbsState{};
        if (temperingActive()) tempered_.startFrom(state_);
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
    if (temperingActive()) tempered_.start(*model_, V, options_);
    emit timelineReset();
    recordFrame();
}

void DreamEngine::recordFrame() {
    const rbm::GibbsState& s = state();
    const Eigen::VectorXd fe = rbm::freeEnergy(*model_, s.v);
    std::vector<double> f(fe.data(), fe.data() + fe.size());
    DreamFrame frame = DreamFrame::capture(s, f, halfSteps_);
    if (labelled()) {
        // The readout's "which digit is it now": exact, from nLabels free energies of each chain.
        const Eigen::MatrixXd p = rbm::labelPosterior(*model_, s.v);
        frame.nLabels = static_cast<int>(p.cols());
        frame.labelPosterior.resize(static_cast<std::size_t>(p.size()));
        for (Eigen::Index r = 0; r < p.rows(); ++r)
            for (Eigen::Index c = 0; c < p.cols(); ++c)
                frame.labelPosterior[static_cast<std::size_t>(r * p.cols() + c)] = static_cast<float>(p(r, c));
        frame.clampedLabel = clampedLabel();
    }
    frames_.push(std::move(frame));
    emit frameAdded();
}

}  // namespace studio
