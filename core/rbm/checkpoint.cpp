#include "rbm/checkpoint.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "rbm/checkpoint_labels.h"
#include "rbm/checkpoint_metrics.h"
#include "rbm/json.h"
#include "rbm/npz.h"
#include "rbm/trainer.h"

namespace rbm {

namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr const char* kFormat = "rbm-studio-checkpoint";
constexpr int kVersion = 1;
constexpr std::size_t kCounterCount = 5;  // TrainerCounters, in declaration order
const char* const kGroupNames[GroupCount] = {"W", "visible_bias", "hidden_bias"};

/// Moment `which` (0: first, 1: second) of parameter group `g`, and its array's name.
template <class State>
auto& momentOf(State& o, int g, int which) { return (which == 0 ? o.first : o.second)[static_cast<std::size_t>(g)]; }
std::string momentName(int g, int moment) {
    return std::string(moment == 0 ? "opt_first_" : "opt_second_") + kGroupNames[g];
}

/// A reason without the file name; loadCheckpoint / saveCheckpoint make the sentence.
struct Problem {
    std::string reason;
};
[[noreturn]] void problem(std::string reason) { throw Problem{std::move(reason)}; }
/// f(), its Error (the reason of a part read in another file) made a Problem like the others.
template <class F>
auto asProblem(F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        problem(e.what());
    }
}

std::size_t sz(Eigen::Index i) { return static_cast<std::size_t>(i); }

// ---------------------------------------------------------------- writing helpers

NpyArray matrixArray(const std::string& name, const Matrix& m) {
    const RowMajorMatrix rm = m;
    return NpyArray::fromFloats(name, rm.data(), {sz(m.rows()), sz(m.cols())});
}

NpyArray vectorArray(const std::string& name, const Vector& v) {
    return NpyArray::fromFloats(name, v.data(), {sz(v.size())});
}

/// A flat column-major moment of W, written with W's shape in C order.
NpyArray weightMomentArray(const std::string& name, const Vector& v, Eigen::Index rows, Eigen::Index cols) {
    const Eigen::Map<const Matrix> m(v.data(), rows, cols);
    const RowMajorMatrix rm = m;
    return NpyArray::fromFloats(name, rm.data(), {sz(rows), sz(cols)});
}

Json metaOf(const Checkpoint& c) {
    Json j = Json::object();
    j.set("format", kFormat);
    j.set("version", kVersion);
    j.set("nVisible", c.model.nVisible());
    j.set("nHidden", c.model.nHidden());
    j.set("nLabels", c.model.nLabels());
    j.set("imageRows", c.model.imageRows);
    j.set("imageCols", c.model.imageCols);
    j.set("datasetName", c.datasetName);
    j.set("hasState", c.state.has_value());
    const std::int64_t epoch = c.state ? c.state->counters.epoch : (c.metrics ? c.metrics->epoch : 0);
    j.set("epoch", epoch);
    if (c.metrics) j.set("metrics", metricsToJson(*c.metrics));
    return j;
}

// ---------------------------------------------------------------- validation (shared by save and load)

bool allFinite(const float* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(p[i])) return false;
    return true;
}

void validateModel(const Rbm& m) {
    // fuzz: image size overflow - the sizes come from the file's meta (up to 1e9 each), so
    // their product is taken in 64 bits only (100000 x 100000 overflowed int).
    if (m.W.rows() < 1 || m.W.cols() < 1)
        problem("W has shape (" + std::to_string(m.W.rows()) + ", " + std::to_string(m.W.cols()) + "), expected at least one visible and one hidden unit");
    if (m.visibleBias.size() != m.W.rows())
        problem("visible_bias has " + std::to_string(m.visibleBias.size()) + " entries but W has " +
                std::to_string(m.W.rows()) + " rows");
    if (m.hiddenBias.size() != m.W.cols())
        problem("hidden_bias has " + std::to_string(m.hiddenBias.size()) + " entries but W has " +
                std::to_string(m.W.cols()) + " columns");
    if (!allFinite(m.W.data(), sz(m.W.size()))) problem("W holds NaN or infinite values");
    if (!allFinite(m.visibleBias.data(), sz(m.visibleBias.size()))) problem("visible_bias holds NaN or infinite values");
    if (!allFinite(m.hiddenBias.data(), sz(m.hiddenBias.size()))) problem("hidden_bias holds NaN or infinite values");
    if (m.imageRows < 0 || m.imageCols < 0 ||
        (m.imageRows != 0 && m.imageCols != 0 && static_cast<long long>(m.imageRows) * m.imageCols != m.W.rows()))
        problem("the image size " + std::to_string(m.imageRows) + " x " + std::to_string(m.imageCols) +
                " does not match the " + std::to_string(m.W.rows()) + " visible units");
    asProblem([&] { validateLabels(m, nullptr); });
}

