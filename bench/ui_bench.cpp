// ui-bench: what the studio costs the GUI thread, measured (never asserted: the figures depend
// on the machine and on what else runs on it).
//   1. The images painted per snapshot, built as the views build them (studio::buildFilterGrid /
//      buildDigitGrid, QImage, no widgets): the filter grid of a 784 x 784 model (both
//      contrasts) and the digit grid of 64 negative samples.
//   2. Event-loop lateness while training runs flat out: the studio window (offscreen) trains
//      the Classroom model and a 784-hidden-unit one while a 5 ms timer on the GUI thread
//      records how late each tick comes (p50 / p99 / max, target p99 < 50 ms).
//   ui-bench [--repeats N] [--seconds S] [--images-only]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "rbm/random.h"
#include "training/training_controller.h"
#include "views/controls_dock.h"
#include "views/image_builders.h"
#include "window/main_window.h"
#include "window/snapshot_scheduler.h"

namespace {
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

template <typename F>
double medianMs(int repeats, F&& f) {
    std::vector<double> t;
    f();  // warm-up
    for (int r = 0; r < repeats; ++r) {
        const auto a = Clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    }
    return median(t);
}

void benchImages(int repeats) {
    rbm::Rbm m(784, 784);
    m.imageRows = m.imageCols = 28;
    rbm::Random g(4);
    for (Eigen::Index i = 0; i < m.W.size(); ++i) m.W.data()[i] = static_cast<float>(g.normal()) * 0.05f;
    studio::FilterGridOptions global, perTile;
    perTile.contrast = studio::Contrast::PerTile;
    long sink = 0;
    const double tGlobal = medianMs(repeats, [&] { sink += studio::buildFilterGrid(m, global).width(); });
    const double tPerTile = medianMs(repeats, [&] { sink += studio::buildFilterGrid(m, perTile).width(); });
    rbm::Matrix samples(64, 784);
    g.fillUniform(samples);
    const double tDigits = medianMs(repeats, [&] { sink += studio::buildDigitGrid(samples, 28, 28, 8).width(); });
    std::printf("| studio image (median of %d) | ms | target |\n| --- | ---: | ---: |\n", repeats);
    std::printf("| filter grid, 784 hidden units, global contrast | %.2f | < 10 |\n", tGlobal);
    std::printf("| filter grid, 784 hidden units, per-tile contrast | %.2f | < 10 |\n", tPerTile);
    std::printf("| digit grid, 64 samples | %.2f | |\n", tDigits);
    if (sink == 0) std::printf("(no image was built)\n");
}

/// Runs the event loop until `done()` or `timeoutMs`; false on timeout.
bool spinUntil(const std::function<bool()>& done, int timeoutMs) {
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs) loop.quit();
    });
    poll.start(10);
    if (!done()) loop.exec();
    return done();
}

struct Lateness {
    std::vector<double> ms;  ///< sorted
    std::int64_t batches = 0;
    std::uint64_t frames = 0;
    double seconds = 0;
    double at(double q) const { return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, std::size_t(double(ms.size()) * q))]; }
};

/// A 5 ms timer on the GUI thread while the window trains; lateness = time since the previous
/// tick minus 5 ms.
Lateness probeEventLoop(int hidden, double seconds) {
    QTemporaryDir runs;
    studio::MainWindow::Options o;
    o.useSettings = false;
    o.interactive = false;
    o.runsDirectory = runs.path();
    studio::MainWindow w(o);
    rbm::TrainingConfig cfg = w.controller()->config();
    if (hidden > 0) cfg.hidden = hidden;
    cfg.epochs = 1000;  // still training when the probe ends
    w.controlsDock()->setConfig(cfg);
    w.controller()->setConfig(cfg);
    w.resize(1600, 1000);
    w.show();
    w.controller()->start();
    Lateness r;
    if (!spinUntil([&] { return w.controller()->batchesDone() > 0; }, 30000)) return r;
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    qint64 last = -1;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) r.ms.push_back(std::max(0.0, double(now - last) / 1e6 - 5.0));
        last = now;
    });
    const std::int64_t batches0 = w.controller()->batchesDone();
    const std::uint64_t frames0 = w.scheduler()->framesPainted();
    clock.start();
    probe.start();
    spinUntil([&] { return clock.elapsed() > qint64(seconds * 1000); }, int(seconds * 1000) + 1000);
    probe.stop();
    r.seconds = double(clock.elapsed()) / 1000.0;
    r.batches = w.controller()->batchesDone() - batches0;
    r.frames = w.scheduler()->framesPainted() - frames0;
    w.close();  // stops and joins the training thread
    std::sort(r.ms.begin(), r.ms.end());
    return r;
}

QString loadAverage() {
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly)) return QStringLiteral("unknown");
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 0);
}

void benchEventLoop(double seconds) {
    std::printf("\n| event-loop lateness while training (%.0f s, 5 ms timer, load average %s) | ticks | p50 ms | p99 ms | max ms | "
                "target | batches/s | frames/s |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
                seconds, qPrintable(loadAverage()));
    for (const auto& [name, hidden] : {std::pair<const char*, int>{"Classroom model, 144 hidden units", 0},
                                       std::pair<const char*, int>{"784 hidden units", 784}}) {
        const Lateness r = probeEventLoop(hidden, seconds);
        if (r.ms.empty()) {
            std::printf("| %s | training did not start | | | | | | |\n", name);
            continue;
        }
        std::printf("| %s | %zu | %.2f | %.2f | %.2f | p99 < 50 | %.0f | %.1f |\n", name, r.ms.size(), r.at(0.5), r.at(0.99),
                    r.ms.back(), double(r.batches) / r.seconds, double(r.frames) / r.seconds);
    }
}

}  // namespace

int main(int argc, char** argv) {
    int repeats = 30;
    double seconds = 4;
    bool imagesOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "--seconds" && i + 1 < argc) seconds = std::max(0.5, std::atof(argv[++i]));
        else if (a == "--images-only") imagesOnly = true;
        else {
            std::fprintf(stderr, "usage: ui-bench [--repeats N] [--seconds S] [--images-only]\n");
            return 2;
        }
    }
    benchImages(repeats);
    if (imagesOnly) return 0;
    // The window needs no screen: offscreen unless the caller chose a platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchEventLoop(seconds);
    return 0;
}
