// Dataset loading: IDX parsing (raw and gzip), folders and naming styles, the embedded digits,
// every malformed-file case, binarization and batch filling.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <numeric>

#include "rbm/dataset.h"

// ---- Largest single heap allocation, to prove that absurd headers are rejected before any
// allocation of their claimed size. Not under AddressSanitizer, which owns operator new.
#if defined(__SANITIZE_ADDRESS__)
#define RBM_TRACK_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RBM_TRACK_ALLOCATIONS 0
#endif
#endif
#ifndef RBM_TRACK_ALLOCATIONS
#define RBM_TRACK_ALLOCATIONS 1
#endif

namespace {
std::atomic<std::size_t> g_largestAllocation{0};
}

#if RBM_TRACK_ALLOCATIONS
void* operator new(std::size_t n) {
    std::size_t seen = g_largestAllocation.load(std::memory_order_relaxed);
    while (n > seen && !g_largestAllocation.compare_exchange_weak(seen, n, std::memory_order_relaxed)) {
    }
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace {

// ---- Building IDX and gzip bytes by hand (no zlib in the test: the gzip writer uses stored
// deflate blocks, so the inflate path is checked against an independent encoder).

void appendBigEndian32(QByteArray& out, quint32 v) {
    out.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
}
void appendLittleEndian(QByteArray& out, quint32 v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.append(char(v >> (8 * i)));
}

/// Pixel value of image i at (r, c) in the synthetic datasets.
std::uint8_t synthPixel(quint32 i, quint32 r, quint32 c) { return std::uint8_t((i * 37 + r * 11 + c * 3 + 1) % 256); }

/// An IDX images file; `pixelBytes` < 0 means exactly count*rows*cols.
QByteArray idxImages(quint32 count, quint32 rows, quint32 cols, qint64 pixelBytes = -1, quint32 magic = 0x803) {
    QByteArray out;
    appendBigEndian32(out, magic);
    appendBigEndian32(out, count);
    appendBigEndian32(out, rows);
    appendBigEndian32(out, cols);
    const qint64 n = pixelBytes >= 0 ? pixelBytes : qint64(count) * rows * cols;
    out.reserve(int(16 + n));
    for (qint64 k = 0; k < n; ++k) {
        const quint32 perImage = std::max<quint32>(rows * cols, 1);
        const quint32 i = quint32(k / perImage), rc = quint32(k % perImage);
        out.append(char(synthPixel(i, rc / std::max<quint32>(cols, 1), rc % std::max<quint32>(cols, 1))));
    }
    return out;
}

QByteArray idxLabels(quint32 count, qint64 labelBytes = -1, quint32 magic = 0x801) {
    QByteArray out;
    appendBigEndian32(out, magic);
    appendBigEndian32(out, count);
    const qint64 n = labelBytes >= 0 ? labelBytes : qint64(count);
    for (qint64 k = 0; k < n; ++k)
        out.append(char(k % 10));
    return out;
}

quint32 crc32(const QByteArray& data) {
    quint32 crc = 0xffffffffu;
    for (char ch : data) {
        crc ^= quint8(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/// gzip with stored (uncompressed) deflate blocks. `forgedSize` >= 0 replaces the trailer's
/// ISIZE, `forgedCrc` the CRC32.
QByteArray gzipStored(const QByteArray& raw, qint64 forgedSize = -1, qint64 forgedCrc = -1) {
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    int pos = 0;
    do {
        const int n = std::min<int>(65535, int(raw.size()) - pos);
        const bool last = pos + n == raw.size();
        out.append(char(last ? 1 : 0));
        appendLittleEndian(out, quint32(n), 2);
        appendLittleEndian(out, quint32(~n & 0xffff), 2);
        out.append(raw.constData() + pos, n);
        pos += n;
    } while (pos < raw.size());
    appendLittleEndian(out, forgedCrc >= 0 ? quint32(forgedCrc) : crc32(raw), 4);
    appendLittleEndian(out, forgedSize >= 0 ? quint32(forgedSize) : quint32(raw.size()), 4);
    return out;
}

/// A gzip header followed by a deflate block of the reserved type 11: zlib says "invalid block type".
QByteArray corruptGzip() {
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    out.append(char(0x07)).append(QByteArray(40, '\x55'));
    return out;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(bytes), bytes.size());
}

template <class F>
QString errorOf(F&& f) {
    try {
        f();
    } catch (const rbm::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

std::string str(const QString& s) { return s.toStdString(); }

QString testDataDir() {
    const QByteArray env = qgetenv("RBM_TEST_DATA");
    return env.isEmpty() ? QStringLiteral(RBM_TEST_DATA_DIR) : QString::fromLocal8Bit(env);
}

/// Per-class counts 0..9.
std::array<int, 10> classCounts(const rbm::Dataset& d) {
    std::array<int, 10> c{};
    for (std::uint8_t l : d.labels)
        if (l < 10)
            ++c[l];
    return c;
}

QList<int> toList(const std::array<int, 10>& a) { return QList<int>(a.begin(), a.end()); }

void verifySameData(const rbm::Dataset& a, const rbm::Dataset& b) {
    QCOMPARE(a.count, b.count);
    QCOMPARE(a.rows, b.rows);
    QCOMPARE(a.cols, b.cols);
    QVERIFY(a.pixels == b.pixels);
    QVERIFY(a.labels == b.labels);
}

void verifySynthetic(const rbm::Dataset& d, quint32 count, int rows, int cols) {
    QCOMPARE(d.count, std::size_t(count));
    QCOMPARE(d.rows, rows);
    QCOMPARE(d.cols, cols);
    QCOMPARE(d.pixels.size(), std::size_t(count) * rows * cols);
    for (quint32 i = 0; i < count; ++i)
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                if (d.image(i)[r * cols + c] != synthPixel(i, quint32(r), quint32(c)))
                    QFAIL(qPrintable(QStringLiteral("pixel (%1, %2, %3) differs").arg(i).arg(r).arg(c)));
}

}  // namespace

class TestDataset : public QObject {
    Q_OBJECT

private slots:
    void embeddedMatchesProvenance();
    void rawFolderMatchesGzipFolder();
    void nonSquareRoundTrip_data();
    void nonSquareRoundTrip();
    void folderNamingStyles_data();
    void folderNamingStyles();
    void fashionMnist();
    void badFiles_data();
    void badFiles();
    void badFolders_data();
    void badFolders();
    void absurdHeaderFailsWithoutAllocating_data();
    void absurdHeaderFailsWithoutAllocating();
    void gunzipLimits();
    void loadDatasetDispatch();
    void fillBatchScales();
    void toMatrixLimit();
    void thresholdBinarization_data();
    void thresholdBinarization();
    void stochasticBinarization();
    void binarizationNames();
};

void TestDataset::embeddedMatchesProvenance() {
    // The class counts are read from PROVENANCE.md, so the document and the bytes cannot drift.
    QFile doc(testDataDir() + "/PROVENANCE.md");
    QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
    const QString text = QString::fromUtf8(doc.readAll());
    const QRegularExpression re(QStringLiteral("train ((?:\\d+ ){9}\\d+); test ((?:\\d+ ){9}\\d+)"));
    const QRegularExpressionMatch m = re.match(text);
    QVERIFY2(m.hasMatch(), "PROVENANCE.md has no 'train ...; test ...' class-count line");
    QList<int> wantTrain, wantTest;
    for (const QString& s : m.captured(1).split(' '))
        wantTrain << s.toInt();
    for (const QString& s : m.captured(2).split(' '))
        wantTest << s.toInt();

    const rbm::DatasetPair e = rbm::loadEmbeddedMnist();
    QCOMPARE(e.train.count, std::size_t(9000));
    QCOMPARE(e.test.count, std::size_t(1000));
    QCOMPARE(std::accumulate(wantTrain.begin(), wantTrain.end(), 0), 9000);
    QCOMPARE(std::accumulate(wantTest.begin(), wantTest.end(), 0), 1000);
    for (const rbm::Dataset* d : {&e.train, &e.test}) {
        QCOMPARE(d->rows, 28);
        QCOMPARE(d->cols, 28);
        QCOMPARE(d->pixels.size(), d->count * 784);
        QCOMPARE(d->labels.size(), d->count);
        QCOMPARE(d->source, std::string("<embedded>"));
        QVERIFY(QString::fromStdString(d->name).contains("embedded"));
        QVERIFY(*std::max_element(d->labels.begin(), d->labels.end()) <= 9);
    }
    QCOMPARE(toList(classCounts(e.train)), wantTrain);
    QCOMPARE(toList(classCounts(e.test)), wantTest);
    // Real digits: mostly background, strokes reach full intensity.
    const double mean = std::accumulate(e.train.pixels.begin(), e.train.pixels.end(), 0.0) /
                        double(e.train.pixels.size()) / 255.0;
    QVERIFY2(mean > 0.08 && mean < 0.2, qPrintable(QString::number(mean)));
    QCOMPARE(int(*std::max_element(e.train.pixels.begin(), e.train.pixels.end())), 255);
}

void TestDataset::rawFolderMatchesGzipFolder() {
    const QString gzDir = testDataDir();
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    for (const char* n : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                          "t10k-labels-idx1-ubyte"}) {
        const std::vector<std::uint8_t> raw = rbm::readMaybeGzipFile(str(gzDir + "/" + n + ".gz"));
        QVERIFY(raw.size() > 8);
        QCOMPARE(int(raw[2]), 0x08);  // really inflated, not gzip any more
        writeFile(tmp.filePath(n), QByteArray(reinterpret_cast<const char*>(raw.data()), int(raw.size())));
    }
    const rbm::DatasetPair fromRaw = rbm::loadIdxFolder(str(tmp.path()));
    const rbm::DatasetPair fromGz = rbm::loadIdxFolder(str(gzDir));
    const rbm::DatasetPair embedded = rbm::loadEmbeddedMnist();
    verifySameData(fromRaw.train, fromGz.train);
    verifySameData(fromRaw.test, fromGz.test);
    verifySameData(fromGz.train, embedded.train);
    verifySameData(fromGz.test, embedded.test);
    QCOMPARE(fromRaw.train.source, str(tmp.filePath("train-images-idx3-ubyte")));
}

void TestDataset::nonSquareRoundTrip_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<bool>("gzip");
    QTest::newRow("3x5 raw") << 3 << 5 << false;
    QTest::newRow("3x5 gzip") << 3 << 5 << true;
    QTest::newRow("5x3 raw") << 5 << 3 << false;
    QTest::newRow("1x1 gzip") << 1 << 1 << true;
    QTest::newRow("1x4096 raw") << 1 << 4096 << false;
}

void TestDataset::nonSquareRoundTrip() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(bool, gzip);
    const quint32 count = 4;
    QByteArray images = idxImages(count, quint32(rows), quint32(cols));
    QByteArray labels = idxLabels(count);
    if (gzip) {
        images = gzipStored(images);
        labels = gzipStored(labels);
    }
    QTemporaryDir tmp;
    writeFile(tmp.filePath("a-images"), images);
    writeFile(tmp.filePath("a-labels"), labels);
    const rbm::Dataset d = rbm::loadIdx(str(tmp.filePath("a-images")), str(tmp.filePath("a-labels")));
    verifySynthetic(d, count, rows, cols);
    QCOMPARE(d.pixelsPerImage(), rows * cols);
    QCOMPARE(d.labels, (std::vector<std::uint8_t>{0, 1, 2, 3}));

    // The same bytes parsed from memory.
    const rbm::Dataset m = rbm::parseIdxImages(reinterpret_cast<const std::uint8_t*>(images.constData()),
                                               std::size_t(images.size()), "memory");
    verifySynthetic(m, count, rows, cols);
    QCOMPARE(rbm::parseIdxLabels(reinterpret_cast<const std::uint8_t*>(labels.constData()),
                                 std::size_t(labels.size()), "memory"),
             d.labels);

    // One image per row of toMatrix, row-major inside the image.
    const rbm::Matrix x = rbm::toMatrix(d);
    QCOMPARE(x.rows(), Eigen::Index(count));
    QCOMPARE(x.cols(), Eigen::Index(rows * cols));
    for (quint32 i = 0; i < count; ++i)
        for (int k = 0; k < rows * cols; ++k)
            if (x(i, k) != float(synthPixel(i, quint32(k / cols), quint32(k % cols))) / 255.0f)
                QFAIL(qPrintable(QStringLiteral("toMatrix(%1, %2) differs").arg(i).arg(k)));
}

void TestDataset::folderNamingStyles_data() {
    // File names for train images, train labels, test images, test labels ("" = absent).
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<bool>("gzip");
    QTest::newRow("standard raw") << QStringList{"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}
                                  << false;
    QTest::newRow("standard gz") << QStringList{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}
                                 << true;
    QTest::newRow("dotted raw") << QStringList{"train-images.idx3-ubyte", "train-labels.idx1-ubyte",
                                               "t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte"}
                                << false;
    QTest::newRow("dotted gz") << QStringList{"train-images.idx3-ubyte.gz", "train-labels.idx1-ubyte.gz",
                                              "t10k-images.idx3-ubyte.gz", "t10k-labels.idx1-ubyte.gz"}
                               << true;
    QTest::newRow("emnist gz") << QStringList{"emnist-letters-train-images-idx3-ubyte.gz",
                                              "emnist-letters-train-labels-idx1-ubyte.gz",
                                              "emnist-letters-test-images-idx3-ubyte.gz",
                                              "emnist-letters-test-labels-idx1-ubyte.gz"}
                               << true;
    QTest::newRow("emnist raw, no labels") << QStringList{"emnist-digits-train-images-idx3-ubyte", "",
                                                          "emnist-digits-test-images-idx3-ubyte", ""}
                                           << false;
    QTest::newRow("train images only") << QStringList{"train-images-idx3-ubyte", "", "", ""} << false;
    QTest::newRow("train only, with labels")
        << QStringList{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "", ""} << true;
    QTest::newRow("test without labels")
        << QStringList{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", ""} << false;
}

void TestDataset::folderNamingStyles() {
    QFETCH(QStringList, names);
    QFETCH(bool, gzip);
    const quint32 trainCount = 7, testCount = 3;
    const int rows = 6, cols = 4;
    const QByteArray contents[4] = {idxImages(trainCount, rows, cols), idxLabels(trainCount),
                                    idxImages(testCount, rows, cols), idxLabels(testCount)};
    QTemporaryDir tmp;
    writeFile(tmp.filePath("README.txt"), "not a dataset file");
    for (int k = 0; k < 4; ++k)
        if (!names[k].isEmpty())
            writeFile(tmp.filePath(names[k]), gzip ? gzipStored(contents[k]) : contents[k]);

    const rbm::DatasetPair p = rbm::loadIdxFolder(str(tmp.path()));
    verifySynthetic(p.train, trainCount, rows, cols);
    QCOMPARE(p.train.hasLabels(), !names[1].isEmpty());
    QCOMPARE(p.train.source, str(tmp.filePath(names[0])));
    if (names[2].isEmpty()) {
        QVERIFY(p.test.empty());
        QCOMPARE(p.test.rows, rows);
        QCOMPARE(p.test.cols, cols);
        QVERIFY(p.test.pixels.empty());
    } else {
        verifySynthetic(p.test, testCount, rows, cols);
        QCOMPARE(p.test.hasLabels(), !names[3].isEmpty());
    }
    if (p.train.hasLabels())
        QCOMPARE(p.train.labels[5], std::uint8_t(5));
}

void TestDataset::fashionMnist() {
    const QString dir = QStringLiteral("/usr/share/datasets/fashion-mnist");
    if (!QDir(dir).exists())
        QSKIP("Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist");
    const rbm::DatasetPair p = rbm::loadDataset(str(dir));
    QCOMPARE(p.train.count, std::size_t(60000));
    QCOMPARE(p.test.count, std::size_t(10000));
    QCOMPARE(p.train.rows, 28);
    QCOMPARE(p.train.cols, 28);
    QCOMPARE(p.test.rows, 28);
    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    QCOMPARE(toList(classCounts(p.train)), QList<int>(10, 6000));
    QCOMPARE(toList(classCounts(p.test)), QList<int>(10, 1000));
    QVERIFY(QString::fromStdString(p.train.name).contains("fashion-mnist"));
}

void TestDataset::badFiles_data() {
    // Writes `images` (and `labels` when withLabels) and loads them with loadIdx. The error must
    // start with the path of the blamed file ("images" or "labels") and contain `phrase`.
    QTest::addColumn<bool>("writeImages");
    QTest::addColumn<QByteArray>("images");
    QTest::addColumn<bool>("withLabels");
    QTest::addColumn<bool>("writeLabels");
    QTest::addColumn<QByteArray>("labels");
    QTest::addColumn<QString>("blamed");
    QTest::addColumn<QString>("phrase");

    const QByteArray good = idxImages(10, 28, 28);
    const QByteArray goodLabels = idxLabels(10);
    const auto images = [&](const char* row, const QByteArray& bytes, const char* phrase) {
        QTest::newRow(row) << true << bytes << false << false << QByteArray() << "images" << phrase;
    };
    const auto labels = [&](const char* row, const QByteArray& bytes, const char* phrase) {
        QTest::newRow(row) << true << good << true << true << bytes << "labels" << phrase;
    };

    images("empty file", QByteArray(), "the file is empty");
    images("3-byte file", QByteArray("\0\0\x08", 3), "too short");
    images("text file", "hello, this is not an IDX file", "not an IDX images file (magic 0x68656c6c");
    images("float IDX (type 0x0d)", idxImages(10, 28, 28, -1, 0x00000d03), "not an IDX images file");
    images("2-D IDX", idxImages(10, 28, 28, -1, 0x00000802), "it has 2 dimensions");
    images("labels given as images", goodLabels, "this is an IDX labels file");
    images("gzipped labels given as images", gzipStored(goodLabels), "this is an IDX labels file");
    images("truncated header", idxImages(10, 28, 28).left(11), "truncated IDX images header (11 of 16 bytes)");
    images("truncated pixels", idxImages(10, 28, 28, 1000),
           "header claims 10 images of 28x28 (7840 bytes) but the file holds only 1000 bytes of pixels");
    images("truncated pixels, gzip", gzipStored(idxImages(10, 28, 28, 7839)),
           "but the file holds only 7839 bytes of pixels (after decompression)");
    images("zero rows", idxImages(10, 0, 28), "implausible image size 0x28");
    images("zero cols", idxImages(10, 28, 0), "implausible image size 28x0");
    images("4097 rows", idxImages(1, 4097, 1), "implausible image size 4097x1");
    images("huge cols", idxImages(1, 1, 0xffffffffu, 0), "implausible image size 1x4294967295");
    images("zero images", idxImages(0, 28, 28), "claims 0 images");
    images("corrupt gzip", corruptGzip(), "gzip data is corrupt (invalid block type)");
    images("gzip with wrong CRC", gzipStored(good, -1, 12345), "gzip data is corrupt (incorrect data check)");
    images("gzip with wrong length", gzipStored(good, 3), "gzip data is corrupt (incorrect length check)");
    images("truncated gzip", gzipStored(good).left(3000), "gzip data is truncated");
    images("gzip header only", gzipStored(good).left(10), "gzip data is truncated");
    QTest::newRow("missing images file") << false << QByteArray() << false << false << QByteArray() << "images"
                                         << "cannot open the file (No such file or directory)";

    labels("images given as labels", good, "this is an IDX images file");
    labels("empty labels file", QByteArray(), "the file is empty");
    labels("truncated labels header", goodLabels.left(6), "truncated IDX labels header (6 of 8 bytes)");
    labels("truncated labels", idxLabels(10, 5), "header claims 10 labels but the file holds only 5 bytes of labels");
    labels("fewer labels than images", idxLabels(9), "holds 9 labels but");
    labels("more labels than images", gzipStored(idxLabels(11)), "holds 11 labels but");
    labels("corrupt gzip labels", corruptGzip(), "gzip data is corrupt");
    labels("labels with wrong magic", idxLabels(10, -1, 0x00000901), "not an IDX labels file (magic 0x00000901");
    QTest::newRow("missing labels file") << true << good << true << false << QByteArray() << "labels"
                                         << "cannot open the file";
}

void TestDataset::badFiles() {
    QFETCH(bool, writeImages);
    QFETCH(QByteArray, images);
    QFETCH(bool, withLabels);
    QFETCH(bool, writeLabels);
    QFETCH(QByteArray, labels);
    QFETCH(QString, blamed);
    QFETCH(QString, phrase);

    QTemporaryDir tmp;
    const QString imagesPath = tmp.filePath("train-images-idx3-ubyte");
    const QString labelsPath = tmp.filePath("train-labels-idx1-ubyte");
    if (writeImages)
        writeFile(imagesPath, images);
    if (writeLabels)
        writeFile(labelsPath, labels);

    const QString msg = errorOf([&] { rbm::loadIdx(str(imagesPath), withLabels ? str(labelsPath) : std::string()); });
    QVERIFY2(!msg.isEmpty(), "loading did not fail");
    const QString blamedPath = blamed == "images" ? imagesPath : labelsPath;
    QVERIFY2(msg.startsWith(blamedPath + ": "), qPrintable(msg));
    QVERIFY2(msg.contains(phrase), qPrintable(msg));

    // The in-memory parsers give the same diagnosis (named by the caller's name).
    if (writeImages && blamed == "images") {
        const QString m = errorOf([&] {
            rbm::parseIdxImages(reinterpret_cast<const std::uint8_t*>(images.constData()),
                                std::size_t(images.size()), "blob");
        });
        QVERIFY2(m.startsWith("blob: ") && m.contains(phrase), qPrintable(m));
    }
}

void TestDataset::badFolders_data() {
    QTest::addColumn<QStringList>("names");  // files to write, as name=kind (kind: img28, img27, lab, badlab)
    QTest::addColumn<QString>("blamed");     // file name the message starts with ("" = the folder)
    QTest::addColumn<QStringList>("phrases");

    QTest::newRow("empty folder") << QStringList{} << QString()
                                  << QStringList{"no training images found", "train-images-idx3-ubyte.gz",
                                                 "train-images.idx3-ubyte", "emnist-<split>-train-images"};
    QTest::newRow("only test files") << QStringList{"t10k-images-idx3-ubyte=img28"} << QString()
                                     << QStringList{"no training images found"};
    QTest::newRow("labels only") << QStringList{"train-labels-idx1-ubyte=lab"} << QString()
                                 << QStringList{"no training images found"};
    QTest::newRow("train and test sizes differ")
        << QStringList{"train-images-idx3-ubyte=img28", "t10k-images-idx3-ubyte.gz=img27"}
        << "t10k-images-idx3-ubyte.gz" << QStringList{"27x28", "28x28", "same image size"};
    QTest::newRow("corrupt test labels")
        << QStringList{"train-images-idx3-ubyte=img28", "t10k-images-idx3-ubyte=img28",
                       "t10k-labels-idx1-ubyte=badlab"}
        << "t10k-labels-idx1-ubyte" << QStringList{"holds only"};
    QTest::newRow("labels file named as images")
        << QStringList{"train-images-idx3-ubyte=lab"} << "train-images-idx3-ubyte"
        << QStringList{"this is an IDX labels file"};
    QTest::newRow("several EMNIST splits")
        << QStringList{"emnist-letters-train-images-idx3-ubyte.gz=img28", "emnist-digits-train-images-idx3-ubyte=img28"}
        << QString() << QStringList{"several EMNIST splits (digits, letters)"};
}

void TestDataset::badFolders() {
    QFETCH(QStringList, names);
    QFETCH(QString, blamed);
    QFETCH(QStringList, phrases);
    QTemporaryDir tmp;
    for (const QString& entry : names) {
        const QString name = entry.section('=', 0, 0), kind = entry.section('=', 1);
        QByteArray bytes = kind == "img28"   ? idxImages(3, 28, 28)
                           : kind == "img27" ? idxImages(3, 27, 28)
                           : kind == "lab"   ? idxLabels(3)
                                             : idxLabels(3, 1);
        writeFile(tmp.filePath(name), name.endsWith(".gz") ? gzipStored(bytes) : bytes);
    }
    const QString msg = errorOf([&] { rbm::loadIdxFolder(str(tmp.path())); });
    QVERIFY2(!msg.isEmpty(), "loading did not fail");
    const QString prefix = blamed.isEmpty() ? tmp.path() : tmp.filePath(blamed);
    QVERIFY2(msg.startsWith(prefix + ": "), qPrintable(msg));
    for (const QString& phrase : phrases)
        QVERIFY2(msg.contains(phrase), qPrintable(msg + "\n  missing: " + phrase));
}

void TestDataset::absurdHeaderFailsWithoutAllocating_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("fromFile");
    QTest::addColumn<bool>("isLabels");
    QTest::addColumn<QString>("phrase");
    // 2^31 images of 28x28 (1.7 GB) claimed by a file with 100 bytes of pixels.
    const QByteArray liar = idxImages(0x80000000u, 28, 28, 100);
    const QByteArray liarLabels = idxLabels(0xffffffffu, 50);
    const QString holds = QStringLiteral("but the file holds only");
    // A gzip trailer claiming 4 GB of output must not size the buffer either; zlib then
    // rejects the trailer itself.
    const QString lengthCheck = QStringLiteral("gzip data is corrupt (incorrect length check)");
    QTest::newRow("raw file") << liar << true << false << holds;
    QTest::newRow("gzip file") << gzipStored(liar) << true << false << holds;
    QTest::newRow("gzip file, forged size") << gzipStored(liar, 0xffffffffu) << true << false << lengthCheck;
    QTest::newRow("raw memory") << liar << false << false << holds;
    QTest::newRow("gzip memory") << gzipStored(liar) << false << false << holds;
    QTest::newRow("gzip memory, forged size") << gzipStored(liar, 0xffffffffu) << false << false << lengthCheck;
    QTest::newRow("labels file claiming 2^32-1 labels") << liarLabels << true << true << holds;
    QTest::newRow("gzip labels memory") << gzipStored(liarLabels) << false << true << holds;
    QTest::newRow("gzip labels, forged size") << gzipStored(liarLabels, 0xffffffffu) << false << true << lengthCheck;
}

void TestDataset::absurdHeaderFailsWithoutAllocating() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, fromFile);
    QFETCH(bool, isLabels);
    QFETCH(QString, phrase);
    QTemporaryDir tmp;
    const QString path = tmp.filePath("liar-idx-ubyte");
    const QString goodImages = tmp.filePath("good-images-idx3-ubyte");
    writeFile(path, bytes);
    writeFile(goodImages, idxImages(3, 2, 2));
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.constData());
    g_largestAllocation = 0;
    const QString msg = errorOf([&] {
        if (fromFile && isLabels)
            rbm::loadIdx(str(goodImages), str(path));
        else if (fromFile)
            rbm::loadIdx(str(path));
        else if (isLabels)
            rbm::parseIdxLabels(data, std::size_t(bytes.size()), str(path));
        else
            rbm::parseIdxImages(data, std::size_t(bytes.size()), str(path));
    });
    const std::size_t largest = g_largestAllocation;
    QVERIFY2(msg.startsWith(path + ": "), qPrintable(msg));
    QVERIFY2(msg.contains(phrase), qPrintable(msg));
#if RBM_TRACK_ALLOCATIONS
    // The whole input is < 1 kB; nothing near the claimed size may be requested.
    QVERIFY2(largest < (std::size_t(1) << 20), qPrintable(QString::number(largest)));
#else
    Q_UNUSED(largest);
#endif
}

