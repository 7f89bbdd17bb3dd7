#include "rbm/ais.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <thread>
#include <unordered_set>

#include "rbm/partition_function.h"
#include "rbm/random.h"

namespace rbm {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLog2 = 0.69314718055994530942;

double softplusD(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

void appendSegment(std::vector<double>& out, double from, double to, int steps, bool endpoint) {
    for (int i = 0; i < steps; ++i) {
        const int denom = endpoint ? std::max(1, steps - 1) : steps;
        out.push_back(from + (to - from) * double(i) / double(denom));
    }
}

/// Workspaces and the one-sweep transition of the interpolated RBM at inverse temperature beta:
/// h ~ sigmoid(beta (vW + c)), v ~ sigmoid((1-beta) b_A + beta (b + W h)). Sized once.
class Annealer {
public:
    Annealer(const Rbm& m, const Vector& baseBias, int runs)
        : m_(m), baseBias_(baseBias), biasDiff_(m.visibleBias - baseBias), x_(runs, m.nHidden()),
          hp_(runs, m.nHidden()), h_(runs, m.nHidden()), vp_(runs, m.nVisible()),
          visBias_(m.nVisible()), vDotDiff_(runs), xd_(runs, m.nHidden()), rowSum_(runs), work_(runs) {}

    /// x = V W + c for the current states.
    void preActivations(const Matrix& V) {
        x_.noalias() = V * m_.W;
        x_.rowwise() += m_.hiddenBias.transpose();
    }

    /// logw += log p*_{b1}(V) - log p*_{b0}(V), using x_ of the current V.
    void accumulate(const Matrix& V, double b0, double b1, Eigen::VectorXd& logw) {
        vDotDiff_.noalias() = V * biasDiff_;
        xd_ = x_.cast<double>().array();
        rowSum_ = (b1 - b0) * vDotDiff_.cast<double>().array();
        addSoftplusRowSums(xd_, b1, 1.0, rowSum_, work_);
        addSoftplusRowSums(xd_, b0, -1.0, rowSum_, work_);
        logw.array() += rowSum_;
    }

    /// One Gibbs sweep at beta, using x_ of the current V; V is overwritten.
    void sweep(Matrix& V, double beta, Random& rng) {
        const float b = static_cast<float>(beta);
        hp_ = b * x_;
        sigmoidInPlace(hp_);
        rng.bernoulli(hp_, h_);
        vp_.noalias() = h_ * m_.W.transpose();
        visBias_ = (1.0f - b) * baseBias_ + b * m_.visibleBias;
        vp_ *= b;
        vp_.rowwise() += visBias_.transpose();
        sigmoidInPlace(vp_);
        rng.bernoulli(vp_, V);
    }

private:
    const Rbm& m_;
    const Vector& baseBias_;
    Vector biasDiff_;
    Matrix x_, hp_, h_, vp_;
    Vector visBias_, vDotDiff_;
    Eigen::ArrayXXd xd_;
    Eigen::ArrayXd rowSum_, work_;
};

/// Runs the chains in V (their start states) along betas[0] -> betas.back(), adding the
/// log importance weights to logw (zeroed first). V ends at the last states.
void anneal(const Rbm& m, const Vector& baseBias, const std::vector<double>& betas, Matrix& V,
            Eigen::VectorXd& logw, Random& rng, const std::atomic<bool>* cancel) {
    Annealer a(m, baseBias, static_cast<int>(V.rows()));
    logw.setZero(V.rows());
    for (std::size_t k = 1; k < betas.size(); ++k) {
        if (cancel && (k & 63) == 0 && cancel->load(std::memory_order_relaxed)) throw Error("AIS: cancelled.");
        a.preActivations(V);
        a.accumulate(V, betas[k - 1], betas[k], logw);
        if (k + 1 < betas.size()) a.sweep(V, betas[k], rng);
    }
}

/// Splits the rows of V between threads, each with its own generator (seed, thread index).
void annealParallel(const Rbm& m, const Vector& baseBias, const std::vector<double>& betas, Matrix& V,
                    Eigen::VectorXd& logw, std::uint64_t seed, int threads, const std::atomic<bool>* cancel,
                    const std::function<void(Matrix&, Random&)>& prepare) {
    const int runs = static_cast<int>(V.rows());
    threads = std::max(1, std::min(threads, runs));
    logw.setZero(runs);
    auto work = [&](int t) {
        const int r0 = runs * t / threads, r1 = runs * (t + 1) / threads;
        Random rng(seed * 0x9E3779B97F4A7C15ULL + std::uint64_t(t) + 1);
        Matrix part = V.middleRows(r0, r1 - r0);
        Eigen::VectorXd w;
        prepare(part, rng);
        anneal(m, baseBias, betas, part, w, rng, cancel);
        V.middleRows(r0, r1 - r0) = part;
        logw.segment(r0, r1 - r0) = w;
    };
    runThreads(threads, work);
}

/// Fills in logZ, stdErr, ess and the 3-sigma range from the log weights.
/// Forward: logZ = logZA + log mean r + max; reverse: logZ = logZA - (log mean r + max).
void summarise(AisResult& r) {
    const Eigen::VectorXd& w = r.logWeights;
    const double mx = w.maxCoeff();
    const Eigen::ArrayXd e = (w.array() - mx).exp();
    const double n = double(w.size());
    const double mean = e.mean();
    const double var = n > 1 ? (e - mean).square().sum() / (n - 1) : 0.0;
    const double se = std::sqrt(var / n);
    const double logMean = mx + std::log(mean);
    r.stdErr = se / mean;
    r.ess = e.sum() * e.sum() / e.square().sum();
    const double lo = mean - 3 * se > 0 ? mx + std::log(mean - 3 * se) : -kInf;
    const double hi = mx + std::log(mean + 3 * se);
    if (!r.reverse) {
        r.logZ = r.logZBase + logMean;
        r.logZLow = r.logZBase + lo;
        r.logZHigh = r.logZBase + hi;
    } else {
        r.logZ = r.logZBase - logMean;
        r.logZLow = r.logZBase - hi;
        r.logZHigh = r.logZBase - lo;
    }
}

void checkInputs(const Rbm& m, ConstMatrixRef data, const AisConfig& c, const char* what) {
    if (data.cols() != m.nVisible()) {
        throw Error(std::string(what) + ": data has " + std::to_string(data.cols()) +
                    " columns but the model has " + std::to_string(m.nVisible()) + " visible units.");
    }
    if (c.runs < 2) throw Error(std::string(what) + ": at least 2 runs are needed, got " + std::to_string(c.runs) + ".");
    if (!m.isFinite()) throw Error(std::string(what) + ": the model has NaN or infinite parameters.");
}

// ---------------------------------------------------------------- distinct state sets

/// A set of distinct binary visible states with their -F(v), filled batch by batch.
class StateSet {
public:
    explicit StateSet(const Rbm& m) : m_(m), bytes_((m.nVisible() + 7) / 8) {}

    /// Adds the rows of V (binarized by > 0.5) that are new; returns how many were.
    std::size_t add(ConstMatrixRef V) {
        const int nv = m_.nVisible();
        std::vector<Eigen::Index> fresh;
        std::string key(bytes_, '\0');
        for (Eigen::Index r = 0; r < V.rows(); ++r) {
            std::fill(key.begin(), key.end(), '\0');
            for (int i = 0; i < nv; ++i)
                if (V(r, i) > 0.5f) key[std::size_t(i >> 3)] = char(key[std::size_t(i >> 3)] | (1 << (i & 7)));
            if (keys_.insert(key).second) fresh.push_back(r);
        }
        if (fresh.empty()) return 0;
        Matrix rows(static_cast<Eigen::Index>(fresh.size()), nv);
        for (std::size_t k = 0; k < fresh.size(); ++k)
            rows.row(Eigen::Index(k)) = (V.row(fresh[k]).array() > 0.5f).cast<float>().matrix();
        const Eigen::VectorXd f = negativeFreeEnergy(m_, rows);
        for (std::size_t k = 0; k < fresh.size(); ++k) {
            states_.push_back(rows.row(Eigen::Index(k)));
            negF_.push_back(f(Eigen::Index(k)));
        }
        return fresh.size();
    }

    std::size_t size() const { return negF_.size(); }
    /// The rows of the `count` best states (largest -F), as a matrix.
    Matrix best(std::size_t count) const {
        std::vector<std::size_t> idx(negF_.size());
        std::iota(idx.begin(), idx.end(), std::size_t(0));
        count = std::min(count, idx.size());
        std::partial_sort(idx.begin(), idx.begin() + std::ptrdiff_t(count), idx.end(),
                          [&](std::size_t a, std::size_t b) { return negF_[a] > negF_[b]; });
        Matrix out(Eigen::Index(count), m_.nVisible());
        for (std::size_t k = 0; k < count; ++k) out.row(Eigen::Index(k)) = states_[idx[k]];
        return out;
    }
    double logSumExp() const {
        if (negF_.empty()) return -kInf;
        const double mx = *std::max_element(negF_.begin(), negF_.end());
        double s = 0;
        for (double f : negF_) s += std::exp(f - mx);
        return mx + std::log(s);
    }
    double bestNegF() const { return negF_.empty() ? -kInf : *std::max_element(negF_.begin(), negF_.end()); }

private:
    const Rbm& m_;
    std::size_t bytes_;
    std::unordered_set<std::string> keys_;
    std::vector<RowVector> states_;
    std::vector<double> negF_;
};

/// Greedy ascent: h = [c + vW > 0], v = [b + Wh > 0] until no row changes, no new state
/// appears (rows cycling among known states), or maxIt. Every iterate is added to the set
/// (each is a distinct state, so each only helps the bound).
void greedyModes(const Rbm& m, Matrix V, int maxIt, StateSet& set) {
    Matrix X(V.rows(), m.nHidden()), H(V.rows(), m.nHidden()), Y(V.rows(), m.nVisible()),
        Vn(V.rows(), m.nVisible());
    for (int it = 0; it < maxIt; ++it) {
        X.noalias() = V * m.W;
        X.rowwise() += m.hiddenBias.transpose();
        H = (X.array() > 0.0f).cast<float>().matrix();
        Y.noalias() = H * m.W.transpose();
        Y.rowwise() += m.visibleBias.transpose();
        Vn = (Y.array() > 0.0f).cast<float>().matrix();
        const bool same = (Vn.array() == V.array()).all();
        V.swap(Vn);
        if (set.add(V) == 0 || same) break;
    }
}

/// Short Gibbs runs of the model from V; every sampled v and every rounded p(v|h) is added.
void gibbsRuns(const Rbm& m, Matrix V, int steps, std::uint64_t seed, StateSet& set) {
    Random rng(seed);
    Matrix hp(V.rows(), m.nHidden()), h(V.rows(), m.nHidden()), vp(V.rows(), m.nVisible()),
        rounded(V.rows(), m.nVisible());
    for (int s = 0; s < steps; ++s) {
        hiddenProbabilities(m, V, hp);
        rng.bernoulli(hp, h);
        visibleProbabilities(m, h, vp);
        rounded = (vp.array() > 0.5f).cast<float>().matrix();
        set.add(rounded);
        rng.bernoulli(vp, V);
        set.add(V);
    }
}

Matrix cycledRows(ConstMatrixRef data, int count) {
    Matrix out(count, data.cols());
    for (int r = 0; r < count; ++r) out.row(r) = data.row(r % data.rows());
    return out;
}

std::string fmt(double x, int digits = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, x);
    return buf;
}

}  // namespace

