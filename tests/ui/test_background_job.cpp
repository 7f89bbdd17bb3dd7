// studio::BackgroundJob, the one way the studio runs work off the GUI thread: the function runs
// on another thread, its result, error or cancellation arrives on the GUI thread, closures it
// posts arrive in order before the outcome, and destroying the job cancels it.
#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/background_job.h"

using studio::BackgroundJob;
using studio::JobContext;

namespace {

/// Spins until the job is cancelled (the way core work polls its flag), then returns `value`.
int untilCancelled(const JobContext& job, int value) {
    while (!job.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return value;
}

}  // namespace

class TestBackgroundJob : public QObject {
    Q_OBJECT
private slots:
    void resultArrivesOnTheGuiThread();
    void errorArrives();
    void cancelDeliversCancelled();
    void giveUpByThrowingIsNotAnError();
    void postedClosuresArriveInOrderBeforeTheOutcome();
    void oneRunAtATime();
    void nextRunFromTheOutcome();
    void waitDeliversAtOnce();
    void destructionCancelsAndDeliversNothing();
};

void TestBackgroundJob::resultArrivesOnTheGuiThread() {
    BackgroundJob<int> job;
    QThread* gui = QThread::currentThread();
    std::thread::id workThread;
    int delivered = 0;
    QThread* deliveredOn = nullptr;
    std::vector<int> data{1, 2, 3, 4};  // captured by value: the function shares nothing
    QVERIFY(job.start(
        [data, &workThread](const JobContext&) {
            workThread = std::this_thread::get_id();
            int sum = 0;
            for (int x : data) sum += x;
            return sum;
        },
        [&](BackgroundJob<int>::Outcome o) {
            QVERIFY(o.ok() && !o.cancelled && o.error.isEmpty());
            delivered = *o.result;
            deliveredOn = QThread::currentThread();
        }));
    QVERIFY(job.active());
    QTRY_VERIFY(!job.active());
    QCOMPARE(delivered, 10);
    QCOMPARE(deliveredOn, gui);
    QVERIFY(workThread != std::this_thread::get_id());
}

void TestBackgroundJob::errorArrives() {
    BackgroundJob<int> job;
    std::optional<BackgroundJob<int>::Outcome> got;
    job.start([](const JobContext&) -> int { throw std::runtime_error("the model diverged"); },
              [&](BackgroundJob<int>::Outcome o) { got = std::move(o); });
    QTRY_VERIFY(got.has_value());
    QVERIFY(!got->ok());
    QVERIFY(!got->cancelled);
    QCOMPARE(got->error, QStringLiteral("the model diverged"));
}

void TestBackgroundJob::cancelDeliversCancelled() {
    BackgroundJob<int> job;
    int calls = 0;
    std::optional<BackgroundJob<int>::Outcome> got;
    job.start([](const JobContext& j) { return untilCancelled(j, 7); },
              [&](BackgroundJob<int>::Outcome o) {
                  ++calls;
                  got = std::move(o);
              });
    QVERIFY(!job.cancelling());
    QVERIFY(job.cancel());
    QVERIFY(!job.cancel());  // asked once
    QVERIFY(job.cancelling());
    QVERIFY(job.active());   // until the function has noticed and the outcome is delivered
    QTRY_VERIFY(!job.active());
    QCOMPARE(calls, 1);
    QVERIFY(got->cancelled);
    QVERIFY(!got->ok());  // cancelled: not a result to use as usual...
    QCOMPARE(got->result.value_or(0), 7);  // ...but what the function stopped at is kept
    QVERIFY(got->error.isEmpty());
    QVERIFY(!job.cancel());  // nothing runs
}

void TestBackgroundJob::giveUpByThrowingIsNotAnError() {
    // Core functions throw rbm::Error when they see their cancel flag: that is a cancel.
    BackgroundJob<int> job;
    std::optional<BackgroundJob<int>::Outcome> got;
    job.start(
        [](const JobContext& j) -> int {
            untilCancelled(j, 0);
            throw std::runtime_error("cancelled");
        },
        [&](BackgroundJob<int>::Outcome o) { got = std::move(o); });
    job.cancel();
    QTRY_VERIFY(got.has_value());
    QVERIFY(got->cancelled);
    QVERIFY(!got->result.has_value());
    QVERIFY(got->error.isEmpty());
}

void TestBackgroundJob::postedClosuresArriveInOrderBeforeTheOutcome() {
    BackgroundJob<int> job;
    std::vector<int> seen;
    bool outcomeSeen = false;
    QThread* gui = QThread::currentThread();
    job.start(
        [&seen, gui](const JobContext& j) {
            for (int i = 0; i < 50; ++i)
                j.post([i, &seen, gui] {
                    QCOMPARE(QThread::currentThread(), gui);
                    seen.push_back(i);
                });
            return 50;
        },
        [&](BackgroundJob<int>::Outcome o) {
            QCOMPARE(int(seen.size()), *o.result);  // every progress report came first
            outcomeSeen = true;
        });
    QTRY_VERIFY(outcomeSeen);
    for (int i = 0; i < 50; ++i) QCOMPARE(seen[std::size_t(i)], i);
}

void TestBackgroundJob::oneRunAtATime() {
    BackgroundJob<int> job;
    QVERIFY(job.start([](const JobContext& j) { return untilCancelled(j, 1); }, nullptr));
    QVERIFY(!job.start([](const JobContext&) { return 2; }, nullptr));
    job.cancel();
    QVERIFY(!job.start([](const JobContext&) { return 2; }, nullptr));  // still winding down
    QTRY_VERIFY(!job.active());
    int got = 0;
    QVERIFY(job.start([](const JobContext&) { return 2; }, [&](BackgroundJob<int>::Outcome o) { got = *o.result; }));
    QTRY_COMPARE(got, 2);
}

void TestBackgroundJob::nextRunFromTheOutcome() {
    // A caller that queues work (the likelihood estimator's pending epoch) starts the next run
    // from the outcome callback.
    BackgroundJob<int> job;
    std::vector<int> results;
    std::function<void(int)> run = [&](int n) {
        job.start([n](const JobContext&) { return n * n; },
                  [&, n](BackgroundJob<int>::Outcome o) {
                      results.push_back(*o.result);
                      if (n < 4) run(n + 1);
                  });
    };
    run(1);
    QTRY_COMPARE(int(results.size()), 4);
    QCOMPARE(results, (std::vector<int>{1, 4, 9, 16}));
}

void TestBackgroundJob::waitDeliversAtOnce() {
    BackgroundJob<int> job;
    int calls = 0, posted = 0;
    job.start(
        [&posted](const JobContext& j) {
            j.post([&posted] { ++posted; });
            return untilCancelled(j, 3);
        },
        [&](BackgroundJob<int>::Outcome o) {
            ++calls;
            QVERIFY(o.cancelled);
        });
    job.cancel();
    job.wait();
    QCOMPARE(calls, 1);  // delivered inside wait(), not later
    QVERIFY(!job.active());
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);   // the queued delivery is not repeated
    QCOMPARE(posted, 0);  // and what the run posted is dropped once it is over
}

void TestBackgroundJob::destructionCancelsAndDeliversNothing() {
    auto sawCancel = std::make_shared<std::atomic<bool>>(false);
    int calls = 0;
    {
        BackgroundJob<int> job;
        job.start(
            [sawCancel](const JobContext& j) {
                const int v = untilCancelled(j, 5);
                sawCancel->store(true);
                return v;
            },
            [&](BackgroundJob<int>::Outcome) { ++calls; });
        QVERIFY(job.active());
    }  // the destructor cancels and joins
    QVERIFY(sawCancel->load());
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

QTEST_MAIN(TestBackgroundJob)
#include "test_background_job.moc"
