// The dream panel as a whole, driven like a person: drawing restarts the dream from the drawing,
// the clamp brush reaches the engine, clicking a hidden unit forces it, the timeline rewinds.
#include <QApplication>
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

    void flush() { QTest::qWait(60); }  // the panel repaints on a ~33 ms single-shot timer

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
        QCOMPARE(t->maximum(), 40);
        QCOMPARE(t->value(), 40);
        panel_->engine()->setStepsPerSecond(200);
        panel_->play();
        QVERIFY(panel_->engine()->isPlaying());
        t->setValue(10);  // a person drags the slider back
        QVERIFY(!panel_->engine()->isPlaying());  // looking back holds the chain
        flush();
        const studio::DreamFrame& f = panel_->engine()->frames().at(10);
        QCOMPARE(f.halfSteps, std::int64_t(20));
        const QImage expected = studio::grayImage(f.visibleProb(0), 28, 28);
        QCOMPARE(panel_->dreamView()->image(), expected);
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
