#include "rbm/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

#include "rbm/kernels.h"
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

Eigen::Map<Vector> flat(Vector& v) { return Eigen::Map<Vector>(v.data(), v.size()); }
Eigen::Map<const Vector> flatConst(const Vector& v) { return Eigen::Map<const Vector>(v.data(), v.size()); }

/// PCD needs no reconstruction for its chains: the batch report's reconstruction error is
/// estimated on this many examples of the batch (a quarter of a product at batch 100).
constexpr int kPcdReconstructionExamples = 25;

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
    const int chunksBefore = optimizerChunks();
    config_ = next;
    ensurePool();
    if (optimizerChunks() != chunksBefore) {
        syncWeightMoments();
        splitWeightMoments();
    }
}

int Trainer::optimizerChunks() const {
    // Chunks of at most ~80,000 weights: W, its copy, gradient, step and two moments of a chunk
    // fit in L2 together; and at least two per thread so that a late helper leaves work to take.
    const Eigen::Index n = model_.W.size(), cols = std::max<Eigen::Index>(1, model_.W.cols());
    const Eigen::Index bySize = (n + 79999) / 80000;
    const Eigen::Index threads = std::max(1, config_.threads);
    Eigen::Index chunks = std::max<Eigen::Index>({Eigen::Index(1), bySize, threads > 1 ? 2 * threads : 1});
    chunks = (chunks + threads - 1) / threads * threads;  // equal shares for the threads
    return static_cast<int>(std::min(cols, chunks));
}

namespace {
/// Columns [begin, end) of chunk i when `cols` columns are cut into `chunks` pieces.
std::pair<Eigen::Index, Eigen::Index> columnRange(Eigen::Index cols, int chunks, int i) {
    return {cols * i / chunks, cols * (i + 1) / chunks};
}
}  // namespace

void Trainer::splitWeightMoments() {
    const Eigen::Index n = model_.W.size();
    const int chunks = optimizerChunks();
    weightMoments_.assign(static_cast<std::size_t>(chunks), OptimizerState{});
    for (int m = 0; m < 2; ++m) {
        Vector& full = m == 0 ? state_.optimizer.first[GroupWeights] : state_.optimizer.second[GroupWeights];
        if (full.size() != n) continue;  // unused or unsized: each chunk starts as the optimizer decides
        for (int i = 0; i < chunks; ++i) {
            const auto [j0, j1] = columnRange(model_.W.cols(), chunks, i);
            const Eigen::Index b = j0 * model_.W.rows(), e = j1 * model_.W.rows();
            OptimizerState& c = weightMoments_[static_cast<std::size_t>(i)];
            (m == 0 ? c.first : c.second)[GroupWeights] = full.segment(b, e - b);
        }
    }
    momentsFresh_ = true;
}

void Trainer::syncWeightMoments() const {
    if (momentsFresh_) return;
    const Eigen::Index n = model_.W.size();
    const int chunks = static_cast<int>(weightMoments_.size());
    for (int m = 0; m < 2; ++m) {
        bool sized = true;
        for (int i = 0; i < chunks; ++i) {
            const auto [j0, j1] = columnRange(model_.W.cols(), chunks, i);
            const Eigen::Index b = j0 * model_.W.rows(), e = j1 * model_.W.rows();
            const OptimizerState& c = weightMoments_[static_cast<std::size_t>(i)];
            sized = sized && (m == 0 ? c.first : c.second)[GroupWeights].size() == e - b;
        }
        if (!sized) continue;  // this moment is not used by the optimizer
        Vector& full = m == 0 ? state_.optimizer.first[GroupWeights] : state_.optimizer.second[GroupWeights];
        full.resize(n);
        for (int i = 0; i < chunks; ++i) {
            const auto [j0, j1] = columnRange(model_.W.cols(), chunks, i);
            const Eigen::Index b = j0 * model_.W.rows(), e = j1 * model_.W.rows();
            const OptimizerState& c = weightMoments_[static_cast<std::size_t>(i)];
            full.segment(b, e - b) = (m == 0 ? c.first : c.second)[GroupWeights];
        }
    }
    momentsFresh_ = true;
}

