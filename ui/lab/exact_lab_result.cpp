#include "lab/exact_lab_result.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "rbm/partition_function.h"

namespace studio {

ExactLabData exactLabData(const rbm::Dataset& train) {
    ExactLabData d;
    if (train.empty() || train.pixelsPerImage() > rbm::kMaxListedVisible) return d;
    d.rows = train.rows;
    d.cols = train.cols;
    const rbm::Matrix V = rbm::toMatrix(rbm::binarized(train, rbm::Binarization::Threshold, 127));
    d.q = rbm::dataDistribution(V);
    d.index.reserve(d.q.distinct());
    for (Eigen::Index k = 0; k < d.q.patterns.rows(); ++k) {
        const rbm::Vector row = d.q.patterns.row(k).transpose();
        d.index.push_back(rbm::patternIndex(row));
    }
    return d;
}

std::string exactLabUnavailableReason(const rbm::Rbm& m, const ExactLabData& data) {
    const std::string limit = std::to_string(rbm::kMaxListedVisible);
    if (m.nVisible() > rbm::kMaxListedVisible)
        return "Exact lab: the model has " + std::to_string(m.nVisible()) + " visible units (2^" +
               std::to_string(m.nVisible()) + " patterns); it lists every pattern for at most " + limit +
               ", e.g. --data bars-and-stripes:4x4.";
    if (data.nVisible() == 0)
        return "Exact lab: the dataset's images have more than " + limit + " pixels; try --data bars-and-stripes:4x4.";
    if (data.nVisible() != m.nVisible())
        return "Exact lab: the model has " + std::to_string(m.nVisible()) + " visible units but the images " +
               std::to_string(data.nVisible()) + " pixels.";
    return {};
}

ExactLabResult computeExactLab(const rbm::Rbm& m, const ExactLabData& data, std::size_t topK,
                               const std::atomic<bool>* cancel) {
    const auto start = std::chrono::steady_clock::now();
    const std::string reason = exactLabUnavailableReason(m, data);
    if (!reason.empty()) throw rbm::Error(reason);
    rbm::ExactOptions o;
    o.threads = 1;  // beside a training run on a 2-core machine
    o.cancel = cancel;
    const rbm::ModelDistribution p = rbm::modelDistribution(m, o);

    ExactLabResult r;
    r.rows = data.rows;
    r.cols = data.cols;
    r.patterns = p.patterns();
    r.fit = rbm::exactFit(m, data.q, p.logZ);

    std::unordered_map<std::uint64_t, double> q;
    for (std::size_t k = 0; k < data.index.size(); ++k) q[data.index[k]] = data.q.probability(Eigen::Index(k));
    std::vector<std::uint64_t> listed = rbm::mostProbablePatterns(p, topK);
    for (std::uint64_t v : data.index)
        if (std::find(listed.begin(), listed.end(), v) == listed.end()) listed.push_back(v);
    const Eigen::VectorXd& lp = p.logProbability;
    std::sort(listed.begin(), listed.end(), [&lp](std::uint64_t a, std::uint64_t b) {
        const double pa = lp(Eigen::Index(a)), pb = lp(Eigen::Index(b));
        return pa != pb ? pa > pb : a < b;
    });
    // The rest's mass summed from the unlisted patterns themselves, not 1 - listed (which
    // loses every digit below 1e-16 and can go negative).
    std::vector<char> isListed(p.patterns(), 0);
    for (std::uint64_t v : listed) isListed[std::size_t(v)] = 1;
    double rest = 0;
    for (std::size_t v = 0; v < p.patterns(); ++v)
        if (!isListed[v]) rest += std::exp(lp(Eigen::Index(v)));
    for (std::uint64_t v : listed) {
        ExactLabBar b;
        b.pattern = v;
        b.model = std::exp(lp(Eigen::Index(v)));
        const auto it = q.find(v);
        b.inData = it != q.end();
        b.data = b.inData ? it->second : 0.0;
        r.bars.push_back(b);
    }
    ExactLabBar last;
    last.rest = true;
    last.model = rest;
    last.restPatterns = p.patterns() - listed.size();
    r.bars.push_back(last);
    r.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return r;
}

}  // namespace studio
