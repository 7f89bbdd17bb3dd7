#pragma once
/// The label units' share of a training step (label_units.h has the model), in the trainer's
/// feature-major layout (one example per COLUMN). Generative training of p(v, y):
///   positive phase: the data's one-hot labels drive the hidden layer beside the pixels;
///   negative phase: the label group is reconstructed from the chain's hidden states as
///     p(y|h) (CD, like the visible probabilities of its reconstruction) or SAMPLED as a
///     softmax into persistent label chains beside the persistent visible chains (PCD);
///   gradient (ascent): dU = <y h>_data - <y h>_model - weightDecay U, dd = <y>_data - <y>_model.
/// U and d learn kLabelRateScale times faster than W and the biases: a group of 10 units beside
/// 784 pixels otherwise stays too weak to steer the hidden layer, and a clamped dream then
/// follows the pixels' strongest mode instead of its class (measured in bench/DREAMS.md: at step
/// 200, 45% of clamped chains judged K at 1x, 87% at 10x; held-out p(y|v) right 90% / 89%).
/// The step is taken on copies; the trainer commits them only when everything is finite.
#include <cstdint>
#include <memory>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/optimizer.h"
#include "rbm/random.h"
#include "rbm/training_config.h"

namespace rbm {

constexpr float kLabelRateScale = 10.0f;

class LabelTraining {
public:
    /// Throws Error when `train` has no labels, or labels beyond the model's label units.
    LabelTraining(std::shared_ptr<const Dataset> train, int nLabels);

    /// The batch's one-hot labels (nLabels x batch) for the examples indices[0..batch).
    void fillData(const int* indices, int batch);
    const Matrix& data() const { return dataT_; }

    /// CD: the label probabilities p(y|h) of H's first `cols` columns (the negative statistics).
    const Matrix& reconstruct(const Rbm& m, const Matrix& H, Eigen::Index cols);
    /// PCD: persistent label chains, started uniformly at random when their count changes.
    Matrix& chains(int count, Random& rng);
    /// PCD: the label chains resampled from p(y|h) of the chains' hidden states H.
    void sampleChains(const Rbm& m, const Matrix& H, Random& rng);
    /// The chains in the public layout (chains x nLabels) and back (ignored if they do not fit).
    Matrix chainRows() const { return chainsT_.transpose(); }
    void setChainRows(const Matrix& rows);

    /// Gradient and optimizer step of U and d on copies. hData: p(h|v,y) of the batch
    /// (nHidden x batch); hNeg: the negative hidden statistics, matched column by column with
    /// the last reconstruct() or the chains. rateW / rateB: this batch's (scheduled) learning
    /// rates of the pixels' weights and biases, which the label units follow.
    void step(const Rbm& m, const Matrix& hData, int batch, const Matrix& hNeg, const Optimizer& optimizer,
              const TrainingConfig& config, float rateW, float rateB, OptimizerState& state, std::int64_t steps,
              std::int64_t epoch);
    bool stepFinite() const;
    /// The stepped U and d into the model.
    void commit(Rbm& m);

private:
    std::shared_ptr<const Dataset> train_;
    int nLabels_;
    Matrix dataT_, reconT_, chainsT_, probT_;
    const Matrix* negative_ = nullptr;  // reconT_ or chainsT_: what the last phase produced
    Matrix gradU_, nextU_, updateU_, rowsT_;
    Vector gradD_, nextD_, updateD_;
};

}  // namespace rbm
