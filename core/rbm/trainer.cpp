#include "rbm/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

#include "rbm/metrics.h"

namespace rbm {

namespace {

std::shared_ptr<const Dataset> prepared(std::shared_ptr<const Dataset> d, const TrainingConfig& c) {
    if (!d) return std::make_shared<const Dataset>();
    if (c.binarization == Binarization::None) return d;
    return std::make_shared<const Dataset>(binarized(*d, c.binarization, c.binarizeThreshold, c.seed));
}

Matrix firstRows(const Dataset& d, int limit) {
    const std::size_t n = limit > 0 ? std::min<std::size_t>(d.count, static_cast<std::size_t>(limit)) : d.count;
    return toMatrix(d, n);
}

Eigen::Map<Vector> flat(Matrix& m) { return Eigen::Map<Vector>(m.data(), m.size()); }
Eigen::Map<Vector> flat(Vector& v) { return Eigen::Map<Vector>(v.data(), v.size()); }
Eigen::Map<const Vector> flatConst(const Matrix& m) { return Eigen::Map<const Vector>(m.data(), m.size()); }
Eigen::Map<const Vector> flatConst(const Vector& v) { return Eigen::Map<const Vector>(v.data(), v.size()); }

}  // namespace

Trainer::Trainer(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                 const TrainingConfig& config)
    : config_(config), rng_(config.seed) {
    config_.validate();
    train_ = prepared(std::move(train), config_);
    test_ = prepared(std::move(test), config_);
    if (train_->empty()) throw Error("cannot train: the training set has no images");
    if (!test_->empty() && test_->pixelsPerImage() != train_->pixelsPerImage())
        throw Error("the held-out images are " + std::to_string(test_->rows) + "x" + std::to_string(test_->cols) +
                    " but the training images are " + std::to_string(train_->rows) + "x" +
                    std::to_string(train_->cols));
    chainSampler_ = GibbsSampler(config_.seed ^ 0x9e3779b97f4a7c15ULL);
    optimizer_ = makeOptimizer(config_.optimizer.kind);
    initialiseModel();
    shuffleOrder();
    evalTrain_ = firstRows(*train_, config_.evalSubset);
    evalTest_ = firstRows(*test_, config_.evalSubset);
    state_.rng = rng_.state();
    state_.chainRng = chainSampler_.rng().state();
}

Trainer::Trainer(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
                 const TrainingConfig& config, const Rbm& model, const TrainerState& state)
    : config_(config), model_(model), state_(state), rng_(config.seed) {
    config_.validate();
    train_ = prepared(std::move(train), config_);
    test_ = prepared(std::move(test), config_);
    if (train_->empty()) throw Error("cannot train: the training set has no images");
    if (model_.nVisible() != train_->pixelsPerImage()) {
        std::ostringstream msg;
        msg << "the model has " << model_.nVisible() << " visible units but the training images have "
            << train_->pixelsPerImage() << " pixels (" << train_->rows << "x" << train_->cols << ")";
        throw Error(msg.str());
    }
    model_.imageRows = train_->rows;
    model_.imageCols = train_->cols;
    optimizer_ = makeOptimizer(config_.optimizer.kind);
    rng_.setState(state_.rng);
    chainSampler_.rng().setState(state_.chainRng);
    // A state from another dataset (or a model-only file) cannot index this one: start afresh.
    const bool orderFits = state_.order.size() == train_->count &&
                           std::all_of(state_.order.begin(), state_.order.end(), [&](int i) {
                               return i >= 0 && static_cast<std::size_t>(i) < train_->count;
                           });
    if (!orderFits) {
        state_.counters.batchInEpoch = 0;
        state_.counters.positionInEpoch = 0;
        shuffleOrder();
    }
    if (state_.persistentChains.size() > 0 && state_.persistentChains.cols() != model_.nVisible())
        state_.persistentChains.resize(0, 0);
    evalTrain_ = firstRows(*train_, config_.evalSubset);
    evalTest_ = firstRows(*test_, config_.evalSubset);
}

Trainer::~Trainer() = default;

void Trainer::initialiseModel() {
    const int nv = train_->pixelsPerImage();
    const int nh = config_.hidden;
    model_ = Rbm(nv, nh);
    model_.imageRows = train_->rows;
    model_.imageCols = train_->cols;
    if (config_.init == Initialisation::Hinton) {
        // Hinton's guide, section 8: small random weights, visible biases log(p/(1-p)) of the
        // data's pixel means (so the model starts out matching the marginals), hidden biases 0.
        for (Eigen::Index i = 0; i < model_.W.size(); ++i)
            model_.W.data()[i] = static_cast<float>(rng_.normal()) * config_.initWeightStd;
        std::vector<double> mean(static_cast<std::size_t>(nv), 0.0);
        for (std::size_t n = 0; n < train_->count; ++n) {
            const std::uint8_t* img = train_->image(n);
            for (int i = 0; i < nv; ++i) mean[static_cast<std::size_t>(i)] += img[i];
        }
        for (int i = 0; i < nv; ++i) {
            // Smoothed so that always-off pixels get a large negative but finite bias.
            double p = mean[static_cast<std::size_t>(i)] / (255.0 * static_cast<double>(train_->count));
            p = std::clamp(p, 1e-3, 1.0 - 1e-3);
            model_.visibleBias(i) = static_cast<float>(std::log(p / (1.0 - p)));
        }
    } else {
        for (Eigen::Index i = 0; i < model_.W.size(); ++i)
            model_.W.data()[i] = static_cast<float>(rng_.normal()) * config_.initWeightStd;
        for (Eigen::Index i = 0; i < model_.visibleBias.size(); ++i)
            model_.visibleBias(i) = static_cast<float>(rng_.normal()) * config_.initBiasStd;
        for (Eigen::Index i = 0; i < model_.hiddenBias.size(); ++i)
            model_.hiddenBias(i) = static_cast<float>(rng_.normal()) * config_.initBiasStd;
    }
}

void Trainer::setConfig(const TrainingConfig& config) {
    config.validate();
    TrainingConfig next = config;
    // Structure belongs to the model: a change there means a new Trainer.
    next.hidden = config_.hidden;
    next.init = config_.init;
    next.initWeightStd = config_.initWeightStd;
    next.initBiasStd = config_.initBiasStd;
    next.seed = config_.seed;
    next.binarization = config_.binarization;
    next.binarizeThreshold = config_.binarizeThreshold;
    next.evalSubset = config_.evalSubset;
    if (next.optimizer.kind != config_.optimizer.kind) optimizer_ = makeOptimizer(next.optimizer.kind);
    // Switching to CD drops nothing: the persistent chains are kept for a switch back to PCD.
    config_ = next;
}

int Trainer::effectiveBatchSize() const {
    return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(config_.batchSize), train_->count));
}