void TestDataset::gunzipLimits() {
    const QByteArray raw = idxImages(3, 10, 10);  // 316 bytes
    const QByteArray gz = gzipStored(raw);
    const auto* g = reinterpret_cast<const std::uint8_t*>(gz.constData());
    const auto* r = reinterpret_cast<const std::uint8_t*>(raw.constData());

    // Not gzip: returned unchanged.
    QVERIFY(rbm::maybeGunzip(r, std::size_t(raw.size()), "x") == std::vector<std::uint8_t>(r, r + raw.size()));
    // Exactly at the cap is fine; one byte less is refused with the name and the reason.
    QVERIFY(rbm::maybeGunzip(g, std::size_t(gz.size()), "x", std::size_t(raw.size())) ==
            std::vector<std::uint8_t>(r, r + raw.size()));
    const QString msg =
        errorOf([&] { rbm::maybeGunzip(g, std::size_t(gz.size()), "capped.gz", std::size_t(raw.size()) - 1); });
    QVERIFY2(msg.startsWith("capped.gz: ") && msg.contains("decompresses to more than 315 bytes"), qPrintable(msg));
    // Bytes after the end of the gzip member are ignored.
    const QByteArray trailing = gz + QByteArray("garbage after the member");
    QVERIFY(rbm::maybeGunzip(reinterpret_cast<const std::uint8_t*>(trailing.constData()),
                             std::size_t(trailing.size()), "x") == std::vector<std::uint8_t>(r, r + raw.size()));
    // A large input spanning several stored blocks.
    const QByteArray big = idxImages(200, 28, 28);
    const QByteArray bigGz = gzipStored(big);
    QVERIFY(rbm::maybeGunzip(reinterpret_cast<const std::uint8_t*>(bigGz.constData()), std::size_t(bigGz.size()),
                             "x") == std::vector<std::uint8_t>(big.begin(), big.end()));
    // A folder is not a file.
    QTemporaryDir tmp;
    const QString err = errorOf([&] { rbm::readMaybeGzipFile(str(tmp.path())); });
    QVERIFY2(err.startsWith(tmp.path() + ": ") && err.contains("folder"), qPrintable(err));
}

