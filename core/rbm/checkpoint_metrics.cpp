#include "rbm/checkpoint_metrics.h"

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace rbm {

Json metricsToJson(const EpochMetrics& m) {
    Json j = Json::object();
    j.set("epoch", m.epoch);
    j.set("seconds", m.seconds);
    j.set("samplesPerSecond", m.samplesPerSecond);
    j.set("trainMse", m.trainMse);
    j.set("testMse", m.testMse);
    j.set("trainCrossEntropy", m.trainCrossEntropy);
    j.set("testCrossEntropy", m.testCrossEntropy);
    j.set("trainFreeEnergy", m.trainFreeEnergy);
    j.set("testFreeEnergy", m.testFreeEnergy);
    j.set("pseudoLogLikelihood", m.pseudoLogLikelihood);
    j.set("deadUnits", m.deadUnits);
    j.set("saturatedUnits", m.saturatedUnits);
    j.set("ratioWeights", m.ratioWeights);
    j.set("ratioVisibleBias", m.ratioVisibleBias);
    j.set("ratioHiddenBias", m.ratioHiddenBias);
    j.set("hasTest", m.hasTest);
    return j;
}

/// NaN and infinities are written as null (JSON has no such numbers) and read back as NaN.
EpochMetrics metricsFromJson(const Json& j) {
    if (!j.isObject()) throw Error("its metrics are not a JSON object");
    EpochMetrics m;
    auto real = [&](const char* key, double& out) {
        const Json& v = j[key];
        if (v.isNull()) {
            out = j.has(key) ? std::numeric_limits<double>::quiet_NaN() : out;
            return;
        }
        if (!v.isNumber()) throw Error(std::string("metric '") + key + "' is not a number");
        out = v.number();
    };
    auto integer = [&](const char* key, auto& out) {
        const Json& v = j[key];
        if (v.isNull()) return;
        using T = std::remove_reference_t<decltype(out)>;
        // the range check keeps the conversion defined (and the value savable again)
        if (!v.isNumber() || v.number() != std::floor(v.number()) ||
            v.number() < static_cast<double>(std::numeric_limits<T>::min()) ||
            v.number() > static_cast<double>(std::numeric_limits<T>::max()) || std::fabs(v.number()) > 9.0e15)
            throw Error(std::string("metric '") + key + "' is not an integer in range");
        out = static_cast<T>(v.number());
    };
    integer("epoch", m.epoch);
    real("seconds", m.seconds);
    real("samplesPerSecond", m.samplesPerSecond);
    real("trainMse", m.trainMse);
    real("testMse", m.testMse);
    real("trainCrossEntropy", m.trainCrossEntropy);
    real("testCrossEntropy", m.testCrossEntropy);
    real("trainFreeEnergy", m.trainFreeEnergy);
    real("testFreeEnergy", m.testFreeEnergy);
    real("pseudoLogLikelihood", m.pseudoLogLikelihood);
    integer("deadUnits", m.deadUnits);
    integer("saturatedUnits", m.saturatedUnits);
    real("ratioWeights", m.ratioWeights);
    real("ratioVisibleBias", m.ratioVisibleBias);
    real("ratioHiddenBias", m.ratioHiddenBias);
    if (j.has("hasTest")) {
        if (!j["hasTest"].isBool()) throw Error("metric 'hasTest' is not true or false");
        m.hasTest = j["hasTest"].boolean();
    }
    return m;
}

}  // namespace rbm