// ---------------------------------------------------------------- configuration

AisConfig AisConfig::quick() {
    AisConfig c;
    c.stepsLow = 50;
    c.stepsMid = 400;
    c.stepsHigh = 1000;
    return c;
}

AisConfig AisConfig::paper() {
    AisConfig c;
    c.stepsLow = 500;
    c.stepsMid = 4000;
    c.stepsHigh = 10000;
    return c;
}

AisConfig AisConfig::withBetas(int runs, int totalBetas) {
    if (runs < 2) throw Error("AIS needs at least 2 runs, got " + std::to_string(runs) + ".");
    if (totalBetas < 3) throw Error("AIS needs at least 3 betas, got " + std::to_string(totalBetas) + ".");
    AisConfig c;
    c.runs = runs;
    c.stepsLow = std::max(1, int(std::lround(totalBetas * 500.0 / 14500.0)));
    c.stepsMid = std::max(1, int(std::lround(totalBetas * 4000.0 / 14500.0)));
    c.stepsHigh = std::max(1, totalBetas - c.stepsLow - c.stepsMid);
    return c;
}

std::vector<double> AisConfig::schedule() const {
    if (!betas.empty()) {
        if (betas.size() < 2 || betas.front() != 0.0 || betas.back() != 1.0 ||
            !std::is_sorted(betas.begin(), betas.end())) {
            throw Error("AIS schedule must increase from 0 to 1.");
        }
        return betas;
    }
    if (stepsLow < 1 || stepsMid < 1 || stepsHigh < 1) {
        throw Error("AIS schedule needs at least one beta in each segment.");
    }
    std::vector<double> b;
    b.reserve(std::size_t(stepsLow + stepsMid + stepsHigh));
    appendSegment(b, 0.0, 0.5, stepsLow, false);
    appendSegment(b, 0.5, 0.9, stepsMid, false);
    if (stepsHigh == 1) {
        b.push_back(1.0);
    } else {
        appendSegment(b, 0.9, 1.0, stepsHigh, true);
    }
    return b;
}

