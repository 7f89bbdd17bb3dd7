#include "rbm/thread_pool.h"

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RBM_PAUSE() _mm_pause()
#else
#define RBM_PAUSE() std::this_thread::yield()
#endif

namespace rbm {

namespace {
using Clock = std::chrono::steady_clock;
std::uint32_t generationOf(std::uint64_t c) { return static_cast<std::uint32_t>(c >> 32); }
std::uint32_t indexOf(std::uint64_t c) { return static_cast<std::uint32_t>(c); }
std::uint64_t word(std::uint32_t generation, std::uint32_t index) {
    return static_cast<std::uint64_t>(generation) << 32 | index;
}
// Spinning this long between phases (a few tens of microseconds) covers the serial work
// inside a batch; between batches the helpers block.
constexpr int kSpins = 5000;
}  // namespace

WorkerPool::WorkerPool(int threads) {
    Eigen::initParallel();
    for (int i = 1; i < threads; ++i) helpers_.emplace_back([this] { helperLoop(); });
}

WorkerPool::~WorkerPool() {
    if (std::getenv("RBM_POOL_STATS"))
        std::fprintf(stderr, "pool: %lld batches, %lld with helpers, %lld fallbacks, waited %.3f s\n",
                     static_cast<long long>(stats_.batches), static_cast<long long>(stats_.batchesWithHelpers),
                     static_cast<long long>(stats_.fallbacks), stats_.waitedSeconds);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_.store(true);
    }
    wake_.notify_all();
    for (std::thread& t : helpers_) t.join();
}

int WorkerPool::work(std::uint32_t generation) {
    int ran = 0;
    for (;;) {
        std::uint64_t c = claim_.load(std::memory_order_acquire);
        if (generationOf(c) != generation) return ran;
        if (indexOf(c) == kClosed) {  // being published: a few stores away
            RBM_PAUSE();
            continue;
        }
        const int n = chunks_.load(std::memory_order_relaxed);
        const Fn fn = fn_.load(std::memory_order_relaxed);
        void* ctx = ctx_.load(std::memory_order_relaxed);
        if (static_cast<int>(indexOf(c)) >= n) return ran;
        // Succeeds only while the job read above is still the published one.
        if (!claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel)) continue;
        fn(ctx, static_cast<int>(indexOf(c)));
        ++ran;
        done_.fetch_add(1, std::memory_order_release);
    }
}

void WorkerPool::helperLoop() {
    std::uint32_t seen = 0;
    for (;;) {
        std::uint64_t c = claim_.load(std::memory_order_acquire);
        for (int spin = 0; spin < kSpins && generationOf(c) == seen && !stop_.load(std::memory_order_relaxed);
             ++spin) {
            RBM_PAUSE();
            c = claim_.load(std::memory_order_acquire);
        }
        if (generationOf(c) == seen) {
            std::unique_lock<std::mutex> lock(mutex_);
            sleepers_.fetch_add(1);
            wake_.wait(lock, [&] { return stop_.load() || generationOf(claim_.load()) != seen; });
            sleepers_.fetch_sub(1);
        }
        if (stop_.load()) return;
        seen = generationOf(claim_.load(std::memory_order_acquire));
        work(seen);
    }
}

void WorkerPool::runImpl(int chunks, Fn fn, void* ctx) {
    if (chunks <= 0) return;
    if (helpers_.empty() || !active_ || chunks == 1) {
        for (int i = 0; i < chunks; ++i) fn(ctx, i);
        return;
    }
    const auto start = Clock::now();
    const std::uint32_t g = ++generation_;
    claim_.store(word(g, kClosed));
    chunks_.store(chunks, std::memory_order_relaxed);
    fn_.store(fn, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    claim_.store(word(g, 0));  // seq_cst: ordered before the sleepers_ check below
    if (sleepers_.load() > 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        wake_.notify_all();
    }
    const int mine = work(g);
    batchChunks_ += chunks;
    batchMine_ += mine;
    const auto waitStart = Clock::now();
    while (done_.load(std::memory_order_acquire) < chunks) RBM_PAUSE();
    const auto end = Clock::now();
    batchWaited_ += std::chrono::duration<double>(end - waitStart).count();
    batchParallel_ += std::chrono::duration<double>(end - start).count();
}

void WorkerPool::endBatch() {
    if (helpers_.empty()) return;
    ++stats_.batches;
    if (active_) {
        ++stats_.batchesWithHelpers;
        stats_.waitedSeconds += batchWaited_;
        // Waiting a quarter of the parallel time means a helper keeps being descheduled while
        // it holds a chunk: one thread alone would have been faster. Back off.
        // And helpers that run few of the chunks (they keep being late: their core is taken)
        // only burn time slices spinning that the caller could have used.
        const double helperShare =
            batchChunks_ > 0 ? 1.0 - static_cast<double>(batchMine_) / static_cast<double>(batchChunks_) : 1.0;
        const double fairShare = 1.0 - 1.0 / static_cast<double>(threads());
        const bool bad = (batchParallel_ > 0 && batchWaited_ > 0.25 * batchParallel_) || helperShare < 0.5 * fairShare;
        // One bad batch can be a page fault or a helper waking up; two in a row is a pattern.
        // The first batches (threads starting, pages faulting in) are not judged.
        badStreak_ = bad && stats_.batches > 8 ? badStreak_ + 1 : 0;
        if (badStreak_ >= 2) {
            badStreak_ = 0;
            active_ = false;
            aloneLeft_ = backoff_;
            backoff_ = std::min(backoff_ * 2, 8192);
            ++stats_.fallbacks;
            goodStreak_ = 0;
        } else if (bad) {
            goodStreak_ = 0;
        } else if (++goodStreak_ >= 64) {
            // A long run of useful help: forget old failures gradually.
            backoff_ = std::max(256, backoff_ / 2);
            goodStreak_ = 0;
        }
    } else if (--aloneLeft_ <= 0) {
        active_ = true;  // probe again
    }
    batchWaited_ = batchParallel_ = 0;
    batchChunks_ = batchMine_ = 0;
}

}  // namespace rbm
