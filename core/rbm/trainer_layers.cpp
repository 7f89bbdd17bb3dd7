#include "rbm/kernels.h"
#include "rbm/products.h"
#include "rbm/trainer.h"

// The two conditional layers of the training step, split by units over the worker pool.
namespace rbm {

int Trainer::chunksFor(Eigen::Index units) const {
    if (!pool_) return 1;
    // One chunk per thread: fewer, larger products run closer to the GEMM's best. A helper
    // that starts late leaves its chunk to the caller. Fixed by the thread count alone.
    return static_cast<int>(std::max<Eigen::Index>(1, std::min<Eigen::Index>(pool_->threads(), units / 48)));
}

namespace {
/// Where chunk i of a layer of `units` starts (i = chunks: the end), on multiples of 48 rows
/// (three AVX-512 registers: the row panel of Eigen's GEMM kernel) so no chunk has a ragged
/// panel in the middle.
Eigen::Index layerSplit(Eigen::Index units, int chunks, int i) {
    if (i >= chunks) return units;
    return std::min(units, (units * i / chunks + 24) / 48 * 48);
}
}  // namespace

void Trainer::hiddenLayer(const Matrix& in, Eigen::Index cols, Matrix& out, Matrix* samples, std::uint64_t key,
                          Eigen::Index activeBegin, Eigen::Index activeEnd, const Matrix* labels,
                          const SparseColumns* sparse) {
    const Eigen::Index nh = model_.nHidden();
    if (activeEnd < 0) activeEnd = in.rows();
    const Eigen::Index depth = std::max<Eigen::Index>(0, activeEnd - activeBegin);
    const int chunks = chunksFor(nh);
    // W's rows are strided in W; the sums of selected rows run on W^T, made by the chunks
    // (each its own rows) the first time in a batch.
    const bool transposeW = sparse && !wTFresh_;
    eigen_assert(!sparse || (wT_.rows() == nh && wT_.cols() == model_.nVisible()));  // sized with the workspaces
    auto job = [&](int i) {
        const Eigen::Index j0 = layerSplit(nh, chunks, i), n = layerSplit(nh, chunks, i + 1) - j0;
        if (transposeW) transpose(wT_.middleRows(j0, n), model_.W.middleCols(j0, n));
        if (sparse)
            multiply(out.block(j0, 0, n, cols), wT_.middleRows(j0, n), *sparse);
        else if (depth == 0)
            out.block(j0, 0, n, cols).setZero();
        else
            multiply(out.block(j0, 0, n, cols), model_.W.block(activeBegin, j0, depth, n), Op::Transposed,
                     in.block(activeBegin, 0, depth, cols), Op::Plain);
        if (labels)
            out.block(j0, 0, n, cols).noalias() += model_.labelWeights.middleCols(j0, n).transpose() * labels->leftCols(cols);
        kernels::biasLogisticSample(out.data() + j0, n, out.rows(), cols, model_.hiddenBias.data() + j0,
                                    samples ? samples->data() + j0 : nullptr, samples ? samples->rows() : 0, key,
                                    static_cast<std::uint64_t>(j0), static_cast<std::uint64_t>(nh));
    };
    if (chunks == 1) job(0);
    else pool_->run(chunks, job);
    if (sparse) wTFresh_ = true;
}

void Trainer::visibleLayer(const Matrix& in, Eigen::Index cols, Matrix& out, Matrix* samples, std::uint64_t key,
                           const Matrix* data) {
    const Eigen::Index nv = model_.nVisible();
    const int chunks = chunksFor(nv);
    if (data) {
        reconSquared_.assign(static_cast<std::size_t>(chunks), 0.0);
        reconCrossEntropy_.assign(static_cast<std::size_t>(chunks), 0.0);
    }
    // The input is 0/1 hidden states: where few are on, W h is cheaper as the sum of the
    // columns of W that h selects (the compression is shared by every chunk).
    const bool sparse = sparseProducts() && sparseProductPays(nonzeroFraction(in.leftCols(cols)));
    if (sparse) sparseIn_.assign(in.leftCols(cols));
    auto job = [&](int i) {
        const Eigen::Index i0 = layerSplit(nv, chunks, i), n = layerSplit(nv, chunks, i + 1) - i0;
        if (sparse) multiply(out.block(i0, 0, n, cols), model_.W.middleRows(i0, n), sparseIn_);
        else multiply(out.block(i0, 0, n, cols), model_.W.middleRows(i0, n), Op::Plain, in.leftCols(cols), Op::Plain);
        kernels::biasLogisticSample(out.data() + i0, n, out.rows(), cols, model_.visibleBias.data() + i0,
                                    samples ? samples->data() + i0 : nullptr, samples ? samples->rows() : 0, key,
                                    static_cast<std::uint64_t>(i0), static_cast<std::uint64_t>(nv));
        if (data)
            kernels::reconstructionSums(data->data() + i0, out.data() + i0, n, nv, 0, cols,
                                        reconSquared_[static_cast<std::size_t>(i)],
                                        reconCrossEntropy_[static_cast<std::size_t>(i)]);
    };
    if (chunks == 1) job(0);
    else pool_->run(chunks, job);
}

const SparseColumns* Trainer::compressChains(bool twin) {
    chainsSparse_ = false;
    if (!sparseProducts()) return nullptr;
    chainsSparse_ = sparseDataProductPays(nonzeroFraction(chainsT_));
    if (!chainsSparse_) return nullptr;
    sparseChains_.assign(chainsT_);
    if (twin) sparseChainRows_.assignTransposed(sparseChains_);
    return chainsSparse_ ? &sparseChains_ : nullptr;
}
}  // namespace rbm
