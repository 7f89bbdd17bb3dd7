#include "fma_peak.h"

#include <immintrin.h>

#include <algorithm>

#include "rbm/products.h"

#include "bench_common.h"

namespace bench {
namespace {

// Each kernel runs `n` iterations of acc = acc * a + b on its accumulators, a and b hidden from
// the optimiser, and returns the sum so nothing is dead. acc converges to b / (1 - a) = 0.1: no
// overflow, no denormals. The accumulators are plain locals so they stay in registers (an array
// of 24 zmm-sized values spilled to the stack without AVX-512: the old probe's 6.9 GFLOP/s).

// 128-bit multiply, then add (no FMA in SSE2). The asm barrier keeps the compiler from fusing
// the pair into an FMA under -march=native, so this is the peak of a plain x86-64 build. 12
// chains: mul and add latency about 3 + 3 cycles times 2 pipes each.
__attribute__((noinline)) float kernelSse2(long n) {
    __m128 a = _mm_set1_ps(0.999999f), b = _mm_set1_ps(1e-7f);
    asm volatile("" : "+x"(a), "+x"(b));
#define RBM_ACC(i) __m128 x##i = _mm_set1_ps(0.001f * (i));
    RBM_ACC(0) RBM_ACC(1) RBM_ACC(2) RBM_ACC(3) RBM_ACC(4) RBM_ACC(5)
    RBM_ACC(6) RBM_ACC(7) RBM_ACC(8) RBM_ACC(9) RBM_ACC(10) RBM_ACC(11)
#undef RBM_ACC
#define RBM_STEP(i) x##i = _mm_mul_ps(x##i, a); asm("" : "+x"(x##i)); x##i = _mm_add_ps(x##i, b);
    for (long it = 0; it < n; ++it) {
        RBM_STEP(0) RBM_STEP(1) RBM_STEP(2) RBM_STEP(3) RBM_STEP(4) RBM_STEP(5)
        RBM_STEP(6) RBM_STEP(7) RBM_STEP(8) RBM_STEP(9) RBM_STEP(10) RBM_STEP(11)
    }
#undef RBM_STEP
    const __m128 s = _mm_add_ps(_mm_add_ps(_mm_add_ps(x0, x1), _mm_add_ps(x2, x3)),
                                _mm_add_ps(_mm_add_ps(_mm_add_ps(x4, x5), _mm_add_ps(x6, x7)),
                                           _mm_add_ps(_mm_add_ps(x8, x9), _mm_add_ps(x10, x11))));
    return _mm_cvtss_f32(s);
}
constexpr double kSse2FlopsPerIteration = 12 * 4 * 2;

// 12 chains of 256-bit FMA: latency 4-5 cycles times 2 pipes needs at least 10; 12 + a + b
// fit the 16 ymm registers.
__attribute__((noinline, target("avx2,fma"))) float kernelAvx2(long n) {
    __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    asm volatile("" : "+x"(a), "+x"(b));
#define RBM_ACC(i) __m256 y##i = _mm256_set1_ps(0.001f * (i));
    RBM_ACC(0) RBM_ACC(1) RBM_ACC(2) RBM_ACC(3) RBM_ACC(4) RBM_ACC(5)
    RBM_ACC(6) RBM_ACC(7) RBM_ACC(8) RBM_ACC(9) RBM_ACC(10) RBM_ACC(11)
#undef RBM_ACC
#define RBM_STEP(i) y##i = _mm256_fmadd_ps(y##i, a, b);
    for (long it = 0; it < n; ++it) {
        RBM_STEP(0) RBM_STEP(1) RBM_STEP(2) RBM_STEP(3) RBM_STEP(4) RBM_STEP(5)
        RBM_STEP(6) RBM_STEP(7) RBM_STEP(8) RBM_STEP(9) RBM_STEP(10) RBM_STEP(11)
    }
#undef RBM_STEP
    const __m256 s =
        _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(y0, y1), _mm256_add_ps(y2, y3)),
                      _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(y4, y5), _mm256_add_ps(y6, y7)),
                                    _mm256_add_ps(_mm256_add_ps(y8, y9), _mm256_add_ps(y10, y11))));
    return _mm256_cvtss_f32(s);
}
constexpr double kAvx2FlopsPerIteration = 12 * 8 * 2;

