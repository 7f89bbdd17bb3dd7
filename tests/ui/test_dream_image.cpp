// Images of the dream panel: MNIST-style conversion of picture files, the GIF encoder, and the
// panel's own rendering and exports.
#include <QImageReader>
#include <QLayout>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "dream/dream_engine.h"
#include "dream/dream_image.h"
#include "dream/dream_panel.h"
#include "dream/gif_writer.h"
#include "test_dream_support.h"

namespace {

/// An "L": a heavy vertical bar and a thin foot, so its centre of mass is far from the centre
/// of its bounding box; drawn off-centre on a larger picture.
QImage lShape(QSize size, QColor ink, QColor paper, QImage::Format format) {
    QImage img(size, format);
    img.fill(paper);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    const double s = size.height() / 100.0;
    p.fillRect(QRectF(size.width() * 0.15, 10 * s, 14 * s, 70 * s), ink);          // bar
    p.fillRect(QRectF(size.width() * 0.15, 74 * s, 50 * s, 6 * s), ink);           // foot
    return img;
}

struct Box { int r0 = 99, r1 = -1, c0 = 99, c1 = -1; };
Box inkBox(const std::vector<float>& v) {
    Box b;
    for (int r = 0; r < 28; ++r)
        for (int c = 0; c < 28; ++c)
            if (v[static_cast<std::size_t>(r * 28 + c)] > 0.05f) {
                b.r0 = std::min(b.r0, r); b.r1 = std::max(b.r1, r);
                b.c0 = std::min(b.c0, c); b.c1 = std::max(b.c1, c);
            }
    return b;
}

}  // namespace

class TestDreamImage : public QObject {
    Q_OBJECT

private slots:
    void mnistConversionCentresByMass_data() {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QColor>("ink");
        QTest::addColumn<QColor>("paper");
        QTest::addColumn<int>("format");
        QTest::newRow("black on white PNG") << "png" << QSize(300, 200) << QColor(Qt::black) << QColor(Qt::white) << int(QImage::Format_RGB32);
        QTest::newRow("white on black PNG") << "png" << QSize(160, 240) << QColor(Qt::white) << QColor(Qt::black) << int(QImage::Format_RGB32);
        QTest::newRow("pencil on grey paper JPEG") << "jpg" << QSize(400, 300) << QColor(40, 40, 50) << QColor(215, 210, 200) << int(QImage::Format_RGB32);
        QTest::newRow("black on transparent PNG") << "png" << QSize(200, 200) << QColor(Qt::black) << QColor(0, 0, 0, 0) << int(QImage::Format_ARGB32);
    }
    void mnistConversionCentresByMass() {
        QFETCH(QString, suffix);
        QFETCH(QSize, size);
        QFETCH(QColor, ink);
        QFETCH(QColor, paper);
        QFETCH(int, format);
        QTemporaryDir dir;
        const QString path = dir.filePath("digit." + suffix);
        QVERIFY(lShape(size, ink, paper, QImage::Format(format)).save(path));
        std::vector<float> v;
        QString error;
        QVERIFY2(studio::loadMnistStyleDigit(path, 28, 28, v, &error), qPrintable(error));
        QCOMPARE(v.size(), std::size_t(784));
        // Ink is light on a dark background (inverted if the paper was light).
        QVERIFY(v[0] == 0.0f && v[27] == 0.0f && v[783] == 0.0f);
        QVERIFY(*std::max_element(v.begin(), v.end()) > 0.9f);
        // The longer side of the ink fills the 20-pixel box.
        const Box b = inkBox(v);
        const int tall = b.r1 - b.r0 + 1, wide = b.c1 - b.c0 + 1;
        QVERIFY2(tall >= 19 && tall <= 21, qPrintable(QString::number(tall)));
        QVERIFY(wide < tall);
        // Centred by centre of mass (integer shift: within half a pixel of the grid centre) ...
        const QPointF com = studio::centreOfMass(v.data(), 28, 28);
        QVERIFY2(std::abs(com.x() - 13.5) <= 0.5 && std::abs(com.y() - 13.5) <= 0.5,
                 qPrintable(QStringLiteral("centre of mass (%1, %2)").arg(com.x()).arg(com.y())));
        // ... not by bounding box: the L's box centre is clearly off the grid centre.
        QVERIFY(std::abs((b.c0 + b.c1) / 2.0 - 13.5) > 1.0);
    }

