#pragma once
/// The one table of the studio's keys. Every keyed action (menus, views, zoom, help) is
/// registered here with its group; the key reference is built from this table, never from a
/// copy. A registered key works whatever widget has the focus (a combo box, a slider, the
/// dream canvas, a floating dock), except while a text field takes it (Space typed into a
/// spin box, Ctrl+Right moving by a word), while a menu is open and while a dialog asks.
#include <QObject>
#include <QString>
#include <vector>

class QAction;
class QKeyEvent;
class QWidget;

namespace studio {

class Shortcuts : public QObject {
    Q_OBJECT
public:
    struct Entry {
        QString group;  ///< "Training", "View", ...
        QAction* action;
    };
    /// Keys for `window` and its floating docks; installs itself on the application.
    explicit Shortcuts(QWidget* window);
    ~Shortcuts() override;

    /// Lists `action` under `group` and makes its keys application-wide (added to the window
    /// too, so they work with the menu bar hidden). Returns `action`.
    QAction* add(const QString& group, QAction* action);
    const std::vector<Entry>& entries() const { return entries_; }

    /// A widget that takes printable keys as text: line edits, spin boxes, editable combo
    /// boxes, text editors (read-only ones do not count).
    static bool isTextField(const QWidget* w);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /// The enabled registered action whose key `e` is, or nullptr.
    QAction* actionFor(const QKeyEvent* e) const;
    /// The key is ours to route: focus in this window, not typing, no menu or dialog up.
    bool routes(QObject* receiver) const;

    QWidget* window_;
    std::vector<Entry> entries_;
};

}  // namespace studio
