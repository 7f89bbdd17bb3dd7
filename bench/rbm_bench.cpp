// rbm-bench: training throughput of the core trainer against this machine's own limits,
// measured in the same run:
//   - the "Eigen ceiling": Eigen's SGEMM on exactly the 5 matrix products of a CD-1 step with
//     the trainer's shapes (what an Eigen trainer could reach if everything else were free);
//   - the FMA peak: a tight loop of independent vector FMAs (the physical limit of one core).
// Standard configurations on the embedded digits: CD-1 and PCD-1 at 784x500 batch 100, CD-10,
// and the TF2 article's configuration (784x784, batch 5, persistent CD-5). Plus what keeps the
// studio smooth: snapshot hand-off, a dream step on 784x784, the core of the filter-grid image,
// full-MNIST memory (60,000 synthetic digits in a child process), and 2 threads vs 1 with the
// other core idle and busy.
//
//   rbm-bench [--quick] [--json] [--repeats N] [--skip-threads] [--skip-memory]
//
// Numbers are medians over repeats; the ceiling and CD-1 are measured interleaved (paired) so
// that load from other programs affects both alike, and the ratio is the median of the
// per-pair ratios.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdarg>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <new>
#include <vector>

#include <time.h>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/sampler.h"
#include "rbm/trainer.h"

using namespace rbm;
using Clock = std::chrono::steady_clock;

