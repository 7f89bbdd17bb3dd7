#include "rbm/exact_distribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

namespace rbm {

double DataDistribution::entropy() const {
    double h = 0;
    for (Eigen::Index i = 0; i < probability.size(); ++i)
        if (probability(i) > 0) h -= probability(i) * std::log(probability(i));
    return h;
}

DataDistribution dataDistribution(ConstMatrixRef V) {
    DataDistribution d;
    d.examples = std::size_t(V.rows());
    const Eigen::Index n = V.cols();
    // Key: the row's bits as bytes; rows of MNIST size are compared without packing.
    std::unordered_map<std::string, Eigen::Index> seen;
    std::vector<Eigen::Index> firstRow;
    std::vector<std::size_t> counts;
    std::string key(std::size_t(n), '\0');
    for (Eigen::Index r = 0; r < V.rows(); ++r) {
        for (Eigen::Index i = 0; i < n; ++i) {
            const float x = V(r, i);
            if (x != 0.0f && x != 1.0f)
                throw Error("exact distribution: the data must be binary, but example " + std::to_string(r) +
                            " has the value " + std::to_string(x) + " at unit " + std::to_string(i));
            key[std::size_t(i)] = x != 0.0f ? '1' : '0';
        }
        const auto [it, added] = seen.emplace(key, Eigen::Index(firstRow.size()));
        if (added) {
            firstRow.push_back(r);
            counts.push_back(0);
        }
        ++counts[std::size_t(it->second)];
    }
    d.patterns.resize(Eigen::Index(firstRow.size()), n);
    d.probability.resize(Eigen::Index(firstRow.size()));
    for (std::size_t k = 0; k < firstRow.size(); ++k) {
        d.patterns.row(Eigen::Index(k)) = V.row(firstRow[k]);
        d.probability(Eigen::Index(k)) = double(counts[k]) / double(d.examples);
    }
    return d;
}

ExactFit exactFit(const Rbm& m, const DataDistribution& data, double logZ) {
    ExactFit f;
    f.logZ = logZ;
    f.distinctPatterns = data.distinct();
    f.dataEntropy = data.entropy();
    if (data.distinct() == 0) return f;
    const Eigen::VectorXd logP = negativeFreeEnergy(m, data.patterns).array() - logZ;
    for (Eigen::Index k = 0; k < logP.size(); ++k) {
        const double q = data.probability(k);
        f.meanLogLikelihood += q * logP(k);
        f.kl += q * (std::log(q) - logP(k));
    }
    return f;
}

bool canListDistribution(const Rbm& m, int maxVisible) { return m.nVisible() <= std::min(maxVisible, 30); }

ModelDistribution modelDistribution(const Rbm& m, const ExactOptions& o, int maxVisible) {
    if (!canListDistribution(m, maxVisible))
        throw Error("listing p(v) needs all 2^" + std::to_string(m.nVisible()) + " visible patterns; the limit is 2^" +
                    std::to_string(std::min(maxVisible, 30)));
    ModelDistribution d;
    d.nVisible = m.nVisible();
    d.logZ = exactLogPartition(m, o);
    const int n = m.nVisible();
    const Eigen::Index total = Eigen::Index(1) << n;
    d.logProbability.resize(total);
    const Eigen::Index block = std::min<Eigen::Index>(total, 4096);
    Matrix V(block, n);
    for (Eigen::Index first = 0; first < total; first += block) {
        if (o.cancel && o.cancel->load(std::memory_order_relaxed)) throw Error("exact distribution: cancelled.");
        for (int i = 0; i < n; ++i)
            for (Eigen::Index r = 0; r < block; ++r) V(r, i) = float(((first + r) >> i) & 1);
        d.logProbability.segment(first, block) = negativeFreeEnergy(m, V).array() - d.logZ;
    }
    return d;
}

std::uint64_t patternIndex(ConstVectorRef row) {
    if (row.size() > 63) throw Error("patternIndex: " + std::to_string(row.size()) + " units do not fit 63 bits");
    std::uint64_t index = 0;
    for (Eigen::Index i = 0; i < row.size(); ++i)
        if (row(i) != 0.0f) index |= std::uint64_t(1) << i;
    return index;
}

std::vector<std::uint64_t> mostProbablePatterns(const ModelDistribution& d, std::size_t k) {
    std::vector<std::uint64_t> order(d.patterns());
    std::iota(order.begin(), order.end(), std::uint64_t(0));
    k = std::min(k, order.size());
    const Eigen::VectorXd& lp = d.logProbability;
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(), [&lp](std::uint64_t a, std::uint64_t b) {
        const double pa = lp(Eigen::Index(a)), pb = lp(Eigen::Index(b));
        return pa != pb ? pa > pb : a < b;
    });
    order.resize(k);
    return order;
}

}  // namespace rbm
