#include "window/view_switcher.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTimer>
#include <QToolBar>
#include <vector>

#include "window/dock_layout.h"

namespace studio {

ViewSwitcher::ViewSwitcher(QMainWindow* window, const DockLayout& layout, std::function<void()> defaultLayout)
    : QObject(window), window_(window), layout_(layout), defaultLayout_(std::move(defaultLayout)) {}

void ViewSwitcher::show(StudioView v) {
    if (v == current_) return;
    if (current_ == StudioView::Training) training_ = window_->saveState();
    before_ = current_;
    current_ = v;
    lowerToolbars(v == StudioView::Classroom);
    switch (v) {
    case StudioView::Training:
        if (training_.isEmpty() || !window_->restoreState(training_)) defaultLayout_();
        break;
    case StudioView::Classroom: arrangeClassroom(); break;
    case StudioView::Dream: arrangeDream(); break;
    }
    emit changed(v);
}

void ViewSwitcher::arrangeClassroom() {
    QDockWidget* filters = layout_.dock(View::Filters);
    QDockWidget* metrics = layout_.dock(View::Metrics);
    std::vector<QDockWidget*> others;  // the step explainer and any panel marked for the classroom
    for (QDockWidget* d : layout_.docks()) {
        const bool in = layout_.inClassroom(d);
        if (!in) d->hide();
        if (in && d != filters && d != metrics && d != dream_) others.push_back(d);
    }
    std::vector<QDockWidget*> shown{filters, metrics};
    if (dream_) shown.push_back(dream_);
    shown.insert(shown.end(), others.begin(), others.end());
    for (QDockWidget* d : shown) {
        d->setFloating(false);
        window_->removeDockWidget(d);
    }
    // Left: what training changes (filters over the curve); right: what the class looks at.
    window_->addDockWidget(Qt::LeftDockWidgetArea, filters);
    window_->splitDockWidget(filters, metrics, Qt::Vertical);
    QDockWidget* right = dream_ ? dream_ : (others.empty() ? nullptr : others.front());
    if (right) window_->addDockWidget(Qt::RightDockWidgetArea, right);
    for (QDockWidget* d : others)
        if (d != right) window_->tabifyDockWidget(right, d);
    for (QDockWidget* d : shown) d->show();
    if (right) right->raise();
    // Proportions need the laid-out window: after the next layout pass, and once more after the
    // first paint (docks re-added in this turn can undo sizes given before their layout).
    QTimer::singleShot(0, window_, [this] { sizeClassroom(); });
    QTimer::singleShot(150, window_, [this] { sizeClassroom(); });
}

void ViewSwitcher::sizeClassroom() {
    if (current_ != StudioView::Classroom) return;
    QDockWidget* filters = layout_.dock(View::Filters);
    QDockWidget* metrics = layout_.dock(View::Metrics);
    QDockWidget* right = dream_;
    if (!right)
        for (QDockWidget* d : layout_.docks())
            if (layout_.inClassroom(d) && d != filters && d != metrics) right = d;
    // Shares of the room the docks have now (asking for more than there is let Qt take it from
    // the filters). The dream's column needs the width for its canvas beside its dream; the
    // filters (square tiles) take most of the left column's height, the one metric the rest.
    const int across = filters->width() + (right ? right->width() : 0);
    const int down = filters->height() + metrics->height();
    if (right) window_->resizeDocks({filters, right}, {across * 42 / 100, across * 58 / 100}, Qt::Horizontal);
    window_->resizeDocks({filters, metrics}, {down * 55 / 100, down * 45 / 100}, Qt::Vertical);
}

void ViewSwitcher::lowerToolbars(bool lower) {
    if (lower) {
        if (!lowered_.empty()) return;
        for (QToolBar* bar : window_->findChildren<QToolBar*>(QString(), Qt::FindDirectChildrenOnly))
            if (window_->toolBarArea(bar) == Qt::TopToolBarArea && !bar->isHidden()) lowered_.push_back(bar);
        // Into the bottom row, before the time slider: the last toolbar of a row takes the
        // spare width, and the slider is the one that wants it.
        QToolBar* first = nullptr;
        for (QToolBar* bar : window_->findChildren<QToolBar*>(QString(), Qt::FindDirectChildrenOnly))
            if (!first && window_->toolBarArea(bar) == Qt::BottomToolBarArea && !bar->isHidden()) first = bar;
        for (QToolBar* bar : lowered_) {
            if (first) window_->insertToolBar(first, bar);
            else window_->addToolBar(Qt::BottomToolBarArea, bar);
            bar->show();
        }
        return;
    }
    for (QToolBar* bar : lowered_) {
        window_->addToolBar(Qt::TopToolBarArea, bar);
        bar->show();
    }
    lowered_.clear();
}

void ViewSwitcher::arrangeDream() {
    if (!dream_) return;
    for (QDockWidget* d : layout_.docks())
        if (d != dream_) d->hide();
    dream_->setFloating(false);
    dream_->show();
    dream_->raise();
}

}  // namespace studio
