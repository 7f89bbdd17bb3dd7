#include "rbm/trainer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "rbm/kernels.h"
#include "rbm/label_units.h"
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
    if (config_.labels) labels_ = std::make_unique<LabelTraining>(train_, labelCountOf(*train_));
    initialiseModel();
    shuffleOrder();
    evalTrain_ = firstRows(*train_, config_.evalSubset);
    evalTest_ = firstRows(*test_, config_.evalSubset);
    state_.rng = rng_.state();
    state_.chainRng = chainSampler_.rng().state();
    ensurePool();
    splitWeightMoments();
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
    // The model's structure wins over the configuration's (`--resume CKPT --hidden 32` on a
    // 16-unit model): otherwise checkpoints would save a configuration that contradicts W.
    config_.hidden = model_.nHidden();
    config_.labels = model_.hasLabels();
    if (config_.labels) labels_ = std::make_unique<LabelTraining>(train_, model_.nLabels());
    optimizer_ = makeOptimizer(config_.optimizer.kind);
    // All zeros is xoshiro's one invalid state (it only ever yields 0, and shuffling would never
    // end): a model-only checkpoint or a default TrainerState has no generator to resume, so
    // seed fresh ones from the configuration as a new trainer would.
    const Random::State zero{};
    if (state_.rng == zero) state_.rng = Random(config_.seed).state();
    if (state_.chainRng == zero) state_.chainRng = Random(config_.seed ^ 0x9e3779b97f4a7c15ULL).state();
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
    chainsT_ = state_.persistentChains.transpose();
    if (labels_ && state_.persistentLabels.rows() == state_.persistentChains.rows()) labels_->setChainRows(state_.persistentLabels);
    chainsFresh_ = true;
    evalTrain_ = firstRows(*train_, config_.evalSubset);
    evalTest_ = firstRows(*test_, config_.evalSubset);
    ensurePool();
    splitWeightMoments();
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
    if (!labels_) return;
    addLabelUnits(model_, labelCountOf(*train_));  // U like W; d = 0
    for (Eigen::Index i = 0; i < model_.labelWeights.size(); ++i)
        model_.labelWeights.data()[i] = static_cast<float>(rng_.normal()) * config_.initWeightStd;
}

void Trainer::setConfig(const TrainingConfig& config) {
    config.validate();
    // Structure belongs to the model: a change there means a new Trainer.
    const TrainingConfig next = config_.withLiveFieldsOf(config);
    if (next.optimizer.kind != config_.optimizer.kind) optimizer_ = makeOptimizer(next.optimizer.kind);
    // Switching to CD drops nothing: the persistent chains are kept for a switch back to PCD.
    config_ = next;
    ensurePool();
    if (weightChunkCount(model_.W.rows(), model_.W.cols(), config_.threads) != moments_.count()) splitWeightMoments();
}

void Trainer::splitWeightMoments() {
    moments_.joinInto(state_.optimizer);
    moments_.split(state_.optimizer, model_.W.rows(), model_.W.cols(),
                   weightChunkCount(model_.W.rows(), model_.W.cols(), config_.threads));
}

void Trainer::ensurePool() {
    const int threads = std::max(1, config_.threads);
    if (threads == 1) {
        pool_.reset();
        return;
    }
    if (!pool_ || pool_->threads() != threads) pool_ = std::make_unique<WorkerPool>(threads);
}

void Trainer::syncChains() const {
    if (chainsFresh_) return;
    state_.persistentChains = chainsT_.transpose();
    if (labels_) state_.persistentLabels = labels_->chainRows();
    chainsFresh_ = true;
}

const Matrix& Trainer::rowLayout(const Matrix& internal, Matrix& rows, bool& fresh) const {
    if (!fresh) {
        rows = internal.transpose();
        fresh = true;
    }
    return rows;
}

int Trainer::effectiveBatchSize() const {
    return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(config_.batchSize), train_->count));
}

int Trainer::batchesPerEpoch() const {
    return static_cast<int>(train_->count / static_cast<std::size_t>(effectiveBatchSize()));
}

const Matrix& Trainer::negativeSamples() const {
    if (config_.algorithm == Algorithm::PCD && chainsT_.size() > 0) {
        syncChains();
        return state_.persistentChains;
    }
    if (!negV_ || negV_ == &chainsT_) return vk_;
    return rowLayout(*negV_, vk_, vkFresh_);
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
    if (vT_.cols() != batch || vT_.rows() != nv || hpT_.rows() != nh) {
        vT_.resize(nv, batch);
        hpT_.resize(nh, batch);
        hsT_.resize(nh, batch);
        reconT_.resize(nv, batch);
        vkT_.resize(nv, batch);
        hkpT_.resize(nh, batch);
        hkT_.resize(nh, batch);
        // The sparse data products' buffers (a batch may be sparse enough at any time).
        sparseData_.reserve(nv, batch);
        sparseDataRows_.reserve(batch, nv);
    }
    if (wT_.rows() != nh || wT_.cols() != nv) wT_.resize(nh, nv);
    if (gradW_.rows() != nv || gradW_.cols() != nh) {
        gradW_.resize(nv, nh);
        nextW_.resize(nv, nh);
        updateW_.setZero(nv, nh);
        gradB_.resize(nv);
        updateB_.setZero(nv);
        gradC_.resize(nh);
        updateC_.setZero(nh);
    }
}

