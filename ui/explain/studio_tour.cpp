#include "explain/studio_tour.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QSettings>
#include <QTimer>

#include "explain/first_run_tour.h"
#include "window/main_window.h"

namespace studio {

namespace {

QDockWidget* dockWithId(MainWindow* w, const QString& id) {
    // Ids are the panels' PanelSpec ids; docks added by other helpers may be absent.
    for (QDockWidget* d : w->findChildren<QDockWidget*>())
        if (d->objectName() == id) return d;
    return nullptr;
}

}  // namespace

FirstRunTour* startStudioTour(MainWindow* w, QWidget* presets) {
    std::vector<FirstRunTour::Step> steps;
    auto add = [&steps](QWidget* target, const QString& title, const QString& text) {
        if (target) steps.push_back({target, title, text});
    };
    add(presets, MainWindow::tr("Presets"),
        MainWindow::tr("Start here: <b>Classroom</b> learns visibly in seconds, the others are for better dreams and scores. "
                       "Each button's tooltip says what it measured."));
    add(w->dock(View::Controls), MainWindow::tr("Controls"),
        MainWindow::tr("Press <b>Space</b> to start and pause training; every setting is here."));
    add(w->dock(View::Filters), MainWindow::tr("Weight filters"),
        MainWindow::tr("One tile per hidden unit: watch the speckle turn into strokes as the model learns."));
    add(dockWithId(w, QStringLiteral("panel-explain-step")), MainWindow::tr("Explain one step"),
        MainWindow::tr("One update on one digit in slow motion: <b>Next</b> and <b>Back</b> walk through it, and pointing at a "
                       "unit shows its numbers."));
    add(dockWithId(w, QStringLiteral("panel-dream")), MainWindow::tr("Dream"),
        MainWindow::tr("Draw a digit and let the model dream from it."));
    add(w->dock(View::Metrics), MainWindow::tr("Metrics"),
        MainWindow::tr("The learning curves. The likelihood and training-health tabs say how good the model really is."));
    add(w->dock(View::Fantasy), MainWindow::tr("Fantasy particles"), MainWindow::tr("What the model produces on its own."));
    steps.push_back({nullptr, MainWindow::tr("Help in place"),
                     MainWindow::tr("The <b>?</b> in each panel's title (or Shift+F1) explains what it shows and what to look for.")});
    steps.back().target = w;  // about the whole window: a bubble in the middle
    auto* tour = new FirstRunTour(w, std::move(steps));
    const bool remember = w->options().useSettings;
    QObject::connect(tour, &FirstRunTour::finished, w, [tour, remember] {
        if (remember && tour->dontShowAgain()) QSettings().setValue(tourSettingsKey(), true);
    });
    return tour;
}

void installStudioTour(MainWindow* w, QMenu* help, QWidget* presets) {
    if (help) {
        QAction* a = help->addAction(MainWindow::tr("Take the &tour"));
        QObject::connect(a, &QAction::triggered, w, [w, presets] { startStudioTour(w, presets); });
    }
    const MainWindow::Options& o = w->options();
    if (!o.useSettings || !o.interactive || QSettings().value(tourSettingsKey(), false).toBool()) return;
    // Once the window is shown and laid out.
    QTimer::singleShot(900, w, [w, presets] {
        if (w->isVisible()) startStudioTour(w, presets);
    });
}

}  // namespace studio
