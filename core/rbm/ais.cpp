#include "rbm/ais.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <thread>

#include "rbm/label_units.h"
#include "rbm/partition_function.h"
#include "rbm/products.h"
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
        multiply(x_, V, Op::Plain, m_.W, Op::Plain);
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
        multiply(vp_, h_, Op::Plain, m_.W, Op::Transposed);
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
/// stepSd, if given, gets the standard deviation over the runs of each step's log-weight
/// increment (betas.size() - 1 entries): the pilot of the adaptive schedule.
void anneal(const Rbm& m, const Vector& baseBias, const std::vector<double>& betas, Matrix& V,
            Eigen::VectorXd& logw, Random& rng, const std::atomic<bool>* cancel, WorkProgress* progress,
            std::vector<double>* stepSd = nullptr) {
    Annealer a(m, baseBias, static_cast<int>(V.rows()));
    logw.setZero(V.rows());
    Eigen::VectorXd before;
    if (stepSd) stepSd->assign(betas.size() - 1, 0.0);
    for (std::size_t k = 1; k < betas.size(); ++k) {
        if (cancel && (k & 63) == 0 && cancel->load(std::memory_order_relaxed)) throw Error("AIS: cancelled.");
        if (progress && (k & 63) == 0) progress->add(64 * 2 * std::uint64_t(V.rows()) * std::uint64_t(m.W.size()));
        a.preActivations(V);
        if (stepSd) before = logw;
        a.accumulate(V, betas[k - 1], betas[k], logw);
        if (stepSd) {
            const Eigen::ArrayXd d = (logw - before).array();
            (*stepSd)[k - 1] = std::sqrt((d - d.mean()).square().sum() / double(std::max<Eigen::Index>(1, d.size() - 1)));
        }
        if (k + 1 < betas.size()) a.sweep(V, betas[k], rng);
    }
}

/// Splits the rows of V between threads, each with its own generator (seed, thread index).
void annealParallel(const Rbm& m, const Vector& baseBias, const std::vector<double>& betas, Matrix& V,
                    Eigen::VectorXd& logw, std::uint64_t seed, int threads, const std::atomic<bool>* cancel, WorkProgress* progress,
                    const std::function<void(Matrix&, Random&)>& prepare) {
    const int runs = static_cast<int>(V.rows());
    threads = std::max(1, std::min(threads, runs));
    logw.setZero(runs);
    auto work = [&](int t) {
        const int r0 = runs * t / threads, r1 = runs * (t + 1) / threads;
        Random rng(seed * std::uint64_t{0x9E3779B97F4A7C15} + std::uint64_t(t) + 1);
        Matrix part = V.middleRows(r0, r1 - r0);
        Eigen::VectorXd w;
        prepare(part, rng);
        anneal(m, baseBias, betas, part, w, rng, cancel, progress);
        V.middleRows(r0, r1 - r0) = part;
        logw.segment(r0, r1 - r0) = w;
    };
    runThreads(threads, work);
}