void validateState(const TrainerState& s, const Rbm& m) {
    const TrainerCounters& c = s.counters;
    if (c.epoch < 0 || c.batchInEpoch < 0 || c.positionInEpoch < 0 || c.totalBatches < 0 || c.samplesSeen < 0)
        problem("its counters are negative");
    const Eigen::Index groupSize[GroupCount] = {m.W.size(), m.visibleBias.size(), m.hiddenBias.size()};
    for (int g = 0; g < GroupCount; ++g) {
        for (int moment = 0; moment < 2; ++moment) {
            const Vector& v = momentOf(s.optimizer, g, moment);
            const std::string name = momentName(g, moment);
            if (v.size() != 0 && v.size() != groupSize[g])
                problem(name + " has " + std::to_string(v.size()) + " entries but " + kGroupNames[g] + " has " +
                        std::to_string(groupSize[g]));
            if (!allFinite(v.data(), sz(v.size()))) problem(name + " holds NaN or infinite values");
        }
    }
    if (s.optimizer.steps < 0) problem("opt_steps is negative");
    if (s.persistentChains.size() != 0 && s.persistentChains.cols() != m.W.rows())
        problem("persistent_chains has " + std::to_string(s.persistentChains.cols()) + " columns but the model has " +
                std::to_string(m.W.rows()) + " visible units");
    if (!allFinite(s.persistentChains.data(), sz(s.persistentChains.size())))
        problem("persistent_chains holds NaN or infinite values");
    for (const UnitVectorField& f : kUnitVectorFields) {
        const Eigen::Index units = f.hidden ? m.W.cols() : m.W.rows(), size = (s.*f.field).size();
        if (size != 0 && size != units)
            problem(std::string(f.name) + " has " + std::to_string(size) + " entries but the model has " +
                    std::to_string(units) + (f.hidden ? " hidden units" : " visible units"));
        if (!allFinite((s.*f.field).data(), sz(size))) problem(std::string(f.name) + " holds NaN or infinite values");
    }
    asProblem([&] { validateLabels(m, &s); });
    // order is this epoch's permutation of the training examples
    std::vector<bool> seen(s.order.size(), false);
    for (const int i : s.order) {
        if (i < 0 || static_cast<std::size_t>(i) >= s.order.size() || seen[static_cast<std::size_t>(i)])
            problem("order is not a permutation of 0.." + std::to_string(s.order.size()) + "-1");
        seen[static_cast<std::size_t>(i)] = true;
    }
    if (c.positionInEpoch > static_cast<std::int64_t>(s.order.size()))
        problem("its position in the epoch (" + std::to_string(c.positionInEpoch) + ") is past the end of 'order' (" +
                std::to_string(s.order.size()) + " examples)");
}

// ---------------------------------------------------------------- reading helpers

class Arrays {
public:
    /// An entry is inflated when first asked for: entries no checkpoint uses cost nothing.
    explicit Arrays(NpzReader& archive) : archive_(&archive) {}
    const NpyArray* find(const std::string& name) const { return archive_->find(name); }
    const NpyArray& need(const std::string& name, const char* why) const {
        const NpyArray* a = find(name);
        if (!a) problem(std::string(why) + ": missing '" + name + "'");
        return *a;
    }

private:
    NpzReader* archive_;
};

void expectShape(const NpyArray& a, const std::vector<std::size_t>& shape) {
    if (a.shape != shape) problem("'" + a.name + "' has shape " + shapeText(a.shape) + ", expected " + shapeText(shape));
}

void expectDtype(const NpyArray& a, const char* dtype) {
    if (a.dtype != dtype) problem("'" + a.name + "' has dtype '" + a.dtype + "', expected '" + dtype + "'");
}

