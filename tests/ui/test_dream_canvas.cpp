// The drawing canvas of the dream panel, driven like a person: strokes with the mouse (press,
// move with the button held, release) and a tablet pen; undo/redo; eraser; clamp brush.
#include <QAction>
#include <QApplication>
#include <QPointingDevice>
#include <QSignalSpy>
#include <QTabletEvent>
#include <QTest>
#include <cmath>
#include <vector>

#include "dream/drawing_canvas.h"

using studio::DrawingCanvas;

namespace {

/// Distance from point p to segment a-b.
double segmentDistance(QPointF p, QPointF a, QPointF b) {
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(a.x() + t * dx - p.x(), a.y() + t * dy - p.y());
}

/// Distance from the centre of pixel (r, c) to a polyline (grid units).
double pathDistance(int r, int c, const std::vector<QPointF>& path) {
    const QPointF p(c + 0.5, r + 0.5);
    double d = segmentDistance(p, path.front(), path.front());
    for (std::size_t i = 1; i < path.size(); ++i) d = std::min(d, segmentDistance(p, path[i - 1], path[i]));
    return d;
}

/// Draws a stroke through `gridPoints` (grid units) with the mouse; returns the path actually
/// drawn, in grid units (QTest positions are whole widget pixels).
std::vector<QPointF> stroke(DrawingCanvas& canvas, const std::vector<QPointF>& gridPoints,
                            Qt::MouseButton button = Qt::LeftButton) {
    std::vector<QPointF> drawn;
    for (std::size_t i = 0; i < gridPoints.size(); ++i) {
        const QPoint w = canvas.toWidget(gridPoints[i]).toPoint();
        drawn.push_back(canvas.toGrid(QPointF(w)));
        if (i == 0)
            QTest::mousePress(&canvas, button, Qt::NoModifier, w);
        else
            QTest::mouseMove(&canvas, w);  // QTest keeps the pressed button in the move event
    }
    QTest::mouseRelease(&canvas, button, Qt::NoModifier, canvas.toWidget(gridPoints.back()).toPoint());
    return drawn;
}

bool allZero(const std::vector<float>& v) {
    return std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; });
}

}  // namespace

class TestDreamCanvas : public QObject {
    Q_OBJECT

private:
    DrawingCanvas* canvas_ = nullptr;

private slots:
    void init() {
        canvas_ = new DrawingCanvas;
        canvas_->resize(336, 336);  // 12 screen pixels per grid pixel
        canvas_->show();
        QVERIFY(QTest::qWaitForWindowExposed(canvas_));
    }
    void cleanup() {
        delete canvas_;
        canvas_ = nullptr;
    }

    void isAtLeast280OnScreen() {
        const QRectF g = canvas_->gridRect();
        QVERIFY(g.width() >= 280 && g.height() >= 280);
        QCOMPARE(canvas_->gridRows(), 28);
        QCOMPARE(canvas_->gridCols(), 28);
    }

    void strokeChangesExactlyThePixelsAlongIt_data() {
        QTest::addColumn<QList<QPointF>>("points");
        QTest::addColumn<double>("radius");
        QTest::newRow("horizontal") << QList<QPointF>{{5.3, 14.2}, {12.0, 14.2}, {22.6, 14.4}} << 2.2;
        QTest::newRow("diagonal") << QList<QPointF>{{4.0, 4.0}, {10.0, 10.0}, {20.0, 20.0}} << 2.2;
        QTest::newRow("corner, thin brush") << QList<QPointF>{{8.0, 6.0}, {20.0, 6.0}, {20.0, 22.0}} << 1.2;
        QTest::newRow("a dot") << QList<QPointF>{{14.0, 14.0}} << 2.5;
    }
    void strokeChangesExactlyThePixelsAlongIt() {
        QFETCH(QList<QPointF>, points);
        QFETCH(double, radius);
        canvas_->setBrushRadius(radius);
        QSignalSpy changed(canvas_, &DrawingCanvas::imageChanged);
        const std::vector<QPointF> path = stroke(*canvas_, std::vector<QPointF>(points.begin(), points.end()));
        QCOMPARE(changed.count(), 1);  // once, when the stroke ends
        int inked = 0;
        for (int r = 0; r < 28; ++r) {
            for (int c = 0; c < 28; ++c) {
                const float v = canvas_->pixels()[static_cast<std::size_t>(r * 28 + c)];
                const double d = pathDistance(r, c, path);
                // The soft brush: 1 inside radius - 0.5, 0 beyond radius + 0.5, linear between,
                // max-combined, so each pixel is the coverage of its distance to the path.
                QVERIFY2(std::abs(v - DrawingCanvas::coverage(d, radius)) < 1e-5f,
                         qPrintable(QStringLiteral("pixel (%1,%2) at distance %3 is %4").arg(r).arg(c).arg(d).arg(v)));
                if (d > radius + 0.5) QCOMPARE(v, 0.0f);
                if (d <= radius - 0.5) QCOMPARE(v, 1.0f);
                inked += v > 0;
            }
        }
        QVERIFY(inked > 0);
    }

