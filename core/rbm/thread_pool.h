#pragma once
/// A small persistent pool for the trainer's parallel phases (internal to core/).
///
/// run(chunks, fn) calls fn(i) for every chunk i in [0, chunks) and returns when all are done;
/// the calling thread takes part. Chunks are claimed dynamically, so which thread runs a chunk
/// varies but what a chunk computes does not: results depend on the number of chunks only,
/// never on timing (same seed + same thread count => same bits).
///
/// Why it cannot collapse when the other core is busy: the caller never waits for a chunk
/// nobody has started (it takes unclaimed chunks itself), so a descheduled helper costs at
/// most the chunk it holds. And if the caller keeps having to wait for held chunks (a helper
/// that only gets part of a core), endBatch() switches the helpers off for a while
/// (exponential back-off, re-probed now and then): the chunks then all run on the calling
/// thread, as with one thread. The same happens when the helpers run too few of the chunks
/// (late every time: their core is taken), as their spinning would then only take time from
/// the caller. Helpers spin briefly (~0.1 ms) between phases, then block.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace rbm {

class WorkerPool {
public:
    /// `threads` in total, counting the caller (threads - 1 helper threads; <= 1: none).
    explicit WorkerPool(int threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    int threads() const { return static_cast<int>(helpers_.size()) + 1; }

    template <typename F>
    void run(int chunks, F&& fn) {
        runImpl(chunks, [](void* ctx, int i) { (*static_cast<std::remove_reference_t<F>*>(ctx))(i); },
                const_cast<void*>(static_cast<const void*>(&fn)));
    }

    /// Call once per training batch: decides whether the helpers take part in the next one.
    void endBatch();
    bool helpersActive() const { return active_; }

    struct Stats {
        std::int64_t batches = 0, batchesWithHelpers = 0, fallbacks = 0;
        double waitedSeconds = 0;  ///< the caller waiting for chunks held by helpers
    };
    const Stats& stats() const { return stats_; }  ///< (printed at destruction if RBM_POOL_STATS is set)

private:
    using Fn = void (*)(void*, int);
    void runImpl(int chunks, Fn fn, void* ctx);
    void helperLoop();
    /// Claims and runs chunks of job `generation` until none is left; returns how many ran.
    int work(std::uint32_t generation);

    static constexpr std::uint32_t kClosed = 0xffffffffu;
    std::vector<std::thread> helpers_;
    // claim_ = generation << 32 | next chunk (kClosed while the job is being written)
    std::atomic<std::uint64_t> claim_{0};
    std::atomic<int> chunks_{0};
    std::atomic<Fn> fn_{nullptr};
    std::atomic<void*> ctx_{nullptr};
    std::atomic<int> done_{0};
    std::atomic<int> sleepers_{0};
    std::atomic<bool> stop_{false};
    std::uint32_t generation_ = 0;
    std::mutex mutex_;
    std::condition_variable wake_;

    // adaptive use of the helpers (caller's thread only)
    bool active_ = true;
    int backoff_ = 256;    ///< batches to run alone after the next fallback
    int aloneLeft_ = 0;    ///< batches still to run alone
    int goodStreak_ = 0;   ///< consecutive batches where the helpers were useful
    int badStreak_ = 0;    ///< consecutive batches where they were not
    double batchWaited_ = 0, batchParallel_ = 0;
    long batchChunks_ = 0, batchMine_ = 0;  ///< chunks run in parallel phases, and by the caller
    Stats stats_;
};

}  // namespace rbm
