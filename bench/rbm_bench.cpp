// rbm-bench: training throughput of the core trainer against this machine's own limits and
// against a numpy peer, measured in the same run:
//   - the FMA peak of one core: a probe per instruction set (SSE2, AVX2+FMA, AVX-512F), the
//     widest the processor runs, whatever -march this binary was built with (fma_peak.h);
//   - the "Eigen ceiling": Eigen's SGEMM on exactly the 5 products of a CD-1 step with the
//     trainer's shapes (gemm_ceiling.h);
//   - the numpy peer: a plain numpy CD-1 (bench/numpy_cd1.py) when python3-numpy is there,
//     run alternately with RBM Studio's CD-1 (numpy_peer.h).
// Standard configurations on the embedded digits: CD-1 and PCD-1 at 784x500 batch 100, CD-10,
// and the TF2 article's configuration (784x784, batch 5, persistent CD-5). Plus what keeps the
// studio smooth (studio_measures.h) and 2 threads vs 1 with the other core idle and busy.
//
// Numbers are medians over repeats. CD-1, the ceiling, the numpy peer and a short FMA probe are
// measured interleaved (pairs), so that load from other programs affects them alike, and each
// ratio is the median of the per-pair ratios.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "fma_peak.h"
#include "gemm_ceiling.h"
#include "numpy_peer.h"
#include "report.h"
#include "studio_measures.h"
#include "training_rates.h"

using namespace bench;
using rbm::Algorithm;
using rbm::Trainer;
using rbm::TrainingConfig;

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

struct Options {
    bool quick = false;
    bool json = false;
    int repeats = 7;
    bool threads = true;
    bool memory = true;
    bool threadsOnly = false;  ///< only the 2-vs-1-thread comparison (to repeat it when the machine is quiet)
    bool numpy = true;
    std::string python;       ///< empty: python3, then /usr/bin/python3 (where python3-numpy installs)
    std::string numpyScript;  ///< empty: bench/numpy_cd1.py found from the executable
};

const char* const kUsage =
    "usage: rbm-bench [--quick] [--json] [--repeats N] [--skip-threads] [--skip-memory] [--threads-only]\n"
    "                 [--skip-numpy] [--python PATH] [--numpy-script PATH]\n"
    "  --quick          short runs (3 repeats, a quarter of the time each)\n"
    "  --json           one JSON document on stdout, no progress on stderr\n"
    "  --repeats N      pairs and repeats per measure (default 7)\n"
    "  --skip-threads   no 2-threads-vs-1 rows;  --skip-memory: no full-MNIST memory row\n"
    "  --threads-only   only 2 threads vs 1 (CD-1), to repeat it on a quiet machine\n"
    "  --skip-numpy     no numpy peer (default: bench/numpy_cd1.py when numpy imports)\n"
    "  --python PATH    the Python that runs the peer (default python3, then /usr/bin/python3)\n"
    "  --numpy-script P the peer's script (default: bench/numpy_cd1.py of this source tree)\n";

std::string selfPath() {
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "rbm-bench";
    buf[n] = 0;
    return buf;
}

double allocationsPerBatch(Trainer& t) {
    for (int i = 0; i < 3; ++i) t.trainBatch();
    const long before = gAllocations.load();
    for (int i = 0; i < 20; ++i) t.trainBatch();
    return static_cast<double>(gAllocations.load() - before) / 20.0;
}