// Every allocation of the benchmark counts here: training batches must not allocate.
static std::atomic<long> gAllocations{0};
void* operator new(std::size_t n) {
    gAllocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
// GCC cannot see that these pair with the operator new above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double peakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

double currentRssMb() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0.0;
    long pages = 0, resident = 0;
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
    return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

template <typename T>
void keep(const T& x) {
    asm volatile("" : : "r,m"(x) : "memory");
}

struct Options {
    bool quick = false;
    bool json = false;
    int repeats = 7;
    bool threads = true;
    bool memory = true;
    bool threadsOnly = false;  ///< only the 2-vs-1-thread comparison (to repeat it when the machine is quiet)
};

std::shared_ptr<const Dataset> embeddedTrain() {
    static std::shared_ptr<const Dataset> d = std::make_shared<const Dataset>(loadEmbeddedMnist().train);
    return d;
}

TrainingConfig standardConfig(Algorithm a, int k, int hidden, int batch) {
    TrainingConfig c;
    c.hidden = hidden;
    c.algorithm = a;
    c.k = k;
    c.batchSize = batch;
    c.persistentChains = 0;  // as many chains as the batch
    c.learningRateWeights = c.learningRateBiases = 0.01f;
    c.optimizer.kind = OptimizerKind::Momentum;
    c.evalSubset = 100;
    c.seed = 7;
    c.threads = 1;
    return c;
}

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Rate {
    double wall = 0;  ///< per wall-clock second
    double cpu = 0;   ///< per second of this thread's CPU time (immune to time-sharing)
};

/// Batches per second of `t` over about `budget` seconds (after a warm-up).
Rate batchesPerSecond(Trainer& t, double budget, int minBatches = 5) {
    for (int i = 0; i < 3; ++i) t.trainBatch();
    int n = 0;
    const auto start = Clock::now();
    const double cpuStart = threadCpuSeconds();
    double elapsed = 0.0;
    while (n < minBatches || elapsed < budget) {
        t.trainBatch();
        ++n;
        elapsed = seconds(start, Clock::now());
    }
    return {n / elapsed, n / std::max(1e-9, threadCpuSeconds() - cpuStart)};
}

// ---------------------------------------------------------------- the Eigen ceiling

/// Eigen's SGEMM on the 5 products of a CD-1 step, with the trainer's layout (one example per
/// row): V W, H W^T, R W, V^T H and R^T H. Returns samples per second (batch / time of the 5).
struct GemmCeiling {
    int batch, nv, nh;
    bool featureMajor;  ///< one example per column (the trainer's internal layout)
    Matrix V, H, R, Hk, W, outH, outV, G;
    GemmCeiling(int b, int v, int h, bool fm) : batch(b), nv(v), nh(h), featureMajor(fm) {
        const int rv = fm ? v : b, cv = fm ? b : v, rh = fm ? h : b, ch = fm ? b : h;
        V = Matrix::Random(rv, cv);
        H = Matrix::Random(rh, ch);
        R = Matrix::Random(rv, cv);
        Hk = Matrix::Random(rh, ch);
        W = Matrix::Random(v, h) * 0.01f;
        outH.resize(rh, ch);
        outV.resize(rv, cv);
        G.resize(v, h);
    }
    void once() {
        if (featureMajor) {
            outH.noalias() = W.transpose() * V;
            outV.noalias() = W * H;
            outH.noalias() = W.transpose() * R;
            G.noalias() = V * H.transpose();
            G.noalias() -= R * Hk.transpose();
        } else {
            outH.noalias() = V * W;
            outV.noalias() = H * W.transpose();
            outH.noalias() = R * W;
            G.noalias() = V.transpose() * H;
            G.noalias() -= R.transpose() * Hk;
        }
        keep(G(0, 0));
    }
    /// Samples per second (batch / time of the 5 products), wall and CPU.
    Rate samplesPerSecond(double budget) {
        once();
        int n = 0;
        const auto start = Clock::now();
        const double cpuStart = threadCpuSeconds();
        double elapsed = 0.0;
        while (n < 5 || elapsed < budget) {
            once();
            ++n;
            elapsed = seconds(start, Clock::now());
        }
        return {n * batch / elapsed, n * batch / std::max(1e-9, threadCpuSeconds() - cpuStart)};
    }
    double flopsPerBatch() const { return 5.0 * 2.0 * batch * nv * nh; }
};

// ---------------------------------------------------------------- FMA peak

typedef float v16f __attribute__((vector_size(64)));

/// GFLOP/s of a tight loop of 24 independent 16-wide FMA chains (enough to cover the
/// latency of two FMA pipes). The compiler emits vfmadd on zmm (or pairs of ymm without
/// AVX-512).
__attribute__((noinline)) double fmaPeakGflops(double budget) {
    v16f acc[24];
    for (int i = 0; i < 24; ++i)
        for (int l = 0; l < 16; ++l) acc[i][l] = 0.001f * static_cast<float>(i + l);
    v16f a, b;
    for (int l = 0; l < 16; ++l) {
        a[l] = 0.999999f;
        b[l] = 1e-7f;
    }
    keep(a);
    keep(b);
    const long inner = 1 << 16;
    long iterations = 0;
    const auto start = Clock::now();
    double elapsed = 0.0;
    do {
        for (long it = 0; it < inner; ++it) {
#pragma GCC unroll 24
            for (int i = 0; i < 24; ++i) acc[i] = acc[i] * a + b;
        }
        iterations += inner;
        elapsed = seconds(start, Clock::now());
    } while (elapsed < budget);
    float s = 0.0f;
    for (int i = 0; i < 24; ++i)
        for (int l = 0; l < 16; ++l) s += acc[i][l];
    keep(s);
    return static_cast<double>(iterations) * 24.0 * 16.0 * 2.0 / elapsed / 1e9;
}

// ---------------------------------------------------------------- results

struct Row {
    std::string name;
    std::string unit;  // "samples/s" or "it/s"
    double rate = 0;   // wall clock, in `unit`
    double cpuRate = 0;  // per CPU-second of the training thread, in `unit`
    double samplesPerSecond = 0;
    double ceilingRatio = 0;  // to the same-run Eigen ceiling (paired for CD-1)
    double peakRatio = 0;     // achieved FLOP rate / FMA peak
    double gflops = 0;
    double allocationsPerBatch = 0;
    std::string target;
};

double cdFlopsPerBatch(Algorithm a, int k, int batch, int nv, int nh) {
    // Products of 2*batch*nv*nh FLOP each: positive phase 1, gradient 2, and per Gibbs step 2
    // (CD: k visible + k hidden; PCD: k sweeps of 2 + the final hidden, plus the report's
    // reconstruction, which the trainer computes for at most 25 examples of the batch).
    const double unit = 2.0 * batch * nv * nh;
    if (a == Algorithm::CD) return unit * (1 + 2 * k + 2);
    const double recon = std::min(batch, 25) / static_cast<double>(batch);
    return unit * (1 + recon + 2 * k + 1 + 2);
}

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char ch : s) {
        if (ch == '"' || ch == '\\') o += '\\';
        o += ch;
    }
    return o;
}

bool quiet = false;

/// Progress on stderr (not with --json).
__attribute__((format(printf, 1, 2))) void say(const char* fmt, ...) {
    if (quiet) return;
    va_list args;
    va_start(args, fmt);
    std::vfprintf(stderr, fmt, args);
    va_end(args);
    std::fflush(stderr);
}