/// c.schedule(), or with c.adaptive the same number of betas re-spaced so that every step adds
/// about the same spread to the log weights: c.pilotRuns pilot runs from the base anneal along
/// the paper's schedule at c.pilotBetas betas, the spread of each step's increment over them is
/// that step's share of the "length" of the path (half of it; the other half is the paper's
/// spacing), and the betas split that length into equal parts.
std::vector<double> scheduleFor(const Rbm& m, const Vector& base, const Matrix& baseP, const AisConfig& c) {
    std::vector<double> plain = c.schedule();
    if (!c.adaptive || !c.betas.empty() || plain.size() < 3) return plain;
    const std::vector<double> pilot = AisConfig::withBetas(2, std::max(3, c.pilotBetas)).schedule();
    Random rng(c.seed * std::uint64_t{0xD1B54A32D192ED03} + 0x5eed);
    Matrix p = baseP.replicate(std::max(2, c.pilotRuns), 1);
    Matrix V(p.rows(), p.cols());
    rng.bernoulli(p, V);
    Eigen::VectorXd w;
    std::vector<double> sd;
    anneal(m, base, pilot, V, w, rng, c.cancel, nullptr, &sd);
    double total = 0;
    for (double x : sd) total += x;
    // Half the betas follow the pilot's spread, half the paper's spacing (the pilot's own grid,
    // one share per step): the spread alone ignores how slowly chains mix near beta = 1, and
    // thinned the betas there too much on a PCD model (bench/RESULTS.md, AIS).
    constexpr double kPaperShare = 0.5;
    const double steps = double(pilot.size() - 1);
    std::vector<double> length(pilot.size(), 0.0);
    for (std::size_t k = 1; k < pilot.size(); ++k) {
        const double spread = total > 0 && std::isfinite(total) && std::isfinite(sd[k - 1]) ? sd[k - 1] / total : 1.0 / steps;
        length[k] = length[k - 1] + (1 - kPaperShare) * spread + kPaperShare / steps;
    }
    const std::size_t n = plain.size();
    std::vector<double> out;
    out.reserve(n);
    out.push_back(0.0);
    std::size_t seg = 1;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double target = length.back() * double(i) / double(n - 1);
        while (seg + 1 < length.size() && length[seg] < target) ++seg;
        const double f = (target - length[seg - 1]) / (length[seg] - length[seg - 1]);
        out.push_back(std::max(out.back(), pilot[seg - 1] + std::clamp(f, 0.0, 1.0) * (pilot[seg] - pilot[seg - 1])));
    }
    out.push_back(1.0);
    return out;
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

/// One row: the base's probabilities sigmoid(b_A), whose pixels are independent.
Matrix baseProbabilities(const Vector& base) {
    Matrix p(1, base.size());
    p.row(0) = base.transpose();
    sigmoidInPlace(p);
    return p;
}

Matrix cycledRows(ConstMatrixRef data, int count) {
    Matrix out(count, data.cols());
    for (int r = 0; r < count; ++r) out.row(r) = data.row(r % data.rows());
    return out;
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

std::vector<double> annealingSchedule(const Rbm& m, ConstMatrixRef trainData, const AisConfig& c) {
    checkInputs(m, trainData, c, "AIS schedule");
    const Vector base = baseRateVisibleBias(trainData, c.baseRateSmoothing);
    return scheduleFor(m, base, baseProbabilities(base), c);
}

AisResult forwardAis(const Rbm& m, ConstMatrixRef trainData, const AisConfig& c) {
    checkInputs(m, trainData, c, "forward AIS");
    if (m.hasLabels()) return labelledAis(m, trainData, nullptr, c);  // one AIS per label slice
    const Vector base = baseRateVisibleBias(trainData, c.baseRateSmoothing);
    const Matrix baseP = baseProbabilities(base);
    const std::vector<double> betas = scheduleFor(m, base, baseP, c);
    AisResult r;
    r.runs = c.runs;
    r.logZBase = baseRateLogPartition(base, m.nHidden());
    r.finalStates.resize(c.runs, m.nVisible());
    auto prepare = [&](Matrix& V, Random& rng) {
        Matrix p = baseP.replicate(V.rows(), 1);
        rng.bernoulli(p, V);
    };
    annealParallel(m, base, betas, r.finalStates, r.logWeights, c.seed, c.threads, c.cancel, c.progress, prepare);
    summarise(r);
    return r;
}

AisResult reverseAis(const Rbm& m, ConstMatrixRef trainData, ConstMatrixRef startData, const AisConfig& c) {
    checkInputs(m, trainData, c, "reverse AIS");
    if (m.hasLabels()) {
        const Matrix start = startData;
        return labelledAis(m, trainData, &start, c);
    }
    if (startData.rows() == 0 || startData.cols() != m.nVisible()) {
        throw Error("reverse AIS: no start data with " + std::to_string(m.nVisible()) + " columns.");
    }
    const Vector base = baseRateVisibleBias(trainData, c.baseRateSmoothing);
    std::vector<double> betas = scheduleFor(m, base, baseProbabilities(base), c);
    std::reverse(betas.begin(), betas.end());
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
    annealParallel(m, base, betas, r.finalStates, r.logWeights, c.seed + 0x7e7e, c.threads, c.cancel, c.progress,
                   prepare);
    summarise(r);
    return r;
}

}  // namespace rbm
