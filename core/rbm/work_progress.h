#pragma once
/// How far a long computation (exact log Z, AIS) has come, shared with the thread that shows
/// it (`rbm eval`'s progress bar). The computation sets `total` before it starts and adds to
/// `done` as it goes; both count the same rough unit of work (multiply-adds), so that a bar
/// over several phases (exact sum, forward and reverse AIS) moves at an even pace and an ETA
/// from the rate so far means something. Relaxed atomics: a reader only needs a recent value.
#include <atomic>
#include <cstdint>

namespace rbm {

struct WorkProgress {
    std::atomic<std::uint64_t> done{0};
    std::atomic<std::uint64_t> total{0};
    void add(std::uint64_t n) { done.fetch_add(n, std::memory_order_relaxed); }
    double fraction() const {
        const std::uint64_t t = total.load(std::memory_order_relaxed);
        return t == 0 ? 0.0 : static_cast<double>(done.load(std::memory_order_relaxed)) / static_cast<double>(t);
    }
};

}  // namespace rbm
