#pragma once
/// "What am I looking at?": for every panel of the studio, two to four sentences on what it
/// shows and what to look for, and the formula behind it. The texts live here and only here;
/// the window shows them from Help > What am I looking at? (the focused panel), from the "?"
/// of each dock's title bar, and as the panel's What's This text.
#include <QString>
#include <vector>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace studio {

struct PanelExplanation {
    QString id;       ///< the panel's PanelSpec id ("filters", "panel-dream")
    QString title;    ///< "Weight filters"
    QString what;     ///< what am I looking at
    QString lookFor;  ///< what to look for
    QString formula;  ///< rich text
};

/// Every panel's explanation, in the order of the window's View menu.
const std::vector<PanelExplanation>& panelExplanations();
/// The explanation of the panel with this id, or nullptr.
const PanelExplanation* panelExplanation(const QString& id);
/// One explanation as rich text (title, the sentences, the formula).
QString explanationHtml(const PanelExplanation& e);

/// The explanation of the dock the keyboard focus (or else the pointer) is in, or nullptr.
const PanelExplanation* explanationForFocus(const QMainWindow* window);

/// Gives every dock of `window` that has an explanation its What's This text and a "?"
/// button in its title bar, and adds Help > "What am I looking at?" (Shift+F1) to `help`
/// (returned, for the window's key table; null without `help`). Call after the docks are added.
QAction* installPanelExplanations(QMainWindow* window, QMenu* help);
/// The same for one dock added later.
void explainDock(QDockWidget* dock);

}  // namespace studio
