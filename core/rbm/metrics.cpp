#include "rbm/metrics.h"

#include "rbm/kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace rbm {

ReconstructionError reconstructionError(ConstMatrixRef V, ConstMatrixRef R) {
    ReconstructionError e;
    if (V.rows() == 0) return e;
    const double n = static_cast<double>(V.rows());
    e.meanSquared = static_cast<double>((V - R).squaredNorm()) / (n * static_cast<double>(V.cols()));
    if (V.outerStride() == R.outerStride() && V.innerStride() == 1 && R.innerStride() == 1) {
        // The elementwise sums do not care about the layout: vectorised over whole columns.
        double squared = 0.0, ce = 0.0;
        kernels::reconstructionSums(V.data(), R.data(), V.rows(), V.outerStride(), 0, V.cols(), squared, ce);
        e.crossEntropy = ce / n;
        return e;
    }
    // Clamp the probabilities so a saturated unit costs a large but finite amount.
    constexpr float eps = 1e-7f;
    double ce = 0.0;
    for (Eigen::Index c = 0; c < V.cols(); ++c) {
        for (Eigen::Index r = 0; r < V.rows(); ++r) {
            const float p = std::clamp(R(r, c), eps, 1.0f - eps);
            const float v = V(r, c);
            ce -= static_cast<double>(v * std::log(p) + (1.0f - v) * std::log1p(-p));
        }
    }
    e.crossEntropy = ce / n;
    return e;
}

ReconstructionError reconstructionError(const Rbm& m, ConstMatrixRef V) {
    Matrix H(V.rows(), m.nHidden());
    Matrix R(V.rows(), m.nVisible());
    hiddenProbabilities(m, V, H);
    visibleProbabilities(m, H, R);
    return reconstructionError(V, R);
}

double meanFreeEnergy(const Rbm& m, ConstMatrixRef V) {
    if (V.rows() == 0) return 0.0;
    return freeEnergy(m, V).mean();
}

double pseudoLogLikelihood(const Rbm& m, ConstMatrixRef V, Random& rng) {
    if (V.rows() == 0) return 0.0;
    Matrix flipped = V;
    for (Eigen::Index r = 0; r < V.rows(); ++r) {
        const auto i = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(V.cols())));
        flipped(r, i) = 1.0f - flipped(r, i);
    }
    const Eigen::VectorXd f = freeEnergy(m, V);
    const Eigen::VectorXd fFlipped = freeEnergy(m, flipped);
    double sum = 0.0;
    for (Eigen::Index r = 0; r < V.rows(); ++r) {
        const double x = fFlipped(r) - f(r);
        // log sigmoid(x) = -softplus(-x), computed stably
        const double logSigmoid = x >= 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x));
        sum += static_cast<double>(V.cols()) * logSigmoid;
    }
    return sum / static_cast<double>(V.rows());
}

HiddenActivity classifyUnits(Vector meanActivity, float deadBelow, float saturatedAbove) {
    HiddenActivity a;
    a.mean = std::move(meanActivity);
    for (Eigen::Index j = 0; j < a.mean.size(); ++j) {
        if (a.mean(j) < deadBelow) ++a.dead;
        if (a.mean(j) > saturatedAbove) ++a.saturated;
    }
    return a;
}

HiddenActivity hiddenActivity(const Rbm& m, ConstMatrixRef V, float deadBelow, float saturatedAbove) {
    if (V.rows() == 0) {
        HiddenActivity a;
        a.mean = Vector::Zero(m.nHidden());
        return a;
    }
    Matrix H(V.rows(), m.nHidden());
    hiddenProbabilities(m, V, H);
    return classifyUnits(H.colwise().mean().transpose(), deadBelow, saturatedAbove);
}

double updateRatio(ConstMatrixRef update, ConstMatrixRef param) {
    if (update.rows() != param.rows() || update.cols() != param.cols())
        return std::numeric_limits<double>::quiet_NaN();
    const double p = static_cast<double>(param.norm());
    const double u = static_cast<double>(update.norm());
    if (p == 0.0) return u == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
    return u / p;
}

double rootMeanSquare(ConstMatrixRef W) {
    if (W.size() == 0) return 0.0;
    return std::sqrt(static_cast<double>(W.squaredNorm()) / static_cast<double>(W.size()));
}

}  // namespace rbm
