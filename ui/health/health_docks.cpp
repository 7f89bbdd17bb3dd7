#include "health/health_docks.h"

#include <QStatusBar>

#include "health/health_panel.h"
#include "health/likelihood_estimator.h"
#include "health/likelihood_view.h"
#include "rbm/presets.h"
#include "views/controls_dock.h"
#include "window/main_window.h"
#include "window/presets_toolbar.h"

namespace studio {

HealthDocks installHealthDocks(MainWindow* w) {
    HealthDocks d;
    d.estimator = new LikelihoodEstimator(w);
    d.estimator->setObjectName(QStringLiteral("likelihoodEstimator"));
    d.likelihood = new LikelihoodView;
    d.likelihood->setObjectName(QStringLiteral("likelihoodView"));
    d.health = new HealthPanel;
    d.health->setObjectName(QStringLiteral("healthPanel"));
    d.likelihood->setEveryEpochs(d.estimator->settings().everyEpochs);

    // Beside the metrics (the curve people compare it with) and the histograms.
    w->addPanel(d.likelihood, {QStringLiteral("panel-likelihood"), QObject::tr("Likelihood"), Placement::tabbedWith(View::Metrics)});
    w->addPanel(d.health, {QStringLiteral("panel-training-health"), QObject::tr("Training health"), Placement::tabbedWith(View::Histograms)});

    LikelihoodEstimator* est = d.estimator;
    LikelihoodView* view = d.likelihood;
    HealthPanel* health = d.health;
    TrainingController* ctl = w->controller();

    auto setData = [w, est] { est->setData(w->trainingData(), w->testData()); };
    QObject::connect(est, &LikelihoodEstimator::baselineChanged, view, &LikelihoodView::setBaseline);
    setData();
    QObject::connect(w, &MainWindow::datasetChanged, est, setData);

    QObject::connect(ctl, &TrainingController::snapshotReady, health, [view, health](const SnapshotPtr& s) {
        if (!s) return;
        health->showSnapshot(*s);
        view->showSnapshot(*s);
    });
    QObject::connect(ctl, &TrainingController::epochFinished, est, [est, health](const SnapshotPtr& s) {
        if (!s) return;
        health->showSnapshot(*s);
        est->onEpochFinished(s);
    });
    QObject::connect(ctl, &TrainingController::modelReplaced, est, [est, view, health](const SnapshotPtr& s) {
        est->reset();
        view->clear();
        health->clear();
        if (s) {
            health->showSnapshot(*s);
            view->showSnapshot(*s);
        }
    });

    QObject::connect(est, &LikelihoodEstimator::started, view, [view](double epoch, const QString& method) {
        view->setStatus(QObject::tr("Estimating epoch %1 (%2) in the background\u2026").arg(epoch, 0, 'f', 0).arg(method));
    });
    QObject::connect(est, &LikelihoodEstimator::resultReady, view, [view, health](const LikelihoodPoint& p) {
        view->addPoint(p);
        health->addLikelihood(p);
        view->setStatus(QObject::tr("Epoch %1 estimated in %2 s").arg(p.epoch, 0, 'f', 0).arg(p.report.seconds, 0, 'f', 1));
    });
    QObject::connect(est, &LikelihoodEstimator::failed, view, [view](double epoch, const QString& message) {
        view->setStatus(QObject::tr("Epoch %1: %2").arg(epoch, 0, 'f', 0).arg(message));
    });
    QObject::connect(est, &LikelihoodEstimator::cancelled, view,
                     [view] { view->setStatus(QObject::tr("Estimate cancelled")); });
    QObject::connect(view, &LikelihoodView::everyEpochsChanged, est, &LikelihoodEstimator::setEveryEpochs);
    QObject::connect(view, &LikelihoodView::estimateRequested, est, [w, est, view] {
        SnapshotPtr s = w->currentSnapshot();
        if (!s) {
            view->setStatus(QObject::tr("No model to estimate yet"));
            return;
        }
        est->estimate(s);
        if (est->hasPending()) view->setStatus(QObject::tr("Queued behind the running estimate"));
    });

    QObject::connect(health, &HealthPanel::stopAdvised, w, [w, ctl, view](const QString& reason) {
        if (ctl->state() == TrainingController::State::Running) ctl->pause();
        w->statusBar()->showMessage(reason + QObject::tr(" Training is paused; press Space to continue."), 20000);
        view->setStatus(reason);
    });
    // One path for every preset (the toolbar's too): window/presets_toolbar.h.
    QObject::connect(health, &HealthPanel::presetRequested, w, [w](const QString& name) { applyTrainingPreset(w, name); });
    return d;
}

}  // namespace studio