    void undoRestoresAndRedoReapplies() {
        stroke(*canvas_, {{5, 10}, {22, 10}});
        const std::vector<float> first = canvas_->pixels();
        stroke(*canvas_, {{14, 4}, {14, 24}});
        const std::vector<float> both = canvas_->pixels();
        QVERIFY(both != first);
        QCOMPARE(canvas_->undoStack()->count(), 2);  // one command per stroke, not per mouse move

        canvas_->undoStack()->undo();
        QCOMPARE(canvas_->pixels(), first);
        canvas_->undoStack()->undo();
        QVERIFY(allZero(canvas_->pixels()));
        canvas_->undoStack()->redo();
        QCOMPARE(canvas_->pixels(), first);
        canvas_->undoStack()->redo();
        QCOMPARE(canvas_->pixels(), both);
    }

    void keyboardShortcutsUndoAndRedo() {
        // Ctrl+Z / Ctrl+Shift+Z as the panel installs them (actions with widget-with-children scope).
        QAction* undo = canvas_->undoStack()->createUndoAction(canvas_);
        undo->setShortcut(QKeySequence::Undo);
        QAction* redo = canvas_->undoStack()->createRedoAction(canvas_);
        redo->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
        for (QAction* a : {undo, redo}) {
            a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            canvas_->addAction(a);
        }
        canvas_->activateWindow();
        canvas_->setFocus();
        QTRY_VERIFY(canvas_->hasFocus());
        stroke(*canvas_, {{6, 6}, {20, 20}});
        const std::vector<float> drawn = canvas_->pixels();
        QTest::keyClick(canvas_, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(allZero(canvas_->pixels()));
        QTest::keyClick(canvas_, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(canvas_->pixels(), drawn);
    }

    void eraserRemovesInkAlongItsPath() {
        stroke(*canvas_, {{4, 14}, {24, 14}});
        canvas_->setTool(DrawingCanvas::Tool::Eraser);
        const std::vector<QPointF> path = stroke(*canvas_, {{14, 4}, {14, 24}});
        for (int r = 0; r < 28; ++r)
            for (int c = 0; c < 28; ++c)
                if (pathDistance(r, c, path) <= canvas_->brushRadius() - 0.5)
                    QCOMPARE(canvas_->pixels()[static_cast<std::size_t>(r * 28 + c)], 0.0f);
        QVERIFY(canvas_->pixels()[14 * 28 + 5] == 1.0f);  // ink away from the eraser stays
        canvas_->undoStack()->undo();
        QVERIFY(canvas_->pixels()[14 * 28 + 14] == 1.0f);
    }

    void rightButtonErasesWhateverTheTool() {
        stroke(*canvas_, {{4, 14}, {24, 14}});
        stroke(*canvas_, {{14, 4}, {14, 24}}, Qt::RightButton);
        QCOMPARE(canvas_->pixels()[14 * 28 + 14], 0.0f);
        QCOMPARE(canvas_->tool(), DrawingCanvas::Tool::Pen);
    }

    void clampBrushPaintsTheMaskOnly() {
        stroke(*canvas_, {{4, 14}, {24, 14}});
        const std::vector<float> ink = canvas_->pixels();
        canvas_->setTool(DrawingCanvas::Tool::Clamp);
        QSignalSpy clampSpy(canvas_, &DrawingCanvas::clampChanged);
        QSignalSpy imageSpy(canvas_, &DrawingCanvas::imageChanged);
        const std::vector<QPointF> path = stroke(*canvas_, {{10, 4}, {10, 24}});
        QCOMPARE(clampSpy.count(), 1);
        QCOMPARE(imageSpy.count(), 0);
        QCOMPARE(canvas_->pixels(), ink);
        QVERIFY(canvas_->hasClamp());
        for (int r = 0; r < 28; ++r)
            for (int c = 0; c < 28; ++c) {
                const double d = pathDistance(r, c, path);
                const float m = canvas_->clampMask()[static_cast<std::size_t>(r * 28 + c)];
                if (d <= canvas_->brushRadius() - 0.1) QCOMPARE(m, 1.0f);
                if (d > canvas_->brushRadius() + 0.1) QCOMPARE(m, 0.0f);
            }
        canvas_->undoStack()->undo();
        QVERIFY(!canvas_->hasClamp());
    }

    void clearAndLoadAreUndoable() {
        stroke(*canvas_, {{4, 14}, {24, 14}});
        const std::vector<float> drawn = canvas_->pixels();
        canvas_->clear();
        QVERIFY(allZero(canvas_->pixels()));
        std::vector<float> img(28 * 28, 0.25f);
        canvas_->setImage(img, QStringLiteral("Load"));
        QCOMPARE(canvas_->pixels(), img);
        canvas_->undoStack()->undo();
        QVERIFY(allZero(canvas_->pixels()));
        canvas_->undoStack()->undo();
        QCOMPARE(canvas_->pixels(), drawn);
    }

    void describesWhatIsOnItThroughUndoAndRedo() {
        QCOMPARE(canvas_->describeImage(), QStringLiteral("a blank grid"));
        stroke(*canvas_, {{4, 14}, {24, 14}});
        QCOMPARE(canvas_->describeImage(), QStringLiteral("your drawing"));
        canvas_->setImage(std::vector<float>(28 * 28, 0.25f), QStringLiteral("test digit #7 (a 3)"));
        QCOMPARE(canvas_->describeImage(), QStringLiteral("test digit #7 (a 3)"));
        canvas_->clampRows(0, 5);  // holding pixels does not change what the image is
        QCOMPARE(canvas_->describeImage(), QStringLiteral("test digit #7 (a 3)"));
        stroke(*canvas_, {{4, 4}, {4, 24}});
        QCOMPARE(canvas_->describeImage(), QStringLiteral("test digit #7 (a 3), drawn over"));
        canvas_->undoStack()->undo();  // the stroke
        QCOMPARE(canvas_->describeImage(), QStringLiteral("test digit #7 (a 3)"));
        canvas_->undoStack()->undo();  // the clamp
        canvas_->undoStack()->undo();  // the load
        QCOMPARE(canvas_->describeImage(), QStringLiteral("your drawing"));
        canvas_->undoStack()->redo();
        QCOMPARE(canvas_->describeImage(), QStringLiteral("test digit #7 (a 3)"));
        canvas_->clear();
        QCOMPARE(canvas_->describeImage(), QStringLiteral("a blank grid"));
        stroke(*canvas_, {{4, 14}, {24, 14}});  // a clear wipes what was loaded before it
        QCOMPARE(canvas_->describeImage(), QStringLiteral("your drawing"));
    }

    void tabletPressureScalesTheBrush() {
        QPointingDevice pen(QStringLiteral("test pen"), 4242, QInputDevice::DeviceType::Stylus,
                            QPointingDevice::PointerType::Pen,
                            QInputDevice::Capability::Position | QInputDevice::Capability::Pressure, 1, 3);
        auto tabletStroke = [&](double pressure, double row) {
            const QPointF a = canvas_->toWidget({6, row}), b = canvas_->toWidget({22, row});
            const QEvent::Type types[] = {QEvent::TabletPress, QEvent::TabletMove, QEvent::TabletRelease};
            const QPointF at[] = {a, b, b};
            for (int i = 0; i < 3; ++i) {
                QTabletEvent e(types[i], &pen, at[i], canvas_->mapToGlobal(at[i]), pressure, 0, 0, 0, 0, 0,
                               Qt::NoModifier, i == 2 ? Qt::NoButton : Qt::LeftButton,
                               i == 2 ? Qt::NoButton : Qt::LeftButton);
                QApplication::sendEvent(canvas_, &e);
            }
            int n = 0;
            for (int r = 0; r < 28; ++r) n += canvas_->pixels()[static_cast<std::size_t>(r * 28 + 14)] > 0.5f;
            return n;
        };
        const int light = tabletStroke(0.1, 7);
        const int heavy = tabletStroke(1.0, 20) - light;
        QVERIFY2(light > 0 && heavy > light, qPrintable(QStringLiteral("light %1, heavy %2").arg(light).arg(heavy)));
        QCOMPARE(canvas_->undoStack()->count(), 2);
    }
};

QTEST_MAIN(TestDreamCanvas)
#include "test_dream_canvas.moc"
