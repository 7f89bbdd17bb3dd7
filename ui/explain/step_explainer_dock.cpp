#include "explain/step_explainer_dock.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QScrollArea>
#include <QStringList>
#include <QTimer>
#include <algorithm>
#include <memory>
#include <utility>

#include "dream/drawing_canvas.h"
#include "dream/dream_panel.h"
#include "explain/step_explainer.h"
#include "views/controls_dock.h"
#include "window/main_window.h"
#include "window/projector.h"
#include "window/shortcuts.h"

namespace studio {

namespace {

/// Tabbed behind the weight filters (a third of the window's width, half its height), the
/// explainer scrolled both ways: raised in the Training view, its dock grows to what it asks
/// for (at most 60 % of the window's width, 75 % of its height) and gives the room back when
/// another tab is raised.
void giveRoomWhenShown(MainWindow* w, QDockWidget* dock, StepExplainer* explainer) {
    auto before = std::make_shared<QSize>();  // the dock's size before it grew; invalid: it did not
    QObject::connect(dock, &QDockWidget::visibilityChanged, dock, [w, dock, explainer, before](bool visible) {
        const bool training = !w->projector() || w->projector()->views()->current() == StudioView::Training;
        if (!training || dock->isFloating()) {
            *before = QSize();
            return;
        }
        if (visible) {
            const QSize hint = explainer->sizeHint() + QSize(24, 24);
            const QSize want(std::min(hint.width(), w->width() * 60 / 100), std::min(hint.height(), w->height() * 75 / 100));
            if (dock->width() >= want.width() && dock->height() >= want.height()) return;
            *before = dock->size();
            // After the tab switch's own layout pass, or the splitters undo it.
            QTimer::singleShot(0, dock, [w, dock, want] {
                if (dock->width() < want.width()) w->resizeDocks({dock}, {want.width()}, Qt::Horizontal);
                if (dock->height() < want.height()) w->resizeDocks({dock}, {want.height()}, Qt::Vertical);
            });
        } else if (before->isValid() && !dock->isHidden()) {  // another tab raised, not closed
            const QSize size = std::exchange(*before, QSize());
            QTimer::singleShot(0, dock, [w, dock, size] {
                for (QDockWidget* other : w->tabifiedDockWidgets(dock))
                    if (other->isVisible()) {
                        w->resizeDocks({other}, {size.width()}, Qt::Horizontal);
                        w->resizeDocks({other}, {size.height()}, Qt::Vertical);
                    }
            });
        }
    });
}

}  // namespace

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

    giveRoomWhenShown(w, d.dock, explainer);

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