// ---------------------------------------------------------------- AIS

Vector baseRateVisibleBias(ConstMatrixRef data, double eps) {
    Vector b(data.cols());
    for (Eigen::Index i = 0; i < data.cols(); ++i) {
        const double p = data.rows() > 0 ? double(data.col(i).cast<double>().mean()) : 0.5;
        b(i) = static_cast<float>(std::log((p + eps) / (1.0 - p + eps)));
    }
    return b;
}

double baseRateLogPartition(ConstVectorRef baseBias, int nHidden) {
    double s = nHidden * kLog2;
    for (Eigen::Index i = 0; i < baseBias.size(); ++i) s += softplusD(double(baseBias(i)));
    return s;
}

AisResult forwardAis(const Rbm& m, ConstMatrixRef trainData, const AisConfig& c) {
    checkInputs(m, trainData, c, "forward AIS");
    const std::vector<double> betas = c.schedule();
    const Vector base = baseRateVisibleBias(trainData, c.baseRateSmoothing);
    AisResult r;
    r.runs = c.runs;
    r.logZBase = baseRateLogPartition(base, m.nHidden());
    r.finalStates.resize(c.runs, m.nVisible());
    // Exact samples of the base: independent pixels with p = sigmoid(b_A).
    Matrix baseP(1, m.nVisible());
    baseP.row(0) = base.transpose();
    sigmoidInPlace(baseP);
    auto prepare = [&](Matrix& V, Random& rng) {
        Matrix p = baseP.replicate(V.rows(), 1);
        rng.bernoulli(p, V);
    };
    annealParallel(m, base, betas, r.finalStates, r.logWeights, c.seed, c.threads, c.cancel, prepare);
    summarise(r);
    return r;
}

