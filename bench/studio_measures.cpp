#include "studio_measures.h"

#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "bench_common.h"
#include "rbm/model.h"
#include "rbm/sampler.h"
#include "training_rates.h"

namespace bench {

double snapshotSeconds(rbm::Trainer& t, int repeats) {
    struct Snapshot {
        rbm::Rbm model;
        rbm::Matrix batch, hidden, negatives, updateW;
        rbm::Vector updateB, updateC;
    };
    std::vector<double> snap;
    for (int r = 0; r < repeats; ++r) {
        t.trainBatch();  // fresh buffers: the row-layout copies are made on first access
        const auto a = Clock::now();
        auto s = std::make_shared<Snapshot>();
        s->model = t.model();
        s->batch = t.lastBatch();
        s->hidden = t.lastHiddenProbabilities();
        s->negatives = t.negativeSamples();
        s->updateW = t.lastWeightUpdate();
        s->updateB = t.lastVisibleBiasUpdate();
        s->updateC = t.lastHiddenBiasUpdate();
        std::shared_ptr<const Snapshot> published = s;
        keep(published->model.W(0, 0));
        snap.push_back(seconds(a, Clock::now()));
    }
    return median(snap);
}

double dreamStepSeconds(int repeats) {
    rbm::Rbm m(784, 784);
    rbm::Random g(3);
    for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(g.normal()) * 0.05f;
    rbm::GibbsSampler sampler(5);
    rbm::GibbsState st;
    rbm::GibbsOptions go;
    go.clampMask = rbm::Vector::Zero(784);
    go.clampMask.head(10).setOnes();
    go.hiddenForce.assign(784, -1);
    go.hiddenForce[3] = 1;
    sampler.start(m, st, rbm::toMatrix(*embeddedTrain(), 8), go);
    std::vector<double> d;
    for (int r = 0; r < repeats; ++r) {
        const auto a = Clock::now();
        sampler.step(m, st, go);
        d.push_back(seconds(a, Clock::now()));
    }
    return median(d);
}

double filterGridCoreSeconds(int repeats) {
    // Per-unit symmetric scaling of its 784 weights to 8-bit grey levels in a 28-wide grid of
    // 28x28 tiles with 1 px gaps.
    rbm::Rbm m(784, 784);
    rbm::Random g(4);
    for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(g.normal()) * 0.05f;
    const int tiles = 28, tile = 28, pad = 1;
    const int side = tiles * (tile + pad) + pad;
    std::vector<std::uint32_t> image(static_cast<std::size_t>(side) * side);
    std::vector<double> f;
    for (int r = 0; r < repeats; ++r) {
        const auto a = Clock::now();
        std::fill(image.begin(), image.end(), 0xff808080u);
        for (int j = 0; j < m.nHidden(); ++j) {
            const float* w = m.W.col(j).data();
            float mx = 1e-12f;
            for (int i = 0; i < 784; ++i) mx = std::max(mx, std::abs(w[i]));
            const float s = 127.5f / mx;
            const int ox = pad + (j % tiles) * (tile + pad), oy = pad + (j / tiles) * (tile + pad);
            for (int y = 0; y < tile; ++y) {
                std::uint32_t* out = image.data() + static_cast<std::size_t>(oy + y) * side + ox;
                for (int x = 0; x < tile; ++x) {
                    const auto grey = static_cast<std::uint32_t>(127.5f + s * w[y * tile + x]);
                    out[x] = 0xff000000u | grey << 16 | grey << 8 | grey;
                }
            }
        }
        keep(image[12345]);
        f.push_back(seconds(a, Clock::now()));
    }
    return median(f);
}

double peakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

namespace {

double currentRssMb() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0.0;
    long pages = 0, resident = 0;
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
    return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

}  // namespace

int memoryChild() {
    // 60,000 x 784 synthetic digits: strokes-like random blobs are enough for memory.
    auto d = std::make_shared<rbm::Dataset>();
    d->name = "synthetic 60k";
    d->rows = d->cols = 28;
    d->count = 60000;
    d->pixels.resize(d->count * 784);
    d->labels.resize(d->count);
    std::uint64_t x = 88172645463325252ULL;
    for (std::size_t i = 0; i < d->pixels.size(); ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        d->pixels[i] = (x & 7) == 0 ? static_cast<std::uint8_t>(x >> 56) : 0;
    }
    for (std::size_t i = 0; i < d->count; ++i) d->labels[i] = static_cast<std::uint8_t>(i % 10);
    auto test = std::make_shared<rbm::Dataset>(*d);
    test->count = 10000;
    test->pixels.resize(test->count * 784);
    test->labels.resize(test->count);
    rbm::TrainingConfig c = standardConfig(rbm::Algorithm::PCD, 1, 500, 100);
    c.evalSubset = 1000;
    rbm::Trainer t(d, test, c);
    for (int i = 0; i < 300; ++i) t.trainBatch();
    t.evaluate();
    std::printf("%.1f %.1f\n", peakRssMb(), currentRssMb());
    return 0;
}

}  // namespace bench
