#include "explain/step_explainer_dock.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QScrollArea>
#include <QStringList>

#include "dream/drawing_canvas.h"
#include "dream/dream_panel.h"
#include "explain/step_explainer.h"
#include "views/controls_dock.h"
#include "window/main_window.h"
#include "window/shortcuts.h"

namespace studio {

StepExplainerDock installStepExplainer(MainWindow* w, DreamPanel* dream, QMenu* menu) {
    StepExplainerDock d;
    auto* explainer = new StepExplainer;
    d.explainer = explainer;
    auto* scroll = new QScrollArea;  // never forces the window larger than the screen
    scroll->setWidget(explainer);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    d.dock = w->addPanel(scroll, {QStringLiteral("panel-explain-step"), MainWindow::tr("Explain one step"),
                                  Placement::tabbedWith(View::Filters), /*classroom*/ true});

    explainer->setTrainingConfig(w->controller()->config());
    explainer->setDatasets(w->trainingData(), w->testData());
    if (dream) explainer->setDrawingProvider([dream] { return dream->canvas()->pixels(); });
    QObject::connect(w, &MainWindow::datasetChanged, explainer,
                     [w, explainer] { explainer->setDatasets(w->trainingData(), w->testData()); });
    QObject::connect(w->controlsDock(), &ControlsDock::configEdited, explainer, &StepExplainer::setTrainingConfig);
    QObject::connect(w, &MainWindow::modelChanged, explainer, [w, explainer] {
        // Hidden, the explainer only takes note (it recomputes when shown).
        if (SnapshotPtr s = w->currentSnapshot()) {
            explainer->setTrainingConfig(s->config);
            // PCD: the first persistent chain, as the trainer left it.
            if (s->config.algorithm == rbm::Algorithm::PCD && s->negativeSamples.rows() > 0)
                explainer->setChainState(s->negativeSamples.row(0).transpose());
            else
                explainer->setChainState({});
        }
        explainer->setModel(w->currentModel());
    });
    explainer->setModel(w->currentModel());

    if (menu) {
        d.action = menu->addAction(MainWindow::tr("E&xplain one step"));
        d.action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
        d.action->setToolTip(MainWindow::tr("One CD update on one digit, stage by stage"));
        w->shortcuts()->add(MainWindow::tr("Training"), d.action);  // works from any widget, listed in the keys
        QDockWidget* dock = d.dock;
        QObject::connect(d.action, &QAction::triggered, explainer, [dock, explainer] {
            dock->show();
            dock->raise();
            explainer->setFocus();
        });
    }
    return d;
}

bool explainTestDigit(const StepExplainerDock& d, int index) {
    if (!d.explainer || !d.explainer->showExample(StepExplainer::Source::TestDigit, index)) return false;
    d.dock->show();
    d.dock->raise();
    d.explainer->setStage(StepStage::Data);
    d.explainer->setFocus();
    return true;
}

bool presentStepExplainer(MainWindow* w, const StepExplainerDock& d, const QString& argument, QString* error) {
    const QStringList parts = argument.split(QLatin1Char(':'));
    bool okIndex = false, okStage = true;
    const int index = parts.value(0).toInt(&okIndex);
    const int stage = parts.size() > 1 ? parts.value(1).toInt(&okStage) : 1;
    if (!okIndex || !okStage || parts.size() > 2 || stage < 1 || stage > kStepStageCount) {
        *error = MainWindow::tr("--explain needs a test digit index and optionally a stage 1-%1 (e.g. 3 or 3:2), got '%2'")
                     .arg(kStepStageCount)
                     .arg(argument);
        return false;
    }
    if (!explainTestDigit(d, index)) {
        *error = MainWindow::tr("there is no test digit %1 (or no model to explain)").arg(index);
        return false;
    }
    d.explainer->setStage(StepStage(stage - 1));
    // Most of the width and height for the explainer; the views beside it make room.
    w->resizeDocks({d.dock}, {w->width() * 62 / 100}, Qt::Horizontal);
    w->resizeDocks({d.dock, w->dock(View::Activity)}, {w->height() * 80 / 100, w->height() * 12 / 100}, Qt::Vertical);
    return true;
}

}  // namespace studio
