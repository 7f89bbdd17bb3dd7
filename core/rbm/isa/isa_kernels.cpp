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

/// out = the sum over e in [e0, e1) of value[e] times column index[e] of A (rows r0 .. r0 +
/// Rows, leading dimension lda); value null: of the columns themselves, with no multiplications.
template <std::size_t Rows>
void sumColumns(const float* a, std::ptrdiff_t lda, const int* index, const float* value, int e0, int e1, float* out) {
    // A fixed-size Eigen array: unrolled into this variant's packets, kept in registers.
    using Panel64 = Eigen::Array<float, static_cast<int>(Rows), 1>;
    Panel64 acc = Panel64::Zero();
    if (value)
        for (int e = e0; e < e1; ++e)
            acc += value[e] * Eigen::Map<const Panel64>(a + static_cast<std::ptrdiff_t>(index[e]) * lda);
    else
        for (int e = e0; e < e1; ++e) acc += Eigen::Map<const Panel64>(a + static_cast<std::ptrdiff_t>(index[e]) * lda);
    Eigen::Map<Panel64> dst(out);
    dst = acc;
}

void sumColumnsTail(const float* a, std::ptrdiff_t lda, std::ptrdiff_t rows, const int* index, const float* value,
                    int e0, int e1, float* out) {
    for (std::ptrdiff_t r = 0; r < rows; ++r) out[r] = 0.0f;
    for (int e = e0; e < e1; ++e) {
        const float* col = a + static_cast<std::ptrdiff_t>(index[e]) * lda;
        if (value) {
            const float v = value[e];
            for (std::ptrdiff_t r = 0; r < rows; ++r) out[r] += v * col[r];
        } else {
            for (std::ptrdiff_t r = 0; r < rows; ++r) out[r] += col[r];
        }
    }
}

/// Rows r0 .. r0 + rows of A S(:, col) into out.
void panelSum(ConstPanel a, std::ptrdiff_t r0, std::ptrdiff_t rows, const int* start, const int* index,
              const float* value, std::ptrdiff_t col, float* out) {
    if (rows == static_cast<std::ptrdiff_t>(kPanelRows))
        sumColumns<kPanelRows>(a.data + r0, a.stride, index, value, start[col], start[col + 1], out);
    else
        sumColumnsTail(a.data + r0, a.stride, rows, index, value, start[col], start[col + 1], out);
}

void sparseProduct(ConstPanel a, const int* start, const int* index, const float* value, std::ptrdiff_t n, Panel c) {
    constexpr auto panel = static_cast<std::ptrdiff_t>(kPanelRows);
    for (std::ptrdiff_t r0 = 0; r0 < a.rows; r0 += panel) {
        const std::ptrdiff_t rows = a.rows - r0 < panel ? a.rows - r0 : panel;
        for (std::ptrdiff_t col = 0; col < n; ++col) panelSum(a, r0, rows, start, index, value, col, c.data + col * c.stride + r0);
    }
}

// The packet types carry vector attributes that templates drop (harmless: only their size and
// Eigen's overloads on them are used).
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif
using Packet = Eigen::internal::packet_traits<float>::type;
constexpr int kPacket = Eigen::internal::unpacket_traits<Packet>::size;

/// c = a^T, or c += alpha a^T with Add, on one kPacket x kPacket block (column-major, strides
/// lda and ldc): a packet per column, transposed in registers, a packet per column of c.
template <bool Add>
void transposeBlock(const float* a, std::ptrdiff_t lda, float* c, std::ptrdiff_t ldc, float alpha) {
    namespace in = Eigen::internal;
    in::PacketBlock<Packet, kPacket> k;
    for (int j = 0; j < kPacket; ++j) k.packet[j] = in::ploadu<Packet>(a + j * lda);
    in::ptranspose(k);
    const Packet scale = in::pset1<Packet>(alpha);
    for (int i = 0; i < kPacket; ++i) {
        float* dst = c + i * ldc;
        if (Add) in::pstoreu(dst, in::padd(in::ploadu<Packet>(dst), in::pmul(scale, k.packet[i])));
        else in::pstoreu(dst, k.packet[i]);
    }
}

/// c(0..cols, 0..rows) (+)= alpha a(0..rows, 0..cols)^T: packet blocks, scalar edges (the same
/// arithmetic: isa objects are built without FMA contraction, so splits change no bit).
template <bool Add>
void transposeTile(const float* a, std::ptrdiff_t lda, std::ptrdiff_t rows, std::ptrdiff_t cols, float* c,
                   std::ptrdiff_t ldc, float alpha) {
    constexpr auto p = static_cast<std::ptrdiff_t>(kPacket);
    for (std::ptrdiff_t c0 = 0; c0 < cols; c0 += p)
        for (std::ptrdiff_t r0 = 0; r0 < rows; r0 += p) {
            if (c0 + p <= cols && r0 + p <= rows) {
                transposeBlock<Add>(a + r0 + c0 * lda, lda, c + c0 + r0 * ldc, ldc, alpha);
                continue;
            }
            for (std::ptrdiff_t r = r0; r < rows && r < r0 + p; ++r)
                for (std::ptrdiff_t k = c0; k < cols && k < c0 + p; ++k) {
                    float& dst = c[k + r * ldc];
                    if (Add) dst += alpha * a[r + k * lda];
                    else dst = a[r + k * lda];
                }
        }
}

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

void sparseProductTransposedAdd(ConstPanel a, const int* start, const int* index, const float* value,
                                std::ptrdiff_t n, float alpha, Panel c) {
    // A panel's sums for kPacket columns of S at a time, then added to C transposed in
    // registers: C's rows are strided, and kPacket of them make whole packets of C's columns.
    constexpr auto panel = static_cast<std::ptrdiff_t>(kPanelRows);
    constexpr auto p = static_cast<std::ptrdiff_t>(kPacket);
    alignas(64) float tile[kPanelRows * kPacket];
    for (std::ptrdiff_t r0 = 0; r0 < a.rows; r0 += panel) {
        const std::ptrdiff_t rows = a.rows - r0 < panel ? a.rows - r0 : panel;
        for (std::ptrdiff_t col0 = 0; col0 < n; col0 += p) {
            const std::ptrdiff_t cols = n - col0 < p ? n - col0 : p;
            for (std::ptrdiff_t k = 0; k < cols; ++k) panelSum(a, r0, rows, start, index, value, col0 + k, tile + k * panel);
            transposeTile<true>(tile, panel, rows, cols, c.data + col0 + r0 * c.stride, c.stride, alpha);
        }
    }
}

void transpose(ConstPanel a, Panel c) {
    constexpr std::ptrdiff_t tile = 64;  // 2 x 16 KB: both tiles in L1
    for (std::ptrdiff_t c0 = 0; c0 < a.cols; c0 += tile)
        for (std::ptrdiff_t r0 = 0; r0 < a.rows; r0 += tile)
            transposeTile<false>(a.data + r0 + c0 * a.stride, a.stride, a.rows - r0 < tile ? a.rows - r0 : tile,
                                 a.cols - c0 < tile ? a.cols - c0 : tile, c.data + c0 + r0 * c.stride, c.stride, 1.0f);
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

constexpr KernelTable kTable{&product, &sparseProduct, &sparseProductTransposedAdd, &transpose, packets()};

}  // namespace

const KernelTable& RBM_ISA_CAT(RBM_ISA_VARIANT, Kernels)() { return kTable; }

}  // namespace rbm::isa
