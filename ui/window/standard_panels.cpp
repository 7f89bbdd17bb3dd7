#include "window/standard_panels.h"

#include <QAction>
#include <QScrollArea>

#include "dream/dream_engine.h"
#include "dream/dream_panel.h"
#include "explain/panel_explanations.h"
#include "explain/studio_tour.h"
#include "lab/exact_lab_panel.h"
#include "views/filter_grid_view.h"
#include "window/main_window.h"
#include "window/presets_toolbar.h"
#include "window/shortcuts.h"
#include "window/studio_menus.h"
#include "window/time_slider.h"

namespace studio {

namespace {

/// Dreams on every painted snapshot's model; a click on a filter forces that hidden unit.
void installDreamPanel(MainWindow* w, StandardPanels& p) {
    p.dream = new DreamPanel;
    auto* scroll = new QScrollArea;  // never forces the window larger than the screen
    scroll->setWidget(p.dream);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    p.dreamDock = w->addPanel(scroll, {QStringLiteral("panel-dream"), MainWindow::tr("Dream"), Placement::tabbedWith(View::Filters), true});
    DreamPanel* dream = p.dream;
    dream->setDatasets(w->trainingData(), w->testData());
    QObject::connect(w, &MainWindow::datasetChanged, dream, [w, dream] { dream->setDatasets(w->trainingData(), w->testData()); });
    QObject::connect(w, &MainWindow::modelChanged, dream, [w, dream] {
        const SnapshotPtr s = w->currentSnapshot();  // how the model was trained: the dream's caveat
        dream->setTrainingConfig(s ? &s->config : nullptr);
        dream->setModel(w->currentModel());
    });
    // Never stale: a new model (reset, preset, open, restore) dreams afresh from the same start;
    // frames of the last model's chains would otherwise stay in the timeline and filmstrip.
    QObject::connect(w, &MainWindow::modelStartedAfresh, dream, [dream] { dream->engine()->reset(); });
    QObject::connect(w->filterView(), &FilterGridView::unitClicked, dream, &DreamPanel::toggleHiddenUnit);
}

}  // namespace

StandardPanels installStandardPanels(MainWindow* window) {
    StandardPanels p;
    installDreamPanel(window, p);
    // Likelihood plot and training-health panel: estimates on a background thread.
    p.health = installHealthDocks(window);
    p.timeSlider = installTimeSlider(window, p.health.likelihood);
    p.exactLab = installExactLab(window);  // a tab behind the filters, raised for tiny data
    // Classroom aids (ui/explain, window/presets_toolbar.h): last, so every dock gets its "?".
    p.presets = installPresetsToolbar(window);
    p.explainer = installStepExplainer(window, p.dream, window->menus()->trainingMenu());
    if (QAction* a = installPanelExplanations(window, window->menus()->helpMenu())) window->shortcuts()->add(MainWindow::tr("Help"), a);
    installStudioTour(window, window->menus()->helpMenu(), p.presets);
    return p;
}

}  // namespace studio
