#include "rbm/checkpoint_labels.h"

#include <cmath>
#include <cstring>

namespace rbm {

namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::size_t sz(Eigen::Index i) { return static_cast<std::size_t>(i); }

NpyArray matrixArray(const std::string& name, const Matrix& m) {
    const RowMajorMatrix rm = m;
    return NpyArray::fromFloats(name, rm.data(), {sz(m.rows()), sz(m.cols())});
}

/// A flat (column-major) moment of U, written with U's shape in C order like U.
NpyArray momentArray(const std::string& name, const Vector& v, Eigen::Index rows, Eigen::Index cols) {
    return matrixArray(name, Eigen::Map<const Matrix>(v.data(), rows, cols));
}

/// float32, or numpy's default float64 (np.savez of a model made in Python).
std::vector<float> floatsOf(const NpyArray& a) {
    if (a.dtype == "<f4") return a.toFloats();
    if (a.dtype != "<f8")
        throw Error("'" + a.name + "' has dtype '" + a.dtype + "', expected float32 ('<f4') or float64 ('<f8')");
    std::vector<float> out(a.elementCount());
    for (std::size_t i = 0; i < out.size(); ++i) {
        double d = 0;
        std::memcpy(&d, a.data.data() + 8 * i, 8);
        out[i] = static_cast<float>(d);  // out of range: infinite, refused as non-finite
    }
    return out;
}

Matrix matrixFrom(const NpyArray& a, std::size_t rows, std::size_t cols) {
    if (a.shape != std::vector<std::size_t>{rows, cols})
        throw Error("'" + a.name + "' has shape " + shapeText(a.shape) + ", expected " + shapeText({rows, cols}));
    const std::vector<float> v = floatsOf(a);
    return Eigen::Map<const RowMajorMatrix>(v.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
}

void requireFinite(const std::string& name, const float* p, Eigen::Index n) {
    for (Eigen::Index i = 0; i < n; ++i)
        if (!std::isfinite(p[i])) throw Error(name + " holds NaN or infinite values");
}

const char* const kGroups[2] = {"label_weights", "label_bias"};
std::string momentName(int group, int moment) {
    return std::string(moment == 0 ? "opt_first_" : "opt_second_") + kGroups[group];
}
Vector& momentOf(OptimizerState& o, int group, int moment) {
    return (moment == 0 ? o.first : o.second)[static_cast<std::size_t>(group)];
}

}  // namespace

void appendLabelArrays(std::vector<NpyArray>& arrays, const Rbm& m, const TrainerState* state) {
    if (!m.hasLabels()) return;
    arrays.push_back(matrixArray("label_weights", m.labelWeights));
    arrays.push_back(matrixArray("label_bias", m.labelBias));
    arrays.back().shape = {sz(m.labelBias.size())};  // 1-d, as numpy users expect of a bias
    if (!state) return;
    if (state->persistentLabels.size() != 0) arrays.push_back(matrixArray("persistent_labels", state->persistentLabels));
    OptimizerState o = state->labelOptimizer;
    for (int g = 0; g < 2; ++g)
        for (int moment = 0; moment < 2; ++moment) {
            const Vector& v = momentOf(o, g, moment);
            if (v.size() == 0) continue;
            arrays.push_back(g == 0 ? momentArray(momentName(g, moment), v, m.labelWeights.rows(), m.labelWeights.cols())
                                    : matrixArray(momentName(g, moment), v));
            if (g == 1) arrays.back().shape = {sz(v.size())};
        }
}

void readLabelArrays(const FindArray& find, Rbm& m) {
    const NpyArray* u = find("label_weights");
    const NpyArray* d = find("label_bias");
    if (!u && !d) return;
    if (!u || !d) throw Error(std::string("it has '") + (u ? "label_weights" : "label_bias") + "' without '" +
                              (u ? "label_bias" : "label_weights") + "'");
    if (u->shape.size() != 2 || u->shape[0] < 2 || u->shape[0] > 65536)
        throw Error("'label_weights' has shape " + shapeText(u->shape) + ", expected (labels, " +
                    std::to_string(m.nHidden()) + ") with at least 2 labels");
    const std::size_t nL = u->shape[0];
    m.labelWeights = matrixFrom(*u, nL, sz(m.nHidden()));
    if (d->shape != std::vector<std::size_t>{nL})
        throw Error("'label_bias' has shape " + shapeText(d->shape) + ", expected (" + std::to_string(nL) + ",)");
    const std::vector<float> bias = floatsOf(*d);
    m.labelBias = Eigen::Map<const Vector>(bias.data(), static_cast<Eigen::Index>(nL));
    validateLabels(m, nullptr);
}

void readLabelState(const FindArray& find, const Rbm& m, TrainerState& s) {
    if (!m.hasLabels()) return;
    const std::size_t nL = sz(m.nLabels());
    if (const NpyArray* chains = find("persistent_labels")) {
        if (chains->shape.size() != 2 || chains->shape[1] != nL)
            throw Error("'persistent_labels' has shape " + shapeText(chains->shape) + ", expected (chains, " +
                        std::to_string(nL) + ")");
        if (chains->shape[0] > 0) s.persistentLabels = matrixFrom(*chains, chains->shape[0], nL);
    }
    for (int g = 0; g < 2; ++g)
        for (int moment = 0; moment < 2; ++moment) {
            const NpyArray* a = find(momentName(g, moment));
            if (!a) continue;
            if (g == 1 && a->shape != std::vector<std::size_t>{nL})
                throw Error("'" + a->name + "' has shape " + shapeText(a->shape) + ", expected (" + std::to_string(nL) + ",)");
            const Matrix values = g == 0 ? matrixFrom(*a, nL, sz(m.nHidden())) : Matrix(Eigen::Map<const Vector>(floatsOf(*a).data(), static_cast<Eigen::Index>(nL)));
            momentOf(s.labelOptimizer, g, moment) = Eigen::Map<const Vector>(values.data(), values.size());
        }
    validateLabels(m, &s);
}

void validateLabels(const Rbm& m, const TrainerState* s) {
    if (m.labelBias.size() != m.labelWeights.rows())
        throw Error("label_bias has " + std::to_string(m.labelBias.size()) + " entries but label_weights has " +
                    std::to_string(m.labelWeights.rows()) + " rows");
    if (m.hasLabels() && m.labelWeights.cols() != m.W.cols())
        throw Error("label_weights has " + std::to_string(m.labelWeights.cols()) + " columns but W has " +
                    std::to_string(m.W.cols()));
    requireFinite("label_weights", m.labelWeights.data(), m.labelWeights.size());
    requireFinite("label_bias", m.labelBias.data(), m.labelBias.size());
    if (!s) return;
    const Eigen::Index sizes[2] = {m.labelWeights.size(), m.labelBias.size()};
    OptimizerState o = s->labelOptimizer;
    for (int g = 0; g < 2; ++g)
        for (int moment = 0; moment < 2; ++moment) {
            const Vector& v = momentOf(o, g, moment);
            if (v.size() != 0 && v.size() != sizes[g])
                throw Error(momentName(g, moment) + " has " + std::to_string(v.size()) + " entries but " + kGroups[g] +
                            " has " + std::to_string(sizes[g]));
            requireFinite(momentName(g, moment), v.data(), v.size());
        }
    if (s->persistentLabels.size() != 0 && s->persistentLabels.cols() != m.labelWeights.rows())
        throw Error("persistent_labels has " + std::to_string(s->persistentLabels.cols()) + " columns but the model has " +
                    std::to_string(m.labelWeights.rows()) + " label units");
    requireFinite("persistent_labels", s->persistentLabels.data(), s->persistentLabels.size());
}

}  // namespace rbm
