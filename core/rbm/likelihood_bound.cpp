#include "rbm/likelihood_bound.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_set>
#include <vector>

#include "rbm/partition_function.h"
#include "rbm/random.h"

namespace rbm {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A set of distinct binary visible states with their -F(v), filled batch by batch.
class StateSet {
public:
    explicit StateSet(const Rbm& m) : m_(m), bytes_(static_cast<std::size_t>((m.nVisible() + 7) / 8)) {}

    /// Adds the rows of V (binarized by > 0.5) that are new; returns how many were.
    std::size_t add(ConstMatrixRef V) {
        const int nv = m_.nVisible();
        std::vector<Eigen::Index> fresh;
        std::string key(bytes_, '\0');
        for (Eigen::Index r = 0; r < V.rows(); ++r) {
            std::fill(key.begin(), key.end(), '\0');
            for (int i = 0; i < nv; ++i)
                if (V(r, i) > 0.5f) key[std::size_t(i >> 3)] = char(key[std::size_t(i >> 3)] | (1 << (i & 7)));
            if (keys_.insert(key).second) fresh.push_back(r);
        }
        if (fresh.empty()) return 0;
        Matrix rows(static_cast<Eigen::Index>(fresh.size()), nv);
        for (std::size_t k = 0; k < fresh.size(); ++k)
            rows.row(Eigen::Index(k)) = (V.row(fresh[k]).array() > 0.5f).cast<float>().matrix();
        const Eigen::VectorXd f = negativeFreeEnergy(m_, rows);
        for (std::size_t k = 0; k < fresh.size(); ++k) {
            states_.push_back(rows.row(Eigen::Index(k)));
            negF_.push_back(f(Eigen::Index(k)));
        }
        return fresh.size();
    }

    std::size_t size() const { return negF_.size(); }
    /// The rows of the `count` best states (largest -F), as a matrix.
    Matrix best(std::size_t count) const {
        std::vector<std::size_t> idx(negF_.size());
        std::iota(idx.begin(), idx.end(), std::size_t(0));
        count = std::min(count, idx.size());
        std::partial_sort(idx.begin(), idx.begin() + std::ptrdiff_t(count), idx.end(),
                          [&](std::size_t a, std::size_t b) { return negF_[a] > negF_[b]; });
        Matrix out(Eigen::Index(count), m_.nVisible());
        for (std::size_t k = 0; k < count; ++k) out.row(Eigen::Index(k)) = states_[idx[k]];
        return out;
    }
    double logSumExp() const {
        if (negF_.empty()) return -kInf;
        const double mx = *std::max_element(negF_.begin(), negF_.end());
        double s = 0;
        for (double f : negF_) s += std::exp(f - mx);
        return mx + std::log(s);
    }
    double bestNegF() const { return negF_.empty() ? -kInf : *std::max_element(negF_.begin(), negF_.end()); }

private:
    const Rbm& m_;
    std::size_t bytes_;
    std::unordered_set<std::string> keys_;
    std::vector<RowVector> states_;
    std::vector<double> negF_;
};

/// Greedy ascent: h = [c + vW > 0], v = [b + Wh > 0] until no row changes, no new state
/// appears (rows cycling among known states), or maxIt. Every iterate is added to the set
/// (each is a distinct state, so each only helps the bound).
void greedyModes(const Rbm& m, Matrix V, int maxIt, StateSet& set) {
    Matrix X(V.rows(), m.nHidden()), H(V.rows(), m.nHidden()), Y(V.rows(), m.nVisible()),
        Vn(V.rows(), m.nVisible());
    for (int it = 0; it < maxIt; ++it) {
        X.noalias() = V * m.W;
        X.rowwise() += m.hiddenBias.transpose();
        H = (X.array() > 0.0f).cast<float>().matrix();
        Y.noalias() = H * m.W.transpose();
        Y.rowwise() += m.visibleBias.transpose();
        Vn = (Y.array() > 0.0f).cast<float>().matrix();
        const bool same = (Vn.array() == V.array()).all();
        V.swap(Vn);
        if (set.add(V) == 0 || same) break;
    }
}

/// Short Gibbs runs of the model from V; every sampled v and every rounded p(v|h) is added.
void gibbsRuns(const Rbm& m, Matrix V, int steps, std::uint64_t seed, StateSet& set) {
    Random rng(seed);
    Matrix hp(V.rows(), m.nHidden()), h(V.rows(), m.nHidden()), vp(V.rows(), m.nVisible()),
        rounded(V.rows(), m.nVisible());
    for (int s = 0; s < steps; ++s) {
        hiddenProbabilities(m, V, hp);
        rng.bernoulli(hp, h);
        visibleProbabilities(m, h, vp);
        rounded = (vp.array() > 0.5f).cast<float>().matrix();
        set.add(rounded);
        rng.bernoulli(vp, V);
        set.add(V);
    }
}

}  // namespace

LowerBound partitionLowerBound(const Rbm& m, ConstMatrixRef seeds, const LowerBoundOptions& o) {
    if (seeds.cols() != m.nVisible()) {
        throw Error("log Z lower bound: seed states have " + std::to_string(seeds.cols()) +
                    " columns but the model has " + std::to_string(m.nVisible()) + " visible units.");
    }
    StateSet set(m);
    set.add(seeds);
    if (set.size() > 0 && o.maxGreedyStarts > 0) {
        greedyModes(m, set.best(std::size_t(o.maxGreedyStarts)), std::max(1, o.maxGreedyIterations), set);
    }
    if (set.size() > 0 && o.gibbsChains > 0 && o.gibbsSteps > 0) {
        gibbsRuns(m, set.best(std::size_t(o.gibbsChains)), o.gibbsSteps, o.seed, set);
        // The Gibbs runs may have found better basins: climb from the best states once more.
        greedyModes(m, set.best(std::size_t(o.gibbsChains)), std::max(1, o.maxGreedyIterations), set);
    }
    LowerBound b;
    b.logZ = set.logSumExp();
    b.states = set.size();
    b.bestNegFreeEnergy = set.bestNegF();
    return b;
}

}  // namespace rbm
