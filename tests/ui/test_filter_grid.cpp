// The filter-grid image builder and view on hand-made models: tile geometry, the sign of a
// weight in the colour of its pixel, global vs per-tile contrast, sorting, hover and click.
// How fast the grid builds is bench/ui_bench.cpp's question, not a test's.
#include <QSignalSpy>
#include <QtTest>

#include "rbm/model.h"
#include "views/filter_grid_view.h"
#include "views/image_builders.h"
#include "views/image_canvas.h"

using namespace studio;

namespace {

/// 2x3 pixel tiles, 4 hidden units, all weights zero.
rbm::Rbm smallModel() {
    rbm::Rbm m;
    m.W = rbm::Matrix::Zero(6, 4);
    m.visibleBias = rbm::Vector::Zero(6);
    m.hiddenBias = rbm::Vector::Zero(4);
    m.imageRows = 2;
    m.imageCols = 3;
    return m;
}

QRgb pixelOf(const QImage& img, const TileLayout& L, int slot, int r, int c) {
    const QRect t = L.tileRect(slot);
    return img.pixel(t.left() + c, t.top() + r);
}

}  // namespace

class TestFilterGrid : public QObject {
    Q_OBJECT
private slots:
    void colourFollowsSign_data();
    void colourFollowsSign();
    void geometryRoundTrip();
    void perTileContrastSaturatesSmallUnits();
    void sortByNorm();
    void nonImageShapeStillTiles();
    void hoverDescribesUnitAndClickEmitsIt();
    void manyUnitsGetATileEach();
};

void TestFilterGrid::colourFollowsSign_data() {
    QTest::addColumn<float>("weight");
    QTest::addColumn<int>("expect");  // +1 red dominant, -1 blue dominant, 0 white
    QTest::newRow("strong positive") << 1.0f << 1;
    QTest::newRow("weak positive") << 0.3f << 1;
    QTest::newRow("strong negative") << -1.0f << -1;
    QTest::newRow("weak negative") << -0.3f << -1;
    QTest::newRow("zero") << 0.0f << 0;
}

void TestFilterGrid::colourFollowsSign() {
    QFETCH(float, weight);
    QFETCH(int, expect);
    rbm::Rbm m = smallModel();
    // Unit 2, pixel (row 1, col 2) = visible index 1*3+2 = 5 carries the weight; another
    // weight of magnitude 1 fixes the global scale.
    m.W(5, 2) = weight;
    m.W(0, 0) = 1.0f;
    TileLayout L;
    const QImage img = buildFilterGrid(m, FilterGridOptions{}, &L);
    const QRgb p = pixelOf(img, L, 2, 1, 2);
    if (expect > 0) {
        QVERIFY2(qRed(p) > qBlue(p) + 20, qPrintable(QString::number(p, 16)));
    } else if (expect < 0) {
        QVERIFY2(qBlue(p) > qRed(p) + 20, qPrintable(QString::number(p, 16)));
    } else {
        QVERIFY(qRed(p) > 230 && qGreen(p) > 230 && qBlue(p) > 230);
    }
    // Stronger weights are darker (further from white).
    if (expect != 0) {
        rbm::Rbm m2 = m;
        m2.W(5, 2) = weight * 0.5f;
        const QImage img2 = buildFilterGrid(m2, FilterGridOptions{}, &L);
        const QRgb q = pixelOf(img2, L, 2, 1, 2);
        QVERIFY(qGray(p) < qGray(q));
    }
}

void TestFilterGrid::geometryRoundTrip() {
    rbm::Rbm m = smallModel();
    TileLayout L;
    const QImage img = buildFilterGrid(m, FilterGridOptions{}, &L);
    QCOMPARE(L.gridCols, 2);  // near-square for 4 units
    QCOMPARE(L.gridRows, 2);
    QCOMPARE(img.size(), L.imageSize());
    for (int s = 0; s < 4; ++s) {
        const QRect t = L.tileRect(s);
        QCOMPARE(t.size(), QSize(3, 2));
        QCOMPARE(L.unitAt(t.left(), t.top()), s);
        QCOMPARE(L.unitAt(t.right(), t.bottom()), s);
        QCOMPARE(L.slotAt(t.left() - 1, t.top()), -1);  // padding
    }
}

