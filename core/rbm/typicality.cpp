#include "rbm/typicality.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "rbm/random.h"

namespace rbm {

namespace {

double quantile(const std::vector<double>& sorted, double q) {
    const double at = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(at));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double f = at - static_cast<double>(below);
    return sorted[below] + f * (sorted[above] - sorted[below]);
}

}  // namespace

TypicalityRange centralRange(std::vector<double> freeEnergies, double coverage) {
    TypicalityRange r;
    freeEnergies.erase(std::remove_if(freeEnergies.begin(), freeEnergies.end(), [](double f) { return !std::isfinite(f); }),
                       freeEnergies.end());
    if (freeEnergies.empty() || !(coverage > 0 && coverage <= 1)) return r;
    std::sort(freeEnergies.begin(), freeEnergies.end());
    r.low = quantile(freeEnergies, (1.0 - coverage) / 2);
    r.high = quantile(freeEnergies, (1.0 + coverage) / 2);
    r.coverage = coverage;
    r.references = freeEnergies.size();
    return r;
}

TypicalityRange typicalityRange(const Rbm& m, const Dataset& heldOut, const TypicalityOptions& o) {
    if (heldOut.pixelsPerImage() != m.nVisible())
        throw Error("The model has " + std::to_string(m.nVisible()) + " visible units but the held-out images have " +
                    std::to_string(heldOut.pixelsPerImage()) + " pixels.");
    const std::size_t n = std::min(o.examples, heldOut.count);
    std::vector<double> reference;
    reference.reserve(2 * n);
    Random rng(o.seed);
    constexpr std::size_t kBatch = 100;  // cancellation is checked between batches
    std::vector<int> indices(kBatch);
    for (std::size_t first = 0; first < n; first += kBatch) {
        if (o.cancel && o.cancel->load()) return {};
        const std::size_t count = std::min(kBatch, n - first);
        std::iota(indices.begin(), indices.begin() + static_cast<std::ptrdiff_t>(count), static_cast<int>(first));
        Matrix grey(static_cast<Eigen::Index>(count), m.nVisible());
        fillBatch(heldOut, indices.data(), grey);
        Matrix binary(grey.rows(), grey.cols());
        rng.bernoulli(grey, binary);
        for (const Matrix* batch : {&grey, &binary}) {
            const Eigen::VectorXd f = freeEnergy(m, *batch);
            reference.insert(reference.end(), f.data(), f.data() + f.size());
        }
    }
    return centralRange(std::move(reference), o.coverage);
}

double typicalityScore(const TypicalityRange& r, double freeEnergy) {
    if (!r.valid()) return 0.0;
    const double half = std::max(1e-9, (r.high - r.low) / 2);
    return (freeEnergy - (r.low + r.high) / 2) / half;
}

}  // namespace rbm