void Trainer::ensurePool() {
    const int threads = std::max(1, config_.threads);
    if (threads == 1) {
        pool_.reset();
        return;
    }
    if (!pool_ || pool_->threads() != threads) pool_ = std::make_unique<WorkerPool>(threads);
}

int Trainer::chunksFor(Eigen::Index units) const {
    if (!pool_) return 1;
    // One chunk per thread: fewer, larger products run closer to the GEMM's best. A helper
    // that starts late leaves its chunk to the caller. Fixed by the thread count alone.
    return static_cast<int>(std::max<Eigen::Index>(1, std::min<Eigen::Index>(pool_->threads(), units / 48)));
}

namespace {
/// Where chunk i of a layer of `units` starts (i = chunks: the end), on multiples of 48 rows
/// (three AVX-512 registers: the row panel of Eigen's GEMM kernel) so no chunk has a ragged
/// panel in the middle.
Eigen::Index layerSplit(Eigen::Index units, int chunks, int i) {
    if (i >= chunks) return units;
    return std::min(units, (units * i / chunks + 24) / 48 * 48);
}
}  // namespace

void Trainer::syncChains() const {
    if (chainsFresh_) return;
    state_.persistentChains = chainsT_.transpose();
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

bool Trainer::epochFinished() const { return lastBatchEndedEpoch_; }

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
    }
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

void Trainer::hiddenLayer(const Matrix& in, Eigen::Index cols, Matrix& out, Matrix* samples, std::uint64_t key,
                          Eigen::Index activeBegin, Eigen::Index activeEnd) {
    const Eigen::Index nh = model_.nHidden();
    if (activeEnd < 0) activeEnd = in.rows();
    const Eigen::Index depth = std::max<Eigen::Index>(0, activeEnd - activeBegin);
    const int chunks = chunksFor(nh);
    auto job = [&](int i) {
        const Eigen::Index j0 = layerSplit(nh, chunks, i), n = layerSplit(nh, chunks, i + 1) - j0;
        if (depth == 0)
            out.block(j0, 0, n, cols).setZero();
        else
            out.block(j0, 0, n, cols).noalias() = model_.W.block(activeBegin, j0, depth, n).transpose() *
                                                  in.block(activeBegin, 0, depth, cols);
        kernels::biasLogisticSample(out.data() + j0, n, out.rows(), cols, model_.hiddenBias.data() + j0,
                                    samples ? samples->data() + j0 : nullptr, samples ? samples->rows() : 0, key,
                                    static_cast<std::uint64_t>(j0), static_cast<std::uint64_t>(nh));
    };
    if (chunks == 1) job(0);
    else pool_->run(chunks, job);
}

void Trainer::visibleLayer(const Matrix& in, Eigen::Index cols, Matrix& out, Matrix* samples, std::uint64_t key,
                           const Matrix* data) {
    const Eigen::Index nv = model_.nVisible();
    const int chunks = chunksFor(nv);
    if (data) {
        reconSquared_.assign(static_cast<std::size_t>(chunks), 0.0);
        reconCrossEntropy_.assign(static_cast<std::size_t>(chunks), 0.0);
    }
    auto job = [&](int i) {
        const Eigen::Index i0 = layerSplit(nv, chunks, i), n = layerSplit(nv, chunks, i + 1) - i0;
        out.block(i0, 0, n, cols).noalias() = model_.W.middleRows(i0, n) * in.leftCols(cols);
        kernels::biasLogisticSample(out.data() + i0, n, out.rows(), cols, model_.visibleBias.data() + i0,
                                    samples ? samples->data() + i0 : nullptr, samples ? samples->rows() : 0, key,
                                    static_cast<std::uint64_t>(i0), static_cast<std::uint64_t>(nv));
        if (data)
            kernels::reconstructionSums(data->data() + i0, out.data() + i0, n, nv, 0, cols,
                                        reconSquared_[static_cast<std::size_t>(i)],
                                        reconCrossEntropy_[static_cast<std::size_t>(i)]);
    };
    if (chunks == 1) job(0);
    else pool_->run(chunks, job);
}

