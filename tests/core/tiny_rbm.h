#pragma once
// Exact quantities of tiny RBMs by enumerating every joint state (v, h): the reference the
// core's closed forms, samplers and gradients are tested against. Double precision throughout.
#include <cmath>
#include <vector>

#include "rbm/model.h"
#include "rbm/random.h"

namespace rbm::testing {

/// Bit `i` of `state` as a 0/1 float.
inline float bit(unsigned state, int i) { return static_cast<float>((state >> i) & 1u); }

inline Vector stateVector(unsigned state, int n) {
    Vector v(n);
    for (int i = 0; i < n; ++i) v(i) = bit(state, i);
    return v;
}

/// A model with weights ~ N(0, scale^2) and biases ~ N(0, scale^2 / 4).
inline Rbm randomRbm(int nv, int nh, double scale, std::uint64_t seed) {
    Random rng(seed);
    Rbm m(nv, nh);
    for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(rng.normal() * scale);
    for (int i = 0; i < nv; ++i) m.visibleBias(i) = static_cast<float>(rng.normal() * scale / 2);
    for (int j = 0; j < nh; ++j) m.hiddenBias(j) = static_cast<float>(rng.normal() * scale / 2);
    return m;
}

/// A model with weights and both biases ~ N(0, scale^2), drawn row by row.
inline Rbm randomModel(int nv, int nh, double scale, std::uint64_t seed) {
    Random rng(seed);
    Rbm m(nv, nh);
    for (int i = 0; i < nv; ++i)
        for (int j = 0; j < nh; ++j) m.W(i, j) = float(scale * rng.normal());
    for (int i = 0; i < nv; ++i) m.visibleBias(i) = float(scale * rng.normal());
    for (int j = 0; j < nh; ++j) m.hiddenBias(j) = float(scale * rng.normal());
    return m;
}

/// Joint probabilities p(v,h) of all 2^(nv+nh) states, index = v | (h << nv).
struct Enumeration {
    int nv = 0, nh = 0;
    double logZ = 0;
    std::vector<double> joint;  // p(v, h)

    explicit Enumeration(const Rbm& m) : nv(m.nVisible()), nh(m.nHidden()) {
        const unsigned nVStates = 1u << nv, nHStates = 1u << nh;
        std::vector<double> logWeights(static_cast<std::size_t>(nVStates) * nHStates);
        double maxLog = -INFINITY;
        for (unsigned h = 0; h < nHStates; ++h) {
            const Vector hv = stateVector(h, nh);
            for (unsigned v = 0; v < nVStates; ++v) {
                const double lw = -energy(m, stateVector(v, nv), hv);
                logWeights[v | (h << nv)] = lw;
                maxLog = std::max(maxLog, lw);
            }
        }
        double sum = 0;
        for (double lw : logWeights) sum += std::exp(lw - maxLog);
        logZ = maxLog + std::log(sum);
        joint.resize(logWeights.size());
        for (std::size_t i = 0; i < joint.size(); ++i) joint[i] = std::exp(logWeights[i] - logZ);
    }

    double marginalV(unsigned v) const {
        double p = 0;
        for (unsigned h = 0; h < (1u << nh); ++h) p += joint[v | (h << nv)];
        return p;
    }
    /// -log sum_h exp(-E(v,h)): the free energy by brute force.
    double freeEnergy(unsigned v) const { return -(std::log(marginalV(v)) + logZ); }
    /// p(v_i = 1) under the model.
    double visibleMarginal(int i) const {
        double p = 0;
        for (std::size_t s = 0; s < joint.size(); ++s)
            if ((s >> i) & 1u) p += joint[s];
        return p;
    }
    double hiddenMarginal(int j) const {
        double p = 0;
        for (std::size_t s = 0; s < joint.size(); ++s)
            if ((s >> (nv + j)) & 1u) p += joint[s];
        return p;
    }
    /// <v_i h_j> under the model.
    double correlation(int i, int j) const {
        double p = 0;
        for (std::size_t s = 0; s < joint.size(); ++s)
            if (((s >> i) & 1u) && ((s >> (nv + j)) & 1u)) p += joint[s];
        return p;
    }
};

}  // namespace rbm::testing
