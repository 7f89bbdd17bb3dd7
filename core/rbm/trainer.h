#pragma once
/// CD-k and PCD-k training of a Bernoulli RBM on minibatches, reshuffled each epoch.
///
/// Which quantities are binary and which are probabilities follows Hinton's practical guide
/// (UTML TR 2010-003, sections 3.1-3.4):
///   - positive phase: h0 ~ p(h|v0) is SAMPLED to drive the chain (it limits information
///     through the hidden layer); the statistics use the probabilities p(h|v0);
///   - the visible reconstructions of CD use p(v|h) (probabilities: less sampling noise, and
///     the guide's usual choice; TrainingConfig::cdSampleVisible samples them); the persistent
///     chains of PCD sample binary visible states so they remain true Markov chains of the model;
///   - the last hidden update of the negative phase uses probabilities (no sampling), and
///     so do the negative statistics.
/// Gradient per batch (ascent): dW = <v h>_data - <v h>_model - weightDecay W,
/// db = <v>_data - <v>_model, dc = <h>_data - <h>_model (+ sparsity term on c and W).
///
/// One class, its jobs in files of their own: trainer.cpp (setup, live settings, the batch,
/// evaluation), trainer_layers.cpp (the conditional layers on the pool),
/// trainer_negative_phase.cpp (CD-k / PCD-k), trainer_gradient.cpp (gradient, optimizer step,
/// divergence check), weight_moments.h (W's optimizer moments in chunks). The epoch loop with
/// its saving is TrainingSession's (training_session.h).
#include <cstdint>
#include <memory>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/label_training.h"
#include "rbm/model.h"
#include "rbm/optimizer.h"
#include "rbm/products.h"
#include "rbm/random.h"
#include "rbm/sampler.h"
#include "rbm/thread_pool.h"
#include "rbm/trainer_state.h"
#include "rbm/training_config.h"
#include "rbm/weight_moments.h"

namespace rbm {

class Trainer {
public:
    /// Initialises a new model from `config` (validated; throws Error). `test` may be empty.
    /// Datasets are shared read-only (the GUI keeps the same ones for display).
    Trainer(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
            const TrainingConfig& config);
    /// Continues from a saved model and state (a checkpoint). Sizes must match the data
    /// (throws Error naming both sizes otherwise).
    Trainer(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
            const TrainingConfig& config, const Rbm& model, const TrainerState& state);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    /// Takes effect at the next batch: the live fields of `config` on this model's structure
    /// (TrainingConfig::withLiveFieldsOf); optimizer moments and persistent chains are kept.
    /// Throws Error for an invalid configuration (nothing changes then).
    void setConfig(const TrainingConfig& config);
    const TrainingConfig& config() const { return config_; }

    /// One minibatch: gradient, optimizer step, counters. Throws Error (and restores the last
    /// finite parameters) if anything becomes NaN or Inf.
    BatchReport trainBatch();
    /// The learning-rate schedule's factor for the next batch (TrainingConfig::lrSchedule).
    double learningRateFactor() const;
    /// Evaluation on the fixed training subset and the held-out set.
    EpochMetrics evaluate();
    /// Did the last batch complete an epoch (the counters then already name the next one)?
    bool epochFinished() const { return lastBatchEndedEpoch_; }