/// float32 values of a model array; float64 (numpy's default) is converted.
std::vector<float> floatsOf(const NpyArray& a) {
    if (a.dtype == "<f4") return a.toFloats();
    if (a.dtype == "<f8") {
        const std::size_t n = a.elementCount();
        std::vector<float> out(n);
        for (std::size_t i = 0; i < n; ++i) {
            double d = 0;
            std::memcpy(&d, a.data.data() + 8 * i, 8);
            // out-of-range doubles become infinities, refused later as non-finite
            out[i] = std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max())
                         ? (d > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity())
                         : static_cast<float>(d);
        }
        return out;
    }
    problem("'" + a.name + "' has dtype '" + a.dtype + "', expected float32 ('<f4') or float64 ('<f8')");
}

Matrix matrixFrom(const NpyArray& a, std::size_t rows, std::size_t cols) {
    expectShape(a, {rows, cols});
    const std::vector<float> v = floatsOf(a);
    const Eigen::Map<const RowMajorMatrix> rm(v.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    return Matrix(rm);
}

Vector vectorFrom(const NpyArray& a, std::size_t n) {
    expectShape(a, {n});
    const std::vector<float> v = floatsOf(a);
    return Eigen::Map<const Vector>(v.data(), static_cast<Eigen::Index>(n));
}

Json jsonString(const NpyArray& a) {
    std::string text;
    try {
        text = a.toString();
        return Json::parse(text);
    } catch (const Error& e) {
        problem("'" + a.name + "' is not a JSON string (" + e.what() + ")");
    }
}

/// Checks meta's format and version; returns it (a null Json if there is no meta).
Json checkedMeta(const Arrays& arrays) {
    const NpyArray* metaArray = arrays.find("meta");
    if (!metaArray) return Json();
    const Json meta = jsonString(*metaArray);
    if (!meta.isObject()) problem("'meta' is not a JSON object");
    const Json& format = meta["format"];
    if (!format.isString() || format.string() != kFormat)
        problem("not an RBM Studio checkpoint (its meta format is " + format.dump() + ")");
    const Json& version = meta["version"];
    if (!version.isNumber()) problem("'meta' has no format version");
    if (version.number() > kVersion)
        problem("it was written by a newer RBM Studio (checkpoint format version " + version.dump() +
                "; this one reads version " + std::to_string(kVersion) + ")");
    return meta;
}

int metaInt(const Json& meta, const char* key) {
    const Json& v = meta[key];
    if (v.isNull()) return 0;
    if (!v.isNumber() || v.number() != std::floor(v.number()) || v.number() < 0 || v.number() > 1e9)
        problem(std::string("meta '") + key + "' is not a non-negative integer");
    return static_cast<int>(v.number());
}

Checkpoint build(const Arrays& arrays) {
    const NpyArray& wArray = arrays.need("W", "not an RBM Studio checkpoint");
    const Json meta = checkedMeta(arrays);
    if (wArray.shape.size() != 2) problem("'W' has shape " + shapeText(wArray.shape) + ", expected 2 dimensions");
    const std::size_t nV = wArray.shape[0], nH = wArray.shape[1];
    if (nV < 1 || nH < 1 || nV > 100000000 || nH > 100000000) problem("'W' has an unusable shape " + shapeText(wArray.shape));

    Checkpoint c;
    c.model.W = matrixFrom(wArray, nV, nH);
    c.model.visibleBias = vectorFrom(arrays.need("visible_bias", "incomplete model"), nV);
    c.model.hiddenBias = vectorFrom(arrays.need("hidden_bias", "incomplete model"), nH);

    if (meta.isObject()) {
        c.model.imageRows = metaInt(meta, "imageRows");
        c.model.imageCols = metaInt(meta, "imageCols");
        if (meta["datasetName"].isString()) c.datasetName = meta["datasetName"].string();
        if (meta.has("metrics") && !meta["metrics"].isNull()) c.metrics = asProblem([&] { return metricsFromJson(meta["metrics"]); });
    } else {
        const auto side = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(nV))));
        if (side * side == nV) c.model.imageRows = c.model.imageCols = static_cast<int>(side);
    }
    const FindArray find = [&](const std::string& name) { return arrays.find(name); };
    asProblem([&] { readLabelArrays(find, c.model); });
    validateModel(c.model);

    if (const NpyArray* configArray = arrays.find("config")) {
        std::string text;
        try {
            text = configArray->toString();
            c.config = trainingConfigFromJson(text);
        } catch (const Error& e) {
            problem(std::string("its configuration cannot be read (") + e.what() + ")");
        }
        if (c.config.hidden != static_cast<int>(nH))
            problem("its configuration says " + std::to_string(c.config.hidden) + " hidden units but W has " +
                    std::to_string(nH) + " columns");
    } else {
        c.config.hidden = static_cast<int>(nH);
    }
    c.config.labels = c.model.hasLabels();  // the arrays are the model's structure

    const NpyArray* countersArray = arrays.find("counters");
    if (!countersArray) return c;  // a model-only file

    const char* const incomplete = "incomplete training state";
    TrainerState s;
    expectDtype(*countersArray, "<i8");
    expectShape(*countersArray, {kCounterCount});
    const std::vector<std::int64_t> counters = countersArray->toInt64();
    s.counters.epoch = counters[0];
    s.counters.batchInEpoch = counters[1];
    s.counters.positionInEpoch = counters[2];
    s.counters.totalBatches = counters[3];
    s.counters.samplesSeen = counters[4];

    for (const char* name : {"rng", "chain_rng"}) {
        const NpyArray& a = arrays.need(name, incomplete);
        expectDtype(a, "<u8");
        expectShape(a, {4});
        const std::vector<std::uint64_t> words = a.toUint64();
        Random::State& st = std::string(name) == "rng" ? s.rng : s.chainRng;
        for (std::size_t i = 0; i < 4; ++i) st[i] = words[i];
    }

    const NpyArray& order = arrays.need("order", incomplete);
    expectDtype(order, "<i4");
    if (order.shape.size() != 1) problem("'order' has shape " + shapeText(order.shape) + ", expected 1 dimension");
    const std::vector<std::int32_t> ord = order.toInt32();
    s.order.assign(ord.begin(), ord.end());

    const NpyArray& steps = arrays.need("opt_steps", incomplete);
    expectDtype(steps, "<i8");
    expectShape(steps, {});
    s.optimizer.steps = steps.toInt64()[0];

    for (int g = 0; g < GroupCount; ++g) {
        for (int moment = 0; moment < 2; ++moment) {
            const std::string name = momentName(g, moment);
            const NpyArray* a = arrays.find(name);
            if (!a) continue;
            expectDtype(*a, "<f4");
            Vector& v = momentOf(s.optimizer, g, moment);
            if (g == GroupWeights) {
                const Matrix m = matrixFrom(*a, nV, nH);
                v = Eigen::Map<const Vector>(m.data(), m.size());
            } else {
                v = vectorFrom(*a, g == GroupVisibleBias ? nV : nH);
            }
        }
    }

    if (const NpyArray* chains = arrays.find("persistent_chains")) {
        expectDtype(*chains, "<f4");
        if (chains->shape.size() != 2 || chains->shape[1] != nV)
            problem("'persistent_chains' has shape " + shapeText(chains->shape) + ", expected (chains, " + std::to_string(nV) + ")");
        // zero chains load as an empty matrix, as saveCheckpoint writes none then
        if (chains->shape[0] > 0) s.persistentChains = matrixFrom(*chains, chains->shape[0], nV);
    }
    for (const UnitVectorField& f : kUnitVectorFields)
        if (const NpyArray* a = arrays.find(f.name)) expectDtype(*a, "<f4"), s.*f.field = vectorFrom(*a, f.hidden ? nH : nV);
    asProblem([&] { readLabelState(find, c.model, s); });
    validateState(s, c.model);
    c.state = std::move(s);
    return c;
}

}  // namespace