int Trainer::batchesPerEpoch() const {
    return static_cast<int>(train_->count / static_cast<std::size_t>(effectiveBatchSize()));
}

bool Trainer::epochFinished() const { return lastBatchEndedEpoch_; }

const Matrix& Trainer::negativeSamples() const {
    return config_.algorithm == Algorithm::PCD && state_.persistentChains.size() > 0 ? state_.persistentChains
                                                                                     : vk_;
}

void Trainer::shuffleOrder() {
    state_.order.resize(train_->count);
    std::iota(state_.order.begin(), state_.order.end(), 0);
    // Fisher-Yates with the trainer's own generator: the same seed gives the same epochs.
    for (std::size_t i = state_.order.size(); i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(rng_.below(i));
        std::swap(state_.order[i - 1], state_.order[j]);
    }
}

void Trainer::prepareWorkspaces(int batch) {
    const int nv = model_.nVisible(), nh = model_.nHidden();
    if (v0_.rows() != batch || v0_.cols() != nv || h0p_.cols() != nh) {
        v0_.resize(batch, nv);
        h0p_.resize(batch, nh);
        h0_.resize(batch, nh);
        recon_.resize(batch, nv);
        vk_.resize(batch, nv);
        hkp_.resize(batch, nh);
        hk_.resize(batch, nh);
    }
    if (gradW_.rows() != nv || gradW_.cols() != nh) {
        gradW_.resize(nv, nh);
        updateW_.setZero(nv, nh);
        gradB_.resize(nv);
        updateB_.setZero(nv);
        gradC_.resize(nh);
        updateC_.setZero(nh);
    }
}

