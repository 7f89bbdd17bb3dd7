#include "rbm/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace rbm::kernels {

namespace {

/// The 24-bit integer behind counterUniform: u < p  <=>  bits < p * 2^24 (both exact in float).
inline void sampleRun(const float* p, float* out, std::ptrdiff_t n, std::uint64_t key, std::uint64_t first) {
    // Written so that GCC vectorises it (64-bit multiplies with AVX-512DQ).
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const auto bits = static_cast<std::int32_t>(counterHash(key, first + static_cast<std::uint64_t>(i)) >> 40);
        const float u = static_cast<float>(bits) * (1.0f / 16777216.0f);
        out[i] = u < p[i] ? 1.0f : 0.0f;
    }
}

}  // namespace

void bernoulliCounter(const float* p, float* out, std::size_t n, std::uint64_t key, std::uint64_t first) {
    sampleRun(p, out, static_cast<std::ptrdiff_t>(n), key, first);
}

void biasLogisticSample(float* X, std::ptrdiff_t rows, std::ptrdiff_t ld, std::ptrdiff_t cols, const float* bias,
                        float* samples, std::ptrdiff_t ldSamples, std::uint64_t key, std::uint64_t first,
                        std::uint64_t stride) {
    const Eigen::Map<const Eigen::ArrayXf> b(bias, rows);
    for (std::ptrdiff_t c = 0; c < cols; ++c) {
        Eigen::Map<Eigen::ArrayXf> x(X + c * ld, rows);
        x = (x + b).logistic();
        if (samples)
            sampleRun(X + c * ld, samples + c * ldSamples, rows, key, first + static_cast<std::uint64_t>(c) * stride);
    }
}

void reconstructionSums(const float* V, const float* R, std::ptrdiff_t rows, std::ptrdiff_t ld, std::ptrdiff_t c0,
                        std::ptrdiff_t c1, double& squared, double& crossEntropy) {
    constexpr float eps = 1e-7f;
    double sq = 0.0, ce = 0.0;
    for (std::ptrdiff_t c = c0; c < c1; ++c) {
        const Eigen::Map<const Eigen::ArrayXf> v(V + c * ld, rows);
        const Eigen::Map<const Eigen::ArrayXf> r(R + c * ld, rows);
        sq += static_cast<double>((v - r).square().sum());
        const Eigen::ArrayXf::ConstantReturnType lo = Eigen::ArrayXf::Constant(rows, eps);
        const Eigen::ArrayXf::ConstantReturnType hi = Eigen::ArrayXf::Constant(rows, 1.0f - eps);
        // log(1 - r) rather than log1p(-r): half the cost, and with r >= 1e-7 the difference is
        // below 2e-8 per unit.
        ce -= static_cast<double>((v * r.max(lo).min(hi).log() + (1.0f - v) * (1.0f - r.max(lo).min(hi)).log()).sum());
    }
    squared += sq;
    crossEntropy += ce;
}

void imagesToColumns(const std::uint8_t* const* images, std::ptrdiff_t count, std::ptrdiff_t pixels, float* out,
                     std::ptrdiff_t ld) {
    for (std::ptrdiff_t c = 0; c < count; ++c) {
        const std::uint8_t* img = images[c];
        float* col = out + c * ld;
        // A multiply, not a division (within an ulp of fillBatch's v / 255).
        for (std::ptrdiff_t i = 0; i < pixels; ++i) col[i] = static_cast<float>(img[i]) * (1.0f / 255.0f);
    }
}

void widenNonzeroRange(const std::uint8_t* const* images, std::ptrdiff_t count, std::ptrdiff_t pixels,
                       std::ptrdiff_t& begin, std::ptrdiff_t& end) {
    for (std::ptrdiff_t c = 0; c < count; ++c) {
        const std::uint8_t* img = images[c];
        std::ptrdiff_t b = 0, e = pixels;
        while (b < std::min(begin, e) && img[b] == 0) ++b;
        while (e > std::max(end, b) && img[e - 1] == 0) --e;
        if (b < e) {
            begin = std::min(begin, b);
            end = std::max(end, e);
        }
    }
}

bool allFinite(const float* x, std::size_t n) {
    // A float is Inf or NaN exactly when its exponent bits are all ones; an integer max over
    // the exponent fields vectorises (a float reduction would not, without -ffast-math).
    std::uint32_t worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, x + i, sizeof bits);
        worst = std::max(worst, bits & 0x7f800000u);
    }
    return worst != 0x7f800000u;
}

}  // namespace rbm::kernels