/// The FMA probes, each the median of a few short runs; the peak is the widest supported.
void measureFmaPeak(const Options& o, Results& res) {
    res.engineIsa = engineInstructionSet();
    res.eigenPackets = eigenPackets();
    res.cpuIsa = cpuInstructionSets();
    for (Probe p : kProbes) {
        ProbeResult pr;
        pr.name = probeName(p);
        pr.supported = cpuSupports(p);
        if (pr.supported) {
            std::vector<double> g, gc;
            for (int r = 0; r < std::max(3, o.repeats / 2); ++r) {
                const Rate x = probeGflops(p, o.quick ? 0.1 : 0.3);
                g.push_back(x.wall);
                gc.push_back(x.cpu);
            }
            pr.gflops = median(g);
            pr.cpuGflops = median(gc);
        }
        res.probes.push_back(pr);
    }
    res.peakProbe = probeName(bestProbe());
    for (const ProbeResult& pr : res.probes)
        if (pr.name == res.peakProbe) res.fmaPeak = pr.gflops, res.fmaPeakCpu = pr.cpuGflops;
    say("engine's products: %s; processor: %s; FMA peak (%s) %.1f GFLOP/s\n", res.engineIsa.c_str(),
        res.cpuIsa.c_str(), res.peakProbe.c_str(), res.fmaPeak);
}

/// CD-1, the Eigen ceiling in both layouts, the numpy peer and a short FMA probe, in pairs:
/// the ceiling is the faster layout of each pair (the best Eigen does on these shapes), and
/// CD-1 and numpy swap order every pair so that neither always runs first.
void measureCd1Pairs(const Options& o, double budget, NumpyPeer& peer, Results& res) {
    const Probe best = bestProbe();
    GemmCeiling publicLayout(100, 784, 500, false), internalLayout(100, 784, 500, true);
    std::vector<double> ceilPublic, ceilInternal, ceilCpu, cd1, cd1Cpu, ceilRatio, peakRatio, peakCpuRatio;
    std::vector<double> np, npCpu, npRatio, npCpuRatio;
    const double flops = cdFlopsPerBatch(Algorithm::CD, 1, 100, 784, 500);
    Trainer t(embeddedTrain(), nullptr, standardConfig(Algorithm::CD, 1, 500, 100));
    for (int r = 0; r < o.repeats; ++r) {
        const Rate a = publicLayout.samplesPerSecond(budget * 0.5);
        const Rate b = internalLayout.samplesPerSecond(budget * 0.5);
        Rate s1, peer1;
        if (r % 2 == 0) s1 = batchesPerSecond(t, budget);
        if (peer.running()) peer1 = peer.run(budget);
        if (r % 2 == 1) s1 = batchesPerSecond(t, budget);
        const Rate peak = probeGflops(best, 0.1);  // shorter is noise under load
        const double c = std::max(a.wall, b.wall);
        ceilPublic.push_back(a.wall);
        ceilInternal.push_back(b.wall);
        ceilCpu.push_back(std::max(a.cpu, b.cpu));
        cd1.push_back(s1.wall * 100.0);
        cd1Cpu.push_back(s1.cpu * 100.0);
        ceilRatio.push_back(s1.wall * 100.0 / c);
        peakRatio.push_back(s1.wall * flops / 1e9 / peak.wall);
        peakCpuRatio.push_back(s1.cpu * flops / 1e9 / peak.cpu);
        say("  pair %d: Eigen ceiling %.0f (row layout) / %.0f (column layout), CD-1 %.0f samples/s (%.2f of the "
            "ceiling, %.2f of the FMA peak %.0f GFLOP/s)",
            r + 1, a.wall, b.wall, s1.wall * 100.0, s1.wall * 100.0 / c, peakRatio.back(), peak.wall);
        if (peer1.wall > 0) {
            np.push_back(peer1.wall);
            npCpu.push_back(peer1.cpu);
            npRatio.push_back(s1.wall * 100.0 / peer1.wall);
            npCpuRatio.push_back(s1.cpu * 100.0 / peer1.cpu);
            say(", numpy %.0f samples/s (RBM Studio / numpy %.2f)", peer1.wall, npRatio.back());
        }
        say("\n");
    }
    res.ceilingRate = std::max(median(ceilPublic), median(ceilInternal));
    res.ceilingGflops = res.ceilingRate / 100.0 * publicLayout.flopsPerBatch() / 1e9;
    for (int layout = 0; layout < 2; ++layout) {
        Row row;
        row.name = layout == 0 ? "Eigen GEMM ceiling: the 5 products of CD-1, one example per row"
                               : "Eigen GEMM ceiling: the same, one example per column";
        row.unit = "samples/s";
        row.rate = row.samplesPerSecond = median(layout == 0 ? ceilPublic : ceilInternal);
        row.cpuRate = layout == 0 ? 0 : median(ceilCpu);
        row.gflops = row.rate / 100.0 * publicLayout.flopsPerBatch() / 1e9;
        row.ceilingRatio = row.rate / res.ceilingRate;
        row.peakRatio = row.gflops / res.fmaPeak;
        res.rows.push_back(row);
    }
    Row row;
    row.name = "CD-1 784x500, batch 100";
    row.unit = "samples/s";
    row.rate = row.samplesPerSecond = median(cd1);
    row.cpuRate = median(cd1Cpu);
    row.ceilingRatio = median(ceilRatio);
    row.gflops = row.rate / 100.0 * flops / 1e9;
    row.peakRatio = median(peakRatio);
    row.allocationsPerBatch = allocationsPerBatch(t);
    row.target = ">= 1.5x numpy, >= 0.5 x FMA peak";
    res.rows.push_back(row);
    res.cd1Rate = row.rate;
    res.cd1Gflops = row.gflops;
    res.cd1PeakRatio = row.peakRatio;
    res.cd1CpuGflops = row.cpuRate / 100.0 * flops / 1e9;
    res.cd1CpuPeakRatio = median(peakCpuRatio);
    res.numpy.measured = !np.empty();
    res.numpy.description = peer.description();
    res.numpy.whyNot = peer.whyNot();
    res.numpy.optimisedBlas = peer.optimisedBlas();
    res.numpy.rate = median(np);
    res.numpy.cpuRate = median(npCpu);
    res.numpy.ratio = median(npRatio);
    res.numpy.cpuRatio = median(npCpuRatio);
    res.numpy.pairRatios = npRatio;

    // Each product alone, round-robin so that a burst of load hits all of them alike.
    std::vector<std::vector<double>> wall(GemmCeiling::kProducts), cpu(GemmCeiling::kProducts);
    for (int r = 0; r < std::max(3, o.repeats / 2); ++r)
        for (int p = 0; p < GemmCeiling::kProducts; ++p) {
            const Rate x = internalLayout.productGflops(p, budget * 0.1);
            wall[p].push_back(x.wall);
            cpu[p].push_back(x.cpu);
        }
    for (int p = 0; p < GemmCeiling::kProducts; ++p) {
        res.productNames.push_back(GemmCeiling::productName(p));
        res.productGflops.push_back({median(wall[p]), median(cpu[p])});
    }
}

