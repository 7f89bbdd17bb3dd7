#pragma once
/// The named training presets in sight (rbm/presets.h): a toolbar with one button each
/// (Classroom, Dreams, Default, Best), its tooltip saying what the preset is for and what it
/// measured, the button of the settings in force checked.
///
/// applyTrainingPreset is the one way a preset is applied, from this toolbar and from the
/// training-health panel's drop-down alike: the settings go to the Controls dock as if edited
/// by hand (the window then applies them; a new structure means a new model).
#include <QToolBar>

#include "rbm/presets.h"

class QActionGroup;

namespace studio {

class MainWindow;

/// Applies the preset called `name` (rbm::trainingPreset's names); false if there is none.
bool applyTrainingPreset(MainWindow* window, const QString& name);
/// Applies whole settings the same way (a compared run's, "a copy of A"); `what` names them in
/// the status bar ("the settings of run-a").
void applyTrainingConfig(MainWindow* window, const rbm::TrainingConfig& c, const QString& what);

/// "Classroom (fast): 144 hidden units, CD-1 ... " for a tooltip (rich text).
QString presetTooltip(const rbm::TrainingPreset& preset);

class PresetsToolbar : public QToolBar {
    Q_OBJECT
public:
    explicit PresetsToolbar(MainWindow* window);
    /// Checks the button of the preset `config` matches (none for custom settings).
    void showConfig(const rbm::TrainingConfig& config);
    QAction* action(const QString& presetName) const;

private:
    QActionGroup* group_;
};

/// Adds the toolbar to the window (top, after the menus) and keeps its check mark current.
PresetsToolbar* installPresetsToolbar(MainWindow* window);

}  // namespace studio
