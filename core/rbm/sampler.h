#pragma once
/// Block Gibbs sampling for a batch of chains, with the knobs the dream panel needs:
/// inverse temperature beta, mean-field (probabilities) instead of samples, a clamp mask of
/// visible units held fixed, and hidden units forced on or off. A model with label units
/// (label_units.h) samples its label group with the pixels, as a softmax given h, or holds it
/// clamped to one class: the chain then samples p(v | y = K).
#include <vector>

#include "rbm/model.h"
#include "rbm/random.h"

namespace rbm {

/// A batch of chains: one chain per row (layout of types.h). Probabilities and the states
/// drawn from them are kept side by side so a view can show both.
struct GibbsState {
    Matrix v, vProb;  ///< batch x nVisible
    Matrix h, hProb;  ///< batch x nHidden
    Matrix y, yProb;  ///< batch x nLabels, one-hot draws and p(y|h); empty without label units
    void resize(int batch, int nVisible, int nHidden);
    int chains() const { return static_cast<int>(v.rows()); }
};

struct GibbsOptions {
    float beta = 1.0f;           ///< inverse temperature: energies are multiplied by beta
    bool sampleHidden = true;    ///< false: h = p(h|v) (mean field)
    bool sampleVisible = true;   ///< false: v = p(v|h) (mean field)
    /// Visible units with clampMask(i) > 0.5 keep their current value in v (and vProb).
    /// Empty = nothing clamped.
    Vector clampMask;
    /// Per hidden unit: -1 free, 0 forced off, 1 forced on. Empty = all free.
    std::vector<signed char> hiddenForce;
    /// Label units: the class the label group is clamped to; -1 lets it follow p(y|h).
    int clampLabel = -1;
};

class GibbsSampler {
public:
    explicit GibbsSampler(std::uint64_t seed = 1) : rng_(seed) {}

    /// v -> h: hProb = p(h|v) (p(h|v,y) with label units; labels that are not yet there are
    /// drawn from the exact p(y|v) first), h = sample (or hProb in mean field), forced units applied.
    void updateHidden(const Rbm& m, GibbsState& s, const GibbsOptions& o = {});
    /// h -> v: vProb = p(v|h), v = sample (or vProb), clamped units restored; and the labels'
    /// yProb = p(y|h), y = one-hot draw (or yProb), or the clamped class.
    void updateVisible(const Rbm& m, GibbsState& s, const GibbsOptions& o = {});
    /// One full sweep v -> h -> v.
    void step(const Rbm& m, GibbsState& s, const GibbsOptions& o = {});
    /// Start chains at V (batch x nVisible): v = vProb = V, then a hidden update.
    void start(const Rbm& m, GibbsState& s, ConstMatrixRef V, const GibbsOptions& o = {});

    Random& rng() { return rng_; }

private:
    Random rng_;
};

/// One sampled chain's dream of `start` (1 x nVisible): p(v|h) after each number of sweeps in
/// `at` (ascending; 0 gives the start itself). Seeded, so that two models dreaming the same
/// start draw the same random numbers: runs compared side by side differ by their weights only.
std::vector<Vector> dreamAt(const Rbm& m, ConstMatrixRef start, const std::vector<int>& at, std::uint64_t seed);

}  // namespace rbm