void Trainer::negativePhase(int batch) {
    const int k = config_.k;
    if (config_.algorithm == Algorithm::CD) {
        // Chain from the sampled hidden states of the data. Visible reconstructions are
        // probabilities; intermediate hidden states are sampled; the last one is not.
        const Matrix* drive = &hsT_;
        for (int step = 1; step <= k; ++step) {
            Matrix& v = step == 1 ? reconT_ : vkT_;  // the first one is the reconstruction
            visibleLayer(*drive, batch, v, nullptr, 0, step == 1 ? &vT_ : nullptr);
            const bool sample = step < k;
            hiddenLayer(v, batch, hkpT_, sample ? &hkT_ : nullptr, sample ? rng_.next() : 0);
            drive = &hkT_;
        }
        negV_ = k == 1 ? &reconT_ : &vkT_;
        negH_ = &hkpT_;
        reconColumns_ = batch;
        return;
    }
    // PCD: persistent chains of binary visible states, advanced k full sweeps per batch.
    const int nv = model_.nVisible(), nh = model_.nHidden();
    const int chains = config_.persistentChains > 0 ? config_.persistentChains : batch;
    Random& chainRng = chainSampler_.rng();
    if (chainHpT_.rows() != nh || chainHpT_.cols() != chains) {
        chainHpT_.resize(nh, chains);
        chainHsT_.resize(nh, chains);
        chainVpT_.resize(nv, chains);
    }
    if (chainsT_.cols() != chains || chainsT_.rows() != nv) {
        // New (or resized) chains start at training examples, binarized by sampling.
        std::vector<const std::uint8_t*> images(static_cast<std::size_t>(chains));
        for (auto& img : images) img = train_->image(static_cast<std::size_t>(chainRng.below(train_->count)));
        kernels::imagesToColumns(images.data(), chains, nv, chainVpT_.data(), nv);
        chainsT_.resize(nv, chains);
        kernels::bernoulliCounter(chainVpT_.data(), chainsT_.data(), static_cast<std::size_t>(chainsT_.size()),
                                  chainRng.next(), 0);
    }
    // The reconstruction only feeds the batch report: a few examples estimate it.
    reconColumns_ = std::min(batch, kPcdReconstructionExamples);
    visibleLayer(hsT_, reconColumns_, reconT_, nullptr, 0, &vT_);
    for (int step = 0; step < k; ++step) {
        hiddenLayer(chainsT_, chains, chainHpT_, &chainHsT_, chainRng.next());
        visibleLayer(chainHsT_, chains, chainVpT_, &chainsT_, chainRng.next());
    }
    hiddenLayer(chainsT_, chains, chainHpT_, nullptr, 0);
    negV_ = &chainsT_;
    negH_ = &chainHpT_;
    chainsFresh_ = false;
}

