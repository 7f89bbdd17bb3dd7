// Datasets from a person's own files (issue 15): CSV, .npy and .npz each give back exactly the
// matrix and labels written, and each kind of bad file is refused with a message naming the
// file and the reason (nothing returned half-read).
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <cstring>
#include <functional>

#include "error_of.h"
#include "rbm/array_dataset.h"
#include "rbm/csv_dataset.h"
#include "rbm/dataset_files.h"
#include "rbm/dataset_summary.h"
#include "rbm/npz.h"

using rbm::testing::errorOf;

namespace {

std::string write(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(bytes);
    return path.toStdString();
}

template <typename T>
rbm::NpyArray array(const char* name, const char* dtype, std::vector<std::size_t> shape, const std::vector<T>& values) {
    rbm::NpyArray a;
    a.name = name;
    a.dtype = dtype;
    a.shape = std::move(shape);
    a.data.resize(values.size() * sizeof(T));
    std::memcpy(a.data.data(), values.data(), a.data.size());
    return a;
}

QByteArray npyBytes(const rbm::NpyArray& a) {
    const std::vector<std::uint8_t> b = rbm::encodeNpy(a);
    return QByteArray(reinterpret_cast<const char*>(b.data()), int(b.size()));
}

using Bytes = std::vector<std::uint8_t>;

}  // namespace

class TestDatasetFormats : public QObject {
    Q_OBJECT
private slots:
    void csvRoundTrips_data();
    void csvRoundTrips();
    void npyRoundTrips_data();
    void npyRoundTrips();
    void npzRoundTripsWithLabelsAndTestSet();
    void loadDatasetPicksTheLoaderByName();
    void summaryCountsClasses();
    void badFilesAreRefusedNamingTheFile_data();
    void badFilesAreRefusedNamingTheFile();
    void fifoIsRefusedWithoutBlocking();

private:
    QTemporaryDir dir_;
};

void TestDatasetFormats::csvRoundTrips_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("labels");  // rbm::CsvLabels
    QTest::addColumn<Bytes>("pixels");
    QTest::addColumn<Bytes>("expectedLabels");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    const Bytes fourPixels{0, 10, 255, 7, 1, 2, 3, 4};
    QTest::newRow("bytes, no header") << QByteArray("0,10,255,7\n1,2,3,4\n") << int(rbm::CsvLabels::Auto) << fourPixels << Bytes{} << 2 << 2;
    QTest::newRow("header with label column") << QByteArray("p0,label,p1,p2,p3\r\n0,3,10,255,7\r\n1,9,2,3,4")
                                              << int(rbm::CsvLabels::Auto) << fourPixels << Bytes{3, 9} << 2 << 2;
    QTest::newRow("first column by option") << QByteArray("5,0,10,255,7\n\n6,1,2,3,4\n") << int(rbm::CsvLabels::First)
                                            << fourPixels << Bytes{5, 6} << 2 << 2;
    QTest::newRow("unit scale, three pixels") << QByteArray("0.5,1,0\n0,0.2,1.0\n") << int(rbm::CsvLabels::Auto)
                                              << Bytes{128, 255, 0, 0, 51, 255} << Bytes{} << 1 << 3;
    QTest::newRow("binary 0/1 is ink 255") << QByteArray("0;1;1;0\n") << int(rbm::CsvLabels::Auto) << Bytes{0, 255, 255, 0}
                                           << Bytes{} << 2 << 2;
    QTest::newRow("header without label, none") << QByteArray("\xEF\xBB\xBF\"a\",\"b\"\n3,4\n") << int(rbm::CsvLabels::None)
                                                << Bytes{3, 4} << Bytes{} << 1 << 2;
}

void TestDatasetFormats::csvRoundTrips() {
    QFETCH(QByteArray, text);
    QFETCH(int, labels);
    QFETCH(Bytes, pixels);
    QFETCH(Bytes, expectedLabels);
    QFETCH(int, rows);
    QFETCH(int, cols);
    const std::string path = write(dir_, "ok.csv", text);
    const rbm::Dataset d = rbm::loadCsvDataset(path, rbm::CsvLabels(labels));
    QCOMPARE(d.rows, rows);
    QCOMPARE(d.cols, cols);
    QCOMPARE(d.count, pixels.size() / std::size_t(rows * cols));
    QCOMPARE(d.pixels, pixels);
    QCOMPARE(d.labels, expectedLabels);
    QCOMPARE(d.source, path);
    // The same text from memory parses to the same dataset.
    QCOMPARE(rbm::parseCsvDataset(text.toStdString(), path, rbm::CsvLabels(labels)).pixels, pixels);
}

