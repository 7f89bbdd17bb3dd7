#include "window/standard_panels.h"

#include <QScrollArea>

#include "dream/dream_panel.h"
#include "views/filter_grid_view.h"
#include "window/main_window.h"
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
    QObject::connect(w, &MainWindow::modelChanged, dream, [w, dream] { dream->setModel(w->currentModel()); });
    QObject::connect(w->filterView(), &FilterGridView::unitClicked, dream, &DreamPanel::toggleHiddenUnit);
}

}  // namespace

StandardPanels installStandardPanels(MainWindow* window) {
    StandardPanels p;
    installDreamPanel(window, p);
    // Likelihood plot and training-health panel: estimates on a background thread.
    p.health = installHealthDocks(window);
    p.timeSlider = installTimeSlider(window, p.health.likelihood);
    return p;
}

}  // namespace studio
