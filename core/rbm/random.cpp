#include "rbm/random.h"

#include <cmath>

namespace rbm {

void Random::seed_(std::uint64_t seed) {
    // splitmix64 expands one word into the four state words, as the xoshiro authors advise.
    std::uint64_t z = seed;
    for (auto& w : s_) {
        z += 0x9e3779b97f4a7c15ULL;
        std::uint64_t x = z;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        w = x ^ (x >> 31);
    }
}

double Random::normal() {
    double u1 = uniformDouble();
    while (u1 <= 0.0) u1 = uniformDouble();
    const double u2 = uniformDouble();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

std::uint64_t Random::below(std::uint64_t n) {
    if (n <= 1) return 0;
    // Lemire's nearly-divisionless method with rejection: exactly uniform.
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const std::uint64_t x = next();
        const unsigned __int128 m = static_cast<unsigned __int128>(x) * n;
        if (static_cast<std::uint64_t>(m) >= threshold) return static_cast<std::uint64_t>(m >> 64);
    }
}

void Random::bernoulli(ConstMatrixRef p, MatrixRef out) {
    const Eigen::Index n = p.size();
    const float* pp = p.data();
    float* po = out.data();
    const bool contiguous = p.innerStride() == 1 && out.innerStride() == 1 &&
                            p.outerStride() == p.rows() && out.outerStride() == out.rows();
    if (contiguous) {
        Eigen::Index i = 0;
        constexpr float scale = 1.0f / 16777216.0f;
        for (; i + 1 < n; i += 2) {
            const std::uint64_t r = next();
            const float u0 = static_cast<float>(r & 0xffffffu) * scale;
            const float u1 = static_cast<float>((r >> 40)) * scale;
            po[i] = u0 < pp[i] ? 1.0f : 0.0f;
            po[i + 1] = u1 < pp[i + 1] ? 1.0f : 0.0f;
        }
        if (i < n) po[i] = uniform() < pp[i] ? 1.0f : 0.0f;
        return;
    }
    for (Eigen::Index c = 0; c < p.cols(); ++c)
        for (Eigen::Index r = 0; r < p.rows(); ++r) out(r, c) = uniform() < p(r, c) ? 1.0f : 0.0f;
}

void Random::fillUniform(MatrixRef out) {
    for (Eigen::Index c = 0; c < out.cols(); ++c)
        for (Eigen::Index r = 0; r < out.rows(); ++r) out(r, c) = uniform();
}

}  // namespace rbm