void Trainer::negativePhase(int batch) {
    const int k = config_.k;
    if (config_.algorithm == Algorithm::CD) {
        // Chain from the sampled hidden states of the data. Visible reconstructions are
        // probabilities; intermediate hidden states are sampled; the last one is not.
        vk_.resize(batch, model_.nVisible());  // no-ops unless PCD used other sizes
        hkp_.resize(batch, model_.nHidden());
        hk_.resize(batch, model_.nHidden());
        const Matrix* drive = &h0_;
        for (int step = 1; step <= k; ++step) {
            visibleProbabilities(model_, *drive, vk_);
            if (step == 1) recon_ = vk_;
            hiddenProbabilities(model_, vk_, hkp_);
            if (step < k) {
                rng_.bernoulli(hkp_, hk_);
                drive = &hk_;
            }
        }
        return;
    }
    // PCD: persistent chains of binary visible states, advanced k full sweeps per batch.
    const int chains = config_.persistentChains > 0 ? config_.persistentChains : batch;
    Matrix& P = state_.persistentChains;
    if (P.rows() != chains || P.cols() != model_.nVisible()) {
        // New (or resized) chains start at training examples, binarized by sampling.
        Matrix start(chains, model_.nVisible());
        std::vector<int> idx(static_cast<std::size_t>(chains));
        for (auto& i : idx) i = static_cast<int>(chainSampler_.rng().below(train_->count));
        fillBatch(*train_, idx.data(), start);
        P.resize(chains, model_.nVisible());
        chainSampler_.rng().bernoulli(start, P);
    }
    visibleProbabilities(model_, h0_, recon_);
    if (hkp_.rows() != chains) {
        hkp_.resize(chains, model_.nHidden());
        hk_.resize(chains, model_.nHidden());
        vk_.resize(chains, model_.nVisible());
    }
    for (int step = 0; step < k; ++step) {
        hiddenProbabilities(model_, P, hkp_);
        chainSampler_.rng().bernoulli(hkp_, hk_);
        visibleProbabilities(model_, hk_, vk_);
        chainSampler_.rng().bernoulli(vk_, P);
    }
    hiddenProbabilities(model_, P, hkp_);
}

void Trainer::applyGradient(int batch, const Matrix& negV, const Matrix& negH) {
    const float invB = 1.0f / static_cast<float>(batch);
    const float invN = 1.0f / static_cast<float>(negV.rows());
    gradW_.noalias() = invB * (v0_.transpose() * h0p_);
    gradW_.noalias() -= invN * (negV.transpose() * negH);
    gradB_.noalias() = invB * v0_.colwise().sum().transpose();
    gradB_.noalias() -= invN * negV.colwise().sum().transpose();
    gradC_.noalias() = invB * h0p_.colwise().sum().transpose();
    gradC_.noalias() -= invN * negH.colwise().sum().transpose();
    if (config_.weightDecay > 0.0f) gradW_ -= config_.weightDecay * model_.W;

    if (config_.sparsityTarget > 0.0f && config_.sparsityCost > 0.0f) {
        // Hinton's guide, section 11: a running estimate q of each unit's activity is pulled
        // towards the target through the hidden bias and the weights.
        Vector& q = state_.hiddenActivityEstimate;
        const Vector batchMean = invB * h0p_.colwise().sum().transpose();
        if (q.size() != batchMean.size()) q = batchMean;
        q = config_.sparsityDecay * q + (1.0f - config_.sparsityDecay) * batchMean;
        const Vector pull = config_.sparsityCost * (Vector::Constant(q.size(), config_.sparsityTarget) - q);
        gradC_ += pull;
        const Vector meanV = invB * v0_.colwise().sum().transpose();
        gradW_.noalias() += meanV * pull.transpose();
    }

    lastFinite_.W = model_.W;
    lastFinite_.visibleBias = model_.visibleBias;
    lastFinite_.hiddenBias = model_.hiddenBias;

    OptimizerState& os = state_.optimizer;
    ++os.steps;
    const std::int64_t epoch = state_.counters.epoch;
    optimizer_->step(GroupWeights, flat(model_.W), flatConst(gradW_), flat(updateW_), config_.learningRateWeights, os,
                     config_.optimizer, epoch);
    optimizer_->step(GroupVisibleBias, flat(model_.visibleBias), flatConst(gradB_), flat(updateB_),
                     config_.learningRateBiases, os, config_.optimizer, epoch);
    optimizer_->step(GroupHiddenBias, flat(model_.hiddenBias), flatConst(gradC_), flat(updateC_),
                     config_.learningRateBiases, os, config_.optimizer, epoch);
}