void TestDataset::loadDatasetDispatch() {
    const rbm::DatasetPair e1 = rbm::loadDataset("");
    const rbm::DatasetPair e2 = rbm::loadDataset("embedded");
    QCOMPARE(e1.train.source, std::string("<embedded>"));
    verifySameData(e1.train, e2.train);
    verifySameData(e1.test, e2.test);

    QTemporaryDir tmp;
    writeFile(tmp.filePath("train-images-idx3-ubyte.gz"), gzipStored(idxImages(5, 3, 5)));
    writeFile(tmp.filePath("train-labels-idx1-ubyte.gz"), gzipStored(idxLabels(5)));
    writeFile(tmp.filePath("shapes-images.idx3-ubyte"), idxImages(4, 2, 2));
    writeFile(tmp.filePath("shapes-labels.idx1-ubyte"), idxLabels(4));
    writeFile(tmp.filePath("lonely-idx3-ubyte"), idxImages(2, 2, 2));

    // A folder.
    const rbm::DatasetPair folder = rbm::loadDataset(str(tmp.path()));
    verifySynthetic(folder.train, 5, 3, 5);
    QVERIFY(folder.train.hasLabels());
    // A file: labels guessed beside it (images -> labels, idx3 -> idx1).
    const rbm::DatasetPair file = rbm::loadDataset(str(tmp.filePath("train-images-idx3-ubyte.gz")));
    verifySameData(file.train, folder.train);
    QVERIFY(file.test.empty());
    QCOMPARE(file.test.cols, 5);
    const rbm::DatasetPair dotted = rbm::loadDataset(str(tmp.filePath("shapes-images.idx3-ubyte")));
    QCOMPARE(dotted.train.labels, (std::vector<std::uint8_t>{0, 1, 2, 3}));
    // No labels beside it: still loads.
    const rbm::DatasetPair lonely = rbm::loadDataset(str(tmp.filePath("lonely-idx3-ubyte")));
    verifySynthetic(lonely.train, 2, 2, 2);
    QVERIFY(!lonely.train.hasLabels());
    // Nothing there.
    const QString missing = tmp.filePath("nope");
    const QString msg = errorOf([&] { rbm::loadDataset(str(missing)); });
    QVERIFY2(msg.startsWith(missing + ": ") && msg.contains("no such file or folder"), qPrintable(msg));
}

