// Folders of pictures as datasets (issue 15): class subfolders become labels, pictures kept at
// their own size come back pixel for pixel, the MNIST-style conversion is the dream panel's,
// and every bad folder is refused naming the folder or the file.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "error_of.h"
#include "dream/dream_image.h"
#include "imaging/image_folder.h"
#include "imaging/open_dataset.h"

using rbm::testing::errorOf;

namespace {

/// A w x h grey picture whose pixel (x, y) is `value(x, y)`.
QImage picture(int w, int h, int seed) {
    QImage img(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) img.scanLine(y)[x] = uchar((seed * 37 + x * 11 + y * 53) % 256);
    return img;
}

/// A white picture with a black bar: a digit to convert.
QImage bar(int w, int h, int left) {
    QImage img(w, h, QImage::Format_Grayscale8);
    img.fill(255);
    for (int y = h / 4; y < 3 * h / 4; ++y)
        for (int x = left; x < left + 3; ++x) img.scanLine(y)[x] = 0;
    return img;
}

}  // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
private slots:
    void classSubfoldersAreLabels();
    void nativeSizeKeepsEveryPixel();
    void mnistStyleIsTheDreamPanelsConversion();
    void badFoldersAreRefusedNamingThem_data();
    void badFoldersAreRefusedNamingThem();

private:
    QString folder(const QString& name) {
        const QString d = dir_.filePath(name);
        QDir().mkpath(d);
        return d;
    }
    QTemporaryDir dir_;
};

void TestImageFolder::classSubfoldersAreLabels() {
    const QString d = folder("animals");
    QDir().mkpath(d + "/cat");
    QDir().mkpath(d + "/dog");
    QVERIFY(picture(6, 4, 1).save(d + "/cat/a.png"));
    QVERIFY(picture(6, 4, 2).save(d + "/cat/b.png"));
    QVERIFY(picture(6, 4, 3).save(d + "/dog/c.png"));
    QFile notes(d + "/dog/notes.txt");
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not a picture");
    notes.close();
    QCOMPARE(::mkfifo(QFile::encodeName(d + "/dog/pipe.png").constData(), 0600), 0);

    rbm::DatasetOptions native;
    native.imageSize = rbm::ImageSize::Native;
    const studio::OpenedDataset o = studio::loadAnyDataset(d.toStdString(), native);
    const rbm::Dataset& t = o.pair.train;
    QCOMPARE(t.count, std::size_t(3));
    QCOMPARE(t.labels, (std::vector<std::uint8_t>{0, 0, 1}));
    QCOMPARE(t.classNames, (std::vector<std::string>{"cat", "dog"}));
    QCOMPARE(t.rows, 4);
    QCOMPARE(t.cols, 6);
    // The text file and the FIFO (never opened: this test would hang) are skipped, and said.
    QCOMPARE(o.notes.size(), std::size_t(2));
    QVERIFY(o.notes[0].find("notes.txt") != std::string::npos);
    QVERIFY(o.notes[1].find("pipe.png (a named pipe (FIFO))") != std::string::npos);

    // Numeric subfolder names are the labels themselves.
    const QString n = folder("digits");
    QDir().mkpath(n + "/3");
    QDir().mkpath(n + "/7");
    QVERIFY(bar(20, 20, 5).save(n + "/7/x.png"));
    QVERIFY(bar(20, 20, 9).save(n + "/3/y.jpg"));
    const rbm::Dataset digits = studio::loadAnyDataset(n.toStdString()).pair.train;
    QCOMPARE(digits.labels, (std::vector<std::uint8_t>{3, 7}));
    QVERIFY(digits.classNames.empty());
    QCOMPARE(digits.rows, 28);
}

void TestImageFolder::nativeSizeKeepsEveryPixel() {
    const QString d = folder("native");
    const QImage a = picture(5, 3, 4), b = picture(5, 3, 5);
    QVERIFY(a.save(d + "/a.png"));
    QVERIFY(b.save(d + "/b.png"));
    const rbm::Dataset t = studio::loadImageFolder(d, rbm::ImageSize::Native).train;
    QVERIFY(!t.hasLabels());
    QCOMPARE(t.count, std::size_t(2));
    std::vector<std::uint8_t> expected;
    for (const QImage& img : {a, b})
        for (int y = 0; y < 3; ++y) expected.insert(expected.end(), img.constScanLine(y), img.constScanLine(y) + 5);
    QCOMPARE(t.pixels, expected);
}

void TestImageFolder::mnistStyleIsTheDreamPanelsConversion() {
    const QString d = folder("drawn");
    const QImage img = bar(40, 30, 10);
    QVERIFY(img.save(d + "/one.png"));
    const rbm::Dataset t = studio::loadImageFolder(d, rbm::ImageSize::Mnist).train;
    const std::vector<float> digit = studio::mnistStyleDigit(img, 28, 28);
    QCOMPARE(t.pixels.size(), digit.size());
    for (std::size_t i = 0; i < digit.size(); ++i) QCOMPARE(int(t.pixels[i]), int(std::lround(digit[i] * 255.0f)));
    QVERIFY(*std::max_element(t.pixels.begin(), t.pixels.end()) > 200);  // ink is white, as in MNIST
}

void TestImageFolder::badFoldersAreRefusedNamingThem_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason");
    QTest::newRow("mixed sizes") << "mixed" << "pictures kept at their own size must all be the same size";
    QTest::newRow("too large") << "large" << "more than the limit of 128 a side";
    QTest::newRow("broken png") << "broken" << "not a readable PNG or JPEG picture";
    QTest::newRow("pictures beside classes") << "beside" << "beside class subfolders";
    QTest::newRow("only other files") << "others" << "no training images found";
}

void TestImageFolder::badFoldersAreRefusedNamingThem() {
    QFETCH(QString, name);
    QFETCH(QString, reason);
    const QString d = folder(name);
    QString named = d;  // what the message must name
    if (name == "mixed") {
        QVERIFY(picture(4, 4, 1).save(d + "/a.png"));
        QVERIFY(picture(5, 4, 1).save(d + "/b.png"));
        named = d + "/b.png";
    } else if (name == "large") {
        QVERIFY(picture(129, 2, 1).save(d + "/wide.png"));
        named = d + "/wide.png";
    } else if (name == "broken") {
        QVERIFY(picture(4, 4, 1).save(d + "/a.png"));
        QFile f(d + "/b.png");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x89PNG but not really");
        named = d + "/b.png";
    } else if (name == "beside") {
        QDir().mkpath(d + "/cls");
        QVERIFY(picture(4, 4, 1).save(d + "/cls/a.png"));
        QVERIFY(picture(4, 4, 1).save(d + "/b.png"));
    } else {
        QFile f(d + "/readme.txt");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello");
    }
    rbm::DatasetOptions native;
    native.imageSize = rbm::ImageSize::Native;
    const std::string e = errorOf([&] { studio::loadAnyDataset(d.toStdString(), native); });
    QVERIFY2(e.find(named.toStdString()) != std::string::npos, e.c_str());
    QVERIFY2(e.find(reason.toStdString()) != std::string::npos, e.c_str());
}

QTEST_GUILESS_MAIN(TestImageFolder)
#include "test_image_folder.moc"