BatchReport Trainer::trainBatch() {
    const int batch = effectiveBatchSize();
    const int nv = model_.nVisible();
    prepareWorkspaces(batch);
    TrainerCounters& ctr = state_.counters;
    if (ctr.positionInEpoch + batch > static_cast<std::int64_t>(train_->count)) {
        ctr.positionInEpoch = 0;
        ctr.batchInEpoch = 0;
    }
    v0Fresh_ = h0pFresh_ = vkFresh_ = false;
    const double factor = learningRateFactor();
    rateW_ = static_cast<float>(static_cast<double>(config_.learningRateWeights) * factor);
    rateB_ = static_cast<float>(static_cast<double>(config_.learningRateBiases) * factor);
    {
        // Bytes to [0,1] columns, and the range of pixels that are nonzero in the batch (a few
        // tens of microseconds: not worth waking the pool for).
        const int* idx = state_.order.data() + ctr.positionInEpoch;
        constexpr int kGroup = 64;
        const std::uint8_t* images[kGroup];
        std::ptrdiff_t begin = nv, end = 0;
        for (int c0 = 0; c0 < batch; c0 += kGroup) {
            const int n = std::min(kGroup, batch - c0);
            for (int c = 0; c < n; ++c) images[c] = train_->image(static_cast<std::size_t>(idx[c0 + c]));
            kernels::imagesToColumns(images, n, nv, vT_.data() + static_cast<Eigen::Index>(c0) * nv, nv);
            kernels::widenNonzeroRange(images, n, nv, begin, end);
        }
        activeBegin_ = begin < end ? begin : nv;
        activeEnd_ = begin < end ? end : 0;
        if (labels_) labels_->fillData(idx, batch);
    }
    // The data's products skip the pixels that are 0 in every example of the batch: exact,
    // and about a fifth of the depth of two of the five products on MNIST. Where the rest is
    // mostly zero too, both run sparse on one compression of the batch (and its twin).
    wTFresh_ = false;
    dataSparse_ = false;
    if (sparseProducts() && activeEnd_ > activeBegin_) {
        // Counted first (a fraction of the compression's cost, which a dense batch is spared).
        dataSparse_ = sparseDataProductPays(nonzeroFraction(vT_.middleRows(activeBegin_, activeEnd_ - activeBegin_)));
        if (dataSparse_) {
            sparseData_.assign(vT_);
            sparseDataRows_.assignTransposed(sparseData_);
        }
    }
    hiddenLayer(vT_, batch, hpT_, &hsT_, rng_.next(), activeBegin_, activeEnd_, labels_ ? &labels_->data() : nullptr,
                dataSparse_ ? &sparseData_ : nullptr);
    negativePhase(batch);
    applyGradient(batch);
    if (pool_) pool_->endBatch();
    checkFinite();

    double squared = 0.0, crossEntropy = 0.0;  // summed in chunk order: the same every time
    for (std::size_t i = 0; i < reconSquared_.size(); ++i) {
        squared += reconSquared_[i];
        crossEntropy += reconCrossEntropy_[i];
    }
    ctr.positionInEpoch += batch;
    ++ctr.batchInEpoch;
    ++ctr.totalBatches;
    ctr.samplesSeen += batch;
    lastBatchEndedEpoch_ = ctr.positionInEpoch + batch > static_cast<std::int64_t>(train_->count);
    BatchReport report;
    report.batchesPerEpoch = batchesPerEpoch();
    report.learningRateWeights = rateW_;
    report.learningRateBiases = rateB_;
    report.reconstructionMse = squared / (static_cast<double>(reconColumns_) * nv);
    report.reconstructionCrossEntropy = crossEntropy / static_cast<double>(reconColumns_);
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

double Trainer::learningRateFactor() const {
    const TrainerCounters& ctr = state_.counters;
    // trainBatch starts a new epoch's count when the rest of the order cannot fill a batch
    const bool wraps = ctr.positionInEpoch + effectiveBatchSize() > static_cast<std::int64_t>(train_->count);
    return config_.lrSchedule.factor(ctr.epoch, wraps ? 0 : ctr.batchInEpoch, batchesPerEpoch(), config_.epochs);
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

}  // namespace rbm
