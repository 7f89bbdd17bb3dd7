// ui-bench: what the studio paints per snapshot, timed: the filter grid image of a 784 x 784
// model (784 hidden units, both contrasts) and the digit grid of 64 negative samples, built
// as the views build them (studio::buildFilterGrid / buildDigitGrid, QImage, no widgets).
//   ui-bench [--repeats N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rbm/random.h"
#include "views/image_builders.h"

namespace {
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

template <typename F>
double medianMs(int repeats, F&& f) {
    std::vector<double> t;
    f();  // warm-up
    for (int r = 0; r < repeats; ++r) {
        const auto a = Clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    }
    return median(t);
}
}  // namespace

int main(int argc, char** argv) {
    int repeats = 30;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    rbm::Rbm m(784, 784);
    m.imageRows = m.imageCols = 28;
    rbm::Random g(4);
    for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(g.normal()) * 0.05f;
    studio::FilterGridOptions global, perTile;
    perTile.contrast = studio::Contrast::PerTile;
    long sink = 0;
    const double tGlobal = medianMs(repeats, [&] { sink += studio::buildFilterGrid(m, global).width(); });
    const double tPerTile = medianMs(repeats, [&] { sink += studio::buildFilterGrid(m, perTile).width(); });
    rbm::Matrix samples(64, 784);
    g.fillUniform(samples);
    const double tDigits = medianMs(repeats, [&] { sink += studio::buildDigitGrid(samples, 28, 28, 8).width(); });
    std::printf("| studio image (median of %d) | ms | target |\n| --- | ---: | ---: |\n", repeats);
    std::printf("| filter grid, 784 hidden units, global contrast | %.2f | < 10 |\n", tGlobal);
    std::printf("| filter grid, 784 hidden units, per-tile contrast | %.2f | < 10 |\n", tPerTile);
    std::printf("| digit grid, 64 samples | %.2f | |\n", tDigits);
    return sink == 0 ? 1 : 0;
}