void TestDataset::fillBatchScales() {
    // Image 0 holds every byte value 0..255, image 1 the same reversed.
    rbm::Dataset d;
    d.rows = 16;
    d.cols = 16;
    d.count = 2;
    for (int v = 0; v < 256; ++v)
        d.pixels.push_back(std::uint8_t(v));
    for (int v = 0; v < 256; ++v)
        d.pixels.push_back(std::uint8_t(255 - v));

    // Fill a block inside a larger matrix: strides are honoured and nothing else is touched.
    rbm::Matrix big = rbm::Matrix::Constant(6, 256 + 3, std::numeric_limits<float>::quiet_NaN());
    const int indices[4] = {1, 0, 1, 1};
    rbm::fillBatch(d, indices, big.block(1, 2, 4, 256));
    for (int r = 0; r < big.rows(); ++r)
        for (int c = 0; c < big.cols(); ++c) {
            const bool inside = r >= 1 && r < 5 && c >= 2 && c < 258;
            if (!inside) {
                QVERIFY(std::isnan(big(r, c)));
                continue;
            }
            const int v = indices[r - 1] == 0 ? c - 2 : 255 - (c - 2);
            if (big(r, c) != float(v) / 255.0f)
                QFAIL(qPrintable(QStringLiteral("(%1,%2) = %3, expected %4/255").arg(r).arg(c).arg(big(r, c)).arg(v)));
        }
    QCOMPARE(big(2, 2), 0.0f);    // pixel 0
    QCOMPARE(big(1, 2), 1.0f);    // pixel 255
    QCOMPARE(big(2, 257), 1.0f);  // pixel 255

    // More rows than one internal chunk, on a plain matrix.
    std::vector<int> many(150);
    for (std::size_t i = 0; i < many.size(); ++i)
        many[i] = int(i % 2);
    rbm::Matrix batch(150, 256);
    rbm::fillBatch(d, many.data(), batch);
    QCOMPARE(batch(149, 0), 1.0f);
    QCOMPARE(batch(148, 0), 0.0f);
    QCOMPARE(batch(149, 255), 0.0f);
    QVERIFY(batch.row(100) == batch.row(0));

    // Wrong width and out-of-range indices are refused.
    rbm::Matrix narrow(1, 255);
    QVERIFY(errorOf([&] { rbm::fillBatch(d, indices, narrow); }).contains("255 columns"));
    const int bad[1] = {2};
    rbm::Matrix one(1, 256);
    QVERIFY(errorOf([&] { rbm::fillBatch(d, bad, one); }).contains("image index 2"));
}

