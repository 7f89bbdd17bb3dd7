#include "rbm/sampler.h"

namespace rbm {

void GibbsState::resize(int batch, int nVisible, int nHidden) {
    v.setZero(batch, nVisible);
    vProb.setZero(batch, nVisible);
    h.setZero(batch, nHidden);
    hProb.setZero(batch, nHidden);
}

namespace {

void applyHiddenForce(GibbsState& s, const std::vector<signed char>& force) {
    for (std::size_t j = 0; j < force.size() && j < static_cast<std::size_t>(s.h.cols()); ++j) {
        if (force[j] < 0) continue;
        const float value = force[j] > 0 ? 1.0f : 0.0f;
        s.h.col(static_cast<Eigen::Index>(j)).setConstant(value);
        s.hProb.col(static_cast<Eigen::Index>(j)).setConstant(value);
    }
}

}  // namespace

void GibbsSampler::updateHidden(const Rbm& m, GibbsState& s, const GibbsOptions& o) {
    hiddenProbabilities(m, s.v, s.hProb, o.beta);
    if (o.sampleHidden)
        rng_.bernoulli(s.hProb, s.h);
    else
        s.h = s.hProb;
    applyHiddenForce(s, o.hiddenForce);
}

void GibbsSampler::updateVisible(const Rbm& m, GibbsState& s, const GibbsOptions& o) {
    const bool clamped = o.clampMask.size() == s.v.cols();
    // Clamped units keep their values: remember them before the update overwrites v.
    Matrix keep;
    if (clamped) keep = s.v;
    visibleProbabilities(m, s.h, s.vProb, o.beta);
    if (o.sampleVisible)
        rng_.bernoulli(s.vProb, s.v);
    else
        s.v = s.vProb;
    if (clamped) {
        for (Eigen::Index i = 0; i < s.v.cols(); ++i) {
            if (o.clampMask(i) > 0.5f) {
                s.v.col(i) = keep.col(i);
                s.vProb.col(i) = keep.col(i);
            }
        }
    }
}

void GibbsSampler::step(const Rbm& m, GibbsState& s, const GibbsOptions& o) {
    updateHidden(m, s, o);
    updateVisible(m, s, o);
}

void GibbsSampler::start(const Rbm& m, GibbsState& s, ConstMatrixRef V, const GibbsOptions& o) {
    s.resize(static_cast<int>(V.rows()), m.nVisible(), m.nHidden());
    s.v = V;
    s.vProb = V;
    updateHidden(m, s, o);
}

}  // namespace rbm