void TestDatasetFormats::npyRoundTrips_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<Bytes>("pixels");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    const Bytes px{0, 1, 128, 255, 9, 8, 7, 6};
    QTest::newRow("uint8 n x pixels") << npyBytes(array<std::uint8_t>("a", "|u1", {2, 4}, px)) << px << 2 << 2;
    QTest::newRow("uint8 n x H x W") << npyBytes(array<std::uint8_t>("a", "|u1", {2, 1, 4}, px)) << px << 1 << 4;
    QTest::newRow("float32 n x H x W x 1") << npyBytes(array<float>("a", "<f4", {1, 2, 2, 1}, {0.f, 0.5f, 1.f, 0.2f}))
                                           << Bytes{0, 128, 255, 51} << 2 << 2;
    QTest::newRow("float64 n x pixels") << npyBytes(array<double>("a", "<f8", {2, 3}, {0, 1, 0.5, 1, 1, 0}))
                                        << Bytes{0, 255, 128, 255, 255, 0} << 1 << 3;
}

void TestDatasetFormats::npyRoundTrips() {
    QFETCH(QByteArray, file);
    QFETCH(Bytes, pixels);
    QFETCH(int, rows);
    QFETCH(int, cols);
    const rbm::Dataset d = rbm::loadNpyDataset(write(dir_, "ok.npy", file));
    QCOMPARE(d.pixels, pixels);
    QCOMPARE(d.rows, rows);
    QCOMPARE(d.cols, cols);
    QCOMPARE(d.count, pixels.size() / std::size_t(rows * cols));
    QVERIFY(!d.hasLabels());
}

void TestDatasetFormats::npzRoundTripsWithLabelsAndTestSet() {
    const std::string path = dir_.filePath("keras.npz").toStdString();
    const Bytes train{1, 2, 3, 4, 5, 6, 7, 8}, test{9, 10, 11, 12};
    rbm::writeNpz(path, {array<std::uint8_t>("x_train", "|u1", {2, 2, 2}, train),
                         array<std::int64_t>("y_train", "<i8", {2}, {7, 3}),
                         array<std::uint8_t>("x_test", "|u1", {1, 2, 2}, test),
                         array<std::uint8_t>("y_test", "|u1", {1}, {4})});
    const rbm::DatasetPair p = rbm::loadNpzDataset(path);
    QCOMPARE(p.train.pixels, train);
    QCOMPARE(p.train.labels, (Bytes{7, 3}));
    QCOMPARE(p.test.pixels, test);
    QCOMPARE(p.test.labels, Bytes{4});
    QCOMPARE(p.train.rows, 2);

    const std::string plain = dir_.filePath("plain.npz").toStdString();
    rbm::writeNpz(plain, {array<float>("images", "<f4", {2, 2}, {0.f, 1.f, 1.f, 0.f}), array<std::int32_t>("labels", "<i4", {2, 1}, {0, 1})});
    const rbm::DatasetPair q = rbm::loadNpzDataset(plain);
    QCOMPARE(q.train.pixels, (Bytes{0, 255, 255, 0}));
    QCOMPARE(q.train.labels, (Bytes{0, 1}));
    QCOMPARE(q.train.rows, 1);
    QCOMPARE(q.train.cols, 2);
    QVERIFY(q.test.empty());
    QCOMPARE(q.test.cols, 2);
}

void TestDatasetFormats::loadDatasetPicksTheLoaderByName() {
    QCOMPARE(rbm::loadDataset(write(dir_, "pick.CSV", "1,2,3,4\n")).train.pixels, (Bytes{1, 2, 3, 4}));
    QCOMPARE(rbm::loadDataset(write(dir_, "pick.npy", npyBytes(array<std::uint8_t>("a", "|u1", {1, 1}, {42})))).train.pixels, Bytes{42});
    rbm::DatasetOptions first;
    first.csvLabels = rbm::CsvLabels::First;
    QCOMPARE(rbm::loadDataset(write(dir_, "first.csv", "2,9\n"), first).train.labels, Bytes{2});
    QCOMPARE(rbm::loadDataset("bars-and-stripes:3x3").train.count, std::size_t(14));
}

