#include "lab/exact_lab_panel.h"

#include <QDockWidget>
#include <QEvent>
#include <QTimer>

#include "lab/exact_lab_view.h"
#include "window/main_window.h"

namespace studio {

namespace {

bool enumerable(const MainWindow* w) {
    const std::shared_ptr<const rbm::Dataset> d = w->trainingData();
    return d && !d->empty() && d->pixelsPerImage() <= rbm::kMaxListedVisible;
}

/// Raises the lab's tab once the window has raised its default tabs after the first show
/// (MainWindow::showEvent does that in a zero timer; this runs in the one after it).
class RaiseAfterFirstShow : public QObject {
public:
    RaiseAfterFirstShow(MainWindow* w, QDockWidget* dock) : QObject(w), window_(w), dock_(dock) {}
    bool eventFilter(QObject* o, QEvent* e) override {
        if (o == window_ && e->type() == QEvent::Show) {
            window_->removeEventFilter(this);
            MainWindow* w = window_;
            QDockWidget* dock = dock_;
            QTimer::singleShot(0, dock, [w, dock] {
                QTimer::singleShot(0, dock, [w, dock] {
                    if (enumerable(w)) dock->raise();
                });
            });
        }
        return false;
    }

private:
    MainWindow* window_;
    QDockWidget* dock_;
};

}  // namespace

ExactLabView* installExactLab(MainWindow* w) {
    auto* view = new ExactLabView;
    view->setObjectName(QStringLiteral("exactLabView"));
    QDockWidget* dock = w->addPanel(view, {QStringLiteral("panel-exact-lab"), MainWindow::tr("Exact lab"), Placement::tabbedWith(View::Filters)});
    auto showModel = [w, view] {
        const SnapshotPtr s = w->currentSnapshot();
        view->setModel(w->currentModel(), s ? s->epochPosition() : 0.0);
    };
    view->setData(w->trainingData());
    showModel();
    QObject::connect(w, &MainWindow::modelChanged, view, showModel);
    QObject::connect(w, &MainWindow::datasetChanged, view, [w, view, dock, showModel] {
        view->setData(w->trainingData());
        showModel();
        if (enumerable(w) && w->isVisible()) dock->raise();
    });
    w->installEventFilter(new RaiseAfterFirstShow(w, dock));
    return view;
}

}  // namespace studio
