// The dream panel as a stage (issue 11): it fits a small dock without scroll bars and still
// shows the canvas, the dream, the readout and the filmstrip; the readout says "not digit-like"
// for noise and an ink blob (a range measured on held-out digits, off the GUI thread); the
// tempered switch runs a ladder and shows its swap rates; a CD-trained model gets its caveat.
#include <QApplication>
#include <QCheckBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>

#include "dream/classifier_trainer.h"
#include "dream/dream_engine.h"
#include "dream/dream_panel.h"
#include "dream/dream_views.h"
#include "dream/drawing_canvas.h"
#include "dream/tempering_controls.h"
#include "dream/typicality_checker.h"
#include "patience.h"
#include "test_dream_support.h"

using rbm::testing::patient;
using studio::DreamPanel;

namespace {

/// An all-ink disc in the middle of the grid: a blob, not a digit.
std::vector<float> inkDisc(double radius) {
    std::vector<float> v(784, 0.0f);
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
            if ((x - 13.5) * (x - 13.5) + (y - 13.5) * (y - 13.5) <= radius * radius) v[static_cast<std::size_t>(y * 28 + x)] = 1.0f;
    return v;
}

/// `w` is shown and lies wholly inside the scroll area's viewport (nothing clipped).
bool whollyVisible(const QWidget* w, const QScrollArea& area) {
    if (!w->isVisibleTo(area.widget())) return false;
    const QRect r(w->mapTo(area.viewport(), QPoint(0, 0)), w->size());
    return area.viewport()->rect().contains(r) && w->width() > 20 && w->height() > 20;
}

}  // namespace

class TestDreamStage : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const rbm::Dataset> train_ = std::make_shared<const rbm::Dataset>(dreamtest::mnist().train);
    std::shared_ptr<const rbm::Dataset> test_ = std::make_shared<const rbm::Dataset>(dreamtest::mnist().test);

    void flush() { QTest::qWait(60); }

    /// `panel` shown on the trained model, once its typicality range and classifier are ready.
    void showJudged(DreamPanel& panel, const std::shared_ptr<const rbm::Rbm>& model) {
        panel.setDatasets(train_, test_);
        panel.setModel(model);
        panel.resize(1300, 820);
        panel.show();
        QTRY_VERIFY_WITH_TIMEOUT(panel.typicality()->rangeFor(*model).valid(), patient(5000));
        QTRY_VERIFY_WITH_TIMEOUT(panel.classifierTrainer()->classifier() != nullptr, patient(10000));
    }

