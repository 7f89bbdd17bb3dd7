#pragma once
/// The rigorous lower bound on log Z: for any set S of DISTINCT visible states,
///   log Z >= log sum_{v in S} exp(-F(v)),
/// so mean(-F(v_test)) - bound is an UPPER bound on the average test log-likelihood that no
/// sampling failure can spoil. S is built from the AIS end states, the data, greedy modes
/// (h = [c + vW > 0], v = [b + Wh > 0] to a fixed point from each start) and short Gibbs runs
/// from the best of them, deduplicated exactly.
///
/// All data here must be BINARY (0/1 per unit). RBM Studio binarizes pixels > 127 -> 1 unless
/// the model was trained on another binarization; the caller passes binary matrices.
/// Batches follow types.h: one example (one AIS run) per row.
#include <cstddef>
#include <cstdint>

#include "rbm/model.h"

namespace rbm {

struct LowerBoundOptions {
    int maxGreedyStarts = 1000;  ///< greedy mode searches from the best (lowest F) seeds
    int maxGreedyIterations = 50;
    int gibbsChains = 100;       ///< short Gibbs runs from the best states found
    int gibbsSteps = 50;
    std::uint64_t seed = 7;
};

struct LowerBound {
    double logZ = 0;           ///< log sum_{v in S} exp(-F(v)) <= log Z
    std::size_t states = 0;    ///< |S|, distinct states
    double bestNegFreeEnergy = 0;  ///< max_{v in S} -F(v)
};

/// The rigorous lower bound on log Z from the (binary) seed states, grown by greedy modes and
/// Gibbs runs as described above. Rows of `seeds` are binarized by > 0.5.
LowerBound partitionLowerBound(const Rbm& m, ConstMatrixRef seeds, const LowerBoundOptions& o = {});

}  // namespace rbm