std::string selfPath() {
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "rbm-bench";
    buf[n] = 0;
    return buf;
}

}  // namespace

// ---------------------------------------------------------------- full MNIST memory (child)

static int memoryChild() {
    // 60,000 x 784 synthetic digits: strokes-like random blobs are enough for memory.
    auto d = std::make_shared<Dataset>();
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
    auto test = std::make_shared<Dataset>(*d);
    test->count = 10000;
    test->pixels.resize(test->count * 784);
    test->labels.resize(test->count);
    TrainingConfig c = standardConfig(Algorithm::PCD, 1, 500, 100);
    c.evalSubset = 1000;
    Trainer t(d, test, c);
    for (int i = 0; i < 300; ++i) t.trainBatch();
    t.evaluate();
    std::printf("%.1f %.1f\n", peakRssMb(), currentRssMb());
    return 0;
}

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--quick") o.quick = true;
        else if (a == "--json") o.json = true;
        else if (a == "--repeats" && i + 1 < argc) o.repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "--skip-threads") o.threads = false;
        else if (a == "--skip-memory") o.memory = false;
        else if (a == "--threads-only") o.threadsOnly = true;
        else if (a == "--memory-child") return memoryChild();
        else {
            std::fprintf(stderr, "usage: rbm-bench [--quick] [--json] [--repeats N] [--skip-threads] [--skip-memory] [--threads-only]\n");
            return a == "--help" || a == "-h" ? 0 : 2;
        }
    }
    if (o.quick && o.repeats == 7) o.repeats = 3;
    const double budget = o.quick ? 0.25 : 1.0;
    auto train = embeddedTrain();
    quiet = o.json;
    if (o.threadsOnly) {
        auto one = [&](int threads) {
            TrainingConfig c = standardConfig(Algorithm::CD, 1, 500, 100);
            c.threads = threads;
            Trainer t(train, nullptr, c);
            return batchesPerSecond(t, budget).wall * 100.0;
        };
        std::vector<double> a, b;
        for (int r = 0; r < std::max(3, o.repeats / 2); ++r) {
            a.push_back(one(1));
            b.push_back(one(2));
        }
        std::printf("| 2 threads vs 1 (CD-1 784x500, batch 100) | %.0f -> %.0f samples/s = %.2fx |\n", median(a),
                    median(b), median(b) / median(a));
        return 0;
    }

    // FMA peak first (median of a few short runs).
    std::vector<double> peaks;
    for (int r = 0; r < std::max(3, o.repeats / 2); ++r) peaks.push_back(fmaPeakGflops(o.quick ? 0.1 : 0.3));
    const double fmaPeak = median(peaks);
    say("FMA peak: %.1f GFLOP/s\n", fmaPeak);

    // CD-1 and the Eigen ceiling in both layouts, interleaved: the ceiling is the faster
    // layout of each pair, so the ratio is against the best Eigen can do on these shapes.
    std::vector<Row> rows;
    GemmCeiling publicLayout(100, 784, 500, false), internalLayout(100, 784, 500, true);
    std::vector<double> ceilPublic, ceilInternal, ceilCpu, cd1, cd1Cpu, pairRatio;
    {
        Trainer t(train, nullptr, standardConfig(Algorithm::CD, 1, 500, 100));
        for (int r = 0; r < o.repeats; ++r) {
            const Rate a = publicLayout.samplesPerSecond(budget * 0.5);
            const Rate b = internalLayout.samplesPerSecond(budget * 0.5);
            const Rate s1 = batchesPerSecond(t, budget);
            const double c = std::max(a.wall, b.wall);
            ceilPublic.push_back(a.wall);
            ceilInternal.push_back(b.wall);
            ceilCpu.push_back(std::max(a.cpu, b.cpu));
            cd1.push_back(s1.wall * 100.0);
            cd1Cpu.push_back(s1.cpu * 100.0);
            pairRatio.push_back(s1.wall * 100.0 / c);
            say("  pair %d: Eigen ceiling %.0f (row layout) / %.0f (column layout), CD-1 %.0f samples/s (%.2f)\n",
                r + 1, a.wall, b.wall, s1.wall * 100.0, s1.wall * 100.0 / c);
        }
    }
    auto allocationsPerBatch = [&](Trainer& t) {
        for (int i = 0; i < 3; ++i) t.trainBatch();
        const long before = gAllocations.load();
        for (int i = 0; i < 20; ++i) t.trainBatch();
        return static_cast<double>(gAllocations.load() - before) / 20.0;
    };
    const double ceilingRate = std::max(median(ceilPublic), median(ceilInternal));
    const double ceilingGflops = ceilingRate / 100.0 * publicLayout.flopsPerBatch() / 1e9;
    for (int layout = 0; layout < 2; ++layout) {
        Row r;
        r.name = layout == 0 ? "Eigen GEMM ceiling: the 5 products of CD-1, one example per row"
                             : "Eigen GEMM ceiling: the same, one example per column";
        r.unit = "samples/s";
        r.rate = r.samplesPerSecond = median(layout == 0 ? ceilPublic : ceilInternal);
        r.cpuRate = layout == 0 ? 0 : median(ceilCpu);
        r.gflops = r.rate / 100.0 * publicLayout.flopsPerBatch() / 1e9;
        r.ceilingRatio = r.rate / ceilingRate;
        r.peakRatio = r.gflops / fmaPeak;
        r.allocationsPerBatch = -1;
        rows.push_back(r);
    }
    {
        Row r;
        r.name = "CD-1 784x500, batch 100";
        r.unit = "samples/s";
        r.rate = r.samplesPerSecond = median(cd1);
        r.cpuRate = median(cd1Cpu);
        r.ceilingRatio = median(pairRatio);
        r.gflops = r.rate / 100.0 * cdFlopsPerBatch(Algorithm::CD, 1, 100, 784, 500) / 1e9;
        r.peakRatio = r.gflops / fmaPeak;
        Trainer t(train, nullptr, standardConfig(Algorithm::CD, 1, 500, 100));
        r.allocationsPerBatch = allocationsPerBatch(t);
        r.target = ">= 18,000 and >= 0.9 x ceiling";
        rows.push_back(r);
    }

    struct Spec {
        const char* name;
        Algorithm a;
        int k, hidden, batch;
        bool iterations;
        const char* target;
    };
    const Spec specs[] = {
        {"PCD-1 784x500, batch 100", Algorithm::PCD, 1, 500, 100, false, ""},
        {"CD-10 784x500, batch 100", Algorithm::CD, 10, 500, 100, false, ""},
        {"TF2 article: PCD-5 784x784, batch 5", Algorithm::PCD, 5, 784, 5, true, ">= 200 it/s"},
    };
    for (const Spec& sp : specs) {
        Trainer t(train, nullptr, standardConfig(sp.a, sp.k, sp.hidden, sp.batch));
        std::vector<double> v, vc;
        for (int r = 0; r < o.repeats; ++r) {
            const Rate x = batchesPerSecond(t, budget * 0.6);
            v.push_back(x.wall);
            vc.push_back(x.cpu);
        }
        const double bps = median(v);
        Row row;
        row.name = sp.name;
        row.unit = sp.iterations ? "it/s" : "samples/s";
        row.rate = sp.iterations ? bps : bps * sp.batch;
        row.cpuRate = sp.iterations ? median(vc) : median(vc) * sp.batch;
        row.samplesPerSecond = bps * sp.batch;
        row.gflops = bps * cdFlopsPerBatch(sp.a, sp.k, sp.batch, 784, sp.hidden) / 1e9;
        // Work-equivalent to the ceiling: the ceiling's FLOP rate is the reference.
        row.ceilingRatio = row.gflops / ceilingGflops;
        row.peakRatio = row.gflops / fmaPeak;
        row.allocationsPerBatch = allocationsPerBatch(t);
        row.target = sp.target;
        rows.push_back(row);
        say("  %s: %.1f %s\n", sp.name, row.rate, row.unit.c_str());
    }

    // ---- studio smoothness
    Trainer ref(train, nullptr, standardConfig(Algorithm::CD, 1, 500, 100));
    const double batchSeconds = 1.0 / batchesPerSecond(ref, budget * 0.5).wall;
    // Snapshot hand-off: what the worker copies into an immutable snapshot.
    struct Snapshot {
        Rbm model;
        Matrix batch, hidden, negatives, updateW;
        Vector updateB, updateC;
    };
    std::vector<double> snap;
    for (int r = 0; r < o.repeats * 5; ++r) {
        ref.trainBatch();  // fresh buffers: the row-layout copies are made on first access
        const auto a = Clock::now();
        auto s = std::make_shared<Snapshot>();
        s->model = ref.model();
        s->batch = ref.lastBatch();
        s->hidden = ref.lastHiddenProbabilities();
        s->negatives = ref.negativeSamples();
        s->updateW = ref.lastWeightUpdate();
        s->updateB = ref.lastVisibleBiasUpdate();
        s->updateC = ref.lastHiddenBiasUpdate();
        std::shared_ptr<const Snapshot> published = s;
        keep(published->model.W(0, 0));
        snap.push_back(seconds(a, Clock::now()));
    }
    const double snapshotSeconds = median(snap);

    // Dream step on a 784x784 model: 8 chains (the panel's maximum), 10 units clamped, one
    // hidden unit forced, sampled both ways: the path the dream panel takes.
    double dreamSeconds = 0;
    {
        Rbm m(784, 784);
        Random g(3);
        for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(g.normal()) * 0.05f;
        GibbsSampler sampler(5);
        GibbsState st;
        GibbsOptions go;
        go.clampMask = Vector::Zero(784);
        go.clampMask.head(10).setOnes();
        go.hiddenForce.assign(784, -1);
        go.hiddenForce[3] = 1;
        sampler.start(m, st, toMatrix(*train, 8), go);
        std::vector<double> d;
        for (int r = 0; r < o.repeats * 50; ++r) {
            const auto a = Clock::now();
            sampler.step(m, st, go);
            d.push_back(seconds(a, Clock::now()));
        }
        dreamSeconds = median(d);
    }

    // The core part of the filter grid for 784 hidden units: per-unit symmetric scaling of its
    // 784 weights to 8-bit grey levels in a 28-wide grid of 28x28 tiles with 1 px gaps.
    double filterSeconds = 0;
    {
        Rbm m(784, 784);
        Random g(4);
        for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(g.normal()) * 0.05f;
        const int tiles = 28, tile = 28, pad = 1;
        const int side = tiles * (tile + pad) + pad;
        std::vector<std::uint32_t> image(static_cast<std::size_t>(side) * side);
        std::vector<double> f;
        for (int r = 0; r < o.repeats * 5; ++r) {
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
        filterSeconds = median(f);
    }

    // ---- threads: 2 vs 1, the other core idle, then busy with a spinning thread
    double idle1 = 0, idle2 = 0, busy1 = 0, busy2 = 0;
    if (o.threads) {
        auto measure = [&](int threads) {
            TrainingConfig c = standardConfig(Algorithm::CD, 1, 500, 100);
            c.threads = threads;
            Trainer t(train, nullptr, c);
            return batchesPerSecond(t, budget).wall * 100.0;
        };
        auto paired = [&](double& one, double& two) {
            std::vector<double> a, b;
            for (int r = 0; r < std::max(3, o.repeats / 2); ++r) {
                a.push_back(measure(1));
                b.push_back(measure(2));
            }
            one = median(a);
            two = median(b);
        };
        paired(idle1, idle2);
        std::atomic<bool> stop{false};
        std::thread spinner([&] {
            volatile double x = 1.0;
            while (!stop.load(std::memory_order_relaxed)) x = x * 1.0000001 + 1e-9;
        });
        paired(busy1, busy2);
        stop = true;
        spinner.join();
        say("  threads: idle %.0f -> %.0f, busy %.0f -> %.0f samples/s\n", idle1, idle2, busy1, busy2);
    }

    // ---- full MNIST memory, in a child process so that this one's buffers do not count
    double childPeak = 0, childNow = 0;
    if (o.memory) {
        const std::string cmd = "'" + selfPath() + "' --memory-child";
        if (std::FILE* p = popen(cmd.c_str(), "r")) {
            if (std::fscanf(p, "%lf %lf", &childPeak, &childNow) != 2) childPeak = childNow = 0;
            pclose(p);
        }
    }
    const double rss = peakRssMb();

    if (o.json) {
        std::printf("{\n  \"fmaPeakGflops\": %.2f,\n  \"eigenCeilingSamplesPerSecond\": %.1f,\n", fmaPeak, ceilingRate);
        std::printf("  \"eigenCeilingGflops\": %.2f,\n  \"repeats\": %d,\n  \"quick\": %s,\n", ceilingGflops, o.repeats,
                    o.quick ? "true" : "false");
        std::printf("  \"training\": [\n");
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Row& r = rows[i];
            std::printf("    {\"name\": \"%s\", \"rate\": %.2f, \"unit\": \"%s\", \"ratePerCpuSecond\": %.2f, "
                        "\"samplesPerSecond\": %.1f, \"gflops\": %.2f, \"ratioToEigenCeiling\": %.3f, "
                        "\"ratioToFmaPeak\": %.3f, \"allocationsPerBatch\": %.1f}%s\n",
                        jsonEscape(r.name).c_str(), r.rate, r.unit.c_str(), r.cpuRate, r.samplesPerSecond, r.gflops,
                        r.ceilingRatio, r.peakRatio, r.allocationsPerBatch, i + 1 < rows.size() ? "," : "");
        }
        std::printf("  ],\n");
        std::printf("  \"batchSecondsCd1\": %.6f,\n  \"snapshotSeconds\": %.6f,\n  \"snapshotFractionOfBatch\": %.4f,\n"
                    "  \"snapshotFractionOfThroughputAt33ms\": %.4f,\n",
                    batchSeconds, snapshotSeconds, snapshotSeconds / batchSeconds,
                    snapshotSeconds / std::max(0.033, batchSeconds));
        std::printf("  \"dreamStepSeconds784x784\": %.6f,\n  \"filterGridCoreSeconds784\": %.6f,\n", dreamSeconds,
                    filterSeconds);
        std::printf("  \"threads\": {\"idle1\": %.1f, \"idle2\": %.1f, \"busy1\": %.1f, \"busy2\": %.1f},\n", idle1,
                    idle2, busy1, busy2);
        std::printf("  \"fullMnistPeakRssMb\": %.1f,\n  \"peakRssMb\": %.1f\n}\n", childPeak, rss);
        return 0;
    }

    std::printf("\nFMA peak (one core): %.1f GFLOP/s; Eigen GEMM ceiling: %.1f GFLOP/s\n\n", fmaPeak, ceilingGflops);
    std::printf("| configuration (1 training thread) | rate (wall) | rate per CPU-second | GFLOP/s | / Eigen ceiling | "
                "/ FMA peak | allocations per batch | target |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (const Row& r : rows) {
        char cpu[64] = "", alloc[32] = "";
        if (r.cpuRate > 0) std::snprintf(cpu, sizeof cpu, "%.0f", r.cpuRate);
        if (r.allocationsPerBatch >= 0) std::snprintf(alloc, sizeof alloc, "%.0f", r.allocationsPerBatch);
        std::printf("| %s | %.0f %s | %s | %.1f | %.2f | %.2f | %s | %s |\n", r.name.c_str(), r.rate, r.unit.c_str(), cpu,
                    r.gflops, r.ceilingRatio, r.peakRatio, alloc, r.target.c_str());
    }
    std::printf("\n| studio | measured | target |\n| --- | ---: | ---: |\n");
    std::printf("| snapshot hand-off (784x500 model + buffers), at most one per 33 ms | %.3f ms = %.2f%% of "
                "training throughput (%.1f%% of one CD-1 batch of %.2f ms) | < 5%% |\n",
                snapshotSeconds * 1e3, 100.0 * snapshotSeconds / std::max(0.033, batchSeconds),
                100.0 * snapshotSeconds / batchSeconds, batchSeconds * 1e3);
    std::printf("| dream step, 784x784, 8 chains, clamp + force | %.3f ms | < 2 ms |\n", dreamSeconds * 1e3);
    std::printf("| filter grid core, 784 hidden units | %.3f ms | < 10 ms |\n", filterSeconds * 1e3);
    if (o.memory)
        std::printf("| full MNIST (60,000 x 784) PCD-1 784x500: peak RSS | %.0f MB | < 500 MB |\n", childPeak);
    if (o.threads) {
        std::printf("| 2 threads vs 1, other core idle (CD-1) | %.0f -> %.0f samples/s = %.2fx | >= 1.7x |\n", idle1,
                    idle2, idle2 / idle1);
        std::printf("| 2 threads vs 1, other core busy (CD-1) | %.0f -> %.0f samples/s = %.2fx | >= 1.0x |\n", busy1,
                    busy2, busy2 / busy1);
    }
    std::printf("| peak RSS of this benchmark | %.0f MB | |\n", rss);
    return 0;
}
