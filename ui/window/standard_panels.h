#pragma once
/// The panels every studio window has besides its own views, plugged in through
/// MainWindow::addPanel and connected: the dream panel (a tab behind the weight filters) and
/// the likelihood and training-health docks (ui/health).
#include "health/health_docks.h"

class QDockWidget;

namespace studio {

class DreamPanel;
class MainWindow;
class TimeSlider;

struct StandardPanels {
    DreamPanel* dream = nullptr;
    QDockWidget* dreamDock = nullptr;
    HealthDocks health;
    TimeSlider* timeSlider = nullptr;  ///< ui/window/time_slider.h
};

/// Call once the window has its dataset.
StandardPanels installStandardPanels(MainWindow* window);

}  // namespace studio
