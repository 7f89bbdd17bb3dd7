// support/load_in_background.h: a file read that takes a while shows a busy dialog whose Cancel
// returns at once (the window is never frozen: issue 13), a second read on a busy job is
// refused with a sentence, and a read's error or result comes back in sequence.
#include <QApplication>
#include <QProgressDialog>
#include <QPushButton>
#include <QTimer>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>

#include "support/load_in_background.h"

using namespace studio;

class TestLoadInBackground : public QObject {
    Q_OBJECT
private slots:
    void resultAndErrorComeBackInSequence() {
        BackgroundJob<int> job;
        QString error;
        std::optional<int> r = loadInBackground<int>(job, nullptr, false, "Reading", [] { return 42; }, &error);
        QVERIFY(r);
        QCOMPARE(*r, 42);
        r = loadInBackground<int>(job, nullptr, false, "Reading", []() -> int { throw std::runtime_error("Cannot read 'x': a folder."); }, &error);
        QVERIFY(!r);
        QCOMPARE(error, QString("Cannot read 'x': a folder."));
    }

    void cancelReturnsAtOnceAndTheJobStaysBusyUntilItEnds() {
        BackgroundJob<int> job;
        auto release = std::make_shared<std::atomic<bool>>(false);
        // Clicks Cancel on the busy dialog once it shows (after its minimum duration: before the fix
        // of load_in_background.h the dialog of a busy read never showed, so Cancel was unreachable).
        QTimer poll;
        bool pressed = false;
        connect(&poll, &QTimer::timeout, this, [&pressed] {
            for (QWidget* w : QApplication::topLevelWidgets())
                if (auto* d = qobject_cast<QProgressDialog*>(w); d && d->isVisible() && !pressed) {
                    auto* button = d->findChild<QPushButton*>();
                    if (!button) continue;
                    pressed = true;
                    button->click();
                }
        });
        poll.start(20);
        // Never a hang: if no dialog shows, the read ends by itself and the test fails below.
        QTimer::singleShot(20000, this, [release] { release->store(true); });
        QString error;
        const std::optional<int> r = loadInBackground<int>(job, nullptr, true, "Reading a slow file", [release] {
            while (!release->load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return 1;
        }, &error);
        poll.stop();
        QVERIFY(pressed);
        QVERIFY(!r);
        QCOMPARE(error, QString("cancelled"));
        // The read goes on until it ends by itself; meanwhile the job refuses another.
        QString busy;
        QVERIFY(!loadInBackground<int>(job, nullptr, false, "Reading", [] { return 2; }, &busy));
        QVERIFY2(busy.contains("still being read"), qPrintable(busy));
        release->store(true);
        QTRY_VERIFY_WITH_TIMEOUT(!job.active(), 30000);
        QString again;
        const std::optional<int> next = loadInBackground<int>(job, nullptr, false, "Reading", [] { return 3; }, &again);
        QVERIFY2(next && *next == 3, qPrintable(again));
    }
};

QTEST_MAIN(TestLoadInBackground)
#include "test_load_in_background.moc"
