#include "rbm/optimizer.h"

#include <cmath>

namespace rbm {

namespace {

/// Moments are sized on first use (or after a change of optimizer) and then kept.
void ensureSized(Vector& moment, Eigen::Index n) {
    if (moment.size() != n) moment.setZero(n);
}

class Sgd final : public Optimizer {
public:
    OptimizerKind kind() const override { return OptimizerKind::Sgd; }
    void step(int, Eigen::Map<Vector> param, Eigen::Map<const Vector> gradient, Eigen::Map<Vector> update,
              float learningRate, OptimizerState&, const OptimizerConfig&, std::int64_t) const override {
        update.noalias() = learningRate * gradient;
        param += update;
    }
};

/// Classical momentum: velocity = mu * velocity + lr * gradient; param += velocity.
/// With the schedule on, mu is 0.5 for the first epochs (Hinton's guide, section 9.1):
/// early gradients are large and poorly aligned, so less momentum keeps them from overshooting.
class Momentum final : public Optimizer {
public:
    OptimizerKind kind() const override { return OptimizerKind::Momentum; }
    void step(int group, Eigen::Map<Vector> param, Eigen::Map<const Vector> gradient, Eigen::Map<Vector> update,
              float learningRate, OptimizerState& state, const OptimizerConfig& config,
              std::int64_t epoch) const override {
        Vector& velocity = state.first[static_cast<std::size_t>(group)];
        ensureSized(velocity, param.size());
        const float mu = (config.momentumSchedule && epoch < config.momentumScheduleEpochs)
                             ? std::min(0.5f, config.momentum)
                             : config.momentum;
        velocity = mu * velocity + learningRate * gradient;
        update = velocity;
        param += update;
    }
};

/// Adam (Kingma & Ba 2015) with bias correction; state.steps counts batches (the trainer
/// increments it once per batch, before the three groups are stepped).
class Adam final : public Optimizer {
public:
    OptimizerKind kind() const override { return OptimizerKind::Adam; }
    void step(int group, Eigen::Map<Vector> param, Eigen::Map<const Vector> gradient, Eigen::Map<Vector> update,
              float learningRate, OptimizerState& state, const OptimizerConfig& config,
              std::int64_t) const override {
        Vector& m = state.first[static_cast<std::size_t>(group)];
        Vector& v = state.second[static_cast<std::size_t>(group)];
        ensureSized(m, param.size());
        ensureSized(v, param.size());
        const float b1 = config.adamBeta1, b2 = config.adamBeta2;
        const double t = static_cast<double>(std::max<std::int64_t>(1, state.steps));
        const float c1 = static_cast<float>(1.0 - std::pow(static_cast<double>(b1), t));
        const float c2 = static_cast<float>(1.0 - std::pow(static_cast<double>(b2), t));
        m = b1 * m + (1.0f - b1) * gradient;
        v = b2 * v + (1.0f - b2) * gradient.cwiseProduct(gradient);
        const float stepSize = learningRate / c1;
        const float eps = config.adamEpsilon;
        const float rootC2 = std::sqrt(c2);
        update = stepSize * (m.array() / ((v.array().sqrt() / rootC2) + eps)).matrix();
        param += update;
    }
};

}  // namespace

std::unique_ptr<Optimizer> makeOptimizer(OptimizerKind kind) {
    switch (kind) {
    case OptimizerKind::Sgd: return std::make_unique<Sgd>();
    case OptimizerKind::Momentum: return std::make_unique<Momentum>();
    case OptimizerKind::Adam: return std::make_unique<Adam>();
    }
    return std::make_unique<Sgd>();
}

}  // namespace rbm
