#pragma once
/// A small, fast, seedable random number generator (xoshiro256++, Blackman & Vigna).
/// Owned by whoever samples (sampler, trainer): there is no global generator, so the same
/// seed always gives the same numbers. Its whole state is four words, saved in checkpoints.
#include <array>
#include <cstdint>

#include "rbm/types.h"

namespace rbm {

class Random {
public:
    using State = std::array<std::uint64_t, 4>;

    explicit Random(std::uint64_t seed = 0x5eed) { seed_(seed); }
    void reseed(std::uint64_t seed) { seed_(seed); }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    /// Uniform in [0,1) with 24 random bits (float precision).
    float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }
    /// Uniform in [0,1) with 53 random bits.
    double uniformDouble() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    /// Standard normal (Box-Muller; the spare value is not kept so the state stays 4 words).
    double normal();
    /// Integer uniform in [0, n).
    std::uint64_t below(std::uint64_t n);

    /// out(i,j) = 1 if uniform < p(i,j) else 0: Bernoulli draws for a whole matrix.
    /// Two 24-bit uniforms come from each 64-bit draw.
    void bernoulli(ConstMatrixRef p, MatrixRef out);
    /// Fill with uniforms in [0,1).
    void fillUniform(MatrixRef out);

    const State& state() const { return s_; }
    void setState(const State& s) { s_ = s; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    void seed_(std::uint64_t seed);
    State s_{};
};

}  // namespace rbm
