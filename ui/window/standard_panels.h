#pragma once
/// The panels every studio window has besides its own views, plugged in through
/// MainWindow::addPanel and connected: the dream panel (a tab behind the weight filters) and
/// the likelihood and training-health docks (ui/health).
#include "explain/step_explainer_dock.h"
#include "health/health_docks.h"

class QDockWidget;

namespace studio {

class DreamPanel;
class ExactLabView;
class MainWindow;
class PresetsToolbar;
class TimeSlider;

struct StandardPanels {
    DreamPanel* dream = nullptr;
    QDockWidget* dreamDock = nullptr;
    HealthDocks health;
    StepExplainerDock explainer;  ///< Explain one step (ui/explain)
    PresetsToolbar* presets = nullptr;
    TimeSlider* timeSlider = nullptr;  ///< ui/window/time_slider.h
    ExactLabView* exactLab = nullptr;  ///< ui/lab: exact p(v) of tiny models
};

/// Call once the window has its dataset.
StandardPanels installStandardPanels(MainWindow* window);

}  // namespace studio
