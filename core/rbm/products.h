#pragma once
/// The matrix products of training, sampling and AIS, run by the kernels of the widest
/// instruction set the processor has, chosen once at run time (internal to core/).
///
/// The rest of core is built for plain x86-64 (no -march=native: the binary runs, and is fast,
/// on any x86-64 processor). The products, where nearly all the time goes, are compiled three
/// times (isa/kernel_table.h): plain x86-64 (SSE2), AVX2+FMA and AVX-512 (F, VL, DQ, BW). The
/// first call picks the widest the processor runs; RBM_ISA=baseline|avx2|avx512 in the
/// environment asks for one (ignored, with the reason in isaChoice(), if the processor lacks it).
#include <string>
#include <vector>

#include "rbm/types.h"

namespace rbm {

enum class Isa { Baseline, Avx2, Avx512 };
inline constexpr Isa kIsas[] = {Isa::Baseline, Isa::Avx2, Isa::Avx512};

const char* isaName(Isa isa);  ///< "x86-64 baseline (SSE2)", "AVX2+FMA", "AVX-512"
const char* isaKey(Isa isa);   ///< RBM_ISA's spelling: "baseline", "avx2", "avx512"
const char* isaPackets(Isa isa);  ///< Eigen's packets in that variant, e.g. "AVX2+FMA (8 floats)"
bool isaSupported(Isa isa);   ///< compiled in and run by this processor
Isa activeIsa();              ///< the variant products run with
/// Why the active variant was chosen: "AVX2+FMA (the widest this processor runs)",
/// "x86-64 baseline (SSE2) (RBM_ISA=baseline)", or what was refused and why.
std::string isaChoice();
/// Switches every later product to `isa` (tests and benchmarks, between runs: not while a
/// product runs on another thread). False, and nothing changes, if !isaSupported(isa).
bool setActiveIsa(Isa isa);

enum class Op { Plain, Transposed };

/// out = alpha op(a) op(b), or out += alpha op(a) op(b) with `accumulate`; column-major
/// blocks (a Matrix, its block(), middleCols(), ...), op(a) and op(b) of matching shapes.
/// Results depend only on the shapes and the variant (never on the thread that runs it).
void multiply(MatrixRef out, ConstMatrixRef a, Op opA, ConstMatrixRef b, Op opB, float alpha = 1.0f,
              bool accumulate = false);

/// A matrix's nonzero entries, column by column (compressed sparse columns), for products with
/// 0/1 states and mostly-zero data. assign() only grows the buffers: after the first batch of
/// a given shape it allocates nothing.
class SparseColumns {
public:
    /// Compresses the columns of m. Returns the fraction of entries that are nonzero.
    double assign(ConstMatrixRef m);
    /// Compresses the columns of s^T (that is, s's rows: the row-compressed twin) from s's
    /// own compression, without reading the dense matrix again. Returns the density.
    double assignTransposed(const SparseColumns& s);
    Eigen::Index rows() const { return rows_; }
    Eigen::Index cols() const { return cols_; }
    Eigen::Index nonzeros() const { return cols_ > 0 ? start_[static_cast<std::size_t>(cols_)] : 0; }
    double density() const;
    /// Every nonzero entry is exactly 1 (0/1 states, binarized data): products then add the
    /// selected columns without multiplying.
    bool binary() const { return binary_; }
    const int* start() const { return start_.data(); }  ///< cols() + 1 offsets
    const int* index() const { return index_.data(); }
    const float* value() const { return value_.data(); }

    /// Sizes the buffers for any rows x cols matrix (then empty): assign() of that shape, or
    /// assignTransposed() of its transpose's, allocates nothing however dense it is.
    void reserve(Eigen::Index rows, Eigen::Index cols);

private:
    Eigen::Index rows_ = 0, cols_ = 0;
    bool binary_ = true;
    std::vector<int> start_, index_;
    std::vector<float> value_;
};

/// The fraction of m's entries that are nonzero: a vectorised count, a small part of the cost
/// of compressing m, so the decision to go sparse is cheap when the answer is no.
double nonzeroFraction(ConstMatrixRef m);

/// out = a s (a dense, s sparse): each column of out the sum of the columns of a that s
/// selects, weighted by s's values. Exact up to float rounding against multiply(); worth it
/// when s is sparse enough (sparseProductPays).
void multiply(MatrixRef out, ConstMatrixRef a, const SparseColumns& s);

/// out += alpha (a s)^T (a dense, s sparse): row r of out gains alpha times the sum of the
/// columns of a that column r of s selects, weighted by s's values. With s the row-compressed
/// twin (assignTransposed) of a sparse x, this is out += alpha x a^T: the data-side gradient
/// v0^T p(h|v0) as, for each nonzero pixel i of example b, row b of p(h|v0) added to row i.
void multiplyTransposedAdd(MatrixRef out, ConstMatrixRef a, const SparseColumns& s, float alpha);

/// out = a^T, tiled (out is a.cols() x a.rows()).
void transpose(MatrixRef out, ConstMatrixRef a);

/// Whether a s with s of this density is faster as a sum of selected columns than as a dense
/// product, in the active variant (measured: README's performance table). False while
/// setSparseProducts(false).
bool sparseProductPays(double density);
/// Whether the two products with a mostly-zero data batch x (nVisible x batch, of this
/// density over the pixels not zero in the whole batch) are faster sparse: W^T x as sums of
/// W's selected rows (on a transposed copy of W, made once per batch) and x p(h)^T as rows of
/// p(h) added to the gradient's rows. Measured per variant (bench/RESULTS.md). False while
/// setSparseProducts(false).
bool sparseDataProductPays(double density);
/// Turns the sparse paths on or off (benchmarks and tests compare both; on by default, off
/// when RBM_SPARSE=0 is in the environment).
void setSparseProducts(bool on);
bool sparseProducts();

}  // namespace rbm
