#include "rbm/training_config.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "rbm/json.h"
#include "rbm/types.h"

namespace rbm {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string fmt(double v) { return Json::formatNumber(v); }

}  // namespace

// ---------------------------------------------------------------- enumerations

const char* toString(Algorithm a) {
    switch (a) {
    case Algorithm::CD: return "cd";
    case Algorithm::PCD: return "pcd";
    }
    return "cd";
}

Algorithm algorithmFromString(const std::string& s) {
    const std::string l = lower(s);
    if (l == "cd") return Algorithm::CD;
    if (l == "pcd") return Algorithm::PCD;
    throw Error("Unknown training algorithm '" + s + "' (expected 'cd' or 'pcd').");
}

const char* toString(Initialisation i) {
    switch (i) {
    case Initialisation::Hinton: return "hinton";
    case Initialisation::Normal: return "normal";
    }
    return "hinton";
}

Initialisation initialisationFromString(const std::string& s) {
    const std::string l = lower(s);
    if (l == "hinton") return Initialisation::Hinton;
    if (l == "normal") return Initialisation::Normal;
    throw Error("Unknown initialisation '" + s + "' (expected 'hinton' or 'normal').");
}

const char* toString(OptimizerKind k) {
    switch (k) {
    case OptimizerKind::Sgd: return "sgd";
    case OptimizerKind::Momentum: return "momentum";
    case OptimizerKind::Adam: return "adam";
    }
    return "sgd";
}

OptimizerKind optimizerFromString(const std::string& s) {
    const std::string l = lower(s);
    if (l == "sgd") return OptimizerKind::Sgd;
    if (l == "momentum") return OptimizerKind::Momentum;
    if (l == "adam") return OptimizerKind::Adam;
    throw Error("Unknown optimizer '" + s + "' (expected 'sgd', 'momentum' or 'adam').");
}

// ---------------------------------------------------------------- validation

void TrainingConfig::validate() const {
    std::vector<std::string> problems;
    auto intRange = [&](const char* what, long long v, long long lo, long long hi) {
        if (v < lo || v > hi)
            problems.push_back(std::string(what) + " must be between " + std::to_string(lo) + " and " +
                               std::to_string(hi) + ", got " + std::to_string(v) + ".");
    };
    auto intAtLeast = [&](const char* what, long long v, long long lo) {
        if (v < lo)
            problems.push_back(std::string(what) + " must be at least " + std::to_string(lo) + ", got " +
                               std::to_string(v) + ".");
    };
    // [lo, hi] or [lo, hi) when hiOpen; NaN and infinities always fail.
    auto realRange = [&](const char* what, float v, double lo, double hi, bool hiOpen) {
        const double d = static_cast<double>(v);
        const bool ok = std::isfinite(d) && d >= lo && (hiOpen ? d < hi : d <= hi);
        if (!ok)
            problems.push_back(std::string(what) + " must be " + (std::isfinite(d) ? "" : "a finite number ") +
                               "in [" + fmt(lo) + ", " + fmt(hi) + (hiOpen ? ")" : "]") + ", got " +
                               (std::isfinite(d) ? fmt(d) : (std::isnan(d) ? "NaN" : "infinity")) + ".");
    };
    auto realAtLeast = [&](const char* what, float v, double lo, bool strict) {
        const double d = static_cast<double>(v);
        const bool ok = std::isfinite(d) && (strict ? d > lo : d >= lo);
        if (!ok)
            problems.push_back(std::string(what) + " must be a finite number " + (strict ? "above " : "of at least ") +
                               fmt(lo) + ", got " +
                               (std::isfinite(d) ? fmt(d) : (std::isnan(d) ? "NaN" : "infinity")) + ".");
    };

    intRange("The number of hidden units", hidden, 1, 100000);
    realRange("The initial weight standard deviation", initWeightStd, 0, 10, false);
    realRange("The initial bias standard deviation", initBiasStd, 0, 10, false);
    intRange("The binarization threshold", binarizeThreshold, 0, 254);

    intRange("The number of Gibbs steps k", k, 1, 1000);
    intRange("The number of persistent chains", persistentChains, 0, 1000000);
    intRange("The batch size", batchSize, 1, 1000000);
    intAtLeast("The number of epochs", epochs, 0);
    realRange("The learning rate of the weights", learningRateWeights, 0, 10, false);
    realRange("The learning rate of the biases", learningRateBiases, 0, 10, false);
    // Upper bounds as in the controls dock: beyond them the parameters overflow within a few
    // batches (fuzz: hostile values - weight decay 1e30 gave NaN velocities, sparsity cost 1e37
    // a model of dead units with NaN update ratios).
    realRange("The weight decay", weightDecay, 0, 1, false);
    realRange("The sparsity target", sparsityTarget, 0, 1, true);
    realRange("The sparsity cost", sparsityCost, 0, 100, false);
    realRange("The sparsity decay", sparsityDecay, 0, 1, true);
    realRange("The centring rate", centeringRate, 0, 1, false);
    lrSchedule.validate(problems);

    realRange("The momentum", optimizer.momentum, 0, 1, true);
    intAtLeast("The number of momentum schedule epochs", optimizer.momentumScheduleEpochs, 0);
    realRange("Adam's beta1", optimizer.adamBeta1, 0, 1, true);
    realRange("Adam's beta2", optimizer.adamBeta2, 0, 1, true);
    realAtLeast("Adam's epsilon", optimizer.adamEpsilon, 0, true);

    intAtLeast("The evaluation subset size", evalSubset, 0);
    intRange("The number of threads", threads, 1, 64);

    if (problems.empty()) return;
    std::string msg = "The training configuration is invalid:";
    for (const std::string& p : problems) msg += " " + p;
    throw Error(msg);
}

