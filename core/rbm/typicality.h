#pragma once
/// "Is this frame digit-like at all?", answered from held-out data rather than a hand-set
/// threshold. The free energy F(v) = -log p(v) - log Z of the held-out digits under the current
/// model spans a range; a frame whose F lies outside the central `coverage` (99%) of that range
/// is atypical of digits for this model, whatever class a classifier would name. Both tails
/// count: noise is far less probable than any digit (F too high), and an all-ink blob can be
/// far *more* probable than any digit under a model that learnt "ink in the middle" (F too
/// low); a typical set excludes both (Cover and Thomas, ch. 3).
///
/// The reference holds each held-out digit twice, as its grey levels (how a dream starts) and
/// as one binary draw with p(pixel on) = grey level (what a sampled chain holds after a step),
/// so the range fits the frames the dream panel judges.
#include <atomic>
#include <cstdint>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/model.h"

namespace rbm {

struct TypicalityRange {
    double low = 0, high = 0;  ///< free-energy interval of the central `coverage` of the reference
    double coverage = 0;       ///< 0 = no range (nothing measured)
    std::size_t references = 0;  ///< free energies the range was taken from
    bool valid() const { return coverage > 0 && references > 0; }
    bool contains(double freeEnergy) const { return freeEnergy >= low && freeEnergy <= high; }
};

struct TypicalityOptions {
    std::size_t examples = 1000;   ///< held-out digits used (the first ones)
    double coverage = 0.99;        ///< central fraction of the reference the range holds
    std::uint64_t seed = 1;        ///< for the binary draws
    const std::atomic<bool>* cancel = nullptr;  ///< set: returns an invalid range soon
};

/// The central `coverage` of `freeEnergies`: empirical quantiles (1 - coverage)/2 and
/// (1 + coverage)/2, linearly interpolated. Empty input gives an invalid range.
TypicalityRange centralRange(std::vector<double> freeEnergies, double coverage);

/// The range of the first `examples` images of `heldOut` under `m` (grey and one binary draw
/// each). Throws Error if the image size does not match the model.
TypicalityRange typicalityRange(const Rbm& m, const Dataset& heldOut, const TypicalityOptions& o = {});

/// Where F sits against the range: 0 at its centre, +-1 at its ends, beyond +-1 atypical.
double typicalityScore(const TypicalityRange& r, double freeEnergy);

}  // namespace rbm