private slots:
    void fitsWithoutScrollBars_data() {
        QTest::addColumn<QSize>("room");
        QTest::addColumn<int>("arrangement");
        // The Dream tab in the studio's normal layout (1600 x 1000 and 1280 x 720 windows), a
        // dream view that has the whole window (1920 x 1080), and back.
        const int compact = int(studio::Arrangement::Compact), mini = int(studio::Arrangement::Mini);
        QTest::newRow("a dock, 620 x 540") << QSize(620, 540) << compact;
        QTest::newRow("a dock, 560 x 500") << QSize(560, 500) << compact;
        QTest::newRow("normal layout, 1600 x 1000, as measured") << QSize(455, 540) << compact;
        QTest::newRow("normal layout, 1280 x 720, as measured") << QSize(428, 336) << mini;
        QTest::newRow("dream view, 1920 x 1080") << QSize(1900, 1000) << int(studio::Arrangement::Full);
    }
    void fitsWithoutScrollBars() {
        QFETCH(QSize, room);
        QFETCH(int, arrangement);
        const int mini = int(studio::Arrangement::Mini);
        QScrollArea area;  // as the studio's dock holds the panel
        area.setWidgetResizable(true);
        area.setFrameShape(QFrame::NoFrame);
        auto* panel = new DreamPanel;
        area.setWidget(panel);
        panel->setDatasets(train_, test_);
        panel->setModel(dreamtest::randomModel(784, 100, 5));
        area.resize(room);
        area.show();
        QVERIFY(QTest::qWaitForWindowExposed(&area));
        QTRY_COMPARE(int(panel->arrangement()), arrangement);
        flush();
        QVERIFY2(!area.horizontalScrollBar()->isVisible() && !area.verticalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("panel needs %1 x %2, is %3 x %4, viewport %5 x %6, ranges %7 %8")
                               .arg(panel->minimumSizeHint().width()).arg(panel->minimumSizeHint().height())
                               .arg(panel->width()).arg(panel->height()).arg(area.viewport()->width()).arg(area.viewport()->height())
                               .arg(area.horizontalScrollBar()->maximum()).arg(area.verticalScrollBar()->maximum())));
        QVERIFY(whollyVisible(panel->canvas(), area));
        QVERIFY(whollyVisible(panel->dreamView(), area));
        QVERIFY(whollyVisible(panel->readout(), area));
        QVERIFY(whollyVisible(panel->playButton(), area));
        // Mini leaves the filmstrip and the ladder to the Dream view.
        if (arrangement != mini) {
            QVERIFY(whollyVisible(panel->findChild<studio::PixelView*>(QStringLiteral("filmstrip")), area));
            QVERIFY(whollyVisible(panel->temperingControls(), area));
        }
        // The images scale down into what they are given, and show something.
        QVERIFY(!panel->dreamView()->image().isNull());
    }

    void readoutSaysNotDigitLikeOnNoiseAndBlobs() {
        DreamPanel panel;
        const std::shared_ptr<const rbm::Rbm> model = dreamtest::trainedModel();
        showJudged(panel, model);
        if (QTest::currentTestFailed()) return;

        QVERIFY(panel.startFromTestDigit(3));
        QTRY_VERIFY2_WITH_TIMEOUT(panel.readout()->digitLike(), qPrintable(panel.readout()->verdictText()), patient(5000));
        QVERIFY(!panel.readout()->verdictText().contains("not digit-like"));

        panel.startFromNoise();
        QTRY_VERIFY(!panel.readout()->digitLike());
        QVERIFY2(panel.readout()->verdictText().contains("not digit-like"), qPrintable(panel.readout()->verdictText()));
        QVERIFY(panel.readout()->verdictText().contains("held-out digits"));

        QVERIFY(panel.setDrawing(inkDisc(9.0)));
        QTRY_VERIFY2(panel.readout()->verdictText().contains("not digit-like"), qPrintable(panel.readout()->verdictText()));
    }

    void readoutJudgesUnderTheMeasuredModel() {
        // While training runs, the range lags the model by a second or more, and F(v) moves with
        // the weights: a real digit is judged under the model its range was measured on.
        DreamPanel panel;
        panel.typicality()->setMinimumInterval(600000);  // the moved model is not measured here
        const std::shared_ptr<const rbm::Rbm> model = dreamtest::trainedModel();
        showJudged(panel, model);
        if (QTest::currentTestFailed()) return;
        auto moved = std::make_shared<rbm::Rbm>(*model);
        moved->visibleBias.array() += 3.0f;  // a digit's F(v) drops by 3 nats per ink pixel
        panel.setModel(moved);
        QVERIFY(panel.typicality()->measuredModel() == model);
        panel.startFromNoise();  // the readout turns "not digit-like" first, so the next is news
        QTRY_VERIFY(!panel.readout()->digitLike());
        QVERIFY(panel.startFromTestDigit(3));
        QTRY_VERIFY2_WITH_TIMEOUT(panel.readout()->digitLike(), qPrintable(panel.readout()->verdictText()), patient(5000));
    }

    void readoutJudgesAPausedFrameUnderTheMeasuredModel() {
        // A paused dream keeps its frames while training moves on: the studio's first frame
        // (a real 9, its F(v) from the epoch-1 model) read "not digit-like" against the range
        // of the epoch-10 model once the Dream tab was opened.
        DreamPanel panel;
        const std::shared_ptr<const rbm::Rbm> model = dreamtest::trainedModel();
        auto early = std::make_shared<rbm::Rbm>(*model);
        early->visibleBias.array() += 3.0f;  // a digit's F(v) 3 nats lower per ink pixel
        showJudged(panel, early);
        if (QTest::currentTestFailed()) return;
        QVERIFY(panel.startFromTestDigit(3));
        QTRY_VERIFY2_WITH_TIMEOUT(panel.readout()->digitLike(), qPrintable(panel.readout()->verdictText()), patient(5000));
        panel.setModel(model);  // the frame on screen is still the one judged under `early`
        QTRY_VERIFY_WITH_TIMEOUT(panel.typicality()->measuredModel() == model, patient(10000));
        // The new range schedules a refresh: the verdict below is the one judged after it.
        QTRY_VERIFY_WITH_TIMEOUT(!panel.refreshPending(), patient(5000));
        QVERIFY2(panel.readout()->digitLike(), qPrintable(panel.readout()->verdictText()));
    }

    void aSecondClassSourcePlugsIn() {
        DreamPanel panel;
        panel.setDatasets(train_, test_);
        panel.setModel(dreamtest::randomModel(784, 40, 8));
        panel.resize(1300, 820);
        panel.show();
        std::vector<float> sevens(10, 0.0f);
        sevens[7] = 1.0f;
        panel.setClassSource([sevens](const studio::DreamFrame&, int) { return sevens; }, QStringLiteral("p(label | v)"));
        QVERIFY(panel.startFromTestDigit(0));
        QTRY_COMPARE_WITH_TIMEOUT(panel.currentClassProbabilities(), sevens, patient(5000));
        QTRY_VERIFY2(panel.readout()->verdictText().contains("p(label | v)") || !panel.readout()->digitLike(),
                     qPrintable(panel.readout()->verdictText()));
    }

    void temperedSwitchRunsTheLadder() {
        DreamPanel panel;
        panel.setDatasets(train_, test_);
        panel.setModel(dreamtest::trainedModel());
        panel.resize(1300, 820);
        panel.show();
        studio::TemperingControls* t = panel.temperingControls();
        QCOMPARE(t->ratesText(), QStringLiteral("plain Gibbs chain"));
        QTest::mouseClick(t->toggle(), Qt::LeftButton);
        QVERIFY(panel.engine()->tempering() && panel.engine()->temperingActive());
        for (int i = 0; i < 30; ++i) panel.engine()->step();
        t->showRates();
        QVERIFY2(t->ratesText().startsWith("swaps accepted"), qPrintable(t->ratesText()));
        const std::vector<double> rates = panel.engine()->swapRates();
        QCOMPARE(int(rates.size()), panel.engine()->rungs() - 1);
        for (double r : rates) QVERIFY(r >= 0.0 && r <= 1.0);
        // One click back to the plain Gibbs chain, which carries on where the beta = 1 rung was.
        const rbm::Matrix v = panel.engine()->state().v;
        QTest::mouseClick(t->toggle(), Qt::LeftButton);
        QVERIFY(!panel.engine()->temperingActive());
        QVERIFY(panel.engine()->state().v == v);
        QCOMPARE(t->ratesText(), QStringLiteral("plain Gibbs chain"));
    }

    void aCdModelSaysALongDreamIsNotASample() {
        DreamPanel panel;
        panel.setModel(dreamtest::randomModel(784, 40, 9));
        rbm::TrainingConfig c;
        c.algorithm = rbm::Algorithm::CD;
        c.k = 1;
        panel.setTrainingConfig(&c);
        QVERIFY2(panel.noteText().contains("CD-1") && panel.noteText().contains("not a sample") && panel.noteText().contains("Decelle"),
                 qPrintable(panel.noteText()));
        c.algorithm = rbm::Algorithm::PCD;
        panel.setTrainingConfig(&c);
        QVERIFY(panel.noteText().isEmpty());
        panel.setTrainingConfig(nullptr);
        QVERIFY(panel.noteText().isEmpty());
    }

    void theDrawingAndClampRoundTrip() {
        DreamPanel panel;
        panel.setDatasets(train_, test_);
        panel.setModel(dreamtest::randomModel(784, 40, 10));
        std::vector<float> mask(784, 0.0f);
        std::fill(mask.begin(), mask.begin() + 100, 1.0f);
        const std::vector<float> disc = inkDisc(6.0);
        QVERIFY(panel.setDrawing(disc, mask));
        QCOMPARE(panel.drawing(), disc);
        QCOMPARE(panel.clampMask(), mask);
        QCOMPARE(panel.engine()->startImage(), disc);
        QCOMPARE(panel.engine()->clampMask().sum(), 100.0f);
        QVERIFY(!panel.setDrawing(std::vector<float>(10, 0.0f)));  // wrong size: nothing changes
        QCOMPARE(panel.drawing(), disc);
    }
};

QTEST_MAIN(TestDreamStage)
#include "test_dream_stage.moc"