void Trainer::checkFinite() {
    if (model_.isFinite()) return;
    model_.W = lastFinite_.W;
    model_.visibleBias = lastFinite_.visibleBias;
    model_.hiddenBias = lastFinite_.hiddenBias;
    std::ostringstream msg;
    msg << "training diverged at epoch " << state_.counters.epoch + 1 << ", batch " << state_.counters.batchInEpoch + 1
        << ": the parameters became NaN or infinite (learning rate for weights " << config_.learningRateWeights
        << ", for biases " << config_.learningRateBiases
        << "). The last finite parameters were kept; lower the learning rates and continue.";
    throw Error(msg.str());
}

BatchReport Trainer::trainBatch() {
    const int batch = effectiveBatchSize();
    prepareWorkspaces(batch);
    TrainerCounters& ctr = state_.counters;
    if (ctr.positionInEpoch + batch > static_cast<std::int64_t>(train_->count)) {
        ctr.positionInEpoch = 0;
        ctr.batchInEpoch = 0;
    }
    fillBatch(*train_, state_.order.data() + ctr.positionInEpoch, v0_);
    hiddenProbabilities(model_, v0_, h0p_);
    rng_.bernoulli(h0p_, h0_);
    negativePhase(batch);
    const bool pcd = config_.algorithm == Algorithm::PCD;
    applyGradient(batch, pcd ? state_.persistentChains : vk_, hkp_);
    checkFinite();

    const ReconstructionError err = reconstructionError(v0_, recon_);
    ctr.positionInEpoch += batch;
    ++ctr.batchInEpoch;
    ++ctr.totalBatches;
    ctr.samplesSeen += batch;
    lastBatchEndedEpoch_ = ctr.positionInEpoch + batch > static_cast<std::int64_t>(train_->count);
    BatchReport report;
    report.batchesPerEpoch = batchesPerEpoch();
    report.reconstructionMse = err.meanSquared;
    report.reconstructionCrossEntropy = err.crossEntropy;
    if (lastBatchEndedEpoch_) {
        ++ctr.epoch;
        ctr.batchInEpoch = 0;
        ctr.positionInEpoch = 0;
        shuffleOrder();
    }
    report.counters = ctr;
    state_.rng = rng_.state();
    state_.chainRng = chainSampler_.rng().state();
    return report;
}

EpochMetrics Trainer::evaluate() {
    EpochMetrics m;
    m.epoch = state_.counters.epoch;
    const ReconstructionError tr = reconstructionError(model_, evalTrain_);
    m.trainMse = tr.meanSquared;
    m.trainCrossEntropy = tr.crossEntropy;
    m.trainFreeEnergy = meanFreeEnergy(model_, evalTrain_);
    m.hasTest = evalTest_.rows() > 0;
    if (m.hasTest) {
        const ReconstructionError te = reconstructionError(model_, evalTest_);
        m.testMse = te.meanSquared;
        m.testCrossEntropy = te.crossEntropy;
        m.testFreeEnergy = meanFreeEnergy(model_, evalTest_);
    }
    // Its own generator: evaluating must not change the training stream.
    Random evalRng(config_.seed ^ static_cast<std::uint64_t>(m.epoch * 7919 + 17));
    m.pseudoLogLikelihood = pseudoLogLikelihood(model_, evalTrain_, evalRng);
    const HiddenActivity act = hiddenActivity(model_, evalTrain_);
    m.deadUnits = act.dead;
    m.saturatedUnits = act.saturated;
    if (updateW_.size() > 0) {
        m.ratioWeights = updateRatio(updateW_, model_.W);
        m.ratioVisibleBias = updateRatio(updateB_, model_.visibleBias);
        m.ratioHiddenBias = updateRatio(updateC_, model_.hiddenBias);
    }
    return m;
}

bool Trainer::run(const Callbacks& callbacks) {
    using Clock = std::chrono::steady_clock;
    auto epochStart = Clock::now();
    std::int64_t samplesAtStart = state_.counters.samplesSeen;
    while (state_.counters.epoch < config_.epochs) {
        const BatchReport report = trainBatch();
        if (callbacks.onBatch && !callbacks.onBatch(report)) return false;
        if (lastBatchEndedEpoch_) {
            const double seconds = std::chrono::duration<double>(Clock::now() - epochStart).count();
            EpochMetrics m = evaluate();
            m.seconds = seconds;
            m.samplesPerSecond =
                seconds > 0 ? static_cast<double>(state_.counters.samplesSeen - samplesAtStart) / seconds : 0.0;
            if (callbacks.onEpoch && !callbacks.onEpoch(m)) return false;
            epochStart = Clock::now();
            samplesAtStart = state_.counters.samplesSeen;
        }
    }
    return true;
}

}  // namespace rbm
