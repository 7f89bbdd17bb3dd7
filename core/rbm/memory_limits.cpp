#include "rbm/memory_limits.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "rbm/types.h"

namespace rbm {

std::string formatBytes(std::uint64_t bytes) {
    const char* units[] = {"kB", "MB", "GB", "TB", "PB"};
    if (bytes < 1000) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    double v = static_cast<double>(bytes) / 1000.0;
    int u = 0;
    while (v >= 1000.0 && u < 4) {
        v /= 1000.0;
        ++u;
    }
    // Rounded down: "needs 33.5 GB" for 33,554,432,000 bytes is never more than is needed.
    v = v < 100 ? std::floor(v * 10) / 10 : std::floor(v);
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

std::string withThousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

void checkModelFits(std::int64_t nVisible, std::int64_t nHidden, const std::string& source) {
    if (nVisible <= 0 || nHidden <= 0) return;  // the model's own validation names these
    // Below 2^31 each, so the product of both and 4 bytes cannot overflow 64 bits.
    const std::uint64_t weights = static_cast<std::uint64_t>(nVisible) * static_cast<std::uint64_t>(nHidden) * 4;
    const std::string shape = withThousands(static_cast<std::uint64_t>(nHidden)) + " hidden x " +
                              withThousands(static_cast<std::uint64_t>(nVisible)) + " pixels";
    if (weights > kMaxArrayBytes)
        throw Error(source + ": a model of " + shape + " needs " + formatBytes(weights) +
                    " for its weights alone, more than the limit of " + formatBytes(kMaxArrayBytes) +
                    " per array; use fewer hidden units or smaller images.");
    // Training holds the weights about four times over (gradient, optimizer moments, a copy
    // for the views); a machine with less memory than that would only end in bad_alloc.
    const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && pageSize > 0) {
        const std::uint64_t physical = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize);
        if (weights * 4 > physical)
            throw Error(source + ": a model of " + shape + " needs about " + formatBytes(weights * 4) +
                        " to train, more than this machine's " + formatBytes(physical) + " of memory.");
    }
}

}  // namespace rbm
