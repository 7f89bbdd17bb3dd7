// The time slider (issue 12): one slider for the whole window scrubs back through the run and
// every panel shows that moment; "Live" returns to now. Its memory stays bounded however long
// the run: asserted by count and bytes after many snapshots, never by time.
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>

#include "health/likelihood_view.h"
#include "patience.h"
#include "rbm/checkpoint.h"
#include "training/snapshot_history.h"
#include "training/training_controller.h"
#include "views/controls_dock.h"
#include "views/filter_grid_view.h"
#include "views/metrics_view.h"
#include "window/main_window.h"
#include "window/shortcuts.h"
#include "window/snapshot_scheduler.h"
#include "window/time_slider.h"

using namespace studio;

namespace {

/// A training snapshot of the Classroom preset's size (784 x 144, updates, 64 fantasy
/// particles, 50 batch rows) at batch `batch`.
SnapshotPtr classroomSized(std::int64_t batch) {
    auto s = std::make_shared<TrainingSnapshot>();
    s->model = rbm::Rbm(784, 144);
    s->weightUpdate = rbm::Matrix::Zero(784, 144);
    s->visibleBiasUpdate = rbm::Vector::Zero(784);
    s->hiddenBiasUpdate = rbm::Vector::Zero(144);
    s->negativeSamples = rbm::Matrix::Zero(64, 784);
    s->batch = rbm::Matrix::Zero(50, 784);
    s->batchHidden = rbm::Matrix::Zero(50, 144);
    s->counters.totalBatches = batch;
    s->counters.epoch = batch / 180;
    s->counters.batchInEpoch = batch % 180;
    s->batchesPerEpoch = 180;
    s->fromTraining = true;
    return s;
}

SnapshotPtr tiny(std::int64_t batch) {
    auto s = std::make_shared<TrainingSnapshot>();
    s->model = rbm::Rbm(16, 4);
    s->counters.totalBatches = batch;
    s->counters.epoch = batch / 10;
    s->counters.batchInEpoch = batch % 10;
    s->batchesPerEpoch = 10;
    return s;
}

double meanAbsDifference(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 255;
    const QImage ga = a.convertToFormat(QImage::Format_RGB32), gb = b.convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    for (int y = 0; y < ga.height(); ++y)
        for (int x = 0; x < ga.width(); ++x) {
            const QRgb p = ga.pixel(x, y), q = gb.pixel(x, y);
            sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q));
        }
    return sum / (3.0 * ga.width() * ga.height());
}

// A studio window (no settings, not interactive, its run folders in runsDir) whose model has
// `hidden` units and whose run is long enough never to end during a test.
std::unique_ptr<MainWindow> longTrainingWindow(const QString& runsDir, int hidden) {
    MainWindow::Options o;
    o.useSettings = false;
    o.interactive = false;
    o.runsDirectory = runsDir;
    auto w = std::make_unique<MainWindow>(o);
    rbm::TrainingConfig cfg = w->controller()->config();
    cfg.hidden = hidden;
    cfg.batchSize = 100;
    cfg.epochs = 1000;
    w->controlsDock()->setConfig(cfg);
    w->controller()->setConfig(cfg);
    return w;
}
}  // namespace

class TestTimeSlider : public QObject {
    Q_OBJECT
private slots:
    void historyStaysWithinItsCountBound();
    void historyStaysWithinItsByteBound();
    void sliderShowsAnOldMomentAndLiveRestoresIt();
    void aNewModelStartsTheHistoryAgain();
    void keysStepThroughTimeFromAnyWidget();
    void epochsComeFromTheRunFoldersCheckpoints();
};

void TestTimeSlider::historyStaysWithinItsCountBound() {
    SnapshotHistory h(std::size_t(1) << 30, 32);
    const std::int64_t n = 100000;  // batches: hours of training
    for (std::int64_t b = 0; b < n; ++b) {
        h.add(tiny(b));
        QVERIFY(h.count() <= 32);
    }
    const auto& kept = h.snapshots();
    QCOMPARE(kept.front()->counters.totalBatches, std::int64_t(0));  // where the run began stays
    QVERIFY(kept.back()->counters.totalBatches > n - 1 - h.stride());  // and about now
    // Evenly spread over the whole run: no gap wider than the stride.
    for (std::size_t i = 1; i < kept.size(); ++i) {
        const std::int64_t gap = kept[i]->counters.totalBatches - kept[i - 1]->counters.totalBatches;
        QVERIFY(gap > 0 && gap <= h.stride());
    }
    QVERIFY(kept.size() >= 16);  // thinning halves, never empties
}

