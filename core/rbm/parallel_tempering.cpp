#include "rbm/parallel_tempering.h"

#include <algorithm>
#include <cmath>

namespace rbm {

std::vector<float> linearLadder(int replicas, float betaMin) {
    replicas = std::max(1, replicas);
    std::vector<float> betas(static_cast<std::size_t>(replicas), 1.0f);
    for (int k = 1; k < replicas; ++k)
        betas[static_cast<std::size_t>(k)] = 1.0f - (1.0f - betaMin) * static_cast<float>(k) / static_cast<float>(replicas - 1);
    return betas;
}

Eigen::VectorXd jointEnergies(const Rbm& m, const GibbsState& s) {
    // Double accumulation: a swap compares energies of a few hundred units that nearly cancel.
    const Eigen::MatrixXd v = s.v.cast<double>();
    const Eigen::MatrixXd h = s.h.cast<double>();
    Eigen::MatrixXd pre = v * m.W.cast<double>();
    pre.rowwise() += m.hiddenBias.cast<double>().transpose();
    Eigen::VectorXd e = -(v * m.visibleBias.cast<double>());
    if (m.hasLabels() && s.y.rows() == s.v.rows() && s.y.cols() == m.nLabels()) {
        // Label units: -d.y - y^T U h (label_units.h), the same row-wise form as the pixels' term.
        const Eigen::MatrixXd y = s.y.cast<double>();
        pre += y * m.labelWeights.cast<double>();
        e -= y * m.labelBias.cast<double>();
    }
    e -= pre.cwiseProduct(h).rowwise().sum();
    return e;
}

ParallelTempering::ParallelTempering(std::uint64_t seed) : sampler_(seed) { resetCounts(); }

void ParallelTempering::setLadder(std::vector<float> betas) {
    if (betas.empty()) betas.push_back(1.0f);
    betas_ = std::move(betas);
    replicas_.clear();
    resetCounts();
}

void ParallelTempering::resetCounts() {
    const std::size_t pairs = betas_.size() > 1 ? betas_.size() - 1 : 0;
    proposed_.assign(pairs, 0);
    accepted_.assign(pairs, 0);
    rounds_ = 0;
}

GibbsOptions ParallelTempering::rungOptions(const GibbsOptions& base, int k) {
    baseBeta_ = base.beta;
    GibbsOptions o = base;
    o.beta = base.beta * betas_[static_cast<std::size_t>(k)];
    o.sampleHidden = true;
    o.sampleVisible = true;
    return o;
}

void ParallelTempering::start(const Rbm& m, ConstMatrixRef V, const GibbsOptions& base) {
    replicas_.resize(betas_.size());
    for (int k = 0; k < rungs(); ++k) sampler_.start(m, replica(k), V, rungOptions(base, k));
    resetCounts();
}

void ParallelTempering::startFrom(const GibbsState& s) {
    replicas_.assign(betas_.size(), s);
    resetCounts();
}

void ParallelTempering::updateHidden(const Rbm& m, const GibbsOptions& base) {
    for (int k = 0; k < rungs(); ++k) sampler_.updateHidden(m, replica(k), rungOptions(base, k));
}

void ParallelTempering::updateVisible(const Rbm& m, const GibbsOptions& base) {
    for (int k = 0; k < rungs(); ++k) sampler_.updateVisible(m, replica(k), rungOptions(base, k));
}

void ParallelTempering::sweep(const Rbm& m, const GibbsOptions& base) {
    updateHidden(m, base);
    updateVisible(m, base);
    swapRound(m);
}

void ParallelTempering::swapRound(const Rbm& m) {
    for (int k = static_cast<int>(rounds_ % 2); k + 1 < rungs(); k += 2) swapPair(m, k);
    ++rounds_;
}

void ParallelTempering::swapPair(const Rbm& m, int k) {
    if (k < 0 || k + 1 >= rungs()) return;
    GibbsState& cold = replica(k);
    GibbsState& hot = replica(k + 1);
    const Eigen::VectorXd eCold = jointEnergies(m, cold);
    const Eigen::VectorXd eHot = jointEnergies(m, hot);
    const double dBeta = static_cast<double>(baseBeta_) *
                         (static_cast<double>(betas_[static_cast<std::size_t>(k)]) - static_cast<double>(betas_[static_cast<std::size_t>(k + 1)]));
    for (Eigen::Index r = 0; r < cold.v.rows(); ++r) {
        ++proposed_[static_cast<std::size_t>(k)];
        const double logAccept = dBeta * (eCold(r) - eHot(r));
        // Always draw, so the random stream does not depend on the energies' signs.
        const double u = sampler_.rng().uniformDouble();
        if (logAccept >= 0.0 || u < std::exp(logAccept)) {
            cold.v.row(r).swap(hot.v.row(r));
            cold.vProb.row(r).swap(hot.vProb.row(r));
            cold.h.row(r).swap(hot.h.row(r));
            cold.hProb.row(r).swap(hot.hProb.row(r));
            if (cold.y.rows() == cold.v.rows() && hot.y.rows() == hot.v.rows()) {
                cold.y.row(r).swap(hot.y.row(r));
                cold.yProb.row(r).swap(hot.yProb.row(r));
            }
            ++accepted_[static_cast<std::size_t>(k)];
        }
    }
}

double ParallelTempering::acceptanceRate(int k) const {
    if (k < 0 || k >= static_cast<int>(proposed_.size()) || proposed_[static_cast<std::size_t>(k)] == 0) return 0.0;
    return static_cast<double>(accepted_[static_cast<std::size_t>(k)]) / static_cast<double>(proposed_[static_cast<std::size_t>(k)]);
}

}  // namespace rbm