void TestDataset::toMatrixLimit() {
    const rbm::DatasetPair e = rbm::loadEmbeddedMnist();
    const rbm::Matrix all = rbm::toMatrix(e.test);
    QCOMPARE(all.rows(), Eigen::Index(1000));
    QCOMPARE(all.cols(), Eigen::Index(784));
    const rbm::Matrix first = rbm::toMatrix(e.test, 300);
    QCOMPARE(first.rows(), Eigen::Index(300));
    QVERIFY(first == all.topRows(300));
    QCOMPARE(rbm::toMatrix(e.test, 5000).rows(), Eigen::Index(1000));
    for (int i : {0, 299, 999})
        for (int j = 0; j < 784; ++j)
            if (all(i, j) != float(e.test.image(std::size_t(i))[j]) / 255.0f)
                QFAIL("toMatrix differs from pixel/255");
    QCOMPARE(all.maxCoeff(), 1.0f);
    QCOMPARE(all.minCoeff(), 0.0f);
}

void TestDataset::thresholdBinarization_data() {
    QTest::addColumn<int>("threshold");
    QTest::newRow("0") << 0;
    QTest::newRow("127") << 127;
    QTest::newRow("200") << 200;
    QTest::newRow("255 (all off)") << 255;
}

void TestDataset::thresholdBinarization() {
    QFETCH(int, threshold);
    const rbm::Dataset d = rbm::loadEmbeddedMnist().test;
    const rbm::Dataset b = rbm::binarized(d, rbm::Binarization::Threshold, threshold);
    QCOMPARE(b.count, d.count);
    QCOMPARE(b.rows, d.rows);
    QVERIFY(b.labels == d.labels);
    QCOMPARE(b.pixels.size(), d.pixels.size());
    std::size_t on = 0;
    for (std::size_t i = 0; i < d.pixels.size(); ++i) {
        if (b.pixels[i] != (d.pixels[i] > threshold ? 255 : 0))
            QFAIL(qPrintable(QStringLiteral("pixel %1: %2 -> %3").arg(i).arg(d.pixels[i]).arg(b.pixels[i])));
        on += b.pixels[i] == 255;
    }
    if (threshold == 255)
        QCOMPARE(on, std::size_t(0));
    else
        QVERIFY(on > 0);
    // None is an unchanged copy.
    QVERIFY(rbm::binarized(d, rbm::Binarization::None).pixels == d.pixels);
}