// 24 chains of 512-bit FMA (32 zmm registers): covers latency 4 times 2 pipes with room for
// processors whose 512-bit FMA is slower or double-pumped.
__attribute__((noinline, target("avx512f"))) float kernelAvx512(long n) {
    __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    asm volatile("" : "+v"(a), "+v"(b));
#define RBM_ACC(i) __m512 z##i = _mm512_set1_ps(0.001f * (i));
    RBM_ACC(0) RBM_ACC(1) RBM_ACC(2) RBM_ACC(3) RBM_ACC(4) RBM_ACC(5) RBM_ACC(6) RBM_ACC(7)
    RBM_ACC(8) RBM_ACC(9) RBM_ACC(10) RBM_ACC(11) RBM_ACC(12) RBM_ACC(13) RBM_ACC(14) RBM_ACC(15)
    RBM_ACC(16) RBM_ACC(17) RBM_ACC(18) RBM_ACC(19) RBM_ACC(20) RBM_ACC(21) RBM_ACC(22) RBM_ACC(23)
#undef RBM_ACC
#define RBM_STEP(i) z##i = _mm512_fmadd_ps(z##i, a, b);
    for (long it = 0; it < n; ++it) {
        RBM_STEP(0) RBM_STEP(1) RBM_STEP(2) RBM_STEP(3) RBM_STEP(4) RBM_STEP(5) RBM_STEP(6) RBM_STEP(7)
        RBM_STEP(8) RBM_STEP(9) RBM_STEP(10) RBM_STEP(11) RBM_STEP(12) RBM_STEP(13) RBM_STEP(14) RBM_STEP(15)
        RBM_STEP(16) RBM_STEP(17) RBM_STEP(18) RBM_STEP(19) RBM_STEP(20) RBM_STEP(21) RBM_STEP(22) RBM_STEP(23)
    }
#undef RBM_STEP
    __m512 s = _mm512_add_ps(_mm512_add_ps(z0, z1), _mm512_add_ps(z2, z3));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(z4, z5), _mm512_add_ps(z6, z7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(z8, z9), _mm512_add_ps(z10, z11)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(z12, z13), _mm512_add_ps(z14, z15)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(z16, z17), _mm512_add_ps(z18, z19)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(z20, z21), _mm512_add_ps(z22, z23)));
    // Not _mm512_reduce_add_ps: GCC 12 warns inside it (an "uninitialized" false positive).
    float lanes[16];
    _mm512_storeu_ps(lanes, s);
    float sum = 0.0f;
    for (float l : lanes) sum += l;
    return sum;
}
constexpr double kAvx512FlopsPerIteration = 24 * 16 * 2;

}  // namespace

const char* probeName(Probe p) {
    switch (p) {
        case Probe::Sse2: return "SSE2 mul+add";
        case Probe::Avx2Fma: return "AVX2+FMA";
        case Probe::Avx512f: return "AVX-512F";
    }
    return "?";
}

bool cpuSupports(Probe p) {
    __builtin_cpu_init();
    switch (p) {
        case Probe::Sse2: return __builtin_cpu_supports("sse2");
        case Probe::Avx2Fma: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case Probe::Avx512f: return __builtin_cpu_supports("avx512f");
    }
    return false;
}

Probe bestProbe() {
    if (cpuSupports(Probe::Avx512f)) return Probe::Avx512f;
    if (cpuSupports(Probe::Avx2Fma)) return Probe::Avx2Fma;
    return Probe::Sse2;
}

Rate probeGflops(Probe p, double budget) {
    float (*kernel)(long) = kernelSse2;
    double flopsPerIteration = kSse2FlopsPerIteration;
    if (p == Probe::Avx2Fma) kernel = kernelAvx2, flopsPerIteration = kAvx2FlopsPerIteration;
    if (p == Probe::Avx512f) kernel = kernelAvx512, flopsPerIteration = kAvx512FlopsPerIteration;
    const long inner = 1 << 16;  // about 0.1-0.3 ms a call: the timing costs nothing
    keep(kernel(inner));         // warm up (and let the core reach its vector clock)
    long iterations = 0;
    const auto start = Clock::now();
    const double cpuStart = threadCpuSeconds();
    double elapsed = 0.0;
    do {
        keep(kernel(inner));
        iterations += inner;
        elapsed = seconds(start, Clock::now());
    } while (elapsed < budget);
    const double gflop = static_cast<double>(iterations) * flopsPerIteration / 1e9;
    return {gflop / elapsed, gflop / std::max(1e-9, threadCpuSeconds() - cpuStart)};
}

std::string engineInstructionSet() { return rbm::isaChoice(); }

std::string eigenPackets() { return rbm::isaPackets(rbm::activeIsa()); }

std::string cpuInstructionSets() {
    __builtin_cpu_init();
    std::string have, lack;
    auto add = [&](const char* name, bool yes) {
        std::string& list = yes ? have : lack;
        if (!list.empty()) list += ", ";
        list += name;
    };
    add("SSE2", __builtin_cpu_supports("sse2"));
    add("AVX", __builtin_cpu_supports("avx"));
    add("AVX2", __builtin_cpu_supports("avx2"));
    add("FMA", __builtin_cpu_supports("fma"));
    add("AVX-512F", __builtin_cpu_supports("avx512f"));
    return lack.empty() ? have : have + "; no " + lack;
}

}  // namespace bench
