#include "rbm/dataset.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace rbm {

const char* toString(Binarization b) {
    switch (b) {
    case Binarization::None: return "none";
    case Binarization::Threshold: return "threshold";
    case Binarization::Stochastic: return "stochastic";
    }
    return "none";
}

Binarization binarizationFromString(const std::string& s) {
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (lower == "none")
        return Binarization::None;
    if (lower == "threshold")
        return Binarization::Threshold;
    if (lower == "stochastic")
        return Binarization::Stochastic;
    throw Error("unknown binarization '" + s + "' (expected none, threshold or stochastic)");
}

Dataset binarized(const Dataset& d, Binarization mode, int threshold, std::uint64_t seed) {
    Dataset out = d;
    switch (mode) {
    case Binarization::None:
        return out;
    case Binarization::Threshold:
        for (std::uint8_t& p : out.pixels)
            p = int(p) > threshold ? 255 : 0;
        out.name += ", binarized (pixel > " + std::to_string(threshold) + ")";
        return out;
    case Binarization::Stochastic: {
        // P(on) = pixel/255 exactly up to 2^-32: compare a 32-bit uniform with pixel * 2^32 / 255.
        std::array<std::uint64_t, 256> cut{};
        for (int v = 0; v < 256; ++v)
            cut[std::size_t(v)] = std::uint64_t((double(v) * 4294967296.0) / 255.0 + 0.5);
        Random rng(seed);
        std::uint8_t* px = out.pixels.data();
        const std::size_t n = out.pixels.size();
        std::size_t i = 0;
        for (; i + 1 < n; i += 2) {
            const std::uint64_t r = rng.next();
            px[i] = (r & 0xffffffffu) < cut[px[i]] ? 255 : 0;
            px[i + 1] = (r >> 32) < cut[px[i + 1]] ? 255 : 0;
        }
        if (i < n)
            px[i] = (rng.next() & 0xffffffffu) < cut[px[i]] ? 255 : 0;
        out.name += ", binarized (stochastic, seed " + std::to_string(seed) + ")";
        return out;
    }
    }
    return out;
}

namespace {

const std::array<float, 256>& byteToUnit() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int v = 0; v < 256; ++v)
            t[std::size_t(v)] = float(v) / 255.0f;
        return t;
    }();
    return table;
}

/// Rows [0, n) of `out` from images `indices[0..n)`: column by column, so writes are
/// contiguous in the column-major matrix and each image is read front to back.
void fillRows(const Dataset& d, const int* indices, float* out, Eigen::Index outerStride, int n) {
    const std::array<float, 256>& unit = byteToUnit();
    constexpr int kChunk = 64;
    const std::uint8_t* src[kChunk];
    const int pixels = d.pixelsPerImage();
    for (int r0 = 0; r0 < n; r0 += kChunk) {
        const int m = std::min(kChunk, n - r0);
        for (int r = 0; r < m; ++r)
            src[r] = d.image(std::size_t(indices[r0 + r]));
        for (int j = 0; j < pixels; ++j) {
            float* col = out + Eigen::Index(j) * outerStride + r0;
            for (int r = 0; r < m; ++r)
                col[r] = unit[src[r][j]];
        }
    }
}

}  // namespace

void fillBatch(const Dataset& d, const int* indices, MatrixRef out) {
    const int n = int(out.rows());
    if (out.cols() != d.pixelsPerImage())
        throw Error("fillBatch: the batch has " + std::to_string(out.cols()) + " columns but images of " +
                    d.name + " have " + std::to_string(d.pixelsPerImage()) + " pixels");
    for (int r = 0; r < n; ++r)
        if (indices[r] < 0 || std::size_t(indices[r]) >= d.count)
            throw Error("fillBatch: image index " + std::to_string(indices[r]) + " is outside " + d.name + " (" +
                        std::to_string(d.count) + " images)");
    fillRows(d, indices, out.data(), out.outerStride(), n);
}

Matrix toMatrix(const Dataset& d, std::size_t limit) {
    const std::size_t n = limit == 0 ? d.count : std::min(limit, d.count);
    Matrix m(Eigen::Index(n), Eigen::Index(d.pixelsPerImage()));
    constexpr int kChunk = 256;
    int idx[kChunk];
    for (std::size_t r0 = 0; r0 < n; r0 += kChunk) {
        const int k = int(std::min<std::size_t>(kChunk, n - r0));
        for (int r = 0; r < k; ++r)
            idx[r] = int(r0) + r;
        fillRows(d, idx, m.data() + r0, m.outerStride(), k);
    }
    return m;
}

}  // namespace rbm
