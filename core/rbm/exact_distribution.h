#pragma once
/// Exact distributions of models small enough to enumerate, and how far they are from the data.
///
///   p(v) = exp(-F(v)) / Z                       (partition_function.h has F and log Z)
///   mean log-likelihood  L = (1/N) sum_n log p(v_n) = sum_v q(v) log p(v)
///   KL(q || p) = sum_v q(v) log(q(v) / p(v)) = -H(q) - L,   q the data's empirical distribution
///
/// L and KL need only log Z (the smaller layer enumerated), so they are exact for any model
/// canEnumerate accepts; listing p(v) for every visible pattern needs the visible layer itself
/// small (2^20 patterns at most by default). Bars and stripes 4 x 4 with 32 hidden units:
/// 2^16 patterns. A visible pattern is indexed by its bits: unit i is bit i of the index.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "rbm/model.h"
#include "rbm/partition_function.h"

namespace rbm {

constexpr int kMaxListedVisible = 20;

/// The distinct patterns of a BINARY data matrix (rows = examples) and their frequencies.
struct DataDistribution {
    std::size_t examples = 0;       ///< rows of the data
    Matrix patterns;                ///< distinct x nVisible, 0/1, in order of first appearance
    Eigen::VectorXd probability;    ///< q(v) per distinct pattern; sums to 1
    double entropy() const;         ///< H(q) in nats
    std::size_t distinct() const { return std::size_t(patterns.rows()); }
};

/// Throws Error if an entry is not exactly 0 or 1 (a grey image is not a state of the model).
DataDistribution dataDistribution(ConstMatrixRef binaryData);

/// The data's fit under a model, all in nats.
struct ExactFit {
    double logZ = 0;
    double meanLogLikelihood = 0;  ///< L above
    double dataEntropy = 0;        ///< H(q)
    double kl = 0;                 ///< KL(q || p), summed term by term (>= 0 up to rounding)
    std::size_t distinctPatterns = 0;
};

/// L and KL of the data under `m`, given its exact log Z (exactLogPartition).
ExactFit exactFit(const Rbm& m, const DataDistribution& data, double logZ);

/// log p(v) for every visible pattern (index: unit i = bit i).
struct ModelDistribution {
    int nVisible = 0;
    double logZ = 0;
    Eigen::VectorXd logProbability;  ///< 2^nVisible entries
    std::size_t patterns() const { return std::size_t(logProbability.size()); }
};

/// nVisible <= maxVisible: every visible pattern can be listed.
bool canListDistribution(const Rbm& m, int maxVisible = kMaxListedVisible);

/// p(v) over all 2^nVisible patterns: log Z from exactLogPartition(m, o), -F(v) in blocks.
/// Throws Error beyond maxVisible, for a non-finite model, or when o.cancel is set.
ModelDistribution modelDistribution(const Rbm& m, const ExactOptions& o = {}, int maxVisible = kMaxListedVisible);

/// The pattern index of a 0/1 row (unit i = bit i); nVisible <= 63.
std::uint64_t patternIndex(ConstVectorRef binaryRow);
/// The `k` most probable patterns of `d`, most probable first (ties by index).
std::vector<std::uint64_t> mostProbablePatterns(const ModelDistribution& d, std::size_t k);

}  // namespace rbm
