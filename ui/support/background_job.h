#pragma once
/// One way to run work off the GUI thread: BackgroundJob<Result> runs a function on its own
/// std::thread and hands its outcome (the result, the error, or "cancelled") to a callback on
/// the thread that created the job (the GUI thread), through a queued call.
///
///   - Nothing is shared but the cancel flag: the function gets its inputs by value (capture
///     copies or shared_ptr<const ...>), and its result is handed to the GUI thread after the
///     thread has ended (joined). No mutex, nothing the two threads touch at the same time.
///   - cancel() returns at once; the function sees it through JobContext (pass cancelFlag() to
///     the core's `const std::atomic<bool>* cancel` options) and the outcome says cancelled.
///     What the function returned on noticing it is kept (a training loop returns the model it
///     stopped at); what it threw is not an error (core throws when it gives up).
///   - The destructor cancels and joins: it waits only until the function next checks the flag
///     (core work checks it every few milliseconds), and no callback runs afterwards.
///   - JobContext::post runs a closure on the GUI thread while the job runs (progress,
///     intermediate results), in order, always before the outcome, never after a cancel.
///
/// One run at a time: start() refuses while a run (even a cancelled one) has not delivered
/// its outcome; callers that queue work start the next run from the outcome callback.
#include <QObject>
#include <QString>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

namespace studio {

/// What a background function may ask and do while it runs.
class JobContext {
public:
    JobContext(std::shared_ptr<std::atomic<bool>> cancel, QObject* receiver)
        : cancel_(std::move(cancel)), receiver_(receiver) {}

    bool cancelled() const { return cancel_->load(std::memory_order_relaxed); }
    /// For core functions that poll a `const std::atomic<bool>*`; valid while the job runs.
    const std::atomic<bool>* cancelFlag() const { return cancel_.get(); }

    /// Runs `f` later on the job's thread of creation, unless the run is cancelled first.
    template <class F>
    void post(F f) const {
        std::shared_ptr<std::atomic<bool>> cancel = cancel_;
        QMetaObject::invokeMethod(
            receiver_, [cancel, f = std::move(f)]() mutable {
                if (!cancel->load()) f();
            },
            Qt::QueuedConnection);
    }

private:
    std::shared_ptr<std::atomic<bool>> cancel_;
    QObject* receiver_;
};

template <class Result>
class BackgroundJob {
public:
    /// How a run ended, delivered on the job's thread of creation.
    struct Outcome {
        std::optional<Result> result;  ///< set when the function returned (even after a cancel)
        QString error;                 ///< what() of what it threw (empty when cancelled)
        bool cancelled = false;        ///< cancel() was called during the run: check this first
        bool ok() const { return !cancelled && result.has_value(); }
    };
    using Work = std::function<Result(const JobContext&)>;
    using Done = std::function<void(Outcome)>;

    BackgroundJob() : receiver_(std::make_unique<QObject>()) {}
    ~BackgroundJob() {
        cancel();
        if (thread_.joinable()) thread_.join();
        // receiver_ goes next: Qt drops the calls still queued for it, so `done` never runs.
    }
    BackgroundJob(const BackgroundJob&) = delete;
    BackgroundJob& operator=(const BackgroundJob&) = delete;

    /// Runs `work` on a new thread and `done` here when it ends. False (and nothing runs)
    /// while the previous run has not delivered its outcome.
    bool start(Work work, Done done) {
        if (active_) return false;
        if (thread_.joinable()) thread_.join();  // delivered, so the thread is at its end
        cancel_ = std::make_shared<std::atomic<bool>>(false);
        outcome_ = std::make_shared<Outcome>();
        done_ = std::move(done);
        active_ = true;
        const std::uint64_t run = ++run_;
        QObject* receiver = receiver_.get();
        thread_ = std::thread([this, run, receiver, cancel = cancel_, outcome = outcome_, work = std::move(work)] {
            try {
                outcome->result.emplace(work(JobContext(cancel, receiver)));
            } catch (const std::exception& e) {
                outcome->error = QString::fromUtf8(e.what());
            } catch (...) {
                outcome->error = QStringLiteral("unknown error");
            }
            // The outcome is complete and this thread ends: finish() joins it before reading.
            // `this` is only used on the creating thread, inside the queued call, which Qt
            // drops if the job (and so its receiver) is gone.
            QMetaObject::invokeMethod(receiver, [this, run] { finish(run); }, Qt::QueuedConnection);
        });
        return true;
    }

    /// Asks the running function to stop; returns at once. True if a run was asked now.
    bool cancel() {
        if (!active_ || cancel_->load()) return false;
        cancel_->store(true);
        return true;
    }

    /// Blocks until the running function returns, then delivers its outcome at once (for a
    /// caller that must know the run has ended before it goes on). Call cancel() first to keep
    /// the wait short. Closures the run posted and that have not run yet are dropped.
    void wait() {
        if (!active_) return;
        if (thread_.joinable()) thread_.join();
        finish(run_);
    }

    /// From start() until the outcome has been delivered (also while a cancelled run ends).
    bool active() const { return active_; }
    /// cancel() was called on the active run.
    bool cancelling() const { return active_ && cancel_->load(); }

private:
    void finish(std::uint64_t run) {
        if (!active_ || run != run_) return;  // delivered already, by wait()
        if (thread_.joinable()) thread_.join();
        active_ = false;
        Outcome outcome = std::move(*outcome_);
        outcome_.reset();
        if (cancel_->load()) {
            outcome.cancelled = true;
            outcome.error.clear();
        }
        cancel_->store(true);  // the run is over: what it posted and has not run yet is dropped
        Done done = std::move(done_);
        done_ = nullptr;
        if (done) done(std::move(outcome));  // may start the next run
    }

    std::unique_ptr<QObject> receiver_;  ///< lives on the creating thread; queued calls go to it
    std::thread thread_;
    // The current run, set by start() on the creating thread. The worker writes *outcome_
    // only before it ends, and the creating thread reads it only after joining: a hand-over.
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::shared_ptr<Outcome> outcome_;
    Done done_;
    std::uint64_t run_ = 0;
    bool active_ = false;
};

}  // namespace studio
