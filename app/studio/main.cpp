// rbm-studio: the RBM Studio window.
//   rbm-studio [SESSION] [--data DIR] [--model CKPT] [--train] [--runs DIR] [--classroom]
//              [--zoom FACTOR] [--high-contrast] [--dream-from-test I] [--explain I[:STAGE]]
//              [--screenshot FILE --quit-after SECONDS]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QScreen>
#include <QTimer>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "dream/dream_panel.h"
#include "dream/save_file.h"
#include "explain/step_explainer_dock.h"
#include "window/main_window.h"
#include "window/projector.h"
#include "window/theme.h"
#include "window/zoom.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RBM Studio"));
    QApplication::setApplicationName(QStringLiteral("rbm-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("RBM Studio"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Train Restricted Boltzmann Machines and watch them learn."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("Dataset: an IDX folder or file, a folder of PNG/JPEG pictures, a .csv, .npy or .npz file ('embedded' for the built-in digits, bars-and-stripes:4x4 for the exact lab's toy)."), QStringLiteral("PATH"));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Checkpoint (.npz) to open."), QStringLiteral("CKPT"));
    const QCommandLineOption train(QStringLiteral("train"), QStringLiteral("Start training as soon as the window opens."));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Folder for the run folders (checkpoints, metrics.csv)."), QStringLiteral("DIR"));
    const QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window after --quit-after seconds, then quit."), QStringLiteral("FILE"));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after"), QStringLiteral("Quit after this many seconds."), QStringLiteral("SECONDS"));
    const QCommandLineOption noSettings(QStringLiteral("no-settings"), QStringLiteral("Neither read nor write the remembered settings."));
    const QCommandLineOption dreamFromTest(QStringLiteral("dream-from-test"), QStringLiteral("Open the Dream panel and dream from test digit I."), QStringLiteral("I"));
    const QCommandLineOption explain(QStringLiteral("explain"), QStringLiteral("Open 'Explain one step' on test digit I (I:STAGE for a stage 1-9)."), QStringLiteral("I"));
    const QCommandLineOption classroom(QStringLiteral("classroom"),
                                       QStringLiteral("Start in the classroom view (filters, dream, one metric, the step explainer), large enough for a room."));
    const QCommandLineOption zoom(QStringLiteral("zoom"), QStringLiteral("Text and plot zoom for this session (1 = 100 %)."), QStringLiteral("FACTOR"));
    const QCommandLineOption highContrast(QStringLiteral("high-contrast"), QStringLiteral("The high-contrast theme for this session."));
    const QCommandLineOption compare(QStringLiteral("compare"), QStringLiteral("Open Compare runs with this run folder (repeat for more)."), QStringLiteral("RUN"));
    parser.addOptions({data, model, train, runs, shot, quitAfter, noSettings, dreamFromTest, classroom, zoom, highContrast, explain, compare});
    parser.addPositionalArgument(QStringLiteral("session"), QStringLiteral("A session file (.rbmsession) to open."), QStringLiteral("[SESSION]"));
    parser.process(app);

    double seconds = -1;
    if (parser.isSet(quitAfter)) {
        bool ok = false;
        seconds = parser.value(quitAfter).toDouble(&ok);
        if (!ok || seconds < 0) {
            std::fprintf(stderr, "rbm-studio: --quit-after needs a number of seconds, got '%s'\n", qPrintable(parser.value(quitAfter)));
            return 2;
        }
    }
    const bool scripted = parser.isSet(shot) || seconds >= 0;
    // --quit-after always quits: a last resort that needs no event loop (files are read off
    // the GUI thread and every reader is bounded, so this should never be what ends it).
    if (seconds >= 0)
        std::thread([seconds] {
            std::this_thread::sleep_for(std::chrono::duration<double>(seconds + 30));
            std::fprintf(stderr, "rbm-studio: still running 30 s after --quit-after %g; exiting\n", seconds);
            std::_Exit(3);
        }).detach();
    double zoomFactor = 0;
    if (parser.isSet(zoom)) {
        bool ok = false;
        zoomFactor = parser.value(zoom).toDouble(&ok);
        if (!ok || zoomFactor < studio::Zoom::kMin || zoomFactor > studio::Zoom::kMax) {
            std::fprintf(stderr, "rbm-studio: --zoom needs a factor from %.1f to %.1f, got '%s'\n", studio::Zoom::kMin, studio::Zoom::kMax,
                         qPrintable(parser.value(zoom)));
            return 2;
        }
    }

    studio::MainWindow::Options options;
    options.dataPath = parser.value(data);
    options.modelPath = parser.value(model);
    options.runsDirectory = parser.value(runs);
    if (!parser.positionalArguments().isEmpty()) options.sessionPath = parser.positionalArguments().front();
    // A scripted session (screenshots, checks) neither asks questions nor changes what a
    // person's next session remembers.
    options.useSettings = !parser.isSet(noSettings) && !scripted;
    options.interactive = !scripted;
    studio::MainWindow window(options);
    // Laid out for 1600x1000; on a smaller screen, no larger than the screen.
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        window.resize(parser.isSet(classroom) ? screen->availableGeometry().size()  // a lesson fills the projector
                                              : window.size().boundedTo(screen->availableGeometry().size()));
    studio::Projector* projector = window.projector();
    if (zoomFactor > 0) projector->zoom()->setFactor(zoomFactor);
    if (parser.isSet(highContrast)) projector->theme()->setHighContrast(true);
    window.show();
    // After the window's first layout pass (its default sizes).
    if (parser.isSet(classroom)) QTimer::singleShot(0, &window, [projector] { projector->startClassroom(); });
    if (parser.isSet(train)) QTimer::singleShot(0, window.controller(), &studio::TrainingController::start);
    if (parser.isSet(dreamFromTest)) {
        bool ok = false;
        const int index = parser.value(dreamFromTest).toInt(&ok);
        studio::DreamPanel* dream = window.panels().dream;
        if (!ok || index < 0) {
            std::fprintf(stderr, "rbm-studio: --dream-from-test needs a test digit index, got '%s'\n", qPrintable(parser.value(dreamFromTest)));
            return 2;
        }
        // After the window's own first layout pass: the Dream view, the dream panel alone.
        QTimer::singleShot(200, &window, [projector, dream, index] {
            if (projector->views()->current() != studio::StudioView::Classroom) projector->views()->show(studio::StudioView::Dream);
            if (!dream->startFromTestDigit(index))
                std::fprintf(stderr, "rbm-studio: there is no test digit %d (or no model to dream on)\n", index);
            dream->play();
        });
    }

    if (parser.isSet(compare)) {
        const QStringList dirs = parser.values(compare);
        QTimer::singleShot(0, &window, [&window, dirs] { window.showRunComparison(dirs); });
    }

    if (parser.isSet(explain)) {
        const QString argument = parser.value(explain);
        QTimer::singleShot(200, &window, [&window, argument] {
            QString error;
            if (!studio::presentStepExplainer(&window, window.panels().explainer, argument, &error))
                std::fprintf(stderr, "rbm-studio: %s\n", qPrintable(error));
        });
    }

    int status = 0;
    if (seconds >= 0) {
        const QString file = parser.value(shot);
        QTimer::singleShot(int(seconds * 1000), &window, [&window, &status, file] {
            if (!file.isEmpty()) {
                QString error;  // atomic and checked (ui/dream/save_file.h): names the file and the reason
                if (!studio::saveImageAtomically(file, window.grab().toImage(), "PNG", &error)) {
                    std::fprintf(stderr, "rbm-studio: %s\n", qPrintable(error));
                    status = 1;
                }
            }
            window.close();  // stops and joins the training thread
            QApplication::quit();
        });
    }
    const int rc = app.exec();
    return status != 0 ? status : rc;
}
