#pragma once
/// Puts the step explainer into the studio window: a dock (a tab behind the weight filters)
/// fed with the window's model, datasets, training settings and PCD chain, the dream's
/// drawing as a possible example, and Training > "Explain one step" to bring it up.
class QAction;
class QDockWidget;
class QMenu;
class QString;

namespace studio {

class DreamPanel;
class MainWindow;
class StepExplainer;

struct StepExplainerDock {
    StepExplainer* explainer = nullptr;
    QDockWidget* dock = nullptr;
    QAction* action = nullptr;  ///< Training > Explain one step
};

/// `dream` may be null (no drawing to explain then); `menu` may be null (no action).
StepExplainerDock installStepExplainer(MainWindow* window, DreamPanel* dream, QMenu* menu);

/// Shows and raises the explainer on test digit `index` at its first stage; false if there
/// is no such digit.
bool explainTestDigit(const StepExplainerDock& d, int index);

/// `rbm-studio --explain I[:STAGE]`: test digit I at stage STAGE (1-based, default 1), the
/// explainer given most of the window. False (with a sentence in *error) for a bad argument.
bool presentStepExplainer(MainWindow* window, const StepExplainerDock& d, const QString& argument, QString* error);

}  // namespace studio
