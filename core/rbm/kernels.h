#pragma once
/// Fused elementwise kernels of the trainer's hot loop (internal to core/; not a stable API).
///
/// The trainer keeps its batches FEATURE-MAJOR internally: an nUnits x batch column-major
/// matrix, one example per column (the transpose of the public layout of types.h). Eigen's
/// GEMM runs about 5% faster on the products of a CD step in that layout (bench/RESULTS.md),
/// and each example's units are contiguous, which is what these kernels stream over.
///
/// Random draws are COUNTER-BASED: uniform number i of a draw is a hash of (key, i), where
/// the key is taken from the owner's xoshiro256++ generator once per call. So the draws do
/// not depend on the order in which elements are visited (threads may split the matrix
/// any way they like) and the generator's saved state stays four words.
#include <cstddef>
#include <cstdint>

#include "rbm/types.h"

namespace rbm::kernels {

/// SplitMix64's output function (Steele, Lea & Flood 2014) applied to key + i * gamma: this
/// IS the SplitMix64 sequence started at `key`, evaluated at position i, so it inherits
/// SplitMix64's statistical quality (it passes BigCrush) while being random-access.
inline std::uint64_t counterHash(std::uint64_t key, std::uint64_t i) {
    std::uint64_t z = key + (i + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// Uniform in [0,1) with 24 random bits: the top bits of counterHash(key, i).
inline float counterUniform(std::uint64_t key, std::uint64_t i) {
    return static_cast<float>(counterHash(key, i) >> 40) * (1.0f / 16777216.0f);
}

/// out[i] = 1 if counterUniform(key, first + i) < p[i] else 0, for i in [0, n).
void bernoulliCounter(const float* p, float* out, std::size_t n, std::uint64_t key, std::uint64_t first);

/// For each column c in [0, cols) of X (rows x cols, leading dimension ld, column-major):
///   X(r,c) = sigmoid(X(r,c) + bias[r]);
/// and if `samples` is not null, samples(r,c) = 1 if counterUniform(key, first + r + c * stride)
/// < X(r,c) else 0. Pass the block's first row as `first` and the full matrix's rows as
/// `stride`: the draws then do not depend on how the matrix is split into blocks.
void biasLogisticSample(float* X, std::ptrdiff_t rows, std::ptrdiff_t ld, std::ptrdiff_t cols, const float* bias,
                        float* samples, std::ptrdiff_t ldSamples, std::uint64_t key, std::uint64_t first,
                        std::uint64_t stride);

/// Reconstruction error sums over the columns [c0, c1) of V and R (rows x cols, same leading
/// dimension): sum (v - r)^2 and -sum [v log r + (1-v) log(1-r)] with r clamped to
/// [1e-7, 1 - 1e-7], accumulated per column in float and across columns in double.
void reconstructionSums(const float* V, const float* R, std::ptrdiff_t rows, std::ptrdiff_t ld, std::ptrdiff_t c0,
                        std::ptrdiff_t c1, double& squared, double& crossEntropy);

/// Converts images (uint8, `pixels` bytes each) to one column per image: v * (1/255).
void imagesToColumns(const std::uint8_t* const* images, std::ptrdiff_t count, std::ptrdiff_t pixels, float* out,
                     std::ptrdiff_t ld);

/// Widens [begin, end) to cover every pixel that is nonzero in any of the images (start with
/// begin = pixels, end = 0; an empty range stays begin >= end).
void widenNonzeroRange(const std::uint8_t* const* images, std::ptrdiff_t count, std::ptrdiff_t pixels,
                       std::ptrdiff_t& begin, std::ptrdiff_t& end);

/// All elements finite?
bool allFinite(const float* x, std::size_t n);

}  // namespace rbm::kernels