void TestDataset::stochasticBinarization() {
    const rbm::Dataset d = rbm::loadEmbeddedMnist().train;
    const rbm::Dataset b = rbm::binarized(d, rbm::Binarization::Stochastic, 127, 42);
    QCOMPARE(b.pixels.size(), d.pixels.size());
    QVERIFY(b.labels == d.labels);

    // Each pixel is on with probability p = pixel/255, independently. Over N pixels the mean of
    // the draws has standard error sqrt(sum p(1-p)) / N; accept 5 standard errors.
    double sumP = 0, sumVar = 0, sumOn = 0;
    double midP = 0, midVar = 0, midOn = 0, midN = 0;  // pixels of value 128 alone
    for (std::size_t i = 0; i < d.pixels.size(); ++i) {
        const double p = d.pixels[i] / 255.0;
        const double on = b.pixels[i] == 255 ? 1.0 : 0.0;
        QVERIFY(b.pixels[i] == 0 || b.pixels[i] == 255);
        if (d.pixels[i] == 0 && on != 0.0)
            QFAIL("a black pixel was switched on");
        if (d.pixels[i] == 255 && on != 1.0)
            QFAIL("a white pixel was switched off");
        sumP += p;
        sumVar += p * (1 - p);
        sumOn += on;
        if (d.pixels[i] == 128) {
            midP += p;
            midVar += p * (1 - p);
            midOn += on;
            midN += 1;
        }
    }
    const double n = double(d.pixels.size());
    const double se = std::sqrt(sumVar) / n;
    QVERIFY2(std::abs(sumOn / n - sumP / n) < 5 * se,
             qPrintable(QStringLiteral("mean %1 vs %2, se %3").arg(sumOn / n).arg(sumP / n).arg(se)));
    QVERIFY(midN > 100);
    const double midSe = std::sqrt(midVar) / midN;
    QVERIFY2(std::abs(midOn / midN - 128.0 / 255.0) < 5 * midSe,
             qPrintable(QStringLiteral("value 128: %1 on of %2").arg(midOn).arg(midN)));

    // The same seed gives the same binarization; another seed a different one.
    QVERIFY(rbm::binarized(d, rbm::Binarization::Stochastic, 127, 42).pixels == b.pixels);
    const rbm::Dataset other = rbm::binarized(d, rbm::Binarization::Stochastic, 127, 43);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < b.pixels.size(); ++i)
        differ += other.pixels[i] != b.pixels[i];
    // Expected 2 * sum p(1-p) differing pixels; at least half of that.
    QVERIFY2(double(differ) > sumVar, qPrintable(QString::number(differ)));
}

void TestDataset::binarizationNames() {
    for (rbm::Binarization b : {rbm::Binarization::None, rbm::Binarization::Threshold, rbm::Binarization::Stochastic})
        QCOMPARE(rbm::binarizationFromString(rbm::toString(b)), b);
    QCOMPARE(QString(rbm::toString(rbm::Binarization::Stochastic)), QString("stochastic"));
    QCOMPARE(rbm::binarizationFromString("Threshold"), rbm::Binarization::Threshold);
    const QString msg = errorOf([] { rbm::binarizationFromString("dither"); });
    QVERIFY2(msg.contains("'dither'") && msg.contains("none, threshold or stochastic"), qPrintable(msg));
}

QTEST_GUILESS_MAIN(TestDataset)
#include "test_dataset.moc"
