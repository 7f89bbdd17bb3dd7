#include "window/projector.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <algorithm>

#include "window/dock_layout.h"
#include "window/shortcuts.h"
#include "window/studio_menus.h"
#include "window/studio_settings.h"
#include "window/theme.h"
#include "window/zoom.h"

namespace studio {

namespace {
// Large enough to read from the back of a room: 1.1 on a 1280 x 720 projector (at 1.25 the one
// metric's minimum height leaves the filters a third of the column), 1.5 from 1000 lines up;
// fitClassroom steps down if a panel would scroll (no scroll bars in a lesson).
constexpr double kClassroomZoom = 1.1, kClassroomZoomLarge = 1.5;
constexpr int kLargeScreenLines = 1000;
}  // namespace

Projector::Projector(QMainWindow* window, const DockLayout& layout, std::function<void()> defaultLayout)
    : QObject(window), window_(window), layout_(layout), zoom_(new Zoom(window)), theme_(new Theme(window)),
      views_(new ViewSwitcher(window, layout, std::move(defaultLayout))) {
    // Plots recoloured by the theme keep their zoomed fonts and the other way round.
    connect(views_, &ViewSwitcher::changed, this, &Projector::refreshPlots);
    // No scroll bars in a lesson: while in the classroom, a zoom too large for the screen steps
    // down (checked again as panels change, e.g. the dream's readout growing a line).
    fitTimer_ = new QTimer(this);
    fitTimer_->setInterval(400);
    connect(fitTimer_, &QTimer::timeout, this, &Projector::fitClassroom);
    connect(views_, &ViewSwitcher::changed, this, [this](StudioView v) {
        if (v != StudioView::Classroom && zoomBeforeClassroom_ > 0) {
            zoom_->setFactor(zoomBeforeClassroom_);
            zoomBeforeClassroom_ = 0;
        }
        fitStart_ = Zoom::factor();
        fitGaveUp_ = false;
        if (v == StudioView::Classroom) fitTimer_->start();
        else fitTimer_->stop();
    });
}

void Projector::addActions(StudioMenus* menus, Shortcuts* keys) {
    QMenu* view = menus->viewMenu();
    const QString group = tr("View");
    view->addSeparator();
    QAction* a = view->addAction(tr("Zoom &in"), zoom_, &Zoom::zoomIn);
    a->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    keys->add(group, a);
    a = view->addAction(tr("Zoom &out"), zoom_, &Zoom::zoomOut);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    keys->add(group, a);
    a = view->addAction(tr("&Actual size"), zoom_, &Zoom::reset);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    keys->add(group, a);
    highContrast_ = view->addAction(tr("&High contrast"), theme_, &Theme::setHighContrast);
    highContrast_->setCheckable(true);
    highContrast_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    connect(theme_, &Theme::changed, highContrast_, &QAction::setChecked);
    keys->add(group, highContrast_);

    view->addSeparator();
    auto* views = new QActionGroup(this);
    struct Entry {
        QString text;
        StudioView v;
        QList<QKeySequence> keys;
    };
    const Entry entries[] = {
        {tr("&Training view (every panel)"), StudioView::Training, {QKeySequence(Qt::CTRL | Qt::Key_1)}},
        {tr("&Classroom view"), StudioView::Classroom, {QKeySequence(Qt::CTRL | Qt::Key_2)}},
        {tr("&Dream view (the dream alone)"), StudioView::Dream, {QKeySequence(Qt::CTRL | Qt::Key_3), QKeySequence(Qt::Key_F6)}},
    };
    for (const Entry& e : entries) {
        a = view->addAction(e.text);
        a->setCheckable(true);
        a->setChecked(e.v == views_->current());
        a->setShortcuts(e.keys);
        views->addAction(a);
        const StudioView v = e.v;
        // F6 and Ctrl+3 pressed in the Dream view go back to the view before it.
        connect(a, &QAction::triggered, views_, [this, v] {
            if (v == StudioView::Dream) views_->toggleDream();
            else views_->show(v);
        });
        connect(views_, &ViewSwitcher::changed, a, [a, v](StudioView now) { a->setChecked(now == v); });
        keys->add(group, a);
    }
}

void Projector::restore(const StudioSettings& settings) {
    if (!settings.enabled()) return;
    zoom_->setFactor(settings.zoom());
    theme_->setHighContrast(settings.highContrast());
}

void Projector::save(const StudioSettings& settings) const { settings.saveProjector(Zoom::factor(), theme_->highContrast()); }

void Projector::startClassroom() {
    const double want = window_->height() >= kLargeScreenLines ? kClassroomZoomLarge : kClassroomZoom;
    if (Zoom::factor() < want) {
        zoomBeforeClassroom_ = Zoom::factor();
        zoom_->setFactor(want);
    }
    views_->show(StudioView::Classroom);
}

std::vector<QDockWidget*> Projector::scrollingPanels() const {
    std::vector<QDockWidget*> scrolling;
    for (QDockWidget* d : layout_.docks()) {
        auto* area = qobject_cast<QScrollArea*>(d->widget());
        QWidget* content = area && !d->isHidden() ? area->widget() : nullptr;
        if (!content) continue;
        if (d->isVisible()) {  // on screen: does it scroll?
            if (area->verticalScrollBar()->isVisible() || area->horizontalScrollBar()->isVisible()) scrolling.push_back(d);
            continue;
        }
        // A tab behind another would get the size of the tab in front.
        QWidget* room = nullptr;
        for (QDockWidget* other : window_->tabifiedDockWidgets(d))
            if (!room && other->isVisible()) room = other->widget();
        if (!room) continue;
        QSize need = content->minimumSizeHint();
        if (content->hasHeightForWidth()) need.setHeight(std::max(need.height(), content->heightForWidth(room->width())));
        if (need.width() > room->width() || need.height() > room->height()) scrolling.push_back(d);
    }
    return scrolling;
}

void Projector::fitClassroom() {
    if (views_->current() != StudioView::Classroom || fitGaveUp_ || scrollingPanels().empty()) return;
    if (Zoom::factor() > 1.0 + 1e-9) {
        zoom_->zoomOut();
    } else {
        fitGaveUp_ = true;
        zoom_->setFactor(fitStart_);
    }
    views_->sizeClassroom();  // the panels' minimum sizes changed with the text
}

void Projector::refreshPlots() {
    zoom_->refreshPlots();
    if (theme_->highContrast()) theme_->refreshPlots();
}

}  // namespace studio
