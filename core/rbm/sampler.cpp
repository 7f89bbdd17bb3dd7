#include "rbm/sampler.h"

#include "rbm/label_units.h"

namespace rbm {

void GibbsState::resize(int batch, int nVisible, int nHidden) {
    v.setZero(batch, nVisible);
    vProb.setZero(batch, nVisible);
    h.setZero(batch, nHidden);
    hProb.setZero(batch, nHidden);
    y.resize(0, 0);  // label units: drawn from p(y|v) (or clamped) by the next hidden update
    yProb.resize(0, 0);
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

/// The label group held at class k (mean field and samples alike).
void clampLabels(GibbsState& s, int k) {
    s.yProb.setZero();
    s.yProb.col(k).setOnes();
    s.y = s.yProb;
}

bool labelClamped(const Rbm& m, const GibbsOptions& o) { return o.clampLabel >= 0 && o.clampLabel < m.nLabels(); }

}  // namespace

void GibbsSampler::updateHidden(const Rbm& m, GibbsState& s, const GibbsOptions& o) {
    if (m.hasLabels()) {
        if (s.y.rows() != s.v.rows() || s.y.cols() != m.nLabels()) {
            // No labels yet (a new chain): the exact p(y|v) gives them, as a sweep would.
            s.yProb = labelPosterior(m, s.v).cast<float>();
            s.y.resize(s.yProb.rows(), s.yProb.cols());
            if (o.sampleVisible) sampleOneHot(s.yProb, s.y, rng_);
            else s.y = s.yProb;
        }
        if (labelClamped(m, o)) clampLabels(s, o.clampLabel);
        hiddenProbabilitiesGivenLabels(m, s.v, s.y, s.hProb, o.beta);
    } else {
        hiddenProbabilities(m, s.v, s.hProb, o.beta);
    }
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
    if (!m.hasLabels()) return;
    s.yProb.resize(s.h.rows(), m.nLabels());
    s.y.resize(s.h.rows(), m.nLabels());
    if (labelClamped(m, o)) {
        clampLabels(s, o.clampLabel);
    } else {
        labelProbabilities(m, s.h, s.yProb, o.beta);
        if (o.sampleVisible) sampleOneHot(s.yProb, s.y, rng_);
        else s.y = s.yProb;
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

std::vector<Vector> dreamAt(const Rbm& m, ConstMatrixRef start, const std::vector<int>& at, std::uint64_t seed) {
    if (start.rows() != 1 || start.cols() != m.nVisible())
        throw Error("a dream starts from one image of " + std::to_string(m.nVisible()) + " pixels");
    GibbsSampler sampler(seed);
    GibbsState s;
    sampler.start(m, s, start);
    std::vector<Vector> frames;
    int done = 0;
    for (int target : at) {
        for (; done < target; ++done) sampler.step(m, s);
        frames.push_back(s.vProb.row(0).transpose());
    }
    return frames;
}

}  // namespace rbm
