#pragma once
/// What the Exact lab draws, computed from one model off the GUI thread: the exact fit (mean
/// log-likelihood, KL(data || model)) and the bars, patterns sorted by model probability.
///
/// Drawing 65,536 bars tells nothing, so the bars are the union of the `topK` most probable
/// patterns under the model and every data pattern, plus one last bar with the model's mass
/// on all the other patterns: the model bars and the data bars each sum to 1 exactly.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/exact_distribution.h"
#include "rbm/model.h"

namespace studio {

/// The training data as the lab sees it: binarized at pixel > 127, its distinct patterns.
struct ExactLabData {
    int rows = 0, cols = 0;
    rbm::DataDistribution q;
    std::vector<std::uint64_t> index;  ///< pattern index of each distinct pattern (q order)
    int nVisible() const { return rows * cols; }
};

/// Empty (nVisible() 0) when the images have more than rbm::kMaxListedVisible pixels.
ExactLabData exactLabData(const rbm::Dataset& train);

struct ExactLabBar {
    std::uint64_t pattern = 0;
    double model = 0;     ///< p(v), or the mass of every other pattern for the rest bar
    double data = 0;      ///< q(v)
    bool inData = false;
    bool rest = false;    ///< the last bar: every pattern not listed
    std::uint64_t restPatterns = 0;
};

struct ExactLabResult {
    rbm::ExactFit fit;
    std::vector<ExactLabBar> bars;  ///< most probable under the model first; the rest bar last
    std::size_t patterns = 0;       ///< 2^nVisible
    int rows = 0, cols = 0;
    double epoch = 0;
    double milliseconds = 0;        ///< time to compute it
};

/// Why the lab cannot show `m` with `data`, or empty when it can (one line for people).
std::string exactLabUnavailableReason(const rbm::Rbm& m, const ExactLabData& data);

/// Throws rbm::Error (also when `cancel` is set during the enumeration).
ExactLabResult computeExactLab(const rbm::Rbm& m, const ExactLabData& data, std::size_t topK,
                               const std::atomic<bool>* cancel = nullptr);

}  // namespace studio
