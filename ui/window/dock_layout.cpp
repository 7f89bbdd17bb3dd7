#include "window/dock_layout.h"

#include <QDockWidget>
#include <QMainWindow>
#include <algorithm>

namespace studio {

QDockWidget* DockLayout::add(QWidget* widget, const PanelSpec& spec) {
    auto* d = new QDockWidget(spec.title, window_);
    d->setObjectName(spec.id);  // saveState / restoreState key, never used to find the dock
    d->setWidget(widget);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    entries_.push_back({d, spec.placement, spec.classroom});
    place(entries_.back());
    raiseAnchorOf(entries_.back());
    return d;
}

QDockWidget* DockLayout::addView(View v, QWidget* widget, const PanelSpec& spec) {
    QDockWidget* d = add(widget, spec);
    views_[std::size_t(v)] = d;
    return d;
}

QDockWidget* DockLayout::dockOf(QWidget* widget) {
    for (QWidget* w = widget; w; w = w->parentWidget())
        if (auto* d = qobject_cast<QDockWidget*>(w)) return d;
    return nullptr;
}

void DockLayout::place(const Entry& e) {
    const Placement& p = e.placement;
    QDockWidget* anchor = p.how == Placement::How::InArea ? nullptr : dock(p.anchor);
    // An anchor the person floated or closed cannot hold a neighbour: use its area instead.
    if (p.how == Placement::How::InArea || !anchor || anchor->isFloating()) {
        window_->addDockWidget(anchor ? window_->dockWidgetArea(anchor) : p.area, e.dock);
        return;
    }
    switch (p.how) {
    case Placement::How::RightOf: window_->splitDockWidget(anchor, e.dock, Qt::Horizontal); break;
    case Placement::How::Below: window_->splitDockWidget(anchor, e.dock, Qt::Vertical); break;
    case Placement::How::TabbedWith: window_->tabifyDockWidget(anchor, e.dock); break;
    case Placement::How::InArea: break;
    }
}

void DockLayout::reset() {
    // No central widget: every view is a dock that can be moved, hidden and restored.
    window_->setCentralWidget(nullptr);
    for (const Entry& e : entries_) {
        // In this order: Qt refuses to dock a floating dock that is no longer in the layout.
        e.dock->setFloating(false);
        window_->removeDockWidget(e.dock);
    }
    for (const Entry& e : entries_) place(e);
    for (const Entry& e : entries_) e.dock->show();
    raiseAnchors();
}

void DockLayout::raiseAnchorOf(const Entry& e) const {
    if (e.placement.how != Placement::How::TabbedWith) return;
    if (QDockWidget* anchor = dock(e.placement.anchor)) anchor->raise();
}

void DockLayout::raiseAnchors() {
    for (const Entry& e : entries_) raiseAnchorOf(e);
}

std::vector<QDockWidget*> DockLayout::docks() const {
    std::vector<QDockWidget*> all;
    for (const Entry& e : entries_) all.push_back(e.dock);
    return all;
}

bool DockLayout::inClassroom(const QDockWidget* d) const {
    return std::any_of(entries_.begin(), entries_.end(), [d](const Entry& e) { return e.dock == d && e.classroom; });
}

void DockLayout::applyDefaultSizes() {
    const int w = window_->width(), h = window_->height();
    window_->resizeDocks({dock(View::Metrics)}, {w * 39 / 100}, Qt::Horizontal);
    window_->resizeDocks({dock(View::Controls)}, {330}, Qt::Horizontal);
    window_->resizeDocks({dock(View::Filters), dock(View::Activity)}, {h * 63 / 100, h * 32 / 100}, Qt::Vertical);
    window_->resizeDocks({dock(View::Metrics), dock(View::Histograms)}, {h * 56 / 100, h * 40 / 100}, Qt::Vertical);
    // The controls get the height their tallest page needs (no scroll bar at 720 px); the
    // samples below them take the rest, at least about a third of the column when there is room.
    QDockWidget* controls = dock(View::Controls);
    QDockWidget* fantasy = dock(View::Fantasy);
    const int column = controls->height() + fantasy->height();
    const int wanted = std::max(controls->sizeHint().height(), column - std::max(200, h * 30 / 100));
    const int room = std::min(wanted, column - fantasy->minimumSizeHint().height());
    window_->resizeDocks({controls, fantasy}, {room, column - room}, Qt::Vertical);
}

}  // namespace studio
