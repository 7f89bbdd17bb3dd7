#include "window/view_switcher.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTimer>
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
    // Proportions need the laid-out window.
    QTimer::singleShot(0, window_, [this, filters, metrics, right] {
        if (current_ != StudioView::Classroom) return;
        const int w = window_->width(), h = window_->height();
        if (right) window_->resizeDocks({filters, right}, {w * 40 / 100, w * 60 / 100}, Qt::Horizontal);
        window_->resizeDocks({filters, metrics}, {h * 58 / 100, h * 42 / 100}, Qt::Vertical);
    });
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
