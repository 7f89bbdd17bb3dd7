#pragma once
/// The studio's layouts for a room: Training (every dock, as the person arranged them),
/// Classroom (only the panels marked for it in their PanelSpec: weight filters over one
/// metric plot on the left, the dream and the step explainer on the right) and Dream (the
/// dream panel alone, the training docks collapsed). Leaving Training remembers its
/// arrangement; coming back restores it, so a lesson never costs a person their layout.
#include <QByteArray>
#include <QObject>
#include <functional>
#include <vector>

class QDockWidget;
class QMainWindow;
class QToolBar;

namespace studio {

class DockLayout;

enum class StudioView { Training, Classroom, Dream };

class ViewSwitcher : public QObject {
    Q_OBJECT
public:
    /// `defaultLayout` puts every dock back in its default place (when nothing is remembered).
    ViewSwitcher(QMainWindow* window, const DockLayout& layout, std::function<void()> defaultLayout);

    void setDreamDock(QDockWidget* dream) { dream_ = dream; }
    StudioView current() const { return current_; }
    void show(StudioView v);
    /// The Dream view, or back to the view before it.
    void toggleDream() { show(current_ == StudioView::Dream ? before_ : StudioView::Dream); }

    /// The classroom's proportions for the window's size now (again after a zoom changed the
    /// panels' minimum sizes); nothing outside the classroom.
    void sizeClassroom();

signals:
    void changed(StudioView v);

private:
    void arrangeClassroom();
    void arrangeDream();
    /// Classroom: the top toolbars (presets) join the time slider's row at the bottom, so that
    /// the dream has the height it needs at 1280 x 720; leaving it puts them back.
    void lowerToolbars(bool lower);

    QMainWindow* window_;
    const DockLayout& layout_;
    std::function<void()> defaultLayout_;
    QDockWidget* dream_ = nullptr;
    StudioView current_ = StudioView::Training;
    StudioView before_ = StudioView::Training;
    QByteArray training_;  ///< the Training arrangement, saved on leaving it
    std::vector<QToolBar*> lowered_;  ///< toolbars moved to the bottom row by the classroom
};

}  // namespace studio
