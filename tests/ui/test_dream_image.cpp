// Images of the dream panel: MNIST-style conversion of picture files, the GIF writer (read back
// with giflib's own decoder), and the panel's own rendering and exports.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QLayout>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "dream/dream_engine.h"
#include "dream/dream_image.h"
#include "dream/dream_panel.h"
#include "dream/gif_encoder.h"
#include "dream/save_file.h"
#include "test_dream_support.h"

#include <gif_lib.h>
#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// An animated GIF of noise.
QByteArray gifOf(int width, int height, int frames, std::uint64_t seed) {
    rbm::Random rng(seed);
    studio::GifEncoder gif(width, height);
    std::vector<std::uint8_t> px(static_cast<std::size_t>(width * height));
    for (int f = 0; f < frames; ++f) {
        for (std::uint8_t& x : px) x = static_cast<std::uint8_t>(rng.below(256));
        gif.addFrame(px.data(), 10);
    }
    return gif.finish();
}

/// A GIF as giflib's own reader sees it: every frame's grey levels through the palette.
struct DecodedGif {
    QString error;
    QSize size;
    int loops = -1;  ///< NETSCAPE2.0 repeat count (0 = forever), -1 if absent
    std::vector<int> delays;
    std::vector<std::vector<std::uint8_t>> frames;
};
DecodedGif decodeGif(const QString& path) {
    DecodedGif out;
    int err = 0;
    GifFileType* gif = DGifOpenFileName(QFile::encodeName(path).constData(), &err);
    if (!gif) {
        out.error = QString::fromUtf8(GifErrorString(err));
        return out;
    }
    if (DGifSlurp(gif) == GIF_ERROR) {
        out.error = QString::fromUtf8(GifErrorString(gif->Error));
        DGifCloseFile(gif, &err);
        return out;
    }
    out.size = QSize(gif->SWidth, gif->SHeight);
    for (int i = 0; i < gif->ImageCount; ++i) {
        const SavedImage& im = gif->SavedImages[i];
        const ColorMapObject* map = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : gif->SColorMap;
        for (int b = 0; b + 1 < im.ExtensionBlockCount; ++b) {
            const ExtensionBlock& e = im.ExtensionBlocks[b];
            if (e.Function == APPLICATION_EXT_FUNC_CODE && e.ByteCount == 11 && std::memcmp(e.Bytes, "NETSCAPE2.0", 11) == 0) {
                const ExtensionBlock& d = im.ExtensionBlocks[b + 1];
                if (d.ByteCount >= 3) out.loops = d.Bytes[1] | (d.Bytes[2] << 8);
            }
        }
        GraphicsControlBlock gcb{};
        out.delays.push_back(DGifSavedExtensionToGCB(gif, i, &gcb) == GIF_OK ? gcb.DelayTime : -1);
        std::vector<std::uint8_t> px(static_cast<std::size_t>(im.ImageDesc.Width * im.ImageDesc.Height));
        for (std::size_t k = 0; k < px.size(); ++k) {
            const GifColorType c = map->Colors[im.RasterBits[k]];
            px[k] = c.Red == c.Green && c.Green == c.Blue ? c.Red : 0;  // a grey palette
        }
        out.frames.push_back(std::move(px));
    }
    DGifCloseFile(gif, &err);
    return out;
}

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
        QTemporaryDir dir;
        const QString path = dir.filePath("dream.gif");
        std::vector<std::vector<std::uint8_t>> originals;
        studio::GifEncoder gif(width, height);
        for (int f = 0; f < frames; ++f) {
            std::vector<std::uint8_t> px(static_cast<std::size_t>(width * height));
            for (int i = 0; i < width * height; ++i) {
                if (content == "noise") px[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(rng.below(256));
                else if (content == "gradient") px[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((i % width + f * 17) % 256);
                else px[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(100 + f);
            }
            QVERIFY(gif.addFrame(px.data(), 5 + f));
            originals.push_back(px);
        }
        QCOMPARE(gif.frames(), frames);
        const QByteArray bytes = gif.finish();
        QVERIFY2(!bytes.isEmpty() && gif.errorString().isEmpty(), qPrintable(gif.errorString()));
        QVERIFY(bytes.startsWith("GIF89a"));
        QString error;
        QVERIFY2(studio::saveFileAtomically(path, bytes, &error), qPrintable(error));
        const DecodedGif decoded = decodeGif(path);
        QVERIFY2(decoded.error.isEmpty(), qPrintable(decoded.error));
        QCOMPARE(decoded.size, QSize(width, height));
        QCOMPARE(decoded.loops, 0);  // NETSCAPE2.0 with 0 = forever
        QCOMPARE(static_cast<int>(decoded.frames.size()), frames);
        for (int f = 0; f < frames; ++f) {
            QCOMPARE(decoded.delays[static_cast<std::size_t>(f)], 5 + f);
            QVERIFY(decoded.frames[static_cast<std::size_t>(f)] == originals[static_cast<std::size_t>(f)]);
        }
        // Qt's reader (what slides and browsers see) agrees: animated, looping forever.
        QImageReader reader(path);
        QCOMPARE(reader.imageCount(), frames);
        QCOMPARE(reader.loopCount(), -1);
    }

    void aFailedSaveLeavesThePreviousFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath("dream.gif");
        const QByteArray before = gifOf(64, 64, 1, 3);
        QVERIFY(studio::saveFileAtomically(path, before));
        QCOMPARE(readAll(path), before);

        // The disk "fills up" part-way: a file size limit makes every write past 4 KiB fail
        // with EFBIG, also for root (whom a read-only folder would not stop).
        const QByteArray big = gifOf(200, 200, 5, 9);
        QVERIFY(big.size() > 4096);
        struct rlimit old {};
        QVERIFY(getrlimit(RLIMIT_FSIZE, &old) == 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 4096;
        QVERIFY(setrlimit(RLIMIT_FSIZE, &small) == 0);
        QString error;
        const bool saved = studio::saveFileAtomically(path, big, &error);
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);

        QVERIFY(!saved);
        QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
        QVERIFY2(error.contains(QString::fromLocal8Bit(std::strerror(EFBIG))), qPrintable(error));  // the OS reason
        QCOMPARE(readAll(path), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"dream.gif"});  // no temporary left
    }

    void aSaveIntoAMissingFolderSaysWhy() {
        QTemporaryDir dir;
        const QString path = dir.filePath("no/such/folder/dream.gif");
        QString error;
        QVERIFY(!studio::saveFileAtomically(path, gifOf(8, 8, 1, 1), &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
        QVERIFY(!QFileInfo::exists(path));
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
        QString error;
        QVERIFY2(panel.exportGif(gif, 400, &error), qPrintable(error));
        const DecodedGif decoded = decodeGif(gif);
        QVERIFY2(decoded.error.isEmpty(), qPrintable(decoded.error));
        QCOMPARE(static_cast<int>(decoded.frames.size()), 31);  // t = 0 .. 30
        // Three chains of 28 x 28 at 4x with 8-pixel gaps, the last frame's dream p(v|h) in each.
        QCOMPARE(decoded.size, QSize(3 * (4 * 28 + 8) + 8, 4 * 28 + 16));
        const studio::DreamFrame& last = panel.engine()->frames().newest();
        for (int c = 0; c < 3; ++c)
            for (int r = 0; r < 28; ++r)
                for (int col = 0; col < 28; ++col) {
                    const int x = 8 + c * (4 * 28 + 8) + 4 * col + 1, y = 8 + 4 * r + 1;
                    QCOMPARE(int(decoded.frames.back()[static_cast<std::size_t>(y * decoded.size.width() + x)]),
                             int(last.visibleProb(c)[r * 28 + col]));
                }
        QCOMPARE(int(decoded.frames.back()[0]), 40);  // the background between the chains
        // A failed export says which file and why, and the panel shows it.
        const QString nowhere = out + "/no-such-folder/dream.gif";
        QVERIFY(!panel.exportGif(nowhere, 400, &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(nowhere)), qPrintable(error));
        QVERIFY(!panel.exportFilmstrip(out + "/no-such-folder/film.png", &error));
        QVERIFY2(error.contains("no-such-folder"), qPrintable(error));
    }
};

QTEST_MAIN(TestDreamImage)
#include "test_dream_image.moc"
