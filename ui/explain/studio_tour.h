#pragma once
/// The studio's first-run tour (FirstRunTour's steps for this window) and Help > Take the tour.
class QMenu;
class QWidget;

namespace studio {

class FirstRunTour;
class MainWindow;

/// Adds Help > "Take the tour" to `help` and, on the first interactive run with settings
/// (never in tests, scripted screenshots or --no-settings), starts the tour once the window
/// is shown. `presets` is the presets toolbar (may be null).
void installStudioTour(MainWindow* window, QMenu* help, QWidget* presets);
/// Starts the tour now (Help > Take the tour, tests).
FirstRunTour* startStudioTour(MainWindow* window, QWidget* presets);

}  // namespace studio
