#include "rbm/cd_step_trace.h"

#include <algorithm>
#include <string>

#include "rbm/kernels.h"

// The trainer's stages for a batch of one (trainer.cpp, trainer_layers.cpp,
// trainer_negative_phase.cpp), kept apart from its products only so that the sums before the
// bias (what a person reads in "sigmoid(c_j + sum_i v_i W_ij)") are kept too. With one
// example and one chunk, the trainer's draw for unit r is counterUniform(key, r).
namespace rbm {

namespace {

/// One example as the trainer holds it: a column (units x 1, feature-major).
Matrix column(ConstVectorRef v) { return Matrix(v); }

/// in: nVisible x 1; rows outside [begin, end) must be 0 (the trainer skips them too).
/// input = W^T in, prob = sigmoid(input + c), sampled into `sample` with `key` if given.
void hiddenStage(const Rbm& m, const Matrix& in, Eigen::Index begin, Eigen::Index end, Vector& input, Vector& prob,
                 Vector* sample, std::uint64_t key) {
    const Eigen::Index nh = m.nHidden();
    const Eigen::Index depth = std::max<Eigen::Index>(0, end - begin);
    Matrix out(nh, 1);
    if (depth == 0)
        out.setZero();
    else
        out.block(0, 0, nh, 1).noalias() = m.W.block(begin, 0, depth, nh).transpose() * in.block(begin, 0, depth, 1);
    input = out.col(0);
    Matrix samples(sample ? nh : 0, 1);
    kernels::biasLogisticSample(out.data(), nh, nh, 1, m.hiddenBias.data(), sample ? samples.data() : nullptr, nh, key,
                                0, static_cast<std::uint64_t>(nh));
    prob = out.col(0);
    if (sample) *sample = samples.col(0);
}

/// in: nHidden x 1. input = W in, prob = sigmoid(input + b), sampled as above.
void visibleStage(const Rbm& m, const Matrix& in, Vector& input, Vector& prob, Vector* sample, std::uint64_t key) {
    const Eigen::Index nv = m.nVisible();
    Matrix out(nv, 1);
    out.block(0, 0, nv, 1).noalias() = m.W.middleRows(0, nv) * in.leftCols(1);
    input = out.col(0);
    Matrix samples(sample ? nv : 0, 1);
    kernels::biasLogisticSample(out.data(), nv, nv, 1, m.visibleBias.data(), sample ? samples.data() : nullptr, nv, key,
                                0, static_cast<std::uint64_t>(nv));
    prob = out.col(0);
    if (sample) *sample = samples.col(0);
}

}  // namespace

CdStepOptions CdStepOptions::fromSeed(std::uint64_t seed, Algorithm algorithm, int k) {
    CdStepOptions o;
    o.algorithm = algorithm;
    o.k = k;
    // The two streams of a new Trainer (trainer.cpp's constructor).
    o.rng = Random(seed).state();
    o.chainRng = Random(seed ^ 0x9e3779b97f4a7c15ULL).state();
    return o;
}

CdStepTrace traceCdStep(const Rbm& m, ConstVectorRef v0, const CdStepOptions& o) {
    const Eigen::Index nv = m.nVisible(), nh = m.nHidden();
    if (v0.size() != nv)
        throw Error("the example has " + std::to_string(v0.size()) + " values but the model has " +
                    std::to_string(nv) + " visible units");
    if (o.k < 1) throw Error("a CD step needs at least one Gibbs step, got k = " + std::to_string(o.k));
    if (o.algorithm == Algorithm::PCD && o.chain.size() != 0 && o.chain.size() != nv)
        throw Error("the persistent chain has " + std::to_string(o.chain.size()) + " values but the model has " +
                    std::to_string(nv) + " visible units");
    Random rng, chainRng;
    rng.setState(o.rng);
    chainRng.setState(o.chainRng);

    CdStepTrace t;
    t.algorithm = o.algorithm;
    t.k = o.k;
    t.v0 = v0;
    const Matrix v0Col = column(v0);
    // The data's product skips the pixels that are 0, as the trainer's does (the same sums).
    Eigen::Index begin = nv, end = 0;
    for (Eigen::Index i = 0; i < nv; ++i)
        if (v0(i) != 0.0f) {
            begin = std::min(begin, i);
            end = i + 1;
        }
    if (begin >= end) begin = nv, end = 0;
    const std::uint64_t h0Key = rng.next();
    hiddenStage(m, v0Col, begin, end, t.h0Input, t.h0Prob, &t.h0, h0Key);
    t.h0Uniform.resize(nh);
    for (Eigen::Index j = 0; j < nh; ++j) t.h0Uniform(j) = kernels::counterUniform(h0Key, static_cast<std::uint64_t>(j));
    visibleStage(m, column(t.h0), t.reconInput, t.reconProb, nullptr, 0);

    if (o.algorithm == Algorithm::CD) {
        // Visible states are probabilities; hidden ones sampled, except the last (trainer.h).
        t.chainStart = t.v0;
        t.negDrive = t.h0;
        t.negVisibleInput = t.reconInput;
        t.negVisibleProb = t.reconProb;
        for (int step = 1; step <= o.k; ++step) {
            if (step > 1) visibleStage(m, column(t.negDrive), t.negVisibleInput, t.negVisibleProb, nullptr, 0);
            const bool sample = step < o.k;
            Vector h;
            hiddenStage(m, column(t.negVisibleProb), 0, nv, t.h1Input, t.h1Prob, sample ? &h : nullptr,
                        sample ? rng.next() : 0);
            if (sample) t.negDrive = h;
        }
        t.v1 = t.negVisibleProb;
    } else {
        if (o.chain.size() == nv) {
            t.chainStart = o.chain;
        } else {
            t.chainStart.resize(nv);
            kernels::bernoulliCounter(t.v0.data(), t.chainStart.data(), static_cast<std::size_t>(nv), chainRng.next(), 0);
        }
        // k full sweeps of binary states, then p(h|chain) without a sample.
        Vector chain = t.chainStart, hp, hIn;
        for (int step = 0; step < o.k; ++step) {
            hiddenStage(m, column(chain), 0, nv, hIn, hp, &t.negDrive, chainRng.next());
            visibleStage(m, column(t.negDrive), t.negVisibleInput, t.negVisibleProb, &chain, chainRng.next());
        }
        t.v1 = chain;
        hiddenStage(m, column(t.v1), 0, nv, t.h1Input, t.h1Prob, nullptr, 0);
    }

    // The statistics of a batch of one, in the trainer's order: positive minus negative.
    t.positive.noalias() = t.v0 * t.h0Prob.transpose();
    t.negative.noalias() = t.v1 * t.h1Prob.transpose();
    t.deltaW = t.positive - t.negative;
    t.deltaB = t.v0 - t.v1;
    t.deltaC = t.h0Prob - t.h1Prob;
    t.rngAfter = rng.state();
    t.chainRngAfter = chainRng.state();
    return t;
}

}  // namespace rbm
