#pragma once
/// Optimizers for the three parameter groups of an RBM (W, visible bias, hidden bias),
/// chosen at run time. Hyperparameters (OptimizerConfig) live apart from per-run state
/// (OptimizerState): the state is sized once, saved in checkpoints, and survives any
/// change of hyperparameters between batches.
///
/// Convention: `gradient` is the direction of steepest ASCENT of the log-likelihood (what
/// CD estimates); the optimizer writes the step it takes into `update` and adds it to the
/// parameters, so `update` is what the histograms and the |dW|/|W| ratio show.
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "rbm/types.h"

namespace rbm {

enum class OptimizerKind { Sgd, Momentum, Adam };
const char* toString(OptimizerKind k);
OptimizerKind optimizerFromString(const std::string& s);  ///< throws Error

enum ParameterGroup { GroupWeights = 0, GroupVisibleBias = 1, GroupHiddenBias = 2, GroupCount = 3 };

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::Momentum;
    float momentum = 0.9f;
    /// Hinton's guide: momentum 0.5 for the first epochs, then the configured value.
    bool momentumSchedule = true;
    int momentumScheduleEpochs = 5;
    float adamBeta1 = 0.9f;
    float adamBeta2 = 0.999f;
    float adamEpsilon = 1e-8f;
};

/// First and second moments per group (velocity for momentum; m and v for Adam), stored
/// as flat vectors of the group's size. Unused moments stay empty.
struct OptimizerState {
    std::array<Vector, GroupCount> first;
    std::array<Vector, GroupCount> second;
    std::int64_t steps = 0;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual OptimizerKind kind() const = 0;
    /// param += update(gradient); `update` receives the step taken.
    /// `epoch` drives the momentum schedule.
    virtual void step(int group, Eigen::Map<Vector> param, Eigen::Map<const Vector> gradient,
                      Eigen::Map<Vector> update, float learningRate, OptimizerState& state,
                      const OptimizerConfig& config, std::int64_t epoch) const = 0;
};

std::unique_ptr<Optimizer> makeOptimizer(OptimizerKind kind);

}  // namespace rbm
