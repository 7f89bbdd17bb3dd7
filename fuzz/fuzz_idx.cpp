// libFuzzer target: the IDX reader on raw and gzipped bytes, as a downloaded file reaches it.
// Every input must either give a Dataset whose fields agree with each other or throw
// rbm::Error; anything else (a crash, a sanitizer report, another exception, a hang or an
// allocation beyond -malloc_limit_mb) is a bug. For gzip input the result must also be the
// same as parsing the inflated bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "rbm/dataset.h"

namespace {

/// Inflated data is capped here, below the fuzzer's -malloc_limit_mb: a gzip bomb must be
/// refused with Error, never allocated.
constexpr std::size_t kMaxInflated = std::size_t(64) << 20;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_idx: invariant broken: %s\n", what);
    std::abort();
}

std::optional<rbm::Dataset> images(const std::uint8_t* data, std::size_t size) {
    try {
        rbm::Dataset d = rbm::parseIdxImages(data, size, "fuzz-input");
        if (d.rows < 1 || d.cols < 1 || d.count < 1) fail("an empty dataset returned without Error");
        if (d.pixels.size() != d.count * std::size_t(d.rows) * std::size_t(d.cols))
            fail("pixels.size() != count * rows * cols");
        // A batch of the first and last images, as the trainer takes them.
        const int idx[2] = {0, int(d.count - 1)};
        rbm::Matrix batch(2, d.pixelsPerImage());
        rbm::fillBatch(d, idx, batch);
        if (!(batch.minCoeff() >= 0.0f && batch.maxCoeff() <= 1.0f)) fail("a batch value outside [0,1]");
        return d;
    } catch (const rbm::Error&) {
        return std::nullopt;
    }
}

std::optional<std::vector<std::uint8_t>> labels(const std::uint8_t* data, std::size_t size) {
    try {
        std::vector<std::uint8_t> l = rbm::parseIdxLabels(data, size, "fuzz-input");
        if (l.empty()) fail("empty labels returned without Error");
        return l;
    } catch (const rbm::Error&) {
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    std::vector<std::uint8_t> inflated;
    try {
        inflated = rbm::maybeGunzip(data, size, "fuzz-input", kMaxInflated);
        if (inflated.size() > kMaxInflated) fail("maybeGunzip returned more than maxOutput");
        if (!gzip && (inflated.size() != size || (size && std::memcmp(inflated.data(), data, size) != 0)))
            fail("maybeGunzip changed bytes that are not gzip");
    } catch (const rbm::Error&) {
        // The readers' own limit is 4 GiB: hand them only gzip that we know inflates to little.
        if (gzip) return 0;
    }
    const std::optional<rbm::Dataset> d = images(data, size);
    const std::optional<std::vector<std::uint8_t>> l = labels(data, size);
    if (gzip) {
        const std::optional<rbm::Dataset> d2 = images(inflated.data(), inflated.size());
        const std::optional<std::vector<std::uint8_t>> l2 = labels(inflated.data(), inflated.size());
        if (d.has_value() != d2.has_value() || l.has_value() != l2.has_value())
            fail("gzip and inflated bytes disagree on validity");
        if (d && (d->pixels != d2->pixels || d->rows != d2->rows || d->count != d2->count))
            fail("gzip and inflated bytes give different images");
        if (l && *l != *l2) fail("gzip and inflated bytes give different labels");
    }
    return 0;
}