AisResult reverseAis(const Rbm& m, ConstMatrixRef trainData, ConstMatrixRef startData, const AisConfig& c) {
    checkInputs(m, trainData, c, "reverse AIS");
    if (startData.rows() == 0 || startData.cols() != m.nVisible()) {
        throw Error("reverse AIS: no start data with " + std::to_string(m.nVisible()) + " columns.");
    }
    std::vector<double> betas = c.schedule();
    std::reverse(betas.begin(), betas.end());
    const Vector base = baseRateVisibleBias(trainData, c.baseRateSmoothing);
    AisResult r;
    r.reverse = true;
    r.runs = c.runs;
    r.logZBase = baseRateLogPartition(base, m.nHidden());
    r.finalStates = cycledRows(startData, c.runs);
    r.finalStates = (r.finalStates.array() > 0.5f).cast<float>().matrix();
    const int burnIn = std::max(0, c.reverseBurnIn);
    auto prepare = [&](Matrix& V, Random& rng) {
        // A few sweeps of the target model (beta = 1) from the data.
        Annealer a(m, base, static_cast<int>(V.rows()));
        for (int s = 0; s < burnIn; ++s) {
            a.preActivations(V);
            a.sweep(V, 1.0, rng);
        }
    };
    annealParallel(m, base, betas, r.finalStates, r.logWeights, c.seed + 0x7e7e, c.threads, c.cancel,
                   prepare);
    summarise(r);
    return r;
}

// ---------------------------------------------------------------- lower bound