void Trainer::applyGradient(int batch) {
    const Matrix& negV = *negV_;
    const Matrix& negH = *negH_;
    const Eigen::Index nv = model_.nVisible(), nh = model_.nHidden(), nNeg = negV.cols();
    const float invB = 1.0f / static_cast<float>(batch);
    const float invN = 1.0f / static_cast<float>(nNeg);

    lastFiniteB_ = model_.visibleBias;
    lastFiniteC_ = model_.hiddenBias;
    const bool sparsity = config_.sparsityTarget > 0.0f && config_.sparsityCost > 0.0f;
    if (sparsity) {
        // Hinton's guide, section 11: a running estimate q of each unit's activity is pulled
        // towards the target through the hidden bias and the weights.
        Vector& q = state_.hiddenActivityEstimate;
        batchMeanH_.setZero(nh);
        batchMeanV_.setZero(nv);
        for (Eigen::Index c = 0; c < batch; ++c) {
            batchMeanH_ += hpT_.col(c);
            batchMeanV_ += vT_.col(c);
        }
        batchMeanH_ *= invB;
        batchMeanV_ *= invB;
        if (q.size() != batchMeanH_.size()) q = batchMeanH_;
        q = config_.sparsityDecay * q + (1.0f - config_.sparsityDecay) * batchMeanH_;
        pull_ = config_.sparsityCost * (config_.sparsityTarget - q.array()).matrix();
    }
    // Bias gradients of a range of units: <x>_data - <x>_model (columns summed in order).
    auto biasGradient = [&](Vector& grad, const Matrix& data, const Matrix& model, Eigen::Index r0, Eigen::Index n) {
        grad.segment(r0, n).setZero();
        for (Eigen::Index c = 0; c < batch; ++c) grad.segment(r0, n) += data.block(r0, c, n, 1);
        grad.segment(r0, n) *= invB;
        for (Eigen::Index c = 0; c < nNeg; ++c) grad.segment(r0, n) -= invN * model.block(r0, c, n, 1);
    };

    OptimizerState& os = state_.optimizer;
    ++os.steps;
    const std::int64_t epoch = state_.counters.epoch;
    const float decay = config_.weightDecay;
    const int chunks = static_cast<int>(weightMoments_.size());
    // Per chunk of hidden units (a contiguous range of W's columns, sized to stay in L2):
    // the gradient and then the optimizer's step on it, while both are still in cache.
    auto job = [&](int i) {
        const auto [j0, j1] = columnRange(nh, chunks, i);
        const Eigen::Index n = j1 - j0, size = n * nv;
        const auto [r0, r1] = columnRange(nv, chunks, i);
        biasGradient(gradB_, vT_, negV, r0, r1 - r0);
        biasGradient(gradC_, hpT_, negH, j0, n);
        if (sparsity) gradC_.segment(j0, n) += pull_.segment(j0, n);
        // The step is taken on a copy of W (made in the pass that starts the gradient with its
        // weight-decay term) and checked while it is in cache; W itself is only replaced, by
        // swapping the buffers, once every chunk is finite. A diverging step leaves W untouched.
        const float* w = model_.W.data() + j0 * nv;
        float* next = nextW_.data() + j0 * nv;
        float* g = gradW_.data() + j0 * nv;
        for (Eigen::Index e = 0; e < size; ++e) {
            next[e] = w[e];
            g[e] = -decay * w[e];
        }
        // Pixels that are 0 in the whole batch (an MNIST digit's empty border rows) add nothing.
        const Eigen::Index depth = activeEnd_ - activeBegin_;
        if (depth > 0)
            gradW_.block(activeBegin_, j0, depth, n).noalias() +=
                invB * (vT_.block(activeBegin_, 0, depth, batch) * hpT_.block(j0, 0, n, batch).transpose());
        gradW_.middleCols(j0, n).noalias() -= invN * (negV * negH.middleRows(j0, n).transpose());
        if (sparsity) gradW_.middleCols(j0, n).noalias() += batchMeanV_ * pull_.segment(j0, n).transpose();
        OptimizerState& c = weightMoments_[static_cast<std::size_t>(i)];
        c.steps = os.steps;
        optimizer_->step(GroupWeights, Eigen::Map<Vector>(next, size), Eigen::Map<const Vector>(g, size),
                         Eigen::Map<Vector>(updateW_.data() + j0 * nv, size), config_.learningRateWeights, c,
                         config_.optimizer, epoch);
        chunkFinite_[static_cast<std::size_t>(i)] = kernels::allFinite(next, static_cast<std::size_t>(size)) ? 1 : 0;
    };
    chunkFinite_.assign(static_cast<std::size_t>(chunks), 0);
    if (pool_) pool_->run(chunks, job);
    else
        for (int i = 0; i < chunks; ++i) job(i);
    momentsFresh_ = false;

    optimizer_->step(GroupVisibleBias, flat(model_.visibleBias), flatConst(gradB_), flat(updateB_),
                     config_.learningRateBiases, os, config_.optimizer, epoch);
    optimizer_->step(GroupHiddenBias, flat(model_.hiddenBias), flatConst(gradC_), flat(updateC_),
                     config_.learningRateBiases, os, config_.optimizer, epoch);
}