// ---------------------------------------------------------------- JSON

namespace {

Json optimizerToJson(const OptimizerConfig& o) {
    Json j = Json::object();
    j.set("kind", toString(o.kind));
    j.set("momentum", o.momentum);
    j.set("momentumSchedule", o.momentumSchedule);
    j.set("momentumScheduleEpochs", o.momentumScheduleEpochs);
    j.set("adamBeta1", o.adamBeta1);
    j.set("adamBeta2", o.adamBeta2);
    j.set("adamEpsilon", o.adamEpsilon);
    return j;
}

Json scheduleToJson(const LearningRateSchedule& s) {
    Json j = Json::object();
    j.set("kind", toString(s.kind));
    j.set("finalFactor", s.finalFactor);
    Json steps = Json::array();
    for (const LrStep& st : s.steps) {
        Json one = Json::object();
        one.set("epoch", st.epoch);
        one.set("factor", st.factor);
        steps.push(one);
    }
    j.set("steps", steps);
    return j;
}

/// Reads typed values out of one JSON object; every error names the key.
class Reader {
public:
    Reader(const Json& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {}

    void number(const char* key, float& out) const {
        if (const Json* v = find(key)) {
            if (!v->isNumber()) wrongType(key, "a number", *v);
            const double d = v->number();
            if (std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max()))
                throw Error("Configuration key '" + name(key) + "' is out of range: " + Json::formatNumber(d) + ".");
            out = static_cast<float>(d);
        }
    }
    void integer(const char* key, int& out) const {
        if (const Json* v = find(key)) {
            const double d = integral(key, *v);
            if (d < std::numeric_limits<int>::min() || d > std::numeric_limits<int>::max())
                throw Error("Configuration key '" + name(key) + "' is out of range: " + Json::formatNumber(d) + ".");
            out = static_cast<int>(d);
        }
    }
    /// Seeds may exceed 2^53 (where doubles stop being exact), so they may be written as strings.
    void unsigned64(const char* key, std::uint64_t& out) const {
        const Json* v = find(key);
        if (!v) return;
        if (v->isString()) {
            const std::string& s = v->string();
            std::uint64_t x = 0;
            bool ok = !s.empty() && s.size() <= 20;
            for (const char c : s) {
                if (c < '0' || c > '9') { ok = false; break; }
                const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
                if (x > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) { ok = false; break; }
                x = x * 10 + digit;
            }
            if (!ok) throw Error("Configuration key '" + name(key) + "' must be a non-negative integer, got \"" + s + "\".");
            out = x;
            return;
        }
        const double d = integral(key, *v);
        if (d < 0 || d > 9007199254740992.0)
            throw Error("Configuration key '" + name(key) + "' must be a non-negative integer below 2^53 "
                        "(write larger values as a string), got " + Json::formatNumber(d) + ".");
        out = static_cast<std::uint64_t>(d);
    }
    void boolean(const char* key, bool& out) const {
        if (const Json* v = find(key)) {
            if (!v->isBool()) wrongType(key, "true or false", *v);
            out = v->boolean();
        }
    }
    template <typename Enum, typename Parse>
    void enumeration(const char* key, Enum& out, Parse parse) const {
        if (const Json* v = find(key)) {
            if (!v->isString()) wrongType(key, "a string", *v);
            try {
                out = parse(v->string());
            } catch (const Error& e) {
                throw Error("Configuration key '" + name(key) + "': " + e.what());
            }
        }
    }
    /// An array of objects, each read by `each(Reader)`.
    template <typename Each>
    void objects(const char* key, Each each) const {
        const Json* v = find(key);
        if (!v) return;
        if (!v->isArray()) wrongType(key, "an array", *v);
        for (std::size_t i = 0; i < v->size(); ++i) {
            const std::string itemName = name(key) + "[" + std::to_string(i) + "]";
            if (!v->at(i).isObject())
                throw Error("Configuration key '" + itemName + "' must be an object, got " + v->at(i).dump() + ".");
            each(Reader(v->at(i), itemName));
        }
    }
    const Json* object(const char* key) const {
        const Json* v = find(key);
        if (v && !v->isObject()) wrongType(key, "an object", *v);
        return v;
    }
    std::string name(const char* key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

private:
    const Json* find(const char* key) const { return obj_.has(key) ? &obj_[key] : nullptr; }

    double integral(const char* key, const Json& v) const {
        if (!v.isNumber()) wrongType(key, "an integer", v);
        const double d = v.number();
        if (d != std::floor(d)) throw Error("Configuration key '" + name(key) + "' must be an integer, got " + Json::formatNumber(d) + ".");
        return d;
    }

    [[noreturn]] void wrongType(const char* key, const char* expected, const Json& v) const {
        throw Error("Configuration key '" + name(key) + "' must be " + expected + ", got " + v.dump() + ".");
    }

    const Json& obj_;
    std::string prefix_;
};

}  // namespace

std::string toJson(const TrainingConfig& c) {
    Json j = Json::object();
    j.set("hidden", c.hidden);
    j.set("init", toString(c.init));
    j.set("initWeightStd", c.initWeightStd);
    j.set("initBiasStd", c.initBiasStd);
    if (c.seed <= (std::uint64_t(1) << 53)) j.set("seed", c.seed);
    else j.set("seed", std::to_string(c.seed));
    j.set("binarization", toString(c.binarization));
    j.set("binarizeThreshold", c.binarizeThreshold);
    j.set("labels", c.labels);
    j.set("algorithm", toString(c.algorithm));
    j.set("k", c.k);
    j.set("cdSampleVisible", c.cdSampleVisible);
    j.set("persistentChains", c.persistentChains);
    j.set("batchSize", c.batchSize);
    j.set("epochs", c.epochs);
    j.set("optimizer", optimizerToJson(c.optimizer));
    j.set("learningRateWeights", c.learningRateWeights);
    j.set("learningRateBiases", c.learningRateBiases);
    j.set("lrSchedule", scheduleToJson(c.lrSchedule));
    j.set("weightDecay", c.weightDecay);
    j.set("sparsityTarget", c.sparsityTarget);
    j.set("sparsityCost", c.sparsityCost);
    j.set("sparsityDecay", c.sparsityDecay);
    j.set("centering", c.centering);
    j.set("centeringRate", c.centeringRate);
    j.set("evalSubset", c.evalSubset);
    j.set("threads", c.threads);
    return j.dump(2);
}

TrainingConfig trainingConfigFromJson(const std::string& json) {
    Json j;
    try {
        j = Json::parse(json);
    } catch (const Error& e) {
        throw Error(std::string("The training configuration is not valid JSON: ") + e.what());
    }
    if (!j.isObject()) throw Error("The training configuration must be a JSON object, got " + j.dump() + ".");

    TrainingConfig c;
    const Reader r(j, "");
    r.integer("hidden", c.hidden);
    r.enumeration("init", c.init, initialisationFromString);
    r.number("initWeightStd", c.initWeightStd);
    r.number("initBiasStd", c.initBiasStd);
    r.unsigned64("seed", c.seed);
    r.enumeration("binarization", c.binarization, binarizationFromString);
    r.integer("binarizeThreshold", c.binarizeThreshold);
    r.boolean("labels", c.labels);
    r.enumeration("algorithm", c.algorithm, algorithmFromString);
    r.integer("k", c.k);
    r.boolean("cdSampleVisible", c.cdSampleVisible);
    r.integer("persistentChains", c.persistentChains);
    r.integer("batchSize", c.batchSize);
    r.integer("epochs", c.epochs);
    if (const Json* o = r.object("optimizer")) {
        const Reader ro(*o, "optimizer");
        ro.enumeration("kind", c.optimizer.kind, optimizerFromString);
        ro.number("momentum", c.optimizer.momentum);
        ro.boolean("momentumSchedule", c.optimizer.momentumSchedule);
        ro.integer("momentumScheduleEpochs", c.optimizer.momentumScheduleEpochs);
        ro.number("adamBeta1", c.optimizer.adamBeta1);
        ro.number("adamBeta2", c.optimizer.adamBeta2);
        ro.number("adamEpsilon", c.optimizer.adamEpsilon);
    }
    r.number("learningRateWeights", c.learningRateWeights);
    r.number("learningRateBiases", c.learningRateBiases);
    if (const Json* o = r.object("lrSchedule")) {
        const Reader rs(*o, "lrSchedule");
        rs.enumeration("kind", c.lrSchedule.kind, lrScheduleFromString);
        rs.number("finalFactor", c.lrSchedule.finalFactor);
        rs.objects("steps", [&](const Reader& item) {
            LrStep st;
            item.integer("epoch", st.epoch);
            item.number("factor", st.factor);
            c.lrSchedule.steps.push_back(st);
        });
    }
    r.number("weightDecay", c.weightDecay);
    r.number("sparsityTarget", c.sparsityTarget);
    r.number("sparsityCost", c.sparsityCost);
    r.number("sparsityDecay", c.sparsityDecay);
    r.boolean("centering", c.centering);
    r.number("centeringRate", c.centeringRate);
    r.integer("evalSubset", c.evalSubset);
    r.integer("threads", c.threads);
    return c;
}

}  // namespace rbm

