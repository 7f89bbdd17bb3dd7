#include "rbm/label_units.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rbm/dataset.h"

namespace rbm {

namespace {

void requireLabels(const Rbm& m, const char* what) {
    if (!m.hasLabels()) throw Error(std::string(what) + ": the model has no label units.");
}

/// log sum exp of a row, stable for any magnitudes.
double logSumExp(const Eigen::Ref<const Eigen::RowVectorXd>& x) {
    const double top = x.maxCoeff();
    if (!std::isfinite(top)) return top;
    return top + std::log((x.array() - top).exp().sum());
}

}  // namespace

void addLabelUnits(Rbm& m, int nLabels) {
    if (nLabels < 2) throw Error("label units need at least 2 labels, got " + std::to_string(nLabels) + ".");
    m.labelWeights = Matrix::Zero(nLabels, m.nHidden());
    m.labelBias = Vector::Zero(nLabels);
}

int labelCountOf(const Dataset& d) {
    if (!d.hasLabels() || d.labels.size() != d.count)
        throw Error("label units need a label for every image, but " + (d.name.empty() ? d.source : d.name) +
                    " has no labels (IDX data needs its labels file beside the images).");
    const int top = *std::max_element(d.labels.begin(), d.labels.end());
    return std::max(2, top + 1);
}

Matrix oneHotRows(const std::vector<int>& labels, int nLabels) {
    Matrix out = Matrix::Zero(static_cast<Eigen::Index>(labels.size()), nLabels);
    for (std::size_t r = 0; r < labels.size(); ++r) {
        if (labels[r] < 0 || labels[r] >= nLabels)
            throw Error("label " + std::to_string(labels[r]) + " is outside 0.." + std::to_string(nLabels - 1) + ".");
        out(static_cast<Eigen::Index>(r), labels[r]) = 1.0f;
    }
    return out;
}

void hiddenProbabilitiesGivenLabels(const Rbm& m, ConstMatrixRef V, ConstMatrixRef Y, MatrixRef out, float beta) {
    requireLabels(m, "p(h|v,y)");
    out.noalias() = V * m.W;
    out.noalias() += Y * m.labelWeights;
    out.rowwise() += m.hiddenBias.transpose();
    if (beta != 1.0f) out *= beta;
    sigmoidInPlace(out);
}

void labelProbabilities(const Rbm& m, ConstMatrixRef H, MatrixRef out, float beta) {
    requireLabels(m, "p(y|h)");
    out.noalias() = H * m.labelWeights.transpose();
    out.rowwise() += m.labelBias.transpose();
    if (beta != 1.0f) out *= beta;
    // Softmax per row, shifted by the row's maximum so that no exponential overflows.
    const Eigen::VectorXf top = out.rowwise().maxCoeff();
    out.colwise() -= top;
    out = out.array().exp().matrix();
    const Eigen::VectorXf total = out.rowwise().sum();
    out.array().colwise() /= total.array();
}

void sampleOneHot(ConstMatrixRef P, MatrixRef out, Random& rng) {
    out.setZero();
    for (Eigen::Index r = 0; r < P.rows(); ++r) {
        const double u = rng.uniformDouble() * static_cast<double>(P.row(r).sum());
        double cumulative = 0;
        Eigen::Index pick = P.cols() - 1;
        for (Eigen::Index k = 0; k < P.cols(); ++k) {
            cumulative += static_cast<double>(P(r, k));
            if (u < cumulative) {
                pick = k;
                break;
            }
        }
        out(r, pick) = 1.0f;
    }
}

Eigen::MatrixXd labelFreeEnergies(const Rbm& m, ConstMatrixRef V) {
    requireLabels(m, "label free energies");
    if (V.cols() != m.nVisible())
        throw Error("free energy: data has " + std::to_string(V.cols()) + " columns but the model has " +
                    std::to_string(m.nVisible()) + " visible units.");
    const Eigen::MatrixXd Wd = m.W.cast<double>();
    const Eigen::MatrixXd Ud = m.labelWeights.cast<double>();
    const Eigen::VectorXd b = m.visibleBias.cast<double>();
    const Eigen::RowVectorXd c = m.hiddenBias.cast<double>().transpose();
    const int nL = m.nLabels();
    Eigen::MatrixXd out(V.rows(), nL);
    // Blocks of rows: V W is computed once per block and shared by every label.
    const Eigen::Index block = 1024;
    for (Eigen::Index r0 = 0; r0 < V.rows(); r0 += block) {
        const Eigen::Index rows = std::min(block, V.rows() - r0);
        const Eigen::MatrixXd Vd = V.middleRows(r0, rows).cast<double>();
        Eigen::ArrayXXd base(rows, m.nHidden());
        base.matrix().noalias() = Vd * Wd;
        base.rowwise() += c.array();
        const Eigen::VectorXd vb = Vd * b;
        Eigen::ArrayXXd pre(rows, m.nHidden());
        Eigen::ArrayXd acc(rows), work(rows);
        for (int y = 0; y < nL; ++y) {
            pre = base;
            pre.rowwise() += Ud.row(y).array();
            acc = vb.array() + static_cast<double>(m.labelBias(y));
            addSoftplusRowSums(pre, 1.0, 1.0, acc, work);
            out.block(r0, y, rows, 1) = -acc.matrix();
        }
    }
    return out;
}

Eigen::MatrixXd labelPosterior(const Rbm& m, ConstMatrixRef V) {
    Eigen::MatrixXd p = -labelFreeEnergies(m, V);
    for (Eigen::Index r = 0; r < p.rows(); ++r) {
        const double lse = logSumExp(p.row(r));
        p.row(r) = (p.row(r).array() - lse).exp().matrix();
    }
    return p;
}

Eigen::VectorXd labelledNegativeFreeEnergy(const Rbm& m, ConstMatrixRef V) {
    const Eigen::MatrixXd negF = -labelFreeEnergies(m, V);
    Eigen::VectorXd out(negF.rows());
    for (Eigen::Index r = 0; r < negF.rows(); ++r) out(r) = logSumExp(negF.row(r));
    return out;
}

double labelledEnergy(const Rbm& m, ConstVectorRef v, int y, ConstVectorRef h) {
    requireLabels(m, "labelled energy");
    const Eigen::VectorXd hd = h.cast<double>();
    return energy(m, v, h) - static_cast<double>(m.labelBias(y)) - m.labelWeights.row(y).cast<double>().dot(hd.transpose());
}

Rbm labelSlice(const Rbm& m, int y) {
    requireLabels(m, "label slice");
    Rbm s;
    s.W = m.W;
    s.visibleBias = m.visibleBias;
    s.hiddenBias = m.hiddenBias + m.labelWeights.row(y).transpose();
    s.imageRows = m.imageRows;
    s.imageCols = m.imageCols;
    return s;
}

double labelledLogPartition(const Rbm& m, const ExactOptions& o) {
    requireLabels(m, "labelled log Z");
    Eigen::RowVectorXd terms(m.nLabels());
    for (int y = 0; y < m.nLabels(); ++y)
        terms(y) = static_cast<double>(m.labelBias(y)) + exactLogPartition(labelSlice(m, y), o);
    return logSumExp(terms);
}

AisResult labelledAis(const Rbm& m, ConstMatrixRef trainData, const Matrix* startData, const AisConfig& c) {
    requireLabels(m, "labelled AIS");
    const int nL = m.nLabels();
    std::vector<AisResult> parts;
    parts.reserve(static_cast<std::size_t>(nL));
    Eigen::RowVectorXd terms(nL), low(nL), high(nL), bases(nL);
    for (int y = 0; y < nL; ++y) {
        AisConfig cy = c;
        cy.seed = c.seed + std::uint64_t{0x9e3779b97f4a7c15} * static_cast<std::uint64_t>(y + 1);  // independent slices
        const Rbm slice = labelSlice(m, y);
        parts.push_back(startData ? reverseAis(slice, trainData, *startData, cy) : forwardAis(slice, trainData, cy));
        const double d = static_cast<double>(m.labelBias(y));
        terms(y) = d + parts.back().logZ;
        low(y) = d + parts.back().logZLow;
        high(y) = d + parts.back().logZHigh;
        bases(y) = d + parts.back().logZBase;
    }
    AisResult r;
    r.reverse = startData != nullptr;
    r.logZ = logSumExp(terms);
    r.logZLow = logSumExp(low);
    r.logZHigh = logSumExp(high);
    r.logZBase = logSumExp(bases);
    double variance = 0;
    Eigen::Index states = 0, weights = 0;
    for (int y = 0; y < nL; ++y) {
        const AisResult& p = parts[static_cast<std::size_t>(y)];
        // d log Z = sum_y w_y d log Z_y with w_y = Z_y e^{d_y} / Z; the slices are independent.
        const double w = std::exp(terms(y) - r.logZ);
        variance += w * w * p.stdErr * p.stdErr;
        r.ess += p.ess;
        r.runs += p.runs;
        states += p.finalStates.rows();
        weights += p.logWeights.size();
    }
    r.stdErr = std::sqrt(variance);
    r.finalStates.resize(states, m.nVisible());
    r.logWeights.resize(weights);
    states = weights = 0;
    for (const AisResult& p : parts) {
        r.finalStates.middleRows(states, p.finalStates.rows()) = p.finalStates;
        r.logWeights.segment(weights, p.logWeights.size()) = p.logWeights;
        states += p.finalStates.rows();
        weights += p.logWeights.size();
    }
    return r;
}

}  // namespace rbm
