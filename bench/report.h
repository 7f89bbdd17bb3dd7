// rbm-bench's results and their two forms: the Markdown tables (bench/RESULTS.md, README) and
// one JSON document (--json).
#pragma once

#include <string>
#include <vector>

#include "bench_common.h"

namespace bench {

struct Row {
    std::string name;
    std::string unit;             ///< "samples/s" or "it/s"
    double rate = 0;              ///< wall clock, in `unit`
    double cpuRate = 0;           ///< per CPU-second of the training thread, in `unit`
    double samplesPerSecond = 0;
    double ceilingRatio = 0;      ///< to the same-run Eigen ceiling (paired for CD-1)
    double peakRatio = 0;         ///< achieved FLOP rate / FMA peak (paired for CD-1)
    double gflops = 0;
    double allocationsPerBatch = -1;  ///< -1: not measured
    std::string target;
};

struct ProbeResult {
    std::string name;
    bool supported = false;
    double gflops = 0, cpuGflops = 0;  ///< medians, per wall second and per CPU-second; 0 if not supported
};

struct PeerResult {
    bool measured = false;
    std::string description;  ///< numpy version, BLAS and its kernels, threads, Python
    std::string whyNot;       ///< when not measured
    bool optimisedBlas = false;
    double rate = 0, cpuRate = 0;  ///< samples/s, medians
    double ratio = 0;              ///< RBM Studio / numpy, median of the per-pair ratios
    double cpuRatio = 0;           ///< the same per CPU-second of each side's thread
    std::vector<double> pairRatios;
};

struct Results {
    bool quick = false;
    int repeats = 0;
    std::string engineIsa, eigenPackets, cpuIsa;
    std::vector<ProbeResult> probes;
    std::string peakProbe;
    double fmaPeak = 0, fmaPeakCpu = 0;  ///< GFLOP/s of the widest probe the processor runs
    double ceilingRate = 0, ceilingGflops = 0;
    std::vector<Row> rows;  ///< rows[2] is CD-1 784x500
    std::vector<std::string> productNames;
    std::vector<Rate> productGflops;  ///< Eigen, one example per column, each product alone
    PeerResult numpy;
    double cd1Rate = 0, cd1Gflops = 0, cd1PeakRatio = 0;  ///< CD-1: medians, ratio paired
    double cd1CpuGflops = 0, cd1CpuPeakRatio = 0;          ///< the same per CPU-second
    double batchSeconds = 0, snapshotSeconds = 0, dreamSeconds = 0, filterSeconds = 0;
    bool threads = false;
    double idle1 = 0, idle2 = 0, busy1 = 0, busy2 = 0;
    bool memory = false;
    double childPeakMb = 0, peakRssMb = 0;
};

void printText(const Results& r);
void printJson(const Results& r);

}  // namespace bench
