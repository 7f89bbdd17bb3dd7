// rbm-studio: the RBM Studio window.
//   rbm-studio [SESSION] [--data DIR] [--model CKPT] [--train] [--runs DIR]
//              [--dream-from-test I] [--screenshot FILE --quit-after SECONDS]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QScreen>
#include <QTimer>
#include <cstdio>

#include "dream/dream_panel.h"
#include "window/main_window.h"

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
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("IDX dataset folder or images file ('embedded' for the built-in digits)."), QStringLiteral("DIR"));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Checkpoint (.npz) to open."), QStringLiteral("CKPT"));
    const QCommandLineOption train(QStringLiteral("train"), QStringLiteral("Start training as soon as the window opens."));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Folder for the run folders (checkpoints, metrics.csv)."), QStringLiteral("DIR"));
    const QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window after --quit-after seconds, then quit."), QStringLiteral("FILE"));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after"), QStringLiteral("Quit after this many seconds."), QStringLiteral("SECONDS"));
    const QCommandLineOption noSettings(QStringLiteral("no-settings"), QStringLiteral("Neither read nor write the remembered settings."));
    const QCommandLineOption dreamFromTest(QStringLiteral("dream-from-test"), QStringLiteral("Open the Dream panel and dream from test digit I."), QStringLiteral("I"));
    parser.addOptions({data, model, train, runs, shot, quitAfter, noSettings, dreamFromTest});
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
        window.resize(window.size().boundedTo(screen->availableGeometry().size()));
    window.show();
    if (parser.isSet(train)) QTimer::singleShot(0, window.controller(), &studio::TrainingController::start);
    if (parser.isSet(dreamFromTest)) {
        bool ok = false;
        const int index = parser.value(dreamFromTest).toInt(&ok);
        studio::DreamPanel* dream = window.panels().dream;
        QDockWidget* dock = window.panels().dreamDock;
        if (!ok || index < 0) {
            std::fprintf(stderr, "rbm-studio: --dream-from-test needs a test digit index, got '%s'\n", qPrintable(parser.value(dreamFromTest)));
            return 2;
        }
        // After the window's own first layout pass: give the dream most of the width and height.
        QTimer::singleShot(200, &window, [&window, dream, dock, index] {
            using studio::View;
            dock->show();
            dock->raise();
            // The dream's column takes most of the window; the views on its right make room.
            window.dock(View::Metrics)->hide();
            window.dock(View::Histograms)->hide();
            window.resizeDocks({dock}, {window.width() * 78 / 100}, Qt::Horizontal);
            window.resizeDocks({dock, window.dock(View::Activity)}, {window.height() * 85 / 100, window.height() * 8 / 100},
                               Qt::Vertical);
            if (!dream->startFromTestDigit(index))
                std::fprintf(stderr, "rbm-studio: there is no test digit %d (or no model to dream on)\n", index);
            dream->play();
        });
    }

    int status = 0;
    if (seconds >= 0) {
        const QString file = parser.value(shot);
        QTimer::singleShot(int(seconds * 1000), &window, [&window, &status, file] {
            if (!file.isEmpty()) {
                const QPixmap pixmap = window.grab();
                if (!pixmap.save(file, "PNG")) {
                    std::fprintf(stderr, "rbm-studio: cannot write the screenshot %s\n", qPrintable(QDir::toNativeSeparators(file)));
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
