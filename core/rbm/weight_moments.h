#pragma once
/// The optimizer moments of W, cut into column chunks while training. Each chunk (a range of
/// hidden units: contiguous columns of W) is stepped on its own, while its gradient is still in
/// L2 and on whichever thread takes it; the optimizers are elementwise, so this changes no
/// result. The checkpoint format keeps one full-size moment per kind, so the chunks are joined
/// back into an OptimizerState when someone asks for the state.
#include <utility>
#include <vector>

#include "rbm/optimizer.h"

namespace rbm {

/// Columns [begin, end) of chunk i when `cols` columns are cut into `chunks` pieces.
std::pair<Eigen::Index, Eigen::Index> columnRange(Eigen::Index cols, int chunks, int i);

/// How many chunks for W of `rows` x `cols` with `threads` threads: at most ~80,000 weights a
/// chunk (W, its copy, gradient, step and two moments fit in L2 together), at least two per
/// thread (a late helper leaves work to take), a multiple of the thread count, at most `cols`.
int weightChunkCount(Eigen::Index rows, Eigen::Index cols, int threads);

class WeightMoments {
public:
    /// Cuts the W moments of `full` (flat, column-major over rows x cols) into `chunks` pieces.
    /// Moments that are unused (unsized) start empty in every chunk.
    void split(const OptimizerState& full, Eigen::Index rows, Eigen::Index cols, int chunks);
    /// Writes the chunks back into `full`'s W moments if a step changed them since.
    void joinInto(OptimizerState& full) const;

    int count() const { return static_cast<int>(chunks_.size()); }
    /// The state of chunk i, for a step on it (threads may step different chunks at once).
    OptimizerState& chunk(int i) { return chunks_[static_cast<std::size_t>(i)]; }
    /// After a step on the chunks: the joined copy is stale.
    void markStepped() { fresh_ = false; }

private:
    std::vector<OptimizerState> chunks_;
    Eigen::Index rows_ = 0, cols_ = 0;
    mutable bool fresh_ = true;
};

}  // namespace rbm