    void blankPictureGivesBlankDigit() {
        QImage white(50, 50, QImage::Format_RGB32);
        white.fill(Qt::white);
        const std::vector<float> v = studio::mnistStyleDigit(white);
        QVERIFY(std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; }));
        std::vector<float> out;
        QString error;
        QVERIFY(!studio::loadMnistStyleDigit("/nonexistent/digit.png", 28, 28, out, &error));
        QVERIFY(error.contains("digit.png"));
    }

    void gifRoundTrip_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("frames");
        QTest::addColumn<QString>("content");
        QTest::newRow("noise (table resets)") << 97 << 61 << 3 << "noise";
        QTest::newRow("gradient") << 256 << 4 << 2 << "gradient";
        QTest::newRow("constant") << 40 << 30 << 2 << "constant";
        QTest::newRow("one pixel") << 1 << 1 << 2 << "noise";
    }
    void gifRoundTrip() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, frames);
        QFETCH(QString, content);
        rbm::Random rng(5);
        studio::GifWriter gif(width, height);
        std::vector<std::vector<std::uint8_t>> originals;
        for (int f = 0; f < frames; ++f) {
            std::vector<std::uint8_t> px(static_cast<std::size_t>(width * height));
            for (int i = 0; i < width * height; ++i) {
                if (content == "noise") px[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(rng.below(256));
                else if (content == "gradient") px[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((i % width + f * 17) % 256);
                else px[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(100 + f);
            }
            gif.addFrame(px.data(), 5);
            originals.push_back(px);
        }
        QTemporaryDir dir;
        const QString path = dir.filePath("dream.gif");
        QVERIFY(gif.save(path.toStdString()));
        QImageReader reader(path);
        QVERIFY2(reader.canRead(), qPrintable(reader.errorString()));
        QCOMPARE(reader.imageCount(), frames);
        QCOMPARE(reader.loopCount(), -1);  // NETSCAPE2.0 with 0 = forever
        for (int f = 0; f < frames; ++f) {
            const QImage img = reader.read();
            QVERIFY2(!img.isNull(), qPrintable(reader.errorString()));
            QCOMPARE(img.size(), QSize(width, height));
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    QCOMPARE(qGray(img.pixel(x, y)), int(originals[static_cast<std::size_t>(f)][static_cast<std::size_t>(y * width + x)]));
        }
    }

    void panelRendersAndExports() {
        studio::DreamPanel panel;
        const rbm::DatasetPair& d = dreamtest::mnist();
        panel.setDatasets(std::make_shared<const rbm::Dataset>(d.train), std::make_shared<const rbm::Dataset>(d.test));
        panel.setModel(dreamtest::trainedModel());
        panel.resize(1400, 860);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.startFromTestDigit(7));
        for (int i = 0; i < 30; ++i) panel.engine()->step();
        QTest::qWait(100);
        const QImage shot = panel.grab().toImage();
        QVERIFY(!shot.isNull());
        if (qEnvironmentVariableIsSet("DREAM_SCREENSHOT")) shot.save(qEnvironmentVariable("DREAM_SCREENSHOT"));
        // It must fit the dock of a 1600 x 1000 window without scrolling.
        qInfo("panel minimum size %d x %d", panel.minimumSizeHint().width(), panel.minimumSizeHint().height());
        QVERIFY(panel.minimumSizeHint().height() <= 760);
        // Regression: a word-wrapped label made the layout height-for-width, and QScrollArea (the
        // dock wraps the panel in one) then sized the panel to its preferred height, cutting off
        // the timeline in a 1600 x 1000 window.
        QVERIFY(!panel.layout()->hasHeightForWidth());

        QTemporaryDir tmp;
        const QString out = qEnvironmentVariableIsSet("DREAM_EXPORT_DIR") ? qEnvironmentVariable("DREAM_EXPORT_DIR") : tmp.path();
        const QString png = out + "/film.png", gif = out + "/dream.gif";
        QVERIFY(panel.exportFilmstrip(png));
        const QImage film(png);
        QVERIFY(!film.isNull() && film.width() > 7 * 28 * 3);  // t = 0, 5, ..., 30: 7 columns
        QVERIFY(panel.exportGif(gif));
        QImageReader reader(gif);
        QCOMPARE(reader.imageCount(), 31);
    }
};

QTEST_MAIN(TestDreamImage)
#include "test_dream_image.moc"