void saveCheckpoint(const std::string& path, const Checkpoint& c) {
    std::vector<NpyArray> arrays;
    try {
        validateModel(c.model);
        if (c.state) validateState(*c.state, c.model);
    } catch (const Problem& p) {
        throw Error("Cannot save checkpoint '" + path + "': " + p.reason + ".");
    }
    const Rbm& m = c.model;
    arrays.push_back(matrixArray("W", m.W));
    arrays.push_back(vectorArray("visible_bias", m.visibleBias));
    arrays.push_back(vectorArray("hidden_bias", m.hiddenBias));
    appendLabelArrays(arrays, m, c.state ? &*c.state : nullptr);
    arrays.push_back(NpyArray::fromString("config", toJson(c.config)));
    arrays.push_back(NpyArray::fromString("meta", metaOf(c).dump(2)));
    if (c.state) {
        const TrainerState& s = *c.state;
        const std::int64_t counters[kCounterCount] = {s.counters.epoch, s.counters.batchInEpoch,
                                                      s.counters.positionInEpoch, s.counters.totalBatches,
                                                      s.counters.samplesSeen};
        arrays.push_back(NpyArray::fromInt64("counters", counters, {kCounterCount}));
        arrays.push_back(NpyArray::fromUint64("rng", s.rng.data(), {4}));
        arrays.push_back(NpyArray::fromUint64("chain_rng", s.chainRng.data(), {4}));
        const std::vector<std::int32_t> order(s.order.begin(), s.order.end());
        arrays.push_back(NpyArray::fromInt32("order", order.data(), {order.size()}));
        arrays.push_back(NpyArray::fromInt64("opt_steps", &s.optimizer.steps, {}));
        for (int g = 0; g < GroupCount; ++g) {
            for (int moment = 0; moment < 2; ++moment) {
                const Vector& v = momentOf(s.optimizer, g, moment);
                if (v.size() == 0) continue;
                const std::string name = momentName(g, moment);
                arrays.push_back(g == GroupWeights ? weightMomentArray(name, v, m.W.rows(), m.W.cols())
                                                   : vectorArray(name, v));
            }
        }
        if (s.persistentChains.size() != 0) arrays.push_back(matrixArray("persistent_chains", s.persistentChains));
        for (const UnitVectorField& f : kUnitVectorFields)
            if ((s.*f.field).size() != 0) arrays.push_back(vectorArray(f.name, s.*f.field));
    }
    writeNpz(path, arrays);
}

