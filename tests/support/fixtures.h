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

/// The nonzero fraction of the first `batch` images over the pixels not zero in all of them:
/// the density the trainer's sparse data products are chosen by (sparseDataProductPays).
inline double batchDensity(const Dataset& d, std::size_t batch) {
    const std::size_t pixels = static_cast<std::size_t>(d.pixelsPerImage());
    std::size_t nonzero = 0, active = 0;
    for (std::size_t p = 0; p < pixels; ++p) {
        std::size_t on = 0;
        for (std::size_t i = 0; i < batch; ++i) on += d.image(i)[p] != 0 ? 1 : 0;
        nonzero += on;
        active += on > 0 ? 1 : 0;
    }
    return active ? static_cast<double>(nonzero) / static_cast<double>(active * batch) : 0.0;
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