void measureOtherTraining(const Options& o, double budget, Results& res) {
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
        {"TF2 article: PCD-5 784x784, batch 5", Algorithm::PCD, 5, 784, 5, true, ">= 300 it/s"},
    };
    for (const Spec& sp : specs) {
        Trainer t(embeddedTrain(), nullptr, standardConfig(sp.a, sp.k, sp.hidden, sp.batch));
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
        row.ceilingRatio = row.gflops / res.ceilingGflops;
        row.peakRatio = row.gflops / res.fmaPeak;
        row.allocationsPerBatch = allocationsPerBatch(t);
        row.target = sp.target;
        res.rows.push_back(row);
        say("  %s: %.1f %s\n", sp.name, row.rate, row.unit.c_str());
    }
}

double cd1SamplesPerSecond(int threads, double budget) {
    TrainingConfig c = standardConfig(Algorithm::CD, 1, 500, 100);
    c.threads = threads;
    Trainer t(embeddedTrain(), nullptr, c);
    return batchesPerSecond(t, budget).wall * 100.0;
}

/// 2 threads vs 1, paired: medians of a few alternating runs.
void pairedThreads(const Options& o, double budget, double& one, double& two) {
    std::vector<double> a, b;
    for (int r = 0; r < std::max(3, o.repeats / 2); ++r) {
        a.push_back(cd1SamplesPerSecond(1, budget));
        b.push_back(cd1SamplesPerSecond(2, budget));
    }
    one = median(a);
    two = median(b);
}