void TestTimeSlider::historyStaysWithinItsByteBound() {
    SnapshotHistory h;  // the studio's bounds
    const std::size_t each = SnapshotHistory::bytesOf(*classroomSized(0));
    std::size_t most = 0;
    for (std::int64_t b = 0; b < 3000; ++b) {
        h.add(classroomSized(b));
        most = std::max(most, h.bytes());
        QVERIFY(h.bytes() <= h.budgetBytes());
        QVERIFY(h.count() <= h.maxCount());
    }
    QVERIFY(h.count() >= h.budgetBytes() / each / 2);
    qInfo("Classroom-sized snapshot %.2f MiB; %zu kept, %.1f MiB at most (budget %.0f MiB)", double(each) / (1 << 20),
          h.count(), double(most) / (1 << 20), double(h.budgetBytes()) / (1 << 20));
}

void TestTimeSlider::sliderShowsAnOldMomentAndLiveRestoresIt() {
    QTemporaryDir runs;
    std::unique_ptr<MainWindow> window = longTrainingWindow(runs.path(), 36);
    MainWindow& w = *window;
    w.show();
    TimeSlider* slider = w.findChild<TimeSlider*>();
    QVERIFY(slider);
    QVERIFY(slider->isLive());

    TrainingController* ctl = w.controller();
    ctl->start();
    QTRY_VERIFY_WITH_TIMEOUT(slider->history().count() >= 3 && ctl->batchesDone() > 40, rbm::testing::patient(20000));
    ctl->pause();
    QTRY_VERIFY_WITH_TIMEOUT(w.currentSnapshot() == ctl->latestSnapshot() && ctl->latestSnapshot()->paused,
                             rbm::testing::patient(10000));
    const QImage live = w.filterView()->image();
    const SnapshotPtr now = w.currentSnapshot();

    // As a person drags it: the handle to the first moment (the model before training).
    QVERIFY(!slider->moments().empty());
    const SnapshotPtr first = slider->moments().front().snapshot;
    QVERIFY(first && first->counters.totalBatches == 0);
    slider->slider()->setValue(0);
    QVERIFY(!slider->isLive());
    QTRY_VERIFY_WITH_TIMEOUT(w.currentSnapshot() == first, rbm::testing::patient(5000));
    QVERIFY2(meanAbsDifference(live, w.filterView()->image()) > 1.0,
             qPrintable(QString::number(meanAbsDifference(live, w.filterView()->image()))));
    QVERIFY(w.currentModel()->W.isApprox(first->model.W));  // the dream's model too
    QCOMPARE(w.metricsView()->cursor(), first->epochPosition());
    QVERIFY(std::isfinite(w.panels().health.likelihood->cursor()));
    if (qEnvironmentVariableIsSet("RBM_SCREENSHOTS"))
        w.grab().save(qEnvironmentVariable("RBM_SCREENSHOTS") + QStringLiteral("/time_slider.png"));

    // Training goes on behind it; the panels stay on the moment.
    ctl->step();
    QTRY_VERIFY_WITH_TIMEOUT(ctl->latestSnapshot() != now, rbm::testing::patient(10000));
    QTest::qWait(rbm::testing::patient(100));  // paint intervals pass: nothing may repaint the live model
    QCOMPARE(w.currentSnapshot(), first);

    auto* liveButton = slider->findChild<QPushButton*>(QStringLiteral("timeSliderLive"));
    QVERIFY(liveButton);
    QTest::mouseClick(liveButton, Qt::LeftButton);
    QVERIFY(slider->isLive());
    QTRY_VERIFY_WITH_TIMEOUT(w.currentSnapshot() == ctl->latestSnapshot(), rbm::testing::patient(5000));
    QVERIFY(w.currentModel()->W.isApprox(ctl->latestSnapshot()->model.W));
    QVERIFY(std::isnan(w.metricsView()->cursor()));
    ctl->stop();
    w.close();
}

void TestTimeSlider::aNewModelStartsTheHistoryAgain() {
    TimeSlider slider;
    for (std::int64_t b = 0; b < 50; ++b) slider.record(tiny(b));
    QVERIFY(slider.history().count() > 10);
    slider.showMoment(3);
    QVERIFY(!slider.isLive());
    slider.restart(tiny(0));
    QVERIFY(slider.isLive());
    QCOMPARE(int(slider.history().count()), 1);
    QCOMPARE(int(slider.moments().size()), 1);
}

