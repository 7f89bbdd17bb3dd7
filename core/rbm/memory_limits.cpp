#include "rbm/memory_limits.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "rbm/training_config.h"
#include "rbm/types.h"

namespace rbm {

namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t times(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > kSaturated / a) return kSaturated;
    return a * b;
}
std::uint64_t plus(std::uint64_t a, std::uint64_t b) { return b > kSaturated - a ? kSaturated : a + b; }
std::uint64_t positive(std::int64_t v) { return v > 0 ? static_cast<std::uint64_t>(v) : 0; }

}  // namespace

std::string formatBytes(std::uint64_t bytes) {
    const char* units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    if (bytes < 1000) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    double v = static_cast<double>(bytes) / 1000.0;
    int u = 0;
    while (v >= 1000.0 && u < 5) {
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

std::uint64_t physicalMemoryBytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0) return 0;
    return times(static_cast<std::uint64_t>(pages), static_cast<std::uint64_t>(pageSize));
}

std::uint64_t trainingBytes(std::int64_t nVisible, std::int64_t nHidden, std::int64_t batch, std::int64_t chains) {
    const std::uint64_t weights = times(times(positive(nVisible), positive(nHidden)), 4);
    const std::uint64_t columns = times(times(positive(nVisible), 4), plus(times(positive(batch), 3), times(positive(chains), 2)));
    return plus(times(weights, 4), columns);
}

std::string whyModelDoesNotFit(std::int64_t nVisible, std::int64_t nHidden, std::int64_t batch, std::int64_t chains,
                               std::uint64_t memoryBytes) {
    if (nVisible <= 0 || nHidden <= 0) return {};  // the model's own validation names these
    const std::uint64_t weights = times(times(positive(nVisible), positive(nHidden)), 4);
    const std::string shape = withThousands(positive(nHidden)) + " hidden x " + withThousands(positive(nVisible)) + " pixels";
    if (weights > kMaxArrayBytes)
        return "a model of " + shape + " needs " + formatBytes(weights) + " for its weights alone, more than the limit of " +
               formatBytes(kMaxArrayBytes) + " per array; use fewer hidden units or smaller images";
    // A machine with less memory than a run holds would only end in bad_alloc (or the OOM killer).
    const std::uint64_t total = trainingBytes(nVisible, nHidden, batch, chains);
    if (memoryBytes > 0 && total > memoryBytes)
        return "a model of " + shape + " needs about " + formatBytes(total) + " to train, more than this machine's " +
               formatBytes(memoryBytes) + " of memory; use fewer hidden units, a smaller batch or smaller images";
    return {};
}

std::string whyTrainingDoesNotFit(const TrainingConfig& config, std::int64_t nVisible, std::size_t images, std::uint64_t memoryBytes) {
    const std::int64_t count = static_cast<std::int64_t>(std::min<std::size_t>(images, std::size_t(1) << 40));
    const std::int64_t batch = std::min<std::int64_t>(std::max(config.batchSize, 1), std::max<std::int64_t>(count, 1));
    // PCD's chains: as many as the batch when 0 (training_config.h).
    const std::int64_t chains = config.algorithm == Algorithm::PCD ? (config.persistentChains > 0 ? config.persistentChains : batch) : 0;
    return whyModelDoesNotFit(nVisible, config.hidden, batch, chains, memoryBytes);
}

std::string whyImagesDoNotFit(std::uint64_t count, std::uint64_t rows, std::uint64_t cols) {
    const std::uint64_t bytes = times(times(count, rows), cols);
    if (bytes <= kMaxDatasetBytes) return {};
    return withThousands(count) + (count == 1 ? " image of " : " images of ") + withThousands(rows) + " x " + withThousands(cols) +
           " pixels need" + (count == 1 ? "s " : " ") + formatBytes(bytes) + ", more than the limit of " +
           formatBytes(kMaxDatasetBytes) + " for a dataset";
}

void checkModelFits(std::int64_t nVisible, std::int64_t nHidden, const std::string& source) {
    const std::string why = whyModelDoesNotFit(nVisible, nHidden);
    if (!why.empty()) throw Error(source + ": " + why + ".");
}

void checkTrainingFits(const TrainingConfig& config, std::int64_t nVisible, std::size_t images, const std::string& source) {
    const std::string why = whyTrainingDoesNotFit(config, nVisible, images);
    if (!why.empty()) throw Error(source + ": " + why + ".");
}

}  // namespace rbm