void TestDatasetFormats::summaryCountsClasses() {
    rbm::Dataset d = rbm::parseCsvDataset("label,a\n1,0\n1,255\n0,3\n", "s.csv");
    QCOMPARE(rbm::describeDataset(d), std::string("1x1 pixels, 3 examples, 2 classes: 0 1, 1 2"));
    d.classNames = {"cat", "dog"};
    QCOMPARE(rbm::describeDataset(d), std::string("1x1 pixels, 3 examples, 2 classes: cat 1, dog 2"));
    d.labels.clear();
    QCOMPARE(rbm::describeDataset(d), std::string("1x1 pixels, 3 examples, unlabelled"));
}

void TestDatasetFormats::badFilesAreRefusedNamingTheFile_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    QTest::newRow("ragged row") << "ragged.csv" << QByteArray("1,2,3\n4,5,6\n7,8\n") << "line 3 has 2 values but line 1 has 3";
    QTest::newRow("out of range") << "range.csv" << QByteArray("1,2\n300,4\n") << "line 2, column 1: the value 300 is out of range";
    QTest::newRow("negative") << "negative.csv" << QByteArray("0.5,-0.1\n") << "line 1, column 2: the value -0.1 is out of range";
    QTest::newRow("non-numeric cell") << "text.csv" << QByteArray("1,2\n3,x\n") << "line 2, column 2: 'x' is not a number";
    QTest::newRow("empty cell") << "hole.csv" << QByteArray("1,,2\n") << "line 1, column 2 is empty";
    QTest::newRow("two scales") << "mixed.csv" << QByteArray("0.5,1\n200,3\n") << "use one scale for the whole file";
    QTest::newRow("bad label") << "label.csv" << QByteArray("label,a\n2.5,1\n") << "the label '2.5' is not a whole number";
    QTest::newRow("header only") << "header.csv" << QByteArray("a,b\n") << "no examples";
    QTest::newRow("empty csv") << "empty.csv" << QByteArray() << "the file is empty";
    QTest::newRow("npy wrong dtype") << "int.npy" << npyBytes(array<std::int32_t>("a", "<i4", {1, 2}, {1, 2}))
                                     << "has dtype '<i4'; images must be uint8";
    QTest::newRow("npy float out of range") << "hot.npy" << npyBytes(array<float>("a", "<f4", {1, 2}, {0.5f, 2.f}))
                                            << "example 0, pixel 1 is 2.000000, outside [0, 1]";
    QTest::newRow("npy 1-d") << "flat.npy" << npyBytes(array<std::uint8_t>("a", "|u1", {3}, {1, 2, 3})) << "has shape (3,)";
    // A header declaring 10^12 images of 1,000 x 1,000 in a file of a few bytes: refused from
    // the header, before anything of that size is allocated.
    QByteArray dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (1000000000000, 1000, 1000), }";
    while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
    dict += '\n';
    QByteArray hugeBytes = QByteArray("\x93NUMPY\x01\x00", 8) + char(dict.size() & 0xff) + char(dict.size() >> 8) + dict + "abcd";
    QTest::newRow("npy huge declared shape") << "huge.npy" << hugeBytes << "has shape (1000000000000, 1000, 1000)";
    QTest::newRow("npz without images") << "noimages.npz" << QByteArray() << "no images array";
    QTest::newRow("npz labels count") << "count.npz" << QByteArray() << "hold 3 labels but the images hold 2 examples";
}

void TestDatasetFormats::badFilesAreRefusedNamingTheFile() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    std::string path = dir_.filePath(name).toStdString();
    if (name == "noimages.npz")
        rbm::writeNpz(path, {array<std::uint8_t>("w", "|u1", {1, 1}, {1}), array<std::uint8_t>("b", "|u1", {1}, {1})});
    else if (name == "count.npz")
        rbm::writeNpz(path, {array<std::uint8_t>("x", "|u1", {2, 1}, {1, 2}), array<std::uint8_t>("y", "|u1", {3}, {1, 2, 3})});
    else
        path = write(dir_, name, bytes);
    const std::string e = errorOf([&] { rbm::loadDataset(path); });
    QVERIFY2(e.find(path) != std::string::npos, e.c_str());
    QVERIFY2(e.find(reason.toStdString()) != std::string::npos, e.c_str());
}

void TestDatasetFormats::fifoIsRefusedWithoutBlocking() {
    for (const char* name : {"pipe.csv", "pipe.npy", "pipe.npz"}) {
        const QString path = dir_.filePath(name);
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
        const std::string e = errorOf([&] { rbm::loadDataset(path.toStdString()); });
        QVERIFY2(e.find("named pipe") != std::string::npos && e.find(path.toStdString()) != std::string::npos, e.c_str());
    }
}

QTEST_GUILESS_MAIN(TestDatasetFormats)
#include "test_dataset_formats.moc"
