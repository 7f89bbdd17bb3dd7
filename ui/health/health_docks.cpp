#include "health/health_docks.h"

#include <QDir>
#include <QPointer>
#include <QStatusBar>
#include <QToolBar>
#include <memory>

#include "health/early_stop_banner.h"
#include "health/health_panel.h"
#include "health/likelihood_estimator.h"
#include "health/likelihood_view.h"
#include "rbm/presets.h"
#include "views/controls_dock.h"
#include "window/main_window.h"

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

    // The run the estimates belong to: a restored epoch of it keeps those up to that epoch.
    auto liveRun = std::make_shared<QString>();
    QObject::connect(ctl, &TrainingController::snapshotReady, health, [view, health, liveRun](const SnapshotPtr& s) {
        if (!s) return;
        if (!s->runDir.isEmpty()) *liveRun = s->runDir;
        health->showSnapshot(*s);
        view->showSnapshot(*s);
    });
    QObject::connect(ctl, &TrainingController::epochFinished, est, [est, health](const SnapshotPtr& s) {
        if (!s) return;
        health->showSnapshot(*s);
        est->onEpochFinished(s);
    });
    // Never stale: every new model (reset, preset, open, restore) starts both docks again; a
    // restored epoch of the run on screen keeps its estimates up to that epoch.
    QObject::connect(w, &MainWindow::modelStartedAfresh, est, [est, view, health, liveRun](const SnapshotPtr& s) {
        est->reset();
        const bool sameRun = s && !s->runDir.isEmpty() && QDir::cleanPath(s->runDir) == QDir::cleanPath(*liveRun);
        if (sameRun) view->keepUpTo(double(s->counters.epoch));
        else view->clear();
        health->clear(view->points());
        *liveRun = s ? s->runDir : QString();
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

    // Made at its first use, after the window restored its saved layout: a bar never shown
    // is not in that layout, so a session never starts with an empty one.
    // No parent until then (a tool bar lays out only the widgets it did not find hidden); the
    // window's end deletes it if it never got one.
    d.banner = new EarlyStopBanner;
    EarlyStopBanner* banner = d.banner;
    QObject::connect(w, &QObject::destroyed, banner, [banner] {
        if (!banner->parent()) delete banner;
    });
    auto bar = std::make_shared<QPointer<QToolBar>>();
    auto showBanner = [w, banner, bar](const QString& reason) {
        if (!*bar) {
            *bar = new QToolBar(QObject::tr("Early stopping"), w);
            (*bar)->setObjectName(QStringLiteral("earlyStopBar"));
            (*bar)->setMovable(false);
            (*bar)->setFloatable(false);
            (*bar)->toggleViewAction()->setVisible(false);
            w->addToolBarBreak(Qt::TopToolBarArea);
            w->addToolBar(Qt::TopToolBarArea, *bar);
            (*bar)->addWidget(banner);
        }
        banner->setReason(reason);
        (*bar)->show();
    };
    auto hideBanner = [bar] {
        if (*bar) (*bar)->hide();
    };
    QObject::connect(health, &HealthPanel::stopAdvised, w, [ctl, view, showBanner](const QString& reason) {
        view->setStatus(reason);
        if (!ctl->isActive()) return;
        if (ctl->state() == TrainingController::State::Running) ctl->pause();
        showBanner(reason);
    });
    QObject::connect(banner, &EarlyStopBanner::continueRequested, ctl, [ctl, hideBanner] {
        hideBanner();
        ctl->resume();
    });
    QObject::connect(banner, &EarlyStopBanner::turnOffRequested, ctl, [ctl, health, hideBanner] {
        health->setEarlyStopping(false);
        hideBanner();
        ctl->resume();
    });
    QObject::connect(banner, &EarlyStopBanner::closeRequested, banner, hideBanner);
    QObject::connect(ctl, &TrainingController::stateChanged, banner, [hideBanner](TrainingController::State s) {
        if (s == TrainingController::State::Running) hideBanner();
    });
    QObject::connect(w, &MainWindow::modelStartedAfresh, banner, hideBanner);
    // Early stopping as the preset the settings turn into says (the window starts on
    // Classroom: a demo runs to its end), whichever way it was chosen; a tick set by hand stays
    // until the settings become another preset.
    auto preset = std::make_shared<std::string>();
    auto followPreset = [health, preset](const rbm::TrainingConfig& c) {
        const std::string name = rbm::matchingPreset(c);
        if (name.empty() || name == *preset) return;
        *preset = name;
        health->setEarlyStopping(rbm::trainingPreset(name).earlyStopping);
    };
    followPreset(ctl->config());
    QObject::connect(w->controlsDock(), &ControlsDock::configEdited, health, followPreset);
    QObject::connect(health, &HealthPanel::presetRequested, w, [w, ctl](const QString& name) {
        rbm::TrainingConfig c;
        try {
            c = rbm::applyPreset(ctl->config(), rbm::trainingPreset(name.toStdString()));
        } catch (const std::exception&) {
            return;
        }
        const bool structural = !c.sameStructure(ctl->config());
        ControlsDock* controls = w->controlsDock();
        controls->setConfig(c);
        emit controls->configEdited(c);  // as if edited by hand: the window applies it
        w->statusBar()->showMessage(
            structural && ctl->isActive()
                ? QObject::tr("Preset \u201c%1\u201d: the learning settings apply now, the model size after Reset.").arg(name)
                : QObject::tr("Preset \u201c%1\u201d applied.").arg(name),
            10000);
    });
    return d;
}

}  // namespace studio
