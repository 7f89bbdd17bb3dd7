#include "rbm/partition_function.h"

#include <algorithm>
#include <exception>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "rbm/label_units.h"

namespace rbm {
namespace {

using ArrayXXd = Eigen::ArrayXXd;

constexpr Eigen::Index kProductColumns = 512;  // (1,2]^512 < 2^512: no overflow in double

/// Partial log-sum-exp of one chunk: the largest term and sum exp(term - largest).
struct LseChunk {
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0;
};

double combine(const std::vector<LseChunk>& parts) {
    double mx = -std::numeric_limits<double>::infinity();
    for (const LseChunk& p : parts) mx = std::max(mx, p.max);
    if (!std::isfinite(mx)) return mx;
    double s = 0;
    for (const LseChunk& p : parts) {
        if (p.sum > 0) s += p.sum * std::exp(p.max - mx);
    }
    return mx + std::log(s);
}

}  // namespace

void runThreads(int threads, const std::function<void(int)>& task) {
    if (threads <= 1) {
        task(0);
        return;
    }
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            try {
                task(t);
            } catch (...) {
                errors[static_cast<std::size_t>(t)] = std::current_exception();
            }
        });
    }
    for (std::thread& th : pool) th.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

bool canEnumerate(const Rbm& m, int maxUnits) {
    return std::min(m.nVisible(), m.nHidden()) <= maxUnits;
}

double exactLogPartition(const Rbm& m, const ExactOptions& o) {
    if (m.hasLabels()) return labelledLogPartition(m, o);  // a sum over the label slices
    const bool enumerateHidden = m.nHidden() <= m.nVisible();
    const int n = enumerateHidden ? m.nHidden() : m.nVisible();  // enumerated layer
    const int other = enumerateHidden ? m.nVisible() : m.nHidden();
    if (n > o.maxUnits || n > 40) {
        throw Error("exact log Z needs 2^" + std::to_string(n) + " states (smaller layer of " +
                    std::to_string(m.nVisible()) + " x " + std::to_string(m.nHidden()) +
                    "); the limit is 2^" + std::to_string(std::min(o.maxUnits, 40)) +
                    ", so use an AIS estimate instead.");
    }
    if (!m.isFinite()) throw Error("exact log Z: the model has NaN or infinite parameters.");
    if (m.visibleBias.size() != m.nVisible() || m.hiddenBias.size() != m.nHidden()) {
        throw Error("exact log Z: bias sizes do not match the weight matrix.");
    }

    // Enumerated layer: linear bias a (n), couplings Wt (n x other), other layer's bias d.
    const Eigen::MatrixXd Wt = enumerateHidden ? Eigen::MatrixXd(m.W.transpose().cast<double>())
                                               : Eigen::MatrixXd(m.W.cast<double>());
    const Eigen::VectorXd a = (enumerateHidden ? m.hiddenBias : m.visibleBias).cast<double>();
    const Eigen::VectorXd d = (enumerateHidden ? m.visibleBias : m.hiddenBias).cast<double>();

    const int lowBits = std::max(0, std::min(std::min(o.chunkBits, 20), n));
    const int highBits = n - lowBits;
    const Eigen::Index chunkSize = Eigen::Index(1) << lowBits;
    const std::int64_t chunks = std::int64_t(1) << highBits;

    // The states of the low bits, their pre-activations (plus d) and linear terms: shared.
    Eigen::MatrixXd lowStates(chunkSize, lowBits);
    for (Eigen::Index s = 0; s < chunkSize; ++s)
        for (int k = 0; k < lowBits; ++k) lowStates(s, k) = double((s >> k) & 1);
    ArrayXXd lowPre(chunkSize, other);
    Eigen::VectorXd lowLinear(chunkSize);
    if (lowBits > 0) {
        lowPre = (lowStates * Wt.topRows(lowBits)).array();
        lowLinear.noalias() = lowStates * a.head(lowBits);
    } else {
        lowPre.setZero();
        lowLinear.setZero();
    }
    lowPre.rowwise() += d.transpose().array();

    std::vector<LseChunk> parts(static_cast<std::size_t>(chunks));
    auto work = [&](std::int64_t first, std::int64_t last) {
        Eigen::ArrayXd prod(chunkSize);
        Eigen::VectorXd terms(chunkSize);
        Eigen::RowVectorXd offset(other);
        for (std::int64_t chunk = first; chunk < last; ++chunk) {
            if (o.cancel && o.cancel->load(std::memory_order_relaxed)) {
                throw Error("exact log Z: cancelled.");
            }
            if (o.progress) o.progress->add(static_cast<std::uint64_t>(chunkSize) * static_cast<std::uint64_t>(other));
            offset.setZero();
            double offsetLinear = 0;
            for (int k = 0; k < highBits; ++k) {
                if ((chunk >> k) & 1) {
                    offset += Wt.row(lowBits + k);
                    offsetLinear += a(lowBits + k);
                }
            }
            // terms = linear part + sum_j softplus(lowPre_j + offset_j), column by column.
            terms.array() = lowLinear.array() + offsetLinear;
            prod.setOnes();
            for (Eigen::Index j = 0; j < other; ++j) {
                terms.array() += (lowPre.col(j) + offset(j)).max(0.0);
                prod *= 1.0 + (-(lowPre.col(j) + offset(j)).abs()).exp();
                if ((j + 1) % kProductColumns == 0) {
                    terms.array() += prod.log();
                    prod.setOnes();
                }
            }
            terms.array() += prod.log();
            LseChunk r;
            r.max = terms.maxCoeff();
            r.sum = (terms.array() - r.max).exp().sum();
            parts[static_cast<std::size_t>(chunk)] = r;
        }
    };

    const int threads = int(std::max<std::int64_t>(1, std::min<std::int64_t>(o.threads, chunks)));
    runThreads(threads, [&](int t) { work(chunks * t / threads, chunks * (t + 1) / threads); });
    return combine(parts);
}

