// One variant of the instruction-set kernels (kernel_table.h): this file is compiled once per
// instruction set with RBM_ISA_VARIANT set to baseline, avx2 or avx512 and that set's flags.
//
// Eigen is renamed for this translation unit: every template it instantiates here lands in the
// namespace Eigen_<variant>, so nothing compiled with this variant's flags can be picked by the
// linker for another variant's (or the rest of core's) call. Nothing else here is a template
// that could leak: the standard library is only used through inline calls Eigen makes.
#ifndef RBM_ISA_VARIANT
#error "compile with -DRBM_ISA_VARIANT=baseline|avx2|avx512 (core/CMakeLists.txt)"
#endif

#define RBM_ISA_CAT2(a, b) a##b
#define RBM_ISA_CAT(a, b) RBM_ISA_CAT2(a, b)
#define Eigen RBM_ISA_CAT(Eigen_, RBM_ISA_VARIANT)
#include <Eigen/Core>

#include "rbm/isa/kernel_table.h"

namespace rbm::isa {
namespace {

using ConstMap = Eigen::Map<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>;
using MutableMap = Eigen::Map<Eigen::MatrixXf, 0, Eigen::OuterStride<>>;

ConstMap view(ConstPanel p) { return ConstMap(p.data, p.rows, p.cols, Eigen::OuterStride<>(p.stride)); }

template <typename A, typename B>
void assign(const A& a, const B& b, float alpha, bool accumulate, MutableMap& c) {
    if (accumulate) c.noalias() += alpha * (a * b);
    else if (alpha == 1.0f) c.noalias() = a * b;
    else c.noalias() = alpha * (a * b);
}

void product(ConstPanel a, bool transposeA, ConstPanel b, bool transposeB, float alpha, bool accumulate, Panel c) {
    MutableMap out(c.data, c.rows, c.cols, Eigen::OuterStride<>(c.stride));
    const ConstMap x = view(a), y = view(b);
    if (transposeA && transposeB) assign(x.transpose(), y.transpose(), alpha, accumulate, out);
    else if (transposeA) assign(x.transpose(), y, alpha, accumulate, out);
    else if (transposeB) assign(x, y.transpose(), alpha, accumulate, out);
    else assign(x, y, alpha, accumulate, out);
}

/// Rows of C per panel: 64 floats of accumulators stay in registers (8 ymm or 4 zmm) while
/// the entries of one column of S are summed, and a 64-row panel of A (64 x 500 floats of W:
/// 128 KB) stays in L2 across all the columns.
constexpr std::size_t kPanelRows = 64;

template <std::size_t Rows>
void sumColumns(const float* a, std::ptrdiff_t lda, const int* index, const float* value, int e0, int e1, float* out) {
    // A fixed-size Eigen array: unrolled into this variant's packets, kept in registers.
    using Panel64 = Eigen::Array<float, static_cast<int>(Rows), 1>;
    Panel64 acc = Panel64::Zero();
    for (int e = e0; e < e1; ++e)
        acc += value[e] * Eigen::Map<const Panel64>(a + static_cast<std::ptrdiff_t>(index[e]) * lda);
    Eigen::Map<Panel64> dst(out);
    dst = acc;
}

void sumColumnsTail(const float* a, std::ptrdiff_t lda, std::ptrdiff_t rows, const int* index, const float* value,
                    int e0, int e1, float* out) {
    for (std::ptrdiff_t r = 0; r < rows; ++r) out[r] = 0.0f;
    for (int e = e0; e < e1; ++e) {
        const float* col = a + static_cast<std::ptrdiff_t>(index[e]) * lda;
        const float v = value[e];
        for (std::ptrdiff_t r = 0; r < rows; ++r) out[r] += v * col[r];
    }
}

void sparseProduct(ConstPanel a, const int* start, const int* index, const float* value, std::ptrdiff_t n, Panel c) {
    for (std::ptrdiff_t r0 = 0; r0 < a.rows; r0 += static_cast<std::ptrdiff_t>(kPanelRows)) {
        constexpr auto panel = static_cast<std::ptrdiff_t>(kPanelRows);
        const std::ptrdiff_t rows = a.rows - r0 < panel ? a.rows - r0 : panel;
        for (std::ptrdiff_t col = 0; col < n; ++col) {
            float* out = c.data + col * c.stride + r0;
            if (rows == panel)
                sumColumns<kPanelRows>(a.data + r0, a.stride, index, value, start[col], start[col + 1], out);
            else
                sumColumnsTail(a.data + r0, a.stride, rows, index, value, start[col], start[col + 1], out);
        }
    }
}

constexpr const char* packets() {
#if defined(EIGEN_VECTORIZE_AVX512)
    return "AVX-512 (16 floats)";
#elif defined(EIGEN_VECTORIZE_AVX2) && defined(EIGEN_VECTORIZE_FMA)
    return "AVX2+FMA (8 floats)";
#elif defined(EIGEN_VECTORIZE_AVX)
    return "AVX (8 floats)";
#elif defined(EIGEN_VECTORIZE_SSE2)
    return "SSE2 (4 floats)";
#else
    return "scalar";
#endif
}

constexpr KernelTable kTable{&product, &sparseProduct, packets()};

}  // namespace

const KernelTable& RBM_ISA_CAT(RBM_ISA_VARIANT, Kernels)() { return kTable; }

}  // namespace rbm::isa