/// The other core idle, then busy with a spinning thread.
void measureThreads(const Options& o, double budget, Results& res) {
    res.threads = true;
    pairedThreads(o, budget, res.idle1, res.idle2);
    std::atomic<bool> stop{false};
    std::thread spinner([&] {
        volatile double x = 1.0;
        while (!stop.load(std::memory_order_relaxed)) x = x * 1.0000001 + 1e-9;
    });
    pairedThreads(o, budget, res.busy1, res.busy2);
    stop = true;
    spinner.join();
    say("  threads: idle %.0f -> %.0f, busy %.0f -> %.0f samples/s\n", res.idle1, res.idle2, res.busy1, res.busy2);
}

/// Full MNIST memory, in a child process so that this one's buffers do not count.
void measureMemory(Results& res) {
    res.memory = true;
    const std::string cmd = "'" + selfPath() + "' --memory-child";
    if (std::FILE* p = popen(cmd.c_str(), "r")) {
        double current = 0;
        if (std::fscanf(p, "%lf %lf", &res.childPeakMb, &current) != 2) res.childPeakMb = 0;
        pclose(p);
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--quick") o.quick = true;
        else if (a == "--json") o.json = true;
        else if (a == "--repeats" && hasValue) o.repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "--skip-threads") o.threads = false;
        else if (a == "--skip-memory") o.memory = false;
        else if (a == "--threads-only") o.threadsOnly = true;
        else if (a == "--skip-numpy") o.numpy = false;
        else if (a == "--python" && hasValue) o.python = argv[++i];
        else if (a == "--numpy-script" && hasValue) o.numpyScript = argv[++i];
        else if (a == "--memory-child") return memoryChild();
        else {
            const bool help = a == "--help" || a == "-h";
            std::fputs(kUsage, help ? stdout : stderr);
            return help ? 0 : 2;
        }
    }
    if (o.quick && o.repeats == 7) o.repeats = 3;
    const double budget = o.quick ? 0.25 : 1.0;
    quiet = o.json;
    if (o.threadsOnly) {
        double one = 0, two = 0;
        pairedThreads(o, budget, one, two);
        std::printf("| 2 threads vs 1 (CD-1 784x500, batch 100) | %.0f -> %.0f samples/s = %.2fx |\n", one, two,
                    two / one);
        return 0;
    }

    Results res;
    res.quick = o.quick;
    res.repeats = o.repeats;
    measureFmaPeak(o, res);

    NumpyPeer peer;
    if (o.numpy) {
        const std::string script = o.numpyScript.empty() ? findNumpyScript(selfPath()) : o.numpyScript;
        const std::vector<std::string> pythons =
            o.python.empty() ? std::vector<std::string>{"python3", "/usr/bin/python3"} : std::vector<std::string>{o.python};
        if (peer.start(script, pythons, embeddedTrain()->pixels)) say("numpy peer: %s\n", peer.description().c_str());
        else say("numpy peer: not measured (%s)\n", peer.whyNot().c_str());
    }
    measureCd1Pairs(o, budget, peer, res);
    if (!o.numpy) res.numpy.whyNot = "--skip-numpy";
    measureOtherTraining(o, budget, res);

    Trainer ref(embeddedTrain(), nullptr, standardConfig(Algorithm::CD, 1, 500, 100));
    res.batchSeconds = 1.0 / batchesPerSecond(ref, budget * 0.5).wall;
    res.snapshotSeconds = snapshotSeconds(ref, o.repeats * 5);
    res.dreamSeconds = dreamStepSeconds(o.repeats * 50);
    res.filterSeconds = filterGridCoreSeconds(o.repeats * 5);
    if (o.threads) measureThreads(o, budget, res);
    if (o.memory) measureMemory(res);
    res.peakRssMb = peakRssMb();

    if (o.json) printJson(res);
    else printText(res);
    return 0;
}