void addSoftplusRowSums(const Eigen::ArrayXXd& X, double scale, double sign, Eigen::ArrayXd& acc,
                        Eigen::ArrayXd& work) {
    if (work.size() != X.rows()) work.resize(X.rows());
    work.setOnes();
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        acc += sign * (scale * X.col(j)).max(0.0);
        work *= 1.0 + (-(scale * X.col(j)).abs()).exp();
        if ((j + 1) % kProductColumns == 0) {
            acc += sign * work.log();
            work.setOnes();
        }
    }
    acc += sign * work.log();
}

Eigen::VectorXd negativeFreeEnergy(const Rbm& m, ConstMatrixRef V) {
    if (m.hasLabels()) return labelledNegativeFreeEnergy(m, V);
    if (V.cols() != m.nVisible()) {
        throw Error("free energy: data has " + std::to_string(V.cols()) + " columns but the model has " +
                    std::to_string(m.nVisible()) + " visible units.");
    }
    const Eigen::MatrixXd Wd = m.W.cast<double>();
    const Eigen::VectorXd b = m.visibleBias.cast<double>();
    const Eigen::RowVectorXd c = m.hiddenBias.cast<double>().transpose();
    Eigen::VectorXd out(V.rows());
    const Eigen::Index block = 1024;
    Eigen::MatrixXd Vd(std::min<Eigen::Index>(block, V.rows()), V.cols());
    ArrayXXd pre(Vd.rows(), m.nHidden());
    Eigen::ArrayXd acc(Vd.rows()), work(Vd.rows());
    for (Eigen::Index r0 = 0; r0 < V.rows(); r0 += block) {
        const Eigen::Index rows = std::min(block, V.rows() - r0);
        if (rows != Vd.rows()) {
            Vd.resize(rows, V.cols());
            pre.resize(rows, m.nHidden());
            acc.resize(rows);
        }
        Vd = V.middleRows(r0, rows).cast<double>();
        pre.matrix().noalias() = Vd * Wd;
        pre.rowwise() += c.array();
        acc.matrix().noalias() = Vd * b;
        addSoftplusRowSums(pre, 1.0, 1.0, acc, work);
        out.segment(r0, rows) = acc.matrix();
    }
    return out;
}

double meanNegativeFreeEnergy(const Rbm& m, ConstMatrixRef V) {
    if (V.rows() == 0) return 0;
    return negativeFreeEnergy(m, V).mean();
}

double averageLogLikelihood(const Rbm& m, ConstMatrixRef V, double logZ) {
    return meanNegativeFreeEnergy(m, V) - logZ;
}

}  // namespace rbm
