// "Explain one step", explanations in place and the presets toolbar, driven like a person:
// the explainer's numbers are core's p(h|v) for the chosen digit, the hovered unit's formula
// carries them, Next / Back and the arrow keys walk the stages, PCD explains the chain; every
// dock of the window has its explanation and "?"; a preset from the toolbar and from the health
// panel take the same path; the first-run tour never shows without settings.
#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <memory>

#include "explain/dock_title_bar.h"
#include "explain/first_run_tour.h"
#include "explain/panel_explanations.h"
#include "explain/step_explainer.h"
#include "explain/studio_tour.h"
#include "health/health_panel.h"
#include "rbm/presets.h"
#include "rbm/random.h"
#include "views/image_canvas.h"
#include "window/main_window.h"
#include "window/presets_toolbar.h"
#include "window/studio_menus.h"

using namespace studio;

namespace {

constexpr int kSide = 5, kHidden = 9;

/// Five 5 x 5 digits of their own (a bar at row i): quick, and every pixel value known.
std::shared_ptr<const rbm::Dataset> bars() {
    auto d = std::make_shared<rbm::Dataset>();
    d->rows = d->cols = kSide;
    d->count = 5;
    d->pixels.assign(std::size_t(5 * kSide * kSide), 0);
    for (int n = 0; n < 5; ++n)
        for (int c = 0; c < kSide; ++c) d->pixels[std::size_t(n * kSide * kSide + n * kSide + c)] = std::uint8_t(200 + c * 10);
    return d;
}

std::shared_ptr<const rbm::Rbm> tinyModel() {
    rbm::Random rng(3);
    auto m = std::make_shared<rbm::Rbm>(kSide * kSide, kHidden);
    for (Eigen::Index i = 0; i < m->W.size(); ++i) m->W.data()[i] = float(rng.normal());
    for (int j = 0; j < kHidden; ++j) m->hiddenBias(j) = float(0.5 * rng.normal());
    for (int i = 0; i < kSide * kSide; ++i) m->visibleBias(i) = float(0.5 * rng.normal());
    m->imageRows = m->imageCols = kSide;
    return m;
}

rbm::TrainingConfig plainConfig(rbm::Algorithm a = rbm::Algorithm::CD) {
    rbm::TrainingConfig c;
    c.binarization = rbm::Binarization::None;
    c.algorithm = a;
    c.k = 1;
    c.learningRateWeights = 0.1f;
    return c;
}

/// A pointer move over image pixel `px` of a canvas, as the window system delivers it.
void hover(ImageCanvas* canvas, QPoint px) {
    const QRectF t = canvas->targetRect();
    const QPointF at(t.left() + (px.x() + 0.5) * t.width() / canvas->image().width(),
                     t.top() + (px.y() + 0.5) * t.height() / canvas->image().height());
    QMouseEvent move(QEvent::MouseMove, at, canvas->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &move);
}

QString number(float x) { return QString::number(x, 'f', 2).replace(QLatin1Char('-'), QChar(0x2212)); }

}  // namespace

class TestStepExplainer : public QObject {
    Q_OBJECT
private slots:
    void cleanup() {
        explainer_.reset();
        if (window_) window_->close();
        window_.reset();
        dir_.reset();
    }

    void numbersAreCoresForTheChosenDigit() {
        auto model = tinyModel();
        auto data = bars();
        makeExplainer(model, data, plainConfig());
        QVERIFY(explainer_->showExample(StepExplainer::Source::TestDigit, 3));
        const rbm::CdStepTrace* t = explainer_->trace();
        QVERIFY(t);
        // The chosen digit, as the trainer would see it, and core's closed form on it.
        rbm::Matrix v(1, kSide * kSide), p(1, kHidden);
        for (int i = 0; i < v.cols(); ++i) v(0, i) = float(data->image(3)[i]) * (1.0f / 255.0f);
        QVERIFY((explainer_->example().transpose() - v).cwiseAbs().maxCoeff() == 0.0f);
        rbm::hiddenProbabilities(*model, v, p);
        QVERIFY((t->h0Prob.transpose() - p).cwiseAbs().maxCoeff() < 1e-6f);

        // Point at hidden unit 4 in the result of stage 2: its formula with core's numbers.
        explainer_->setStage(StepStage::HiddenProbability);
        QCOMPARE(explainer_->outputCanvas()->image().size(), QSize(3, 3));  // 9 units, 3 per row
        hover(explainer_->outputCanvas(), QPoint(1, 1));                  // unit 4
        const QString text = explainer_->readoutText();
        QVERIFY2(text.contains(QStringLiteral("p(h4=1 | v\u2070)")), qPrintable(text));
        QVERIFY2(text.contains(number(model->hiddenBias(4))), qPrintable(text));
        QVERIFY2(text.endsWith(number(p(0, 4))), qPrintable(text));
        const float sum = (v * model->W.col(4))(0, 0);
        QVERIFY2(text.contains(number(sum)), qPrintable(text));
    }

