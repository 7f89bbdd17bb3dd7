#pragma once
// Small data shared by several tests: the first n embedded training digits, and an epoch's
// metrics row with a chosen free-energy gap and reconstruction error (health-rule inputs).
#include <memory>

#include "rbm/dataset.h"
#include "rbm/trainer_state.h"

namespace rbm::testing {

/// The first `n` of the 9,000 embedded training digits (loaded once per test process).
inline std::shared_ptr<const Dataset> firstDigits(std::size_t n) {
    static const Dataset all = loadEmbeddedMnist().train;
    auto d = std::make_shared<Dataset>(all);
    d->count = n;
    d->pixels.resize(n * static_cast<std::size_t>(d->pixelsPerImage()));
    d->labels.resize(n);
    return d;
}

/// Epoch `e` with held-out free energy `gap` above the training one, both MSEs `mse`, and
/// healthy update ratios (1e-3).
inline EpochMetrics epochRow(int e, double gap = 0, double mse = 0.05) {
    EpochMetrics m;
    m.epoch = e;
    m.hasTest = true;
    m.trainFreeEnergy = -60;
    m.testFreeEnergy = -60 + gap;
    m.trainMse = mse;
    m.testMse = mse;
    m.ratioWeights = 1e-3;
    m.ratioVisibleBias = 1e-3;
    m.ratioHiddenBias = 1e-3;
    return m;
}

}  // namespace rbm::testing