void TestFilterGrid::perTileContrastSaturatesSmallUnits() {
    rbm::Rbm m = smallModel();
    m.W(0, 0) = 10.0f;  // unit 0: large
    m.W(0, 1) = 0.1f;   // unit 1: small
    TileLayout L;
    FilterGridOptions o;
    const QImage global = buildFilterGrid(m, o, &L);
    o.contrast = Contrast::PerTile;
    const QImage perTile = buildFilterGrid(m, o, &L);
    // Globally the small unit is nearly white; per tile it is as saturated as the large one.
    QVERIFY(qGray(pixelOf(global, L, 1, 0, 0)) > 230);
    QCOMPARE(pixelOf(perTile, L, 1, 0, 0), pixelOf(perTile, L, 0, 0, 0));
    QCOMPARE(pixelOf(perTile, L, 1, 0, 0), divergingColor(1.0f));
}

void TestFilterGrid::sortByNorm() {
    const std::vector<int> order = orderByDescending({0.5f, 3.0f, 1.0f, 3.0f});
    QCOMPARE(order, (std::vector<int>{1, 3, 2, 0}));  // ties keep unit order
    rbm::Rbm m = smallModel();
    m.W(0, 3) = -2.0f;
    FilterGridOptions o;
    o.order = {3, 0, 1, 2};
    TileLayout L;
    const QImage img = buildFilterGrid(m, o, &L);
    QCOMPARE(L.unitAt(L.tileRect(0).left(), L.tileRect(0).top()), 3);
    QVERIFY(qBlue(pixelOf(img, L, 0, 0, 0)) > qRed(pixelOf(img, L, 0, 0, 0)));
}

void TestFilterGrid::nonImageShapeStillTiles() {
    rbm::Rbm m;
    m.W = rbm::Matrix::Constant(10, 3, 0.5f);  // 10 pixels, no image size
    m.visibleBias = rbm::Vector::Zero(10);
    m.hiddenBias = rbm::Vector::Zero(3);
    int r = 0, c = 0;
    tileShape(m, r, c);
    QVERIFY(r * c >= 10);
    TileLayout L;
    const QImage img = buildFilterGrid(m, FilterGridOptions{}, &L);
    QVERIFY(!img.isNull());
    QCOMPARE(L.order.size(), std::size_t(3));
}

void TestFilterGrid::hoverDescribesUnitAndClickEmitsIt() {
    rbm::Rbm m = smallModel();
    m.hiddenBias(3) = -1.25f;
    m.W(0, 3) = 3.0f;
    m.W(1, 3) = 4.0f;  // |w| = 5
    FilterGridView view;
    view.resize(400, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    rbm::Vector activity = rbm::Vector::Constant(4, 0.25f);
    view.showModel(m, activity);
    const QString d = view.unitDescription(3);
    QVERIFY2(d.contains(QLatin1String("unit 3")) && d.contains(QLatin1String("-1.25")) && d.contains(QLatin1String("= 5")) &&
                 d.contains(QLatin1String("0.250")),
             qPrintable(d));

    // Click in the middle of unit 3's tile, in widget coordinates.
    ImageCanvas* canvas = view.canvas();
    const QRectF target = canvas->targetRect();
    const QRect tile = view.layout().tileRect(3);
    const double sx = target.width() / view.image().width(), sy = target.height() / view.image().height();
    const QPoint pos(int(target.left() + (tile.center().x() + 0.5) * sx), int(target.top() + (tile.center().y() + 0.5) * sy));
    QSignalSpy clicked(&view, &FilterGridView::unitClicked);
    QTest::mouseClick(canvas, Qt::LeftButton, {}, pos);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 3);

    // Sorted by norm, the same place now holds another unit: unit 3 (the only nonzero) comes first.
    view.setSort(FilterGridView::Sort::WeightNorm);
    QCOMPARE(view.layout().order.front(), 3);
}

void TestFilterGrid::manyUnitsGetATileEach() {
    // 784 hidden units of 28x28 (how fast is measured by ui-bench, not asserted here).
    rbm::Rbm m;
    m.W = rbm::Matrix::Random(784, 784);
    m.visibleBias = rbm::Vector::Zero(784);
    m.hiddenBias = rbm::Vector::Zero(784);
    m.imageRows = m.imageCols = 28;
    TileLayout L;
    const QImage img = buildFilterGrid(m, FilterGridOptions{}, &L);
    QCOMPARE(img.size(), L.imageSize());
    QCOMPARE(L.gridRows * L.gridCols >= 784, true);
    QCOMPARE(int(L.order.size()), 784);
    QCOMPARE(L.tileRows, 28);
    QCOMPARE(L.tileCols, 28);
    // The last unit's tile holds its weights: the unit under its centre is 783.
    const QRect last = L.tileRect(783);
    QCOMPARE(L.unitAt(last.center().x(), last.center().y()), 783);
}

QTEST_MAIN(TestFilterGrid)
#include "test_filter_grid.moc"