Checkpoint loadCheckpoint(const std::string& path) {
    NpzReader archive(path);  // throws Error naming the file
    try {
        return build(Arrays(archive));
    } catch (const FileError&) {
        throw;  // a damaged entry: names the file already
    } catch (const Problem& p) {
        throw Error("Cannot load checkpoint '" + path + "': " + p.reason + ".");
    } catch (const Error& e) {
        throw Error("Cannot load checkpoint '" + path + "': " + e.what());
    }
}

CheckpointInfo readCheckpointInfo(const std::string& path) {
    NpzReader archive(path);  // throws Error naming the file
    try {
        const Arrays arrays(archive);
        if (!arrays.find("meta")) problem("it has no 'meta' entry (not an RBM Studio checkpoint)");
        const Json meta = checkedMeta(arrays);
        CheckpointInfo info;
        info.nVisible = metaInt(meta, "nVisible");
        info.nHidden = metaInt(meta, "nHidden");
        info.nLabels = metaInt(meta, "nLabels");
        info.imageRows = metaInt(meta, "imageRows");
        info.imageCols = metaInt(meta, "imageCols");
        if (meta["datasetName"].isString()) info.datasetName = meta["datasetName"].string();
        if (meta["hasState"].isBool()) info.hasState = meta["hasState"].boolean();
        if (meta.has("metrics") && !meta["metrics"].isNull()) info.metrics = asProblem([&] { return metricsFromJson(meta["metrics"]); });
        const Json& epoch = meta["epoch"];
        if (epoch.isNumber() && epoch.number() >= 0 && epoch.number() == std::floor(epoch.number()))
            info.epoch = static_cast<std::int64_t>(epoch.number());
        else if (info.metrics && info.metrics->epoch >= 0)
            info.epoch = info.metrics->epoch;
        return info;
    } catch (const Problem& p) {
        throw Error("Cannot read checkpoint '" + path + "': " + p.reason + ".");
    }
}

Checkpoint checkpointOf(const Trainer& t, const std::optional<EpochMetrics>& metrics) {
    Checkpoint c;
    c.model = t.model();
    c.state = t.state();
    c.config = t.config();
    c.metrics = metrics;
    c.datasetName = t.trainData().name;
    return c;
}

}  // namespace rbm
