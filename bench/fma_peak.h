// The FMA peak of one core, measured with one probe per instruction set and chosen at run
// time, so that the figure is the processor's whatever -march this binary was built with;
// and which instruction set the engine's products run with and the processor has.
#pragma once

#include <string>

#include "bench_common.h"

namespace bench {

enum class Probe { Sse2, Avx2Fma, Avx512f };
constexpr Probe kProbes[] = {Probe::Sse2, Probe::Avx2Fma, Probe::Avx512f};

const char* probeName(Probe p);  ///< "SSE2 mul+add", "AVX2+FMA", "AVX-512F"
bool cpuSupports(Probe p);       ///< this processor runs the probe (__builtin_cpu_supports)
Probe bestProbe();               ///< the widest probe this processor supports

/// GFLOP/s (per wall second and per CPU-second of this thread) of a tight loop of independent
/// vector multiply-adds over about `budget` seconds, with enough accumulators to cover the FMA
/// latency of two pipes. Requires cpuSupports(p).
Rate probeGflops(Probe p, double budget);

/// The instruction set the engine's products run with, chosen at run time (rbm/products.h),
/// and why: e.g. "AVX2+FMA (the widest this processor runs)"; and Eigen's packets there.
std::string engineInstructionSet();
std::string eigenPackets();
/// What this processor supports, e.g. "SSE2, AVX, AVX2, FMA; no AVX-512F".
std::string cpuInstructionSets();

}  // namespace bench