LowerBound partitionLowerBound(const Rbm& m, ConstMatrixRef seeds, const LowerBoundOptions& o) {
    if (seeds.cols() != m.nVisible()) {
        throw Error("log Z lower bound: seed states have " + std::to_string(seeds.cols()) +
                    " columns but the model has " + std::to_string(m.nVisible()) + " visible units.");
    }
    StateSet set(m);
    set.add(seeds);
    if (set.size() > 0 && o.maxGreedyStarts > 0) {
        greedyModes(m, set.best(std::size_t(o.maxGreedyStarts)), std::max(1, o.maxGreedyIterations), set);
    }
    if (set.size() > 0 && o.gibbsChains > 0 && o.gibbsSteps > 0) {
        gibbsRuns(m, set.best(std::size_t(o.gibbsChains)), o.gibbsSteps, o.seed, set);
        // The Gibbs runs may have found better basins: climb from the best states once more.
        greedyModes(m, set.best(std::size_t(o.gibbsChains)), std::max(1, o.maxGreedyIterations), set);
    }
    LowerBound b;
    b.logZ = set.logSumExp();
    b.states = set.size();
    b.bestNegFreeEnergy = set.bestNegF();
    return b;
}

// ---------------------------------------------------------------- the report

LikelihoodReport estimateLikelihood(const Rbm& m, ConstMatrixRef trainData, ConstMatrixRef testData,
                                    const LikelihoodOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    if (trainData.rows() == 0) throw Error("likelihood: there are no training rows to evaluate.");
    if (trainData.cols() != m.nVisible() || (testData.rows() > 0 && testData.cols() != m.nVisible())) {
        throw Error("likelihood: data has " + std::to_string(trainData.cols()) + " columns but the model has " +
                    std::to_string(m.nVisible()) + " visible units.");
    }
    if (!m.isFinite()) throw Error("likelihood: the model has NaN or infinite parameters.");
    const double nan = std::numeric_limits<double>::quiet_NaN();

    LikelihoodReport rep;
    rep.hasTest = testData.rows() > 0;
    rep.meanNegFreeEnergyTrain = meanNegativeFreeEnergy(m, trainData);
    rep.meanNegFreeEnergyTest = rep.hasTest ? meanNegativeFreeEnergy(m, testData) : nan;

    const bool exactPossible = canEnumerate(m, o.exactMaxUnits);
    if (exactPossible) {
        ExactOptions eo;
        eo.maxUnits = o.exactMaxUnits;
        eo.threads = o.threads;
        eo.cancel = o.cancel;
        rep.exact = exactLogPartition(m, eo);
    }

    if (exactPossible && !o.forceAis) {
        rep.method = "exact";
        rep.logZ = *rep.exact;
        rep.reliable = true;
        rep.avgLogLikTrain = rep.meanNegFreeEnergyTrain - rep.logZ;
        rep.avgLogLikTest = rep.meanNegFreeEnergyTest - rep.logZ;
        rep.upperBoundLogLikTrain = rep.avgLogLikTrain;
        rep.upperBoundLogLikTest = rep.avgLogLikTest;
        rep.verdict = "Exact: log Z by enumerating all 2^" +
                      std::to_string(std::min(m.nVisible(), m.nHidden())) + " states of the smaller layer.";
        rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return rep;
    }

    AisConfig ac = o.ais;
    ac.threads = o.threads;
    ac.cancel = o.cancel;
    const AisResult fwd = forwardAis(m, trainData, ac);
    rep.method = "ais";
    rep.logZ = fwd.logZ;
    rep.logZStdErr = fwd.stdErr;
    rep.ess = fwd.ess;
    rep.runs = fwd.runs;
    rep.betas = static_cast<int>(ac.schedule().size());

    std::optional<AisResult> rev;
    if (o.reverseAis) {
        rev = reverseAis(m, trainData, rep.hasTest ? testData : trainData, ac);
        rep.reverseLogZ = rev->logZ;
        rep.reverseLogZStdErr = rev->stdErr;
        rep.reverseEss = rev->ess;
    }

    // Seeds of the bound: AIS end states (both directions), then data rows.
    const Eigen::Index dataRows =
        std::min<Eigen::Index>(std::max(0, o.maxBoundDataRows), trainData.rows() + testData.rows());
    const Eigen::Index fromTrain = std::min<Eigen::Index>(dataRows, trainData.rows());
    const Eigen::Index fromTest = dataRows - fromTrain;
    const Eigen::Index revRows = rev ? rev->finalStates.rows() : 0;
    Matrix seeds(fwd.finalStates.rows() + revRows + dataRows, m.nVisible());
    seeds.topRows(fwd.finalStates.rows()) = fwd.finalStates;
    if (rev) seeds.middleRows(fwd.finalStates.rows(), revRows) = rev->finalStates;
    seeds.middleRows(fwd.finalStates.rows() + revRows, fromTrain) = trainData.topRows(fromTrain);
    if (fromTest > 0) seeds.bottomRows(fromTest) = testData.topRows(fromTest);
    const LowerBound lb = partitionLowerBound(m, seeds, o.bound);
    rep.lowerBound = lb.logZ;
    rep.lowerBoundStates = lb.states;

    rep.avgLogLikTrain = rep.meanNegFreeEnergyTrain - rep.logZ;
    rep.avgLogLikTest = rep.meanNegFreeEnergyTest - rep.logZ;
    rep.upperBoundLogLikTrain = rep.meanNegFreeEnergyTrain - lb.logZ;
    rep.upperBoundLogLikTest = rep.meanNegFreeEnergyTest - lb.logZ;
    if (rev) rep.avgLogLikTestReverse = rep.meanNegFreeEnergyTest - rev->logZ;

    std::vector<std::string> problems;
    if (fwd.logZ < lb.logZ) {
        problems.push_back("its log Z (" + fmt(fwd.logZ) + ") is below the rigorous lower bound (" + fmt(lb.logZ) +
                           "), so the runs missed most of the probability mass");
    }
    if (fwd.ess < o.minEssFraction * fwd.runs) {
        problems.push_back("its effective sample size is " + fmt(fwd.ess, 1) + " of " + std::to_string(fwd.runs) +
                           " runs");
    }
    if (rev) {
        const double gap = std::abs(fwd.logZ - rev->logZ);
        const double allowed =
            o.disagreementSigmas * std::sqrt(fwd.stdErr * fwd.stdErr + rev->stdErr * rev->stdErr) +
            o.disagreementNats;
        if (!(gap <= allowed)) {
            problems.push_back("forward (" + fmt(fwd.logZ) + ") and reverse (" + fmt(rev->logZ) +
                               ") AIS disagree by " + fmt(gap) + " nats");
        }
    }
    if (rep.exact && !(std::abs(fwd.logZ - *rep.exact) <= 3 * fwd.stdErr + 0.05)) {
        problems.push_back("it is " + fmt(fwd.logZ - *rep.exact) + " nats off the exact value " + fmt(*rep.exact, 3) +
                           ", beyond 3 standard errors");
    }
    if (!std::isfinite(fwd.logZ) || !std::isfinite(fwd.stdErr)) problems.push_back("its estimate is not finite");

    rep.reliable = problems.empty();
    const std::string which = rep.hasTest ? "held-out" : "training";
    const double ub = rep.hasTest ? rep.upperBoundLogLikTest : rep.upperBoundLogLikTrain;
    if (rep.reliable) {
        rep.verdict = "AIS estimate (" + std::to_string(fwd.runs) + " runs, " + std::to_string(rep.betas) +
                      " betas): log Z = " + fmt(fwd.logZ) + " +/- " + fmt(fwd.stdErr, 3) +
                      ", consistent with the lower bound" + std::string(rev ? " and reverse AIS" : "") + ".";
    } else {
        std::string joined;
        for (std::size_t i = 0; i < problems.size(); ++i) joined += (i ? "; " : "") + problems[i];
        // With the exact value at hand, that value (not the bound) is the honest statement.
        const std::string honest =
            rep.exact ? "The exact value is known: " + which + " log-likelihood = " +
                            fmt((rep.hasTest ? rep.meanNegFreeEnergyTest : rep.meanNegFreeEnergyTrain) - *rep.exact) +
                            " nats."
                      : "The honest statement is the upper bound: " + which + " log-likelihood <= " + fmt(ub) +
                            " nats.";
        rep.verdict = "AIS is unreliable for this model: " + joined + ". " + honest;
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

}  // namespace rbm
