#include "report.h"

#include <algorithm>
#include <cstdio>

namespace bench {
namespace {

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char ch : s) {
        if (ch == '"' || ch == '\\') o += '\\';
        o += ch;
    }
    return o;
}

const char* yesNo(bool b) { return b ? "true" : "false"; }

constexpr double kCd1FlopsPerSample = 5.0 * 2.0 * 784 * 500;  ///< the 5 products, dense

}  // namespace

void printText(const Results& r) {
    std::printf("\nInstruction sets: the engine's products run with %s (Eigen's packets: %s); the processor has %s.\n",
                r.engineIsa.c_str(), r.eigenPackets.c_str(), r.cpuIsa.c_str());
    std::printf("FMA peak probes (one core):");
    for (std::size_t i = 0; i < r.probes.size(); ++i) {
        const ProbeResult& p = r.probes[i];
        if (p.supported)
            std::printf("%s %s %.1f GFLOP/s (%.1f per CPU-second)", i ? ";" : "", p.name.c_str(), p.gflops, p.cpuGflops);
        else std::printf("%s %s not supported", i ? ";" : "", p.name.c_str());
    }
    std::printf(".\nFMA peak (%s): %.1f GFLOP/s = %.0f samples/s of CD-1 784x500 at peak; Eigen GEMM ceiling: %.1f GFLOP/s\n",
                r.peakProbe.c_str(), r.fmaPeak, r.fmaPeak * 1e9 / kCd1FlopsPerSample, r.ceilingGflops);
    if (r.numpy.measured) std::printf("numpy peer: %s\n", r.numpy.description.c_str());
    else std::printf("numpy peer: not measured (%s)\n", r.numpy.whyNot.c_str());
    if (r.numpy.measured && !r.numpy.optimisedBlas)
        std::printf("  (numpy runs on the reference BLAS, not a fair peer: the issue's peer is numpy on OpenBLAS, "
                    "Debian's libopenblas0-pthread)\n");

    std::printf("\n| CD-1 784x500, batch 100, 1 thread, in pairs (median of %d) | measured | target |\n"
                "| --- | ---: | ---: |\n",
                r.repeats);
    if (r.numpy.measured)
        std::printf("| RBM Studio / numpy (median of the per-pair ratios) | **%.2fx** (RBM Studio %.0f samples/s, numpy "
                    "%.0f samples/s) | >= 1.5x |\n",
                    r.numpy.ratio, r.cd1Rate, r.numpy.rate);
    else std::printf("| RBM Studio / numpy | not measured | >= 1.5x |\n");
    std::printf("| RBM Studio's effective FLOP/s / FMA peak (dense FLOP count of the 5 products; the peak probed in "
                "each pair) | **%.2f** (%.1f GFLOP/s; FMA peak measured alone %.1f) | >= 0.5 |\n",
                r.cd1PeakRatio, r.cd1Gflops, r.fmaPeak);
    // On a shared machine each side loses a different share of its core to other programs;
    // per CPU-second of each side's own thread that share drops out (cache sharing stays).
    if (r.numpy.measured)
        std::printf("| the same ratios per CPU-second of each side's thread | %.2fx (numpy %.0f samples/s); %.2f "
                    "(%.1f of %.1f GFLOP/s) | |\n",
                    r.numpy.cpuRatio, r.numpy.cpuRate, r.cd1CpuPeakRatio, r.cd1CpuGflops, r.fmaPeakCpu);
    else
        std::printf("| the FMA-peak ratio per CPU-second of each side's thread | %.2f (%.1f of %.1f GFLOP/s) | |\n",
                    r.cd1CpuPeakRatio, r.cd1CpuGflops, r.fmaPeakCpu);

    std::printf("\n| configuration (1 training thread) | rate (wall) | rate per CPU-second | GFLOP/s | / Eigen ceiling | "
                "/ FMA peak | allocations per batch | target |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (const Row& row : r.rows) {
        char cpu[64] = "", alloc[32] = "";
        if (row.cpuRate > 0) std::snprintf(cpu, sizeof cpu, "%.0f", row.cpuRate);
        if (row.allocationsPerBatch >= 0) std::snprintf(alloc, sizeof alloc, "%.0f", row.allocationsPerBatch);
        std::printf("| %s | %.0f %s | %s | %.1f | %.2f | %.2f | %s | %s |\n", row.name.c_str(), row.rate,
                    row.unit.c_str(), cpu, row.gflops, row.ceilingRatio, row.peakRatio, alloc, row.target.c_str());
    }
    if (r.numpy.measured)
        std::printf("| numpy peer: CD-1 784x500, batch 100 (paired with the row above) | %.0f samples/s | %.0f | %.1f | "
                    "| %.2f | | |\n",
                    r.numpy.rate, r.numpy.cpuRate, r.numpy.rate * kCd1FlopsPerSample / 1e9,
                    r.numpy.rate * kCd1FlopsPerSample / 1e9 / r.fmaPeak);

    if (!r.productGflops.empty()) {
        std::printf("\n| Eigen GEMM, one product of CD-1 alone (one example per column) | GFLOP/s | / FMA peak | "
                    "GFLOP per CPU-second | / FMA peak per CPU-second |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (std::size_t i = 0; i < r.productGflops.size(); ++i)
            std::printf("| %s | %.1f | %.2f | %.1f | %.2f |\n", r.productNames[i].c_str(), r.productGflops[i].wall,
                        r.productGflops[i].wall / r.fmaPeak, r.productGflops[i].cpu,
                        r.productGflops[i].cpu / r.fmaPeakCpu);
    }

    std::printf("\n| studio | measured | target |\n| --- | ---: | ---: |\n");
    std::printf("| snapshot hand-off (784x500 model + buffers), at most one per 33 ms | %.3f ms = %.2f%% of "
                "training throughput (%.1f%% of one CD-1 batch of %.2f ms) | < 2%% |\n",
                r.snapshotSeconds * 1e3, 100.0 * r.snapshotSeconds / std::max(0.033, r.batchSeconds),
                100.0 * r.snapshotSeconds / r.batchSeconds, r.batchSeconds * 1e3);
    std::printf("| dream step, 784x784, 8 chains, clamp + force | %.3f ms | < 1 ms |\n", r.dreamSeconds * 1e3);
    std::printf("| filter grid core, 784 hidden units | %.3f ms | < 10 ms |\n", r.filterSeconds * 1e3);
    if (r.memory)
        std::printf("| full MNIST (60,000 x 784) PCD-1 784x500: peak RSS | %.0f MB | < 150 MB |\n", r.childPeakMb);
    if (r.threads) {
        std::printf("| 2 threads vs 1, other core idle (CD-1) | %.0f -> %.0f samples/s = %.2fx | >= 1.8x |\n", r.idle1,
                    r.idle2, r.idle2 / r.idle1);
        std::printf("| 2 threads vs 1, other core busy (CD-1) | %.0f -> %.0f samples/s = %.2fx | >= 1.0x |\n", r.busy1,
                    r.busy2, r.busy2 / r.busy1);
    }
    std::printf("| peak RSS of this benchmark | %.0f MB | |\n", r.peakRssMb);
}

void printJson(const Results& r) {
    std::printf("{\n  \"engineInstructionSet\": \"%s\",\n  \"eigenPackets\": \"%s\",\n  \"cpuInstructionSets\": \"%s\",\n",
                jsonEscape(r.engineIsa).c_str(), jsonEscape(r.eigenPackets).c_str(), jsonEscape(r.cpuIsa).c_str());
    std::printf("  \"fmaProbes\": [");
    for (std::size_t i = 0; i < r.probes.size(); ++i)
        std::printf("%s{\"name\": \"%s\", \"supported\": %s, \"gflops\": %.2f, \"gflopsPerCpuSecond\": %.2f}",
                    i ? ", " : "", jsonEscape(r.probes[i].name).c_str(), yesNo(r.probes[i].supported), r.probes[i].gflops,
                    r.probes[i].cpuGflops);
    std::printf("],\n  \"fmaPeakProbe\": \"%s\",\n  \"fmaPeakGflops\": %.2f,\n  \"fmaPeakGflopsPerCpuSecond\": %.2f,\n",
                jsonEscape(r.peakProbe).c_str(), r.fmaPeak, r.fmaPeakCpu);
    std::printf("  \"eigenCeilingSamplesPerSecond\": %.1f,\n  \"eigenCeilingGflops\": %.2f,\n  \"repeats\": %d,\n"
                "  \"quick\": %s,\n",
                r.ceilingRate, r.ceilingGflops, r.repeats, yesNo(r.quick));
    std::printf("  \"numpyPeer\": {\"measured\": %s, \"description\": \"%s\", \"whyNot\": \"%s\", \"optimisedBlas\": %s, "
                "\"samplesPerSecond\": %.1f, \"samplesPerCpuSecond\": %.1f, \"ratioRbmStudioToNumpy\": %.3f, "
                "\"ratioPerCpuSecond\": %.3f, \"pairRatios\": [",
                yesNo(r.numpy.measured), jsonEscape(r.numpy.description).c_str(), jsonEscape(r.numpy.whyNot).c_str(),
                yesNo(r.numpy.optimisedBlas), r.numpy.rate, r.numpy.cpuRate, r.numpy.ratio, r.numpy.cpuRatio);
    for (std::size_t i = 0; i < r.numpy.pairRatios.size(); ++i)
        std::printf("%s%.3f", i ? ", " : "", r.numpy.pairRatios[i]);
    std::printf("]},\n  \"cd1GflopsPerFmaPeak\": %.3f,\n  \"cd1GflopsPerFmaPeakPerCpuSecond\": %.3f,\n",
                r.cd1PeakRatio, r.cd1CpuPeakRatio);
    std::printf("  \"eigenProductGflops\": {");
    for (std::size_t i = 0; i < r.productGflops.size(); ++i)
        std::printf("%s\"%s\": {\"gflops\": %.2f, \"gflopsPerCpuSecond\": %.2f}", i ? ", " : "",
                    jsonEscape(r.productNames[i]).c_str(), r.productGflops[i].wall, r.productGflops[i].cpu);
    std::printf("},\n  \"training\": [\n");
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const Row& row = r.rows[i];
        std::printf("    {\"name\": \"%s\", \"rate\": %.2f, \"unit\": \"%s\", \"ratePerCpuSecond\": %.2f, "
                    "\"samplesPerSecond\": %.1f, \"gflops\": %.2f, \"ratioToEigenCeiling\": %.3f, "
                    "\"ratioToFmaPeak\": %.3f, \"allocationsPerBatch\": %.1f}%s\n",
                    jsonEscape(row.name).c_str(), row.rate, row.unit.c_str(), row.cpuRate, row.samplesPerSecond,
                    row.gflops, row.ceilingRatio, row.peakRatio, row.allocationsPerBatch, i + 1 < r.rows.size() ? "," : "");
    }
    std::printf("  ],\n");
    std::printf("  \"batchSecondsCd1\": %.6f,\n  \"snapshotSeconds\": %.6f,\n  \"snapshotFractionOfBatch\": %.4f,\n"
                "  \"snapshotFractionOfThroughputAt33ms\": %.4f,\n",
                r.batchSeconds, r.snapshotSeconds, r.snapshotSeconds / r.batchSeconds,
                r.snapshotSeconds / std::max(0.033, r.batchSeconds));
    std::printf("  \"dreamStepSeconds784x784\": %.6f,\n  \"filterGridCoreSeconds784\": %.6f,\n", r.dreamSeconds,
                r.filterSeconds);
    std::printf("  \"threads\": {\"idle1\": %.1f, \"idle2\": %.1f, \"busy1\": %.1f, \"busy2\": %.1f},\n", r.idle1,
                r.idle2, r.busy1, r.busy2);
    std::printf("  \"fullMnistPeakRssMb\": %.1f,\n  \"peakRssMb\": %.1f\n}\n", r.childPeakMb, r.peakRssMb);
}

}  // namespace bench
