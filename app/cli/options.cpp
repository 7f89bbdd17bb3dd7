#include "options.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace cli {

namespace {
std::string g_activity;
}  // namespace

void setActivity(std::string what) { g_activity = std::move(what); }
const std::string& activity() { return g_activity; }

namespace {

std::string limits(long long lo, long long hi) {
    if (hi == LLONG_MAX || hi == INT_MAX) return "at least " + std::to_string(lo);
    return "from " + std::to_string(lo) + " to " + std::to_string(hi);
}

}  // namespace

CLI::Validator nonEmpty() {
    return CLI::Validator([](std::string& text) { return text.empty() ? std::string("needs a value") : std::string(); },
                          "");
}

CLI::Validator wholeNumber(long long lo, long long hi) {
    return CLI::Validator(
        [lo, hi](std::string& text) -> std::string {
            errno = 0;
            char* end = nullptr;
            const long long v = std::strtoll(text.c_str(), &end, 10);
            if (errno != 0 || end == text.c_str() || *end != '\0') return "needs a whole number, got '" + text + "'";
            if (v < lo || v > hi) {
                // Only a range narrower than the type's is worth stating.
                if (lo <= -INT_MAX) return "out of range, got '" + text + "'";
                return "must be " + limits(lo, hi) + ", got " + std::to_string(v);
            }
            text = std::to_string(v);
            return {};
        },
        "");
}

CLI::Validator number(double lo, double hi) {
    return CLI::Validator(
        [lo, hi](std::string& text) -> std::string {
            errno = 0;
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (errno != 0 || end == text.c_str() || *end != '\0' || !std::isfinite(v))
                return "needs a number, got '" + text + "'";
            if (v < lo || v > hi) {
                char range[96];
                std::snprintf(range, sizeof range, "must be from %g to %g, got %g", lo, hi, v);
                return range;
            }
            return {};
        },
        "");
}

}  // namespace cli
