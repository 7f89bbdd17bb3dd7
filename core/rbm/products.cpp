#include "rbm/products.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "rbm/isa/kernel_table.h"

namespace rbm {

namespace {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RBM_ISA_VARIANTS 1
#endif

bool processorRuns(Isa isa) {
#ifdef RBM_ISA_VARIANTS
    __builtin_cpu_init();
    switch (isa) {
        case Isa::Baseline: return true;
        case Isa::Avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case Isa::Avx512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                   __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return false;
#else
    return isa == Isa::Baseline;
#endif
}

const isa::KernelTable& table(Isa which) {
#ifdef RBM_ISA_VARIANTS
    if (which == Isa::Avx512) return isa::avx512Kernels();
    if (which == Isa::Avx2) return isa::avx2Kernels();
#endif
    (void)which;
    return isa::baselineKernels();
}

Isa widest() {
    if (processorRuns(Isa::Avx512)) return Isa::Avx512;
    if (processorRuns(Isa::Avx2)) return Isa::Avx2;
    return Isa::Baseline;
}

struct Choice {
    Isa isa = Isa::Baseline;
    std::string why;
};

Choice choose() {
    Choice c{widest(), ""};
    const char* asked = std::getenv("RBM_ISA");
    if (!asked || !*asked) {
        c.why = std::string(isaName(c.isa)) + " (the widest this processor runs)";
        return c;
    }
    for (Isa isa : kIsas) {
        if (std::strcmp(asked, isaKey(isa)) != 0) continue;
        if (processorRuns(isa)) {
            c.isa = isa;
            c.why = std::string(isaName(isa)) + " (RBM_ISA=" + asked + ")";
        } else {
            c.why = std::string(isaName(c.isa)) + " (RBM_ISA=" + asked + " ignored: this processor lacks " +
                    isaName(isa) + ")";
        }
        return c;
    }
    c.why = std::string(isaName(c.isa)) + " (RBM_ISA=" + asked +
            " ignored: not one of baseline, avx2, avx512)";
    return c;
}

const Choice& initialChoice() {
    static const Choice c = choose();
    return c;
}

std::atomic<const isa::KernelTable*>& active() {
    static std::atomic<const isa::KernelTable*> a{&table(initialChoice().isa)};
    return a;
}

std::atomic<int>& activeIndex() {
    static std::atomic<int> i{static_cast<int>(initialChoice().isa)};
    return i;
}

isa::ConstPanel panel(ConstMatrixRef m) { return {m.data(), m.rows(), m.cols(), m.outerStride()}; }

}  // namespace

const char* isaName(Isa isa) {
    switch (isa) {
        case Isa::Baseline: return "x86-64 baseline (SSE2)";
        case Isa::Avx2: return "AVX2+FMA";
        case Isa::Avx512: return "AVX-512";
    }
    return "?";
}

const char* isaKey(Isa isa) {
    switch (isa) {
        case Isa::Baseline: return "baseline";
        case Isa::Avx2: return "avx2";
        case Isa::Avx512: return "avx512";
    }
    return "?";
}

const char* isaPackets(Isa isa) { return table(isa).packets; }

bool isaSupported(Isa isa) { return processorRuns(isa); }

Isa activeIsa() { return static_cast<Isa>(activeIndex().load(std::memory_order_relaxed)); }

std::string isaChoice() {
    const Isa now = activeIsa();
    if (now == initialChoice().isa) return initialChoice().why;
    return std::string(isaName(now)) + " (chosen by the program)";
}

bool setActiveIsa(Isa isa) {
    if (!processorRuns(isa)) return false;
    active().store(&table(isa), std::memory_order_relaxed);
    activeIndex().store(static_cast<int>(isa), std::memory_order_relaxed);
    return true;
}

void multiply(MatrixRef out, ConstMatrixRef a, Op opA, ConstMatrixRef b, Op opB, float alpha, bool accumulate) {
    const bool ta = opA == Op::Transposed, tb = opB == Op::Transposed;
    eigen_assert((ta ? a.cols() : a.rows()) == out.rows());
    eigen_assert((tb ? b.rows() : b.cols()) == out.cols());
    eigen_assert((ta ? a.rows() : a.cols()) == (tb ? b.cols() : b.rows()));
    if (out.size() == 0) return;
    if ((ta ? a.rows() : a.cols()) == 0) {
        if (!accumulate) out.setZero();
        return;
    }
    active().load(std::memory_order_relaxed)
        ->product(panel(a), ta, panel(b), tb, alpha, accumulate, {out.data(), out.rows(), out.cols(), out.outerStride()});
}

void SparseColumns::reserve(Eigen::Index rows, Eigen::Index cols) {
    rows_ = rows;
    cols_ = cols;
    start_.resize(static_cast<std::size_t>(cols_ + 1));
    // Room for every entry at once: a later, denser batch of the same shape allocates nothing.
    if (index_.size() < static_cast<std::size_t>(rows * cols)) {
        index_.resize(static_cast<std::size_t>(rows * cols));
        value_.resize(static_cast<std::size_t>(rows * cols));
    }
    std::fill(start_.begin(), start_.end(), 0);
}

double SparseColumns::assign(ConstMatrixRef m) {
    reserve(m.rows(), m.cols());
    int e = 0;
    bool ones = true;
    for (Eigen::Index c = 0; c < cols_; ++c) {
        start_[static_cast<std::size_t>(c)] = e;
        const float* col = m.data() + c * m.outerStride();
        for (Eigen::Index r = 0; r < rows_; ++r) {
            // Runs of 8 zeros (a digit's background) skipped with one test; +0 and -0 alike.
            if (r % 8 == 0 && r + 8 <= rows_) {
                std::uint32_t bits = 0;
                for (int k = 0; k < 8; ++k) {
                    std::uint32_t b;
                    std::memcpy(&b, col + r + k, sizeof b);
                    bits |= b << 1;
                }
                if (bits == 0) {
                    r += 7;
                    continue;
                }
            }
            const float x = col[r];
            if (x == 0.0f) continue;
            index_[static_cast<std::size_t>(e)] = static_cast<int>(r);
            value_[static_cast<std::size_t>(e)] = x;
            ones = ones && x == 1.0f;
            ++e;
        }
    }
    start_[static_cast<std::size_t>(cols_)] = e;
    binary_ = ones;
    return density();
}

double SparseColumns::assignTransposed(const SparseColumns& s) {
    reserve(s.cols(), s.rows());
    binary_ = s.binary();
    // Counting sort by s's row: count, offsets, then place; entries of each new column keep
    // the order of s's columns, so the sums over them have a fixed order.
    std::fill(start_.begin(), start_.end(), 0);
    const int n = static_cast<int>(s.nonzeros());
    for (int e = 0; e < n; ++e) ++start_[static_cast<std::size_t>(s.index()[e]) + 1];
    for (Eigen::Index c = 0; c < cols_; ++c)
        start_[static_cast<std::size_t>(c + 1)] += start_[static_cast<std::size_t>(c)];
    for (Eigen::Index c = 0; c < s.cols(); ++c)
        for (int e = s.start()[c]; e < s.start()[c + 1]; ++e) {
            int& slot = start_[static_cast<std::size_t>(s.index()[e])];
            index_[static_cast<std::size_t>(slot)] = static_cast<int>(c);
            value_[static_cast<std::size_t>(slot)] = s.value()[e];
            ++slot;
        }
    // Each start_[r] now holds the end of column r: shift back by one.
    for (Eigen::Index c = cols_; c > 0; --c) start_[static_cast<std::size_t>(c)] = start_[static_cast<std::size_t>(c - 1)];
    start_[0] = 0;
    return density();
}

double SparseColumns::density() const {
    if (rows_ == 0 || cols_ == 0) return 0.0;
    return static_cast<double>(start_[static_cast<std::size_t>(cols_)]) / static_cast<double>(rows_ * cols_);
}

double nonzeroFraction(ConstMatrixRef m) {
    if (m.size() == 0) return 0.0;
    std::int64_t n = 0;
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
        const float* col = m.data() + c * m.outerStride();
        int inColumn = 0;  // a branch-free loop the compiler vectorises
        for (Eigen::Index r = 0; r < m.rows(); ++r) inColumn += col[r] != 0.0f ? 1 : 0;
        n += inColumn;
    }
    return static_cast<double>(n) / static_cast<double>(m.size());
}

void multiply(MatrixRef out, ConstMatrixRef a, const SparseColumns& s) {
    eigen_assert(a.rows() == out.rows() && a.cols() == s.rows() && s.cols() == out.cols());
    if (out.size() == 0) return;
    active().load(std::memory_order_relaxed)
        ->sparseProduct(panel(a), s.start(), s.index(), s.binary() ? nullptr : s.value(), s.cols(),
                        {out.data(), out.rows(), out.cols(), out.outerStride()});
}

void multiplyTransposedAdd(MatrixRef out, ConstMatrixRef a, const SparseColumns& s, float alpha) {
    eigen_assert(a.rows() == out.cols() && a.cols() == s.rows() && s.cols() == out.rows());
    if (out.size() == 0) return;
    active().load(std::memory_order_relaxed)
        ->sparseProductTransposedAdd(panel(a), s.start(), s.index(), s.binary() ? nullptr : s.value(), s.cols(),
                                     alpha, {out.data(), out.rows(), out.cols(), out.outerStride()});
}

void transpose(MatrixRef out, ConstMatrixRef a) {
    eigen_assert(out.rows() == a.cols() && out.cols() == a.rows());
    active().load(std::memory_order_relaxed)->transpose(panel(a), {out.data(), out.rows(), out.cols(), out.outerStride()});
}

namespace {
std::atomic<bool>& sparseSwitch() {
    static std::atomic<bool> on{[] {
        const char* e = std::getenv("RBM_SPARSE");
        return !(e && std::strcmp(e, "0") == 0);
    }()};
    return on;
}
}  // namespace

void setSparseProducts(bool on) { sparseSwitch().store(on, std::memory_order_relaxed); }
bool sparseProducts() { return sparseSwitch().load(std::memory_order_relaxed); }

bool sparseProductPays(double density) {
    if (!sparseProducts()) return false;
    // Where the sum of selected columns (compression included) beat the variant's dense GEMM
    // on W (784 x 500) times 0/1 states (500 x 100), on a busy AVX2 machine: baseline up to
    // a density of about 0.5, AVX2 up to about 0.25 (2.4x at 0.1, 1.4x at 0.2, 0.8x at 0.3).
    // AVX-512 was not measured: its dense GEMM is faster still, so it gets a lower bound.
    switch (activeIsa()) {
        case Isa::Baseline: return density < 0.45;
        case Isa::Avx2: return density < 0.2;
        case Isa::Avx512: return density < 0.12;
    }
    return false;
}

bool sparseDataProductPays(double density) {
    if (!sparseProducts()) return false;
    // Where both products sparse (compression, its twin and W^T included) beat both dense on
    // 784 x 500, batch 100 (bench/sparse-crossover, bench/RESULTS.md), 0/1 and grey alike:
    // baseline up to about 0.45 (1.25x at 0.4), AVX2 up to about 0.2 (1.6x at 0.1, 1.0x at
    // 0.2, 0.75x at 0.3). AVX-512 was not measured: its dense GEMM is faster, so a lower bound.
    switch (activeIsa()) {
        case Isa::Baseline: return density < 0.45;
        case Isa::Avx2: return density < 0.18;
        case Isa::Avx512: return density < 0.1;
    }
    return false;
}

}  // namespace rbm
