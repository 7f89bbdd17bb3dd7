// The dream panel as a whole, driven like a person: drawing restarts and plays the dream from the
// drawing, a picked start restarts it once, the grey start line says what it starts from, the
// clamp brush reaches the engine, clicking a hidden unit forces it, the timeline rewinds.
#include <QApplication>
#include <QCheckBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QPainter>
#include <QSlider>
#include <QTemporaryDir>
#include <QUrl>
#include <QTest>

#include "dream/dream_engine.h"
#include "dream/dream_image.h"
#include "dream/dream_panel.h"
#include "dream/dream_views.h"
#include "dream/drawing_canvas.h"
#include "test_dream_support.h"

using studio::DreamPanel;

class TestDreamPanel : public QObject {
    Q_OBJECT

private:
    DreamPanel* panel_ = nullptr;
    std::shared_ptr<const rbm::Rbm> model_ = dreamtest::randomModel(784, 60, 21);

    // The panel repaints on a ~33 ms single-shot timer. Assertions on what it shows use QTRY_*
    // (a busy machine can delay the timer); this only lets a first repaint happen.
    void flush() { QTest::qWait(60); }

    QPushButton* buttonNamed(const QString& text) const {
        for (QPushButton* b : panel_->findChildren<QPushButton*>())
            if (b->text() == text) return b;
        return nullptr;
    }
    void drawStroke(QPointF from, QPointF to) {
        studio::DrawingCanvas* c = panel_->canvas();
        QTest::mousePress(c, Qt::LeftButton, Qt::NoModifier, c->toWidget(from).toPoint());
        QTest::mouseMove(c, c->toWidget(to).toPoint());
        QTest::mouseRelease(c, Qt::LeftButton, Qt::NoModifier, c->toWidget(to).toPoint());
    }

private slots:
    void init() {
        panel_ = new DreamPanel;
        const rbm::DatasetPair& d = dreamtest::mnist();
        panel_->setDatasets(std::make_shared<const rbm::Dataset>(d.train), std::make_shared<const rbm::Dataset>(d.test));
        panel_->setModel(model_);
        panel_->resize(1300, 820);
        panel_->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel_));
    }
    void cleanup() {
        delete panel_;
        panel_ = nullptr;
    }

    void startsFromATestDigitOnItsOwn() {
        const std::vector<float>& canvas = panel_->canvas()->pixels();
        QVERIFY(std::any_of(canvas.begin(), canvas.end(), [](float v) { return v > 0.5f; }));
        QCOMPARE(panel_->engine()->startImage(), canvas);
        QVERIFY(!panel_->engine()->isPlaying());  // nobody asked for it yet
        QVERIFY2(panel_->statusText().startsWith("Start: test digit #"), qPrintable(panel_->statusText()));
    }

    void aPickedStartRestartsTheDreamOnce() {
        // Regression (issue 10): a test digit reset the dream twice, once through the canvas's
        // imageChanged and once more by itself.
        QSignalSpy resets(panel_->engine(), &studio::DreamEngine::timelineReset);
        QVERIFY(panel_->startFromTestDigit(5));
        QCOMPARE(resets.count(), 1);
        QVERIFY(panel_->startFromTestDigit(5));  // the canvas already shows it: still a fresh start
        QCOMPARE(resets.count(), 2);
        QCOMPARE(panel_->engine()->halfSteps(), std::int64_t(0));
        panel_->startFromNoise();
        QCOMPARE(resets.count(), 3);
        QVERIFY(panel_->startFromTestClass(4));
        QCOMPARE(resets.count(), 4);
        QCOMPARE(panel_->engine()->startImage(), panel_->canvas()->pixels());
        QVERIFY(!panel_->engine()->isPlaying());  // the API restarts; the buttons also play
        // A person's pick plays at once.
        QPushButton* random = buttonNamed("Random test digit");
        QVERIFY(random);
        QTest::mouseClick(random, Qt::LeftButton);
        QCOMPARE(resets.count(), 5);
        QVERIFY(panel_->engine()->isPlaying());
    }

    void aStrokeRestartsOnceAndPlays() {
        QSignalSpy resets(panel_->engine(), &studio::DreamEngine::timelineReset);
        drawStroke({8, 8}, {20, 20});
        QCOMPARE(resets.count(), 1);
        QCOMPARE(panel_->engine()->halfSteps(), std::int64_t(0));
        // Issue 11: the dream used to restart and then sit paused after every stroke.
        QVERIFY(panel_->engine()->isPlaying());
        QTRY_VERIFY(panel_->engine()->halfSteps() > 0);
    }

    void theStartLineFollowsTheStart() {
        QVERIFY(panel_->startFromTestDigit(0));
        const int label = int(dreamtest::mnist().test.labels[0]);
        const QString digit = QStringLiteral("test digit #0 (a %1)").arg(label);
        QCOMPARE(panel_->statusText(), "Start: " + digit);
        drawStroke({3, 3}, {3, 24});
        QCOMPARE(panel_->statusText(), "Start: " + digit + ", drawn over");
        panel_->canvas()->undoStack()->undo();
        QCOMPARE(panel_->statusText(), "Start: " + digit);
        panel_->canvas()->clear();
        QCOMPARE(panel_->statusText(), QStringLiteral("Start: a blank grid"));
        drawStroke({8, 8}, {20, 20});
        QCOMPARE(panel_->statusText(), QStringLiteral("Start: your drawing"));
        panel_->startFromNoise();
        QVERIFY(panel_->statusText().startsWith("Start: binary noise"));
    }

    void meanFieldSaysWhyTheChainsAreIdentical() {
        QCheckBox* meanField = panel_->findChild<QCheckBox*>();
        QVERIFY(meanField && meanField->text() == "mean-field");
        for (int i = 0; i < 5; ++i) panel_->engine()->step();
        flush();
        QVERIFY(!panel_->chainsView()->caption().contains("identical"));  // sampled chains part at once
        QTest::mouseClick(meanField, Qt::LeftButton);
        QVERIFY(panel_->engine()->meanField());
        // Switched on mid-dream, the chains stay apart (each from its own sampled state): it says how to join them.
        panel_->engine()->step();
        QTRY_VERIFY2_WITH_TIMEOUT(panel_->chainsView()->caption().contains("Reset makes them identical"),
                                  qPrintable(panel_->chainsView()->caption()), 10000);
        panel_->engine()->reset();
        for (int i = 0; i < 5; ++i) panel_->engine()->step();
        flush();
        const studio::DreamFrame& f = panel_->engine()->frames().newest();
        QVERIFY(std::equal(f.visible(0), f.visible(0) + f.nVisible, f.visible(2)));
        QTRY_VERIFY2_WITH_TIMEOUT(panel_->chainsView()->caption().contains("3 identical chains: mean-field has no randomness"),
                                  qPrintable(panel_->chainsView()->caption()), 10000);
        // Another seed or a sampled step lets them part again, and the panel stops saying so.
        QTest::mouseClick(meanField, Qt::LeftButton);
        panel_->engine()->step();
        flush();
        QVERIFY(!panel_->chainsView()->caption().contains("identical"));
    }

    void aStrokeRestartsTheDreamFromTheDrawing() {
        panel_->canvas()->clear();
        for (int i = 0; i < 5; ++i) panel_->engine()->step();
        studio::DrawingCanvas* c = panel_->canvas();
        QTest::mousePress(c, Qt::LeftButton, Qt::NoModifier, c->toWidget({8, 8}).toPoint());
        QTest::mouseMove(c, c->toWidget({20, 20}).toPoint());
        QTest::mouseRelease(c, Qt::LeftButton, Qt::NoModifier, c->toWidget({20, 20}).toPoint());
        QCOMPARE(panel_->engine()->halfSteps(), std::int64_t(0));
        QCOMPARE(panel_->engine()->startImage(), c->pixels());
        QCOMPARE(panel_->engine()->state().v(0, 14 * 28 + 14), 1.0f);  // on the stroke
        // Undo goes back to the blank start.
        c->undoStack()->undo();
        QCOMPARE(panel_->engine()->state().v.sum(), 0.0f);
    }

    void clampBrushReachesTheEngine() {
        QCOMPARE(panel_->engine()->clampMask().size(), Eigen::Index(0));
        panel_->canvas()->clampRows(0, 13);
        QCOMPARE(panel_->engine()->clampMask().size(), Eigen::Index(784));
        QCOMPARE(panel_->engine()->clampMask().head(14 * 28).sum(), 14.0f * 28.0f);
        QCOMPARE(panel_->engine()->clampMask().tail(14 * 28).sum(), 0.0f);
        const rbm::Matrix top = panel_->engine()->state().v.leftCols(14 * 28);
        for (int i = 0; i < 50; ++i) panel_->engine()->step();
        QVERIFY(panel_->engine()->state().v.leftCols(14 * 28) == top);
    }

    void clickingAHiddenUnitCyclesItsForce() {
        flush();
        studio::PixelView* view = panel_->hiddenView();
        const int unit = 17;
        auto click = [&] {
            const QRectF r = view->imageRect();
            const QPointF p = panel_->hiddenUnitPosition(unit);
            const QPoint at(int(r.left() + p.x() * r.width() / view->image().width()),
                            int(r.top() + p.y() * r.height() / view->image().height()));
            QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, at);
        };
        click();
        QCOMPARE(panel_->engine()->hiddenForce(unit), 1);
        QCOMPARE(panel_->engine()->state().h(0, unit), 1.0f);
        click();
        QCOMPARE(panel_->engine()->hiddenForce(unit), 0);
        click();
        QCOMPARE(panel_->engine()->hiddenForce(unit), -1);
        // The main window's filter grid reaches the same switch.
        panel_->toggleHiddenUnit(3);
        QCOMPARE(panel_->engine()->hiddenForce(3), 1);
    }

    void timelineRewindsToEarlierFrames() {
        for (int i = 0; i < 40; ++i) panel_->engine()->step();
        flush();
        QSlider* t = panel_->timeline();
        QTRY_COMPARE_WITH_TIMEOUT(t->maximum(), 40, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(t->value(), 40, 10000);
        panel_->engine()->setStepsPerSecond(200);
        panel_->play();
        QVERIFY(panel_->engine()->isPlaying());
        t->setValue(10);  // a person drags the slider back
        QVERIFY(!panel_->engine()->isPlaying());  // looking back holds the chain
        flush();
        const studio::DreamFrame& f = panel_->engine()->frames().at(10);
        QCOMPARE(f.halfSteps, std::int64_t(20));
        const QImage expected = studio::grayImage(f.visibleProb(0), 28, 28);
        QTRY_COMPARE_WITH_TIMEOUT(panel_->dreamView()->image(), expected, 10000);
    }

    void droppingAnImageFileStartsFromIt() {
        QImage img(120, 160, QImage::Format_RGB32);
        img.fill(Qt::white);
        {
            QPainter p(&img);
            p.setPen(QPen(Qt::black, 12));
            p.drawLine(40, 20, 80, 140);
        }
        QTemporaryDir dir;
        const QString path = dir.filePath("one.png");
        QVERIFY(img.save(path));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(panel_, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(panel_, &drop);
        QCOMPARE(panel_->engine()->startImage(), studio::mnistStyleDigit(img));
        QCOMPARE(panel_->canvas()->pixels(), studio::mnistStyleDigit(img));
        QCOMPARE(panel_->engine()->halfSteps(), std::int64_t(0));
    }

    void newWeightsKeepTheDreamGoing() {
        for (int i = 0; i < 10; ++i) panel_->engine()->step();
        const rbm::Matrix v = panel_->engine()->state().v;
        panel_->setModel(dreamtest::randomModel(784, 60, 22));  // the next training snapshot
        QCOMPARE(panel_->engine()->halfSteps(), std::int64_t(20));
        QVERIFY(panel_->engine()->state().v == v);
        // A different hidden size (training was reset with another model) still dreams on.
        panel_->setModel(dreamtest::randomModel(784, 30, 23));
        panel_->engine()->step();
        flush();
        QCOMPARE(panel_->engine()->state().hProb.cols(), Eigen::Index(30));
    }
};

QTEST_MAIN(TestDreamPanel)
#include "test_dream_panel.moc"
