#pragma once
// Exact quantities of tiny RBMs with label units (label_units.h) by enumerating every joint
// state (v, y, h): the reference for label-unit conditionals and samplers. Double precision.
#include <cmath>
#include <vector>

#include "rbm/label_units.h"
#include "tiny_rbm.h"

namespace rbm::testing {

/// randomRbm plus nl label units: U ~ N(0, scale^2), d ~ N(0, scale^2 / 4).
inline Rbm labelledModel(int nv, int nh, int nl, std::uint64_t seed, double scale = 1.0) {
    Rbm m = randomRbm(nv, nh, scale, seed);
    addLabelUnits(m, nl);
    Random rng(seed + 7);
    for (Eigen::Index i = 0; i < m.labelWeights.size(); ++i)
        m.labelWeights.data()[i] = static_cast<float>(rng.normal() * scale);
    for (int k = 0; k < nl; ++k) m.labelBias(k) = static_cast<float>(rng.normal() * scale / 2);
    return m;
}

/// p(v, y, h) of every joint state, index (v, y, h) -> v + 2^nv (y + nl h).
struct LabelledEnumeration {
    int nv, nh, nl;
    double logZ = 0;
    std::vector<double> p;
    explicit LabelledEnumeration(const Rbm& m) : nv(m.nVisible()), nh(m.nHidden()), nl(m.nLabels()) {
        p.resize(static_cast<std::size_t>((1u << nv) * nl * (1u << nh)));
        double top = -INFINITY;
        for (unsigned h = 0; h < (1u << nh); ++h)
            for (int y = 0; y < nl; ++y)
                for (unsigned v = 0; v < (1u << nv); ++v) {
                    const double lw = -labelledEnergy(m, stateVector(v, nv), y, stateVector(h, nh));
                    p[index(v, y, h)] = lw;
                    top = std::max(top, lw);
                }
        double sum = 0;
        for (double lw : p) sum += std::exp(lw - top);
        logZ = top + std::log(sum);
        for (double& x : p) x = std::exp(x - logZ);
    }
    std::size_t index(unsigned v, int y, unsigned h) const {
        return v + (static_cast<std::size_t>(y) + static_cast<std::size_t>(nl) * h) * (1u << nv);
    }
    double pvy(unsigned v, int y) const {
        double s = 0;
        for (unsigned h = 0; h < (1u << nh); ++h) s += p[index(v, y, h)];
        return s;
    }
    double pv(unsigned v) const {
        double s = 0;
        for (int y = 0; y < nl; ++y) s += pvy(v, y);
        return s;
    }
};

}  // namespace rbm::testing