void Trainer::checkFinite() {
    const bool weights = std::all_of(chunkFinite_.begin(), chunkFinite_.end(), [](char f) { return f != 0; });
    const bool finite =
        weights &&
        kernels::allFinite(model_.visibleBias.data(), static_cast<std::size_t>(model_.visibleBias.size())) &&
        kernels::allFinite(model_.hiddenBias.data(), static_cast<std::size_t>(model_.hiddenBias.size()));
    if (finite) {
        model_.W.swap(nextW_);  // nextW_ now holds the previous weights (reused next batch)
        return;
    }
    // W was never written; the biases are restored from their copies.
    model_.visibleBias = lastFiniteB_;
    model_.hiddenBias = lastFiniteC_;
    std::ostringstream msg;
    msg << "training diverged at epoch " << state_.counters.epoch + 1 << ", batch " << state_.counters.batchInEpoch + 1
        << ": the parameters became NaN or infinite (learning rate for weights " << config_.learningRateWeights
        << ", for biases " << config_.learningRateBiases
        << "). The last finite parameters were kept; lower the learning rates and continue.";
    throw Error(msg.str());
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
    {
        // Bytes to [0,1] columns, and the range of pixels that are nonzero in the batch.
        const int* idx = state_.order.data() + ctr.positionInEpoch;
        // One chunk: a few tens of microseconds, and the helpers are often still waking here.
        const int chunks = 1;
        activeRanges_.assign(static_cast<std::size_t>(2 * chunks), 0);
        auto job = [&](int i) {
            constexpr int kGroup = 64;
            const std::uint8_t* images[kGroup];
            std::ptrdiff_t begin = nv, end = 0;
            const int c1 = batch * (i + 1) / chunks;
            for (int c0 = batch * i / chunks; c0 < c1; c0 += kGroup) {
                const int n = std::min(kGroup, c1 - c0);
                for (int c = 0; c < n; ++c) images[c] = train_->image(static_cast<std::size_t>(idx[c0 + c]));
                kernels::imagesToColumns(images, n, nv, vT_.data() + static_cast<Eigen::Index>(c0) * nv, nv);
                kernels::widenNonzeroRange(images, n, nv, begin, end);
            }
            activeRanges_[static_cast<std::size_t>(2 * i)] = begin;
            activeRanges_[static_cast<std::size_t>(2 * i + 1)] = end;
        };
        job(0);
        activeBegin_ = nv;
        activeEnd_ = 0;
        for (int i = 0; i < chunks; ++i) {
            const std::ptrdiff_t begin = activeRanges_[static_cast<std::size_t>(2 * i)];
            const std::ptrdiff_t end = activeRanges_[static_cast<std::size_t>(2 * i + 1)];
            if (begin < end) {
                activeBegin_ = std::min<Eigen::Index>(activeBegin_, begin);
                activeEnd_ = std::max<Eigen::Index>(activeEnd_, end);
            }
        }
    }
    // The data's products skip the pixels that are 0 in every example of the batch: exact,
    // and about a fifth of the depth of two of the five products on MNIST.
    hiddenLayer(vT_, batch, hpT_, &hsT_, rng_.next(), activeBegin_, activeEnd_);
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
