#include "window/shortcuts.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>

namespace studio {

Shortcuts::Shortcuts(QWidget* window) : QObject(window), window_(window) { qApp->installEventFilter(this); }

Shortcuts::~Shortcuts() { qApp->removeEventFilter(this); }

QAction* Shortcuts::add(const QString& group, QAction* action) {
    // Application-wide: a floating dock or a combo box's popup leaving the focus elsewhere in
    // the application does not silence the keys (issue 12: Ctrl+Return did nothing until the
    // status bar was clicked).
    action->setShortcutContext(Qt::ApplicationShortcut);
    window_->addAction(action);
    entries_.push_back({group, action});
    return action;
}

bool Shortcuts::isTextField(const QWidget* w) {
    if (!w) return false;
    if (auto* e = qobject_cast<const QLineEdit*>(w)) return !e->isReadOnly();
    if (auto* s = qobject_cast<const QAbstractSpinBox*>(w)) return !s->isReadOnly();
    if (auto* c = qobject_cast<const QComboBox*>(w)) return c->isEditable();
    if (auto* t = qobject_cast<const QTextEdit*>(w)) return !t->isReadOnly();
    if (auto* p = qobject_cast<const QPlainTextEdit*>(w)) return !p->isReadOnly();
    return false;
}

QAction* Shortcuts::actionFor(const QKeyEvent* e) const {
    const QKeyCombination pressed = e->keyCombination();
    // "?" arrives as Shift+?: a shifted symbol matches its key without the Shift.
    const bool symbol = e->key() < Qt::Key_A || e->key() > Qt::Key_Z;
    const QKeyCombination unshifted(pressed.keyboardModifiers() & ~Qt::ShiftModifier & ~Qt::KeypadModifier, pressed.key());
    const QKeyCombination noKeypad(pressed.keyboardModifiers() & ~Qt::KeypadModifier, pressed.key());
    for (const Entry& en : entries_) {
        if (!en.action->isEnabled()) continue;
        for (const QKeySequence& k : en.action->shortcuts()) {
            if (k.count() != 1) continue;
            if (k[0] == pressed || k[0] == noKeypad || (symbol && k[0] == unshifted)) return en.action;
        }
    }
    return nullptr;
}

bool Shortcuts::routes(QObject* receiver) const {
    auto* w = qobject_cast<QWidget*>(receiver);
    if (!w || QApplication::activePopupWidget() || QApplication::activeModalWidget()) return false;
    if (w != window_ && !window_->isAncestorOf(w)) return false;
    return !isTextField(QApplication::focusWidget());
}

bool Shortcuts::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type t = event->type();
    if (t != QEvent::ShortcutOverride && t != QEvent::KeyPress) return false;
    auto* key = static_cast<QKeyEvent*>(event);
    if (!routes(watched) || !actionFor(key)) return false;
    if (t == QEvent::ShortcutOverride) {
        // Nobody claims the key (a combo box would open its list on Space, a slider would
        // move): left unaccepted, it goes on to the action's shortcut.
        key->ignore();
        return true;
    }
    // A key press that got here found no shortcut (an ambiguous one, say): trigger directly.
    if (!key->isAutoRepeat()) actionFor(key)->trigger();
    return true;
}

}  // namespace studio