    const Rbm& model() const { return model_; }
    /// Where training is; cheap (read it every batch).
    const TrainerCounters& counters() const { return state_.counters; }
    std::int64_t optimizerSteps() const { return state_.optimizer.steps; }
    /// The whole state, for checkpoints. Not cheap: the PCD chains and the weights' optimizer
    /// moments live in other layouts while training and are reassembled here (W-sized copies).
    const TrainerState& state() const {
        syncChains();
        moments_.joinInto(state_.optimizer);
        return state_;
    }
    /// The step last taken for each group (same shapes as W, b, c).
    const Matrix& lastWeightUpdate() const { return updateW_; }
    const Vector& lastVisibleBiasUpdate() const { return updateB_; }
    const Vector& lastHiddenBiasUpdate() const { return updateC_; }
    /// The negative-phase visible states of the last batch (PCD: the persistent chains).
    const Matrix& negativeSamples() const;
    /// The data and its hidden probabilities from the last batch (for the activity view).
    const Matrix& lastBatch() const { return rowLayout(vT_, v0_, v0Fresh_); }
    const Matrix& lastHiddenProbabilities() const { return rowLayout(hpT_, h0p_, h0pFresh_); }
    const Dataset& trainData() const { return *train_; }
    const Dataset& testData() const { return *test_; }
    int batchesPerEpoch() const;

private:
    void initialiseModel();
    void prepareWorkspaces(int batch);
    void shuffleOrder();
    int effectiveBatchSize() const;
    /// Fills the negative statistics (negV_, negH_ point at them).
    void negativePhase(int batch);
    void applyGradient(int batch);
    void checkFinite();
    void ensurePool();
    void syncChains() const;
    /// Re-cuts the weights' optimizer moments for the current thread count.
    void splitWeightMoments();
    /// The public one-example-per-row copy of an internal (feature-major) matrix, made once
    /// per batch on first use.
    const Matrix& rowLayout(const Matrix& internal, Matrix& rows, bool& fresh) const;
    int chunksFor(Eigen::Index units) const;
    /// out = sigmoid(W^T in + c) on the pool (hidden units split), sampled into `samples` if
    /// not null with the counter-based draws of `key`.
    /// Only rows [activeBegin, activeEnd) of `in` are used (the others must be zero; -1: all).
    /// `labels` (label units): the label states (nLabels x cols) that add U^T y to the input.
    /// `sparse` (the compressed `in`): W^T in as sums of W's selected rows, on wT_.
    void hiddenLayer(const Matrix& in, Eigen::Index cols, Matrix& out, Matrix* samples, std::uint64_t key,
                     Eigen::Index activeBegin = 0, Eigen::Index activeEnd = -1, const Matrix* labels = nullptr,
                     const SparseColumns* sparse = nullptr);
    /// Compresses the 0/1 chains when their products pay sparse (chainsSparse_); null if not.
    const SparseColumns* compressChains(bool twin);
    /// out = sigmoid(W in + b) (visible units split), sampled as above. With `data`, also the
    /// reconstruction error sums of out against data, per chunk while it is in cache.
    void visibleLayer(const Matrix& in, Eigen::Index cols, Matrix& out, Matrix* samples, std::uint64_t key,
                      const Matrix* data = nullptr);

    std::shared_ptr<const Dataset> train_, test_;  // binarized copies if configured
    TrainingConfig config_;
    Rbm model_;
    mutable TrainerState state_;  // persistentChains refreshed from chainsT_ on access
    std::unique_ptr<Optimizer> optimizer_;
    GibbsSampler chainSampler_;
    Random rng_;
    Matrix evalTrain_, evalTest_;
    bool lastBatchEndedEpoch_ = false;
    std::unique_ptr<WorkerPool> pool_;
    std::unique_ptr<LabelTraining> labels_;  // label units only (label_training.h)
    // Workspaces, sized once per batch size. FEATURE-MAJOR: one example per COLUMN
    // (units x batch), the transpose of the public layout (see kernels.h for why).
    Matrix vT_, hpT_, hsT_, reconT_, vkT_, hkpT_, hkT_, vsT_;  // vsT_: CD's sampled visible states
    Matrix chainsT_, chainHpT_, chainHsT_, chainVpT_;  // PCD: chains in the same layout
    const Matrix* negV_ = nullptr;  // the negative statistics of this batch
    const Matrix* negH_ = nullptr;
    int reconColumns_ = 0;            // examples with a reconstruction in reconT_
    Eigen::Index activeBegin_ = 0, activeEnd_ = 0;  // pixels outside are 0 in the whole batch
    std::vector<double> reconSquared_, reconCrossEntropy_;  // per chunk, summed in order
    SparseColumns sparseIn_;  // visibleLayer's 0/1 hidden states, compressed
    // The data batch and PCD's 0/1 chains, compressed by columns (for W^T x) and by rows (the
    // twin, for the gradient's x p(h)^T) when sparseDataProductPays; wT_ = W^T for the former,
    // transposed once per batch on first use.
    SparseColumns sparseData_, sparseDataRows_, sparseChains_, sparseChainRows_;
    bool dataSparse_ = false, chainsSparse_ = false, wTFresh_ = false;
    Matrix wT_;
    float rateW_ = 0, rateB_ = 0;  // this batch's scheduled learning rates
    Matrix gradW_, updateW_;
    Vector gradB_, gradC_, updateB_, updateC_;
    Vector batchMeanH_, batchMeanV_, pull_;  // sparsity
    Matrix nextW_;                   // the step is taken here, swapped into the model if finite
    std::vector<char> chunkFinite_;  // per chunk of W: is the stepped copy finite?
    Vector lastFiniteB_, lastFiniteC_;  // biases before the step, restored if a step diverges
    WeightMoments moments_;             // W's optimizer moments, per chunk (weight_moments.h)
    // Public row-layout copies, made on demand.
    mutable Matrix v0_, h0p_, vk_;
    mutable bool v0Fresh_ = false, h0pFresh_ = false, vkFresh_ = false, chainsFresh_ = true;
};

}  // namespace rbm
