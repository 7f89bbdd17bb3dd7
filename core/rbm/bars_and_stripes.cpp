#include "rbm/bars_and_stripes.h"

#include <cstdint>
#include <cstdlib>

namespace rbm {
namespace {

const std::string kPrefix = "bars-and-stripes";

/// A whole number 1..999 spelled with digits only, or -1.
int parseSide(const std::string& s) {
    if (s.empty() || s.size() > 3) return -1;
    for (const char ch : s)
        if (ch < '0' || ch > '9') return -1;
    return std::atoi(s.c_str());
}

}  // namespace

Dataset barsAndStripes(int rows, int cols) {
    if (rows < 1 || cols < 1 || rows > kBarsAndStripesMaxSide || cols > kBarsAndStripesMaxSide ||
        rows * cols > kBarsAndStripesMaxPixels)
        throw Error("bars-and-stripes: a " + std::to_string(rows) + "x" + std::to_string(cols) +
                    " image is outside the sizes it is made for (each side 1 to " +
                    std::to_string(kBarsAndStripesMaxSide) + ", at most " + std::to_string(kBarsAndStripesMaxPixels) +
                    " pixels)");
    Dataset d;
    d.rows = rows;
    d.cols = cols;
    const std::size_t pixels = std::size_t(rows) * std::size_t(cols);
    auto add = [&](bool byRow, std::uint32_t bits) {
        d.pixels.resize(d.pixels.size() + pixels);
        std::uint8_t* img = d.pixels.data() + d.count * pixels;
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                img[std::size_t(r) * std::size_t(cols) + std::size_t(c)] = ((bits >> (byRow ? r : c)) & 1u) ? 255 : 0;
        ++d.count;
    };
    for (std::uint32_t s = 0; s < (1u << rows); ++s) add(true, s);
    // All-off and all-on are stripes already.
    for (std::uint32_t s = 1; s + 1 < (1u << cols); ++s) add(false, s);
    d.name = "bars and stripes " + std::to_string(rows) + "x" + std::to_string(cols) + " (" +
             std::to_string(d.count) + " patterns)";
    d.source = "<generated>";
    return d;
}

bool isBarsAndStripesName(const std::string& name) {
    return name == kPrefix || name.compare(0, kPrefix.size() + 1, kPrefix + ":") == 0;
}

DatasetPair loadBarsAndStripes(const std::string& name) {
    int rows = 4, cols = 4;
    if (name != kPrefix) {
        const std::string size = name.substr(kPrefix.size() + 1);
        const std::size_t x = size.find_first_of("xX");
        rows = x == std::string::npos ? -1 : parseSide(size.substr(0, x));
        cols = x == std::string::npos ? -1 : parseSide(size.substr(x + 1));
        if (rows < 0 || cols < 0)
            throw Error(name + ": expected bars-and-stripes:ROWSxCOLS, e.g. bars-and-stripes:4x4");
    }
    DatasetPair pair;
    pair.train = barsAndStripes(rows, cols);
    pair.test = pair.train;
    pair.test.name = pair.train.name + ", the same patterns as held-out";
    return pair;
}

}  // namespace rbm
