#include "rbm/learning_rate_schedule.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "rbm/json.h"
#include "rbm/types.h"

namespace rbm {

const char* toString(LrScheduleKind k) {
    switch (k) {
    case LrScheduleKind::Constant: return "constant";
    case LrScheduleKind::Linear: return "linear";
    case LrScheduleKind::Steps: return "steps";
    }
    return "constant";
}

LrScheduleKind lrScheduleFromString(const std::string& s) {
    std::string l = s;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (l == "constant") return LrScheduleKind::Constant;
    if (l == "linear") return LrScheduleKind::Linear;
    if (l == "steps") return LrScheduleKind::Steps;
    throw Error("Unknown learning-rate schedule '" + s + "' (expected 'constant', 'linear' or 'steps').");
}

double LearningRateSchedule::factor(std::int64_t epoch, std::int64_t batchInEpoch, int batchesPerEpoch,
                                    int plannedEpochs) const {
    switch (kind) {
    case LrScheduleKind::Constant: return 1.0;
    case LrScheduleKind::Linear: {
        if (plannedEpochs <= 0 || batchesPerEpoch <= 0) return 1.0;
        const double done = static_cast<double>(epoch) +
                            static_cast<double>(batchInEpoch) / static_cast<double>(batchesPerEpoch);
        const double p = std::min(1.0, done / static_cast<double>(plannedEpochs));
        return 1.0 - (1.0 - static_cast<double>(finalFactor)) * p;
    }
    case LrScheduleKind::Steps: {
        double f = 1.0;
        for (const LrStep& s : steps)
            if (s.epoch <= epoch) f = static_cast<double>(s.factor);
        return f;
    }
    }
    return 1.0;
}

void LearningRateSchedule::validate(std::vector<std::string>& problems) const {
    auto factorOk = [](float f) { return std::isfinite(f) && f > 0.0f && f <= 1000.0f; };
    if (!factorOk(finalFactor))
        problems.push_back("The final learning-rate factor must be in (0, 1000], got " +
                           Json::formatNumber(static_cast<double>(finalFactor)) + ".");
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (!factorOk(steps[i].factor))
            problems.push_back("Learning-rate step " + std::to_string(i + 1) + " has factor " +
                               Json::formatNumber(static_cast<double>(steps[i].factor)) + ", not in (0, 1000].");
        if (steps[i].epoch < 0 || (i > 0 && steps[i].epoch <= steps[i - 1].epoch))
            problems.push_back("The learning-rate steps' epochs must be non-negative and ascending, got " +
                               toString(steps) + ".");
    }
    if (kind == LrScheduleKind::Steps && steps.empty())
        problems.push_back("A stepped learning-rate schedule needs at least one step (e.g. 20:0.1).");
}

namespace {
std::string shortNumber(float f) {
    char buf[32];
    for (int digits = 1; digits <= 9; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
        if (std::strtof(buf, nullptr) == f) break;
    }
    return buf;
}
}  // namespace

std::string toString(const std::vector<LrStep>& steps) {
    std::string s;
    for (const LrStep& st : steps) s += (s.empty() ? "" : ",") + std::to_string(st.epoch) + ":" + shortNumber(st.factor);
    return s;
}

std::vector<LrStep> lrStepsFromString(const std::string& text) {
    std::vector<LrStep> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = std::min(text.find(',', pos), text.size());
        const std::string part = text.substr(pos, comma - pos);
        const std::size_t colon = part.find(':');
        char* end = nullptr;
        bool ok = colon != std::string::npos && colon > 0 && colon + 1 < part.size();
        LrStep st;
        if (ok) {
            const long e = std::strtol(part.c_str(), &end, 10);
            ok = end == part.c_str() + colon && e >= 0 && e <= 1000000;
            st.epoch = static_cast<int>(e);
        }
        if (ok) {
            const char* f = part.c_str() + colon + 1;
            st.factor = std::strtof(f, &end);
            ok = end == part.c_str() + part.size();
        }
        if (!ok)
            throw Error("Learning-rate step '" + part + "' is not EPOCH:FACTOR (e.g. 20:0.1,30:0.04).");
        out.push_back(st);
        pos = comma + 1;
    }
    return out;
}

std::string LearningRateSchedule::text() const {
    switch (kind) {
    case LrScheduleKind::Constant: return "constant";
    case LrScheduleKind::Linear: return "linear to " + shortNumber(finalFactor);
    case LrScheduleKind::Steps: return "steps " + toString(steps);
    }
    return "constant";
}

}  // namespace rbm