void TestTimeSlider::epochsComeFromTheRunFoldersCheckpoints() {
    // Older than the memory holds: whole epochs, read from the run folder when scrubbed to.
    QTemporaryDir dir;
    std::vector<rbm::RunEntry> entries;
    for (int e = 0; e <= 3; ++e) {
        rbm::Checkpoint c;
        c.model = rbm::Rbm(16, 4);
        c.model.W.setConstant(0.1f * float(e));
        c.config.hidden = 4;
        rbm::RunEntry entry;
        entry.epoch = e;
        entry.path = dir.filePath(QStringLiteral("epoch-%1.npz").arg(e)).toStdString();
        rbm::saveCheckpoint(entry.path, c);
        entries.push_back(entry);
    }
    TimeSlider slider;
    slider.restart(tiny(25));  // now: epoch 2.5, the one moment in memory
    slider.setCheckpoints(entries);
    std::vector<double> epochs;
    for (const TimeSlider::Moment& m : slider.moments()) epochs.push_back(m.epoch);
    QCOMPARE(epochs, (std::vector<double>{0, 1, 2, 2.5}));  // epoch 3 is after now: another branch
    QSignalSpy shown(&slider, &TimeSlider::momentShown);
    slider.showMoment(1);
    QVERIFY2(shown.count() == 1, qPrintable(slider.labelText()));
    const SnapshotPtr s = shown.at(0).at(0).value<SnapshotPtr>();
    QVERIFY(s);
    QCOMPARE(s->model.W(0, 0), 0.1f);
    QVERIFY2(slider.labelText().contains(QLatin1String("checkpoint")), qPrintable(slider.labelText()));
    slider.goLive();
    QVERIFY(slider.isLive() && !slider.shownMoment());
}

void TestTimeSlider::keysStepThroughTimeFromAnyWidget() {
    // The slider had no key: Alt+Left / Alt+Right step through the moments and Ctrl+L goes
    // live, from any widget (here a combo box), and the key reference lists them.
    QTemporaryDir runs;
    std::unique_ptr<MainWindow> window = longTrainingWindow(runs.path(), 16);
    MainWindow& w = *window;
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    TimeSlider* slider = w.findChild<TimeSlider*>();
    QVERIFY(slider);
    TrainingController* ctl = w.controller();
    ctl->start();
    QTRY_VERIFY_WITH_TIMEOUT(slider->history().count() >= 3, rbm::testing::patient(20000));
    ctl->pause();
    // Paused and its last snapshot recorded: no moment comes or goes while the keys are pressed.
    QTRY_VERIFY_WITH_TIMEOUT(w.currentSnapshot() == ctl->latestSnapshot() && ctl->latestSnapshot()->paused,
                             rbm::testing::patient(10000));
    const int n = int(slider->moments().size());
    QVERIFY(n >= 3);

    QWidget* focus = w.controlsDock()->algorithmBox();
    focus->setFocus();
    QTest::keyClick(focus, Qt::Key_Left, Qt::AltModifier);
    QVERIFY(!slider->isLive());
    QCOMPARE(slider->slider()->value(), n - 1);  // from live: the newest moment
    QTest::keyClick(focus, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(slider->slider()->value(), n - 2);
    QCOMPARE(slider->shownMoment(), slider->moments()[std::size_t(n - 2)].snapshot);
    QTest::keyClick(focus, Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(slider->slider()->value(), n - 1);
    QTest::keyClick(focus, Qt::Key_Right, Qt::AltModifier);
    QVERIFY(slider->isLive());  // past the newest moment: now
    QTest::keyClick(focus, Qt::Key_Left, Qt::AltModifier);
    QTest::keyClick(focus, Qt::Key_Left, Qt::AltModifier);
    QVERIFY(!slider->isLive());
    QTest::keyClick(focus, Qt::Key_L, Qt::ControlModifier);
    QVERIFY(slider->isLive());
    QCOMPARE(ctl->state(), TrainingController::State::Paused);  // none of them touched training

    QStringList keys;
    for (const Shortcuts::Entry& e : w.shortcuts()->entries())
        for (const QKeySequence& k : e.action->shortcuts()) keys << k.toString();
    for (const QString& k : {QStringLiteral("Alt+Left"), QStringLiteral("Alt+Right"), QStringLiteral("Ctrl+L")})
        QVERIFY2(keys.contains(k), qPrintable(k));
    ctl->stop();
    w.close();
}

QTEST_MAIN(TestTimeSlider)
#include "test_time_slider.moc"
