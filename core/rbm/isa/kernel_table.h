#pragma once
/// The kernels compiled once per instruction set (internal to core/; products.h is the way in).
///
/// isa_kernels.cpp is compiled three times (core/CMakeLists.txt): for plain x86-64, for
/// AVX2+FMA and for AVX-512, each with its own copy of Eigen renamed to its own namespace, so
/// the linker cannot merge an AVX-512 instantiation of Eigen's GEMM into the code that runs on
/// an AVX2 processor (they would have the same mangled names otherwise: an ODR violation that
/// crashes with SIGILL). This header is Eigen-free so that it can be included there.
#include <cstddef>

namespace rbm::isa {

/// A column-major float block: element (r, c) at data[r + c * stride].
struct ConstPanel {
    const float* data;
    std::ptrdiff_t rows, cols, stride;
};
struct Panel {
    float* data;
    std::ptrdiff_t rows, cols, stride;
};

struct KernelTable {
    /// C = alpha op(A) op(B), or C += alpha op(A) op(B) when `accumulate`; op = transpose
    /// where asked. Shapes must agree (checked by the caller). Eigen's GEMM of this variant.
    void (*product)(ConstPanel a, bool transposeA, ConstPanel b, bool transposeB, float alpha, bool accumulate,
                    Panel c);
    /// C = A S for a dense A (m x k) and a k x n matrix S given by its nonzero entries,
    /// column by column: column c's are e in [start[c], start[c + 1]), row index[e], value
    /// value[e] (value null: every entry is 1, and nothing is multiplied). Each C(:, c) is the
    /// sum of the selected columns of A, in order of e (so the result does not depend on how
    /// C's rows are split between threads).
    void (*sparseProduct)(ConstPanel a, const int* start, const int* index, const float* value, std::ptrdiff_t n,
                          Panel c);
    /// C += alpha (A S)^T, A and S as above (C is n x m): row c of C gains alpha times the
    /// sum of the columns of A that column c of S selects, summed in order of e as above.
    void (*sparseProductTransposedAdd)(ConstPanel a, const int* start, const int* index, const float* value,
                                       std::ptrdiff_t n, float alpha, Panel c);
    /// C = A^T (C is a.cols x a.rows), in tiles that stay in L1.
    void (*transpose)(ConstPanel a, Panel c);
    const char* packets;  ///< the packets Eigen uses in this variant, e.g. "AVX2+FMA (8 floats)"
};

const KernelTable& baselineKernels();
const KernelTable& avx2Kernels();    ///< only on x86-64 builds
const KernelTable& avx512Kernels();  ///< only on x86-64 builds

}  // namespace rbm::isa
