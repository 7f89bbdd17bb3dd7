#include "rbm/weight_moments.h"

#include <algorithm>

namespace rbm {

std::pair<Eigen::Index, Eigen::Index> columnRange(Eigen::Index cols, int chunks, int i) {
    return {cols * i / chunks, cols * (i + 1) / chunks};
}

int weightChunkCount(Eigen::Index rows, Eigen::Index cols, int threads) {
    const Eigen::Index n = rows * cols, c = std::max<Eigen::Index>(1, cols);
    const Eigen::Index bySize = (n + 79999) / 80000;
    const Eigen::Index t = std::max(1, threads);
    Eigen::Index chunks = std::max<Eigen::Index>({Eigen::Index(1), bySize, t > 1 ? 2 * t : 1});
    chunks = (chunks + t - 1) / t * t;  // equal shares for the threads
    return static_cast<int>(std::min(c, chunks));
}

void WeightMoments::split(const OptimizerState& full, Eigen::Index rows, Eigen::Index cols, int chunks) {
    rows_ = rows;
    cols_ = cols;
    chunks_.assign(static_cast<std::size_t>(chunks), OptimizerState{});
    for (int m = 0; m < 2; ++m) {
        const Vector& whole = m == 0 ? full.first[GroupWeights] : full.second[GroupWeights];
        if (whole.size() != rows * cols) continue;  // unused or unsized: each chunk starts as the optimizer decides
        for (int i = 0; i < chunks; ++i) {
            const auto [j0, j1] = columnRange(cols, chunks, i);
            OptimizerState& c = chunks_[static_cast<std::size_t>(i)];
            (m == 0 ? c.first : c.second)[GroupWeights] = whole.segment(j0 * rows, (j1 - j0) * rows);
        }
    }
    fresh_ = true;
}

void WeightMoments::joinInto(OptimizerState& full) const {
    if (fresh_) return;
    const int chunks = count();
    for (int m = 0; m < 2; ++m) {
        bool sized = true;
        for (int i = 0; i < chunks; ++i) {
            const auto [j0, j1] = columnRange(cols_, chunks, i);
            const OptimizerState& c = chunks_[static_cast<std::size_t>(i)];
            sized = sized && (m == 0 ? c.first : c.second)[GroupWeights].size() == (j1 - j0) * rows_;
        }
        if (!sized) continue;  // this moment is not used by the optimizer
        Vector& whole = m == 0 ? full.first[GroupWeights] : full.second[GroupWeights];
        whole.resize(rows_ * cols_);
        for (int i = 0; i < chunks; ++i) {
            const auto [j0, j1] = columnRange(cols_, chunks, i);
            const OptimizerState& c = chunks_[static_cast<std::size_t>(i)];
            whole.segment(j0 * rows_, (j1 - j0) * rows_) = (m == 0 ? c.first : c.second)[GroupWeights];
        }
    }
    fresh_ = true;
}

}  // namespace rbm
