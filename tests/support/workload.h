#pragma once
// How big a test's model is. The sanitizer builds (scripts/ci-sanitizers) look for memory
// errors, undefined behaviour and races, which the same code paths show on a smaller model;
// the statistics and the boundary sizes are checked by the release build. Exact enumeration
// doubles in cost with every hidden unit and runs 10-20x slower under ASan, so the two tests
// that enumerated 2^20 hidden states took 12 minutes there, most of CI's sanitizer time.
namespace rbm::testing {

/// `release` in a release build, `sanitized` (a smaller size of the same case) under a sanitizer.
constexpr int sizeFor([[maybe_unused]] int release, [[maybe_unused]] int sanitized) {
#ifdef RBM_SANITIZED
    return sanitized;
#else
    return release;
#endif
}

/// True in the sanitizer builds: a data row that only repeats the statistics on a bigger model
/// is left out there.
constexpr bool sanitizedBuild() {
#ifdef RBM_SANITIZED
    return true;
#else
    return false;
#endif
}

}  // namespace rbm::testing