    void keysAndButtonsWalkThroughTheStages() {
        makeExplainer(tinyModel(), bars(), plainConfig());
        QVERIFY(explainer_->showExample(StepExplainer::Source::TrainingDigit, 1));
        explainer_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(explainer_.get()));
        explainer_->setFocus();
        QCOMPARE(explainer_->stage(), StepStage::Data);
        QVERIFY(!explainer_->backButton()->isEnabled());
        QTest::keyClick(explainer_.get(), Qt::Key_Right);
        QCOMPARE(explainer_->stage(), StepStage::HiddenProbability);
        QTest::mouseClick(explainer_->nextButton(), Qt::LeftButton);
        QCOMPARE(explainer_->stage(), StepStage::HiddenSample);
        QTest::keyClick(explainer_.get(), Qt::Key_PageDown);
        QCOMPARE(explainer_->stage(), StepStage::Reconstruction);
        QTest::keyClick(explainer_.get(), Qt::Key_Left);
        QCOMPARE(explainer_->stage(), StepStage::HiddenSample);
        for (int i = 0; i < 20; ++i) QTest::keyClick(explainer_.get(), Qt::Key_Right);
        QCOMPARE(explainer_->stage(), StepStage::WeightChange);
        QVERIFY(!explainer_->nextButton()->isEnabled());
        // The last stage shows the trace's dW as the filter grid draws W: one tile per unit.
        QVERIFY(!explainer_->outputCanvas()->image().isNull());
        QVERIFY(explainer_->readoutText().contains(QStringLiteral("\u0394W")));
    }

    void everyStageHasItsFormulaPicturesAndNumbers_data() {
        QTest::addColumn<int>("algorithm");
        QTest::newRow("CD") << int(rbm::Algorithm::CD);
        QTest::newRow("PCD") << int(rbm::Algorithm::PCD);
    }
    void everyStageHasItsFormulaPicturesAndNumbers() {
        QFETCH(int, algorithm);
        const auto alg = rbm::Algorithm(algorithm);
        makeExplainer(tinyModel(), bars(), plainConfig(alg));
        rbm::Vector chain = rbm::Vector::Zero(kSide * kSide);
        chain.head(7).setOnes();
        explainer_->setChainState(chain);
        QVERIFY(explainer_->showExample(StepExplainer::Source::TestDigit, 2));
        const rbm::CdStepTrace* t = explainer_->trace();
        QVERIFY(t);
        QCOMPARE(t->algorithm, alg);
        // PCD explains the trainer's chain: the negative state starts from it, not from the data.
        if (alg == rbm::Algorithm::PCD) QVERIFY(t->chainStart == chain);
        for (int s = 0; s < kStepStageCount; ++s) {
            explainer_->setStage(StepStage(s));
            QVERIFY(!stageFormula(StepStage(s), *t).isEmpty());
            QVERIFY(!explainer_->outputCanvas()->image().isNull());
            QVERIFY2(explainer_->readoutText().contains(QLatin1Char('=')), qPrintable(explainer_->readoutText()));
        }
    }

    void everyDockIsExplainedWithAQuestionMark() {
        makeWindow();
        const QList<QDockWidget*> docks = window_->findChildren<QDockWidget*>();
        QVERIFY(docks.size() >= 11);
        for (QDockWidget* d : docks) {
            const PanelExplanation* e = panelExplanation(d->objectName());
            QVERIFY2(e, qPrintable(QStringLiteral("no explanation for the panel '%1' (ui/explain/panel_explanations.cpp)").arg(d->objectName())));
            QVERIFY(!e->what.isEmpty() && !e->lookFor.isEmpty() && !e->formula.isEmpty());
            QVERIFY(d->widget() && !d->widget()->whatsThis().isEmpty());
            auto* bar = qobject_cast<DockTitleBar*>(d->titleBarWidget());
            QVERIFY2(bar && bar->helpButton()->isVisible(), qPrintable(d->objectName()));
        }
        // Help > What am I looking at? answers for the panel that has the focus.
        window_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window_.get()));
        window_->panels().explainer.dock->raise();
        window_->panels().explainer.explainer->setFocus();
        QTRY_VERIFY(explanationForFocus(window_.get()));
        QCOMPARE(explanationForFocus(window_.get())->id, QStringLiteral("panel-explain-step"));
        bool inHelp = false;
        for (QAction* a : window_->menus()->helpMenu()->actions()) inHelp |= a->shortcut() == QKeySequence(Qt::SHIFT | Qt::Key_F1);
        QVERIFY(inHelp);
    }

    void theExplainerFollowsTheWindowsModel() {
        makeWindow();
        const StepExplainerDock& d = window_->panels().explainer;
        QVERIFY(d.dock && d.action);
        QVERIFY(explainTestDigit(d, 3));
        QTRY_VERIFY(d.dock->isVisible());
        const rbm::CdStepTrace* t = d.explainer->trace();
        QVERIFY(t);
        rbm::Matrix v(1, 784), p(1, window_->currentModel()->nHidden());
        const rbm::Dataset& test = *window_->testData();
        const int cut = window_->controller()->config().binarizeThreshold;
        for (int i = 0; i < 784; ++i) v(0, i) = test.image(3)[i] > cut ? 1.0f : 0.0f;  // the Classroom preset binarizes
        QCOMPARE(d.explainer->example(), rbm::Vector(v.transpose()));
        rbm::hiddenProbabilities(*window_->currentModel(), v, p);
        const float diff = (t->h0Prob.transpose() - p).cwiseAbs().maxCoeff();
        QVERIFY2(diff < 1e-5f, qPrintable(QString::number(diff)));
    }

    void theExplainerGetsRoomInTheTrainingView() {
        // Tabbed behind the weight filters at 1280 x 720 it had a third of the width and
        // scrolled both ways: raised, it grows; the filters get their size back after.
        makeWindow();
        window_->resize(1280, 720);
        QTRY_COMPARE(window_->size(), QSize(1280, 720));
        QDockWidget* filters = window_->dock(View::Filters);
        QTRY_VERIFY(filters->isVisible());
        QTest::qWait(100);  // the default sizes, applied once shown
        const QSize before = filters->size();
        const StepExplainerDock& d = window_->panels().explainer;
        d.action->trigger();
        QTRY_VERIFY(d.dock->isVisible());
        const int want = std::min(d.explainer->sizeHint().width() + 24, window_->width() * 60 / 100);
        QVERIFY2(want > before.width(), "nothing to test: the explainer fits already");
        // Towards `want`, as far as the columns beside it can give (their minimum widths).
        QTRY_VERIFY2(d.dock->width() > before.width() * 11 / 10,
                     qPrintable(QStringLiteral("%1 from %2 (wants %3)").arg(d.dock->width()).arg(before.width()).arg(want)));
        filters->raise();
        QTRY_VERIFY(filters->isVisible());
        QTRY_VERIFY2(std::abs(filters->width() - before.width()) <= 8,
                     qPrintable(QStringLiteral("%1 vs %2").arg(filters->width()).arg(before.width())));
    }

    void presetsFromTheToolbarAndTheHealthPanelTakeOnePath() {
        makeWindow();
        PresetsToolbar* bar = window_->panels().presets;
        QVERIFY(bar);
        for (const rbm::TrainingPreset& p : rbm::trainingPresets()) {
            QAction* a = bar->action(QString::fromStdString(p.name));
            QVERIFY(a);
            QVERIFY(a->toolTip().contains(QString::fromStdString(p.summary).toHtmlEscaped()));
        }
        bar->action(QStringLiteral("Default"))->trigger();
        QCOMPARE(QString::fromStdString(rbm::matchingPreset(window_->controller()->config())), QStringLiteral("Default"));
        QVERIFY(bar->action(QStringLiteral("Default"))->isChecked());
        QCOMPARE(window_->controller()->config().hidden, rbm::trainingPreset("Default").config.hidden);
        // The health panel's drop-down: the same path, and the toolbar shows it.
        emit window_->panels().health.health->presetRequested(QStringLiteral("Classroom (fast)"));
        QCOMPARE(QString::fromStdString(rbm::matchingPreset(window_->controller()->config())), QStringLiteral("Classroom (fast)"));
        QVERIFY(bar->action(QStringLiteral("Classroom (fast)"))->isChecked());
        QVERIFY(!bar->action(QStringLiteral("Default"))->isChecked());
    }

    void theTourNeverShowsWithoutSettingsAndCanBeTaken() {
        makeWindow();
        QTest::qWait(1200);  // longer than the first-run delay
        QVERIFY(window_->findChildren<FirstRunTour*>().isEmpty());
        QPointer<FirstRunTour> tour = startStudioTour(window_.get(), window_->panels().presets);
        FirstRunTour* shown = tour.data();
        QVERIFY(shown != nullptr);
        QVERIFY(shown->isVisible());
        const int steps = shown->stepCount();
        QVERIFY(steps >= 6);
        QSignalSpy done(shown, &FirstRunTour::finished);
        for (int i = 0; i < steps; ++i) {
            FirstRunTour* current = tour.data();
            if (current == nullptr) break;
            current->next();
        }
        QCOMPARE(done.count(), 1);
        QTRY_VERIFY(!tour);  // deleted once closed
    }

private:
    void makeExplainer(std::shared_ptr<const rbm::Rbm> model, std::shared_ptr<const rbm::Dataset> data,
                       const rbm::TrainingConfig& config) {
        explainer_ = std::make_unique<StepExplainer>();
        explainer_->setTrainingConfig(config);
        explainer_->setDatasets(data, data);
        explainer_->setModel(std::move(model));
        explainer_->resize(900, 560);
        explainer_->show();
        QVERIFY(QTest::qWaitForWindowExposed(explainer_.get()));
    }
    void makeWindow() {
        dir_ = std::make_unique<QTemporaryDir>();
        MainWindow::Options o;
        o.useSettings = false;
        o.interactive = false;
        o.runsDirectory = dir_->path();
        window_ = std::make_unique<MainWindow>(o);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    }

    std::unique_ptr<StepExplainer> explainer_;
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(TestStepExplainer)
#include "test_step_explainer.moc"
