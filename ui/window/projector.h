#pragma once
/// Projector mode: everything a teacher needs in front of a room, in the View menu with its
/// keys (registered in the Shortcuts table): zoom of every panel's text and plots (Ctrl+=,
/// Ctrl+-, Ctrl+0), the high-contrast theme (Ctrl+Shift+H) and the three views (Ctrl+1
/// training, Ctrl+2 classroom, Ctrl+3 / F6 dream). Zoom and theme are remembered in the
/// settings; the view is not (a session starts in Training unless --classroom).
#include <QObject>
#include <vector>

#include "window/view_switcher.h"

class QAction;
class QDockWidget;
class QTimer;
class QMainWindow;

namespace studio {

class DockLayout;
class Shortcuts;
class StudioMenus;
class StudioSettings;
class Theme;
class Zoom;

class Projector : public QObject {
    Q_OBJECT
public:
    /// `defaultLayout`: every dock back in its default place (View > Reset layout).
    Projector(QMainWindow* window, const DockLayout& layout, std::function<void()> defaultLayout);

    /// The View menu's projector entries, after the menu's own.
    void addActions(StudioMenus* menus, Shortcuts* keys);
    /// Zoom and theme of the last session (nothing when settings are off).
    void restore(const StudioSettings& settings);
    void save(const StudioSettings& settings) const;
    /// The classroom at start (rbm-studio --classroom): its layout, as large as fits (1.5 on a
    /// 1080-line screen, 1.25 on 720 lines, less while a panel would have to scroll).
    void startClassroom();
    /// The classroom panels whose content would scroll in their dock (the tabbed ones measured
    /// against the tab shown); empty when every panel fits.
    std::vector<QDockWidget*> scrollingPanels() const;
    /// New plots or plot items since the last zoom or theme change follow them too.
    void refreshPlots();

    Zoom* zoom() const { return zoom_; }
    Theme* theme() const { return theme_; }
    ViewSwitcher* views() const { return views_; }

private:
    /// Zooms out a step at a time (not below 100 %) until no panel scrolls; if even 100 % does
    /// not cure it, back to the zoom it started from (smaller text would then buy nothing).
    void fitClassroom();

    QTimer* fitTimer_ = nullptr; ///< checks again while in the classroom (a panel's text grows)
    double fitStart_ = 0;        ///< the zoom fitting started from
    bool fitGaveUp_ = false;
    /// The zoom before startClassroom raised it (0: not raised): leaving the classroom returns
    /// to it, since the every-panel layout at the classroom's zoom outgrows a 720-line screen.
    double zoomBeforeClassroom_ = 0;
    QMainWindow* window_;
    const DockLayout& layout_;
    Zoom* zoom_;
    Theme* theme_;
    ViewSwitcher* views_;
    QAction* highContrast_ = nullptr;
};

}  // namespace studio
