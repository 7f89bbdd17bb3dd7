// What every part of rbm-bench shares: the clock, medians, CPU time of the calling thread,
// rates and the progress line on stderr.
#pragma once

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

inline double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Keeps the compiler from optimising away a value nobody reads.
template <typename T>
void keep(const T& x) {
    asm volatile("" : : "r,m"(x) : "memory");
}

inline double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Rate {
    double wall = 0;  ///< per wall-clock second
    double cpu = 0;   ///< per second of the measuring thread's CPU time (immune to time-sharing)
};

/// No progress lines (set with --json, whose stdout must stay one JSON document).
inline bool quiet = false;

/// Progress on stderr.
__attribute__((format(printf, 1, 2))) inline void say(const char* fmt, ...) {
    if (quiet) return;
    va_list args;
    va_start(args, fmt);
    std::vfprintf(stderr, fmt, args);
    va_end(args);
    std::fflush(stderr);
}

}  // namespace bench