// ---------------------------------------------------------------- structure and live changes

namespace rbm {

bool TrainingConfig::sameStructure(const TrainingConfig& o) const {
    return hidden == o.hidden && init == o.init && initWeightStd == o.initWeightStd &&
           initBiasStd == o.initBiasStd && seed == o.seed && binarization == o.binarization &&
           binarizeThreshold == o.binarizeThreshold && evalSubset == o.evalSubset && labels == o.labels;
}

TrainingConfig TrainingConfig::withLiveFieldsOf(const TrainingConfig& live) const {
    TrainingConfig next = live;
    next.hidden = hidden;
    next.init = init;
    next.initWeightStd = initWeightStd;
    next.initBiasStd = initBiasStd;
    next.seed = seed;
    next.binarization = binarization;
    next.binarizeThreshold = binarizeThreshold;
    next.evalSubset = evalSubset;
    next.labels = labels;
    return next;
}

namespace {

/// The shortest text that reads back as the same float: 0.1f is "0.1", not 0.100000001490116.
std::string shortFloat(double v) {
    const float f = static_cast<float>(v);
    char buf[32];
    for (int digits = 1; digits <= 9; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
        if (std::strtof(buf, nullptr) == f) break;
    }
    return buf;
}

std::string upper(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

}  // namespace

std::string TrainingConfig::Change::text() const {
    switch (look) {
    case Look::Values: return before + "\u2192" + after;
    case Look::Switch: return field + " " + after;
    case Look::Field: break;
    }
    return field + " " + before + "\u2192" + after;
}

std::vector<TrainingConfig::Change> TrainingConfig::liveChanges(const TrainingConfig& b) const {
    using Look = Change::Look;
    const TrainingConfig& a = *this;
    std::vector<Change> out;
    auto number = [&](const char* name, double x, double y) {
        if (x != y) out.push_back({name, shortFloat(x), shortFloat(y)});
    };
    auto integer = [&](const char* name, int x, int y) {
        if (x != y) out.push_back({name, std::to_string(x), std::to_string(y)});
    };
    auto word = [&](const char* name, const std::string& x, const std::string& y, Look look) {
        if (x != y) out.push_back({name, x, y, look});
    };
    word("algorithm", upper(toString(a.algorithm)), upper(toString(b.algorithm)), Look::Values);
    integer("k", a.k, b.k);
    if (b.algorithm == Algorithm::CD)
        word("sampled v", a.cdSampleVisible ? "on" : "off", b.cdSampleVisible ? "on" : "off", Look::Switch);
    if (b.algorithm == Algorithm::PCD) integer("chains", a.persistentChains, b.persistentChains);
    integer("batch", a.batchSize, b.batchSize);
    word("optimizer", toString(a.optimizer.kind), toString(b.optimizer.kind), Look::Values);
    number("lr W", static_cast<double>(a.learningRateWeights), static_cast<double>(b.learningRateWeights));
    number("lr b", static_cast<double>(a.learningRateBiases), static_cast<double>(b.learningRateBiases));
    if (a.lrSchedule != b.lrSchedule) out.push_back({"lr schedule", a.lrSchedule.text(), b.lrSchedule.text()});
    number("momentum", static_cast<double>(a.optimizer.momentum), static_cast<double>(b.optimizer.momentum));
    word("schedule", a.optimizer.momentumSchedule ? "on" : "off", b.optimizer.momentumSchedule ? "on" : "off",
         Look::Switch);
    integer("schedule epochs", a.optimizer.momentumScheduleEpochs, b.optimizer.momentumScheduleEpochs);
    number("decay", static_cast<double>(a.weightDecay), static_cast<double>(b.weightDecay));
    number("sparsity", static_cast<double>(a.sparsityTarget), static_cast<double>(b.sparsityTarget));
    number("sparsity cost", static_cast<double>(a.sparsityCost), static_cast<double>(b.sparsityCost));
    word("centring", a.centering ? "on" : "off", b.centering ? "on" : "off", Look::Switch);
    if (b.centering) number("centring rate", static_cast<double>(a.centeringRate), static_cast<double>(b.centeringRate));
    integer("epochs", a.epochs, b.epochs);
    return out;
}

}  // namespace rbm
