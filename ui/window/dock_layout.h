#pragma once
/// The one way a panel joins the studio window: as a dock with a stable id (its key in the
/// saved layout), a title (its View menu entry) and a place in the default layout relative
/// to a dock placed before it. The window's own views plug in the same way as the dream and
/// health panels; a panel is found by its View or by its widget, never by an object name.
#include <QString>
#include <Qt>
#include <array>
#include <vector>

class QDockWidget;
class QMainWindow;
class QWidget;

namespace studio {

/// The window's own views (the anchors other panels are placed against).
enum class View { Controls, Checkpoints, Filters, Activity, Fantasy, Data, Metrics, Histograms };

/// Where a dock goes in the default layout.
struct Placement {
    enum class How { InArea, RightOf, Below, TabbedWith };
    How how = How::InArea;
    Qt::DockWidgetArea area = Qt::RightDockWidgetArea;  ///< InArea
    View anchor = View::Filters;                        ///< the others

    static Placement inArea(Qt::DockWidgetArea a) { return {How::InArea, a, View::Filters}; }
    static Placement rightOf(View v) { return {How::RightOf, Qt::RightDockWidgetArea, v}; }
    static Placement below(View v) { return {How::Below, Qt::RightDockWidgetArea, v}; }
    /// A tab behind `v` (v stays the raised tab).
    static Placement tabbedWith(View v) { return {How::TabbedWith, Qt::RightDockWidgetArea, v}; }
};

struct PanelSpec {
    QString id;     ///< stable: the saved layout's key ("filters", "panel-dream")
    QString title;  ///< "Weight filters"
    Placement placement;
    bool classroom = false;  ///< shown in the classroom layout (rbm-studio --classroom, Ctrl+2)
};

class DockLayout {
public:
    explicit DockLayout(QMainWindow* window) : window_(window) {}

    /// Wraps `widget` in a dock and places it; a View may be given once, before it is an anchor.
    QDockWidget* add(QWidget* widget, const PanelSpec& spec);
    QDockWidget* addView(View v, QWidget* widget, const PanelSpec& spec);
    QDockWidget* dock(View v) const { return views_[std::size_t(v)]; }
    /// The dock holding `widget` (directly or inside a scroll area), or nullptr.
    static QDockWidget* dockOf(QWidget* widget);

    /// Every dock back in its default place, docked and shown, the anchors raised.
    void reset();
    /// The default proportions for the window's current size (after it is shown).
    void applyDefaultSizes();
    /// Raise each tab group's anchor (tabs raised before the first show do not stick).
    void raiseAnchors();
    /// Every dock, in the order added, and whether it belongs to the classroom layout.
    std::vector<QDockWidget*> docks() const;
    bool inClassroom(const QDockWidget* d) const;

private:
    struct Entry {
        QDockWidget* dock;
        Placement placement;
        bool classroom;
    };
    void place(const Entry& e);
    void raiseAnchorOf(const Entry& e) const;

    QMainWindow* window_;
    std::vector<Entry> entries_;
    std::array<QDockWidget*, 8> views_{};
};

}  // namespace studio
