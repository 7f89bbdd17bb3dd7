#include "args.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cli {

Args::Args(const std::vector<std::string>& args, const std::set<std::string>& valued,
           const std::set<std::string>& flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
        std::string name = a.substr(2);
        std::string inlineValue;
        bool hasInline = false;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
            hasInline = true;
        }
        if (valued.count(name)) {
            if (values_.count(name)) throw UsageError("--" + name + " is given twice");
            if (hasInline) {
                values_[name] = inlineValue;
            } else {
                if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
                values_[name] = args[++i];
            }
        } else if (flags.count(name)) {
            if (hasInline) throw UsageError("--" + name + " takes no value");
            flags_.insert(name);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

bool Args::has(const std::string& name) const { return values_.count(name) || flags_.count(name); }

std::string Args::text(const std::string& name, const std::string& fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) throw UsageError("--" + name + " is required");
    return it->second;
}

long long Args::integer64(const std::string& name, long long fallback) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (errno != 0 || end == it->second.c_str() || *end != '\0')
        throw UsageError("--" + name + " needs a whole number, got '" + it->second + "'");
    return v;
}

int Args::integer(const std::string& name, int fallback) const {
    const long long v = integer64(name, fallback);
    if (v < -2147483647LL || v > 2147483647LL) throw UsageError("--" + name + " is out of range");
    return static_cast<int>(v);
}

double Args::number(const std::string& name, double fallback) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (errno != 0 || end == it->second.c_str() || *end != '\0' || !std::isfinite(v))
        throw UsageError("--" + name + " needs a number, got '" + it->second + "'");
    return v;
}

std::string Args::oneOf(const std::vector<std::string>& names) const {
    std::string found;
    for (const auto& n : names) {
        if (!has(n)) continue;
        if (!found.empty()) throw UsageError("--" + found + " and --" + n + " cannot be combined");
        found = n;
    }
    return found;
}

bool stderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

std::string formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "--:--";
    const long long s = std::llround(seconds);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

}  // namespace cli
