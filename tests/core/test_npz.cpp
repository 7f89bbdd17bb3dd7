// .npy encoding/decoding, .npz archives (libzip), numpy compatibility, hostile files and
// atomic writes.
#include <QtTest>

#include <signal.h>
#include <sys/resource.h>

#include <cstring>
#include <random>

#include "error_of.h"
#include "rbm/json.h"
#include "rbm/npz.h"

using rbm::NpyArray;

namespace {

using rbm::testing::errorOf;

std::vector<std::uint8_t> bytesOf(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<std::uint8_t> readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    return {b.begin(), b.end()};
}

void writeAll(const QString& path, const std::vector<std::uint8_t>& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
}

/// A .npy with a hand-written header dictionary (padded like numpy) and `payload` bytes.
std::vector<std::uint8_t> npyWithHeader(const std::string& dict, std::size_t payload, int major = 1) {
    std::string header = dict;
    const std::size_t prefix = major == 1 ? 10 : 12;
    header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::string out = std::string("\x93NUMPY", 6) + char(major) + '\0';
    out += char(header.size() & 0xFF);
    out += char(header.size() >> 8);
    if (major != 1) out += std::string(2, '\0');
    out += header;
    out += std::string(payload, '\x01');
    return bytesOf(out);
}

QString python() { return QStringLiteral("/usr/bin/python3"); }
QString script() { return qEnvironmentVariable("RBM_SOURCE_DIR", RBM_SOURCE_DIR_DEFAULT) + "/tests/core/check_npz.py"; }

/// Runs check_npz.py; returns its stdout (QFAILs the calling test through the flag on error).
QByteArray runPython(const QStringList& args, bool* ok) {
    QProcess p;
    p.start(python(), QStringList{script()} + args);
    *ok = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!*ok) qWarning() << "python failed:" << p.readAllStandardError();
    return p.readAllStandardOutput();
}

bool numpyAvailable() {
    static const bool available = [] {
        QProcess p;
        p.start(python(), {"-c", "import numpy"});
        return p.waitForFinished(30000) && p.exitCode() == 0;
    }();
    return available;
}

std::vector<float> randomFloats(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = d(gen);
    return v;
}

QStringList entriesIn(const QString& dir) { return QDir(dir).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden); }

}  // namespace

class TestNpz : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString path(const QString& name) const { return tmp_.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    // ---------------------------------------------------------------- .npy

    void npyHeaderLayout() {
        const std::vector<float> v = {1, 2, 3, 4, 5, 6};
        const NpyArray a = NpyArray::fromFloats("x", v.data(), {2, 3});
        const std::vector<std::uint8_t> b = rbm::encodeNpy(a);
        QCOMPARE(std::memcmp(b.data(), "\x93NUMPY\x01\x00", 8), 0);
        const std::size_t headerLen = b[8] | (b[9] << 8);
        QCOMPARE((10 + headerLen) % 64, std::size_t(0));  // data starts 64-byte aligned
        const std::string header(b.begin() + 10, b.begin() + 10 + static_cast<long>(headerLen));
        QVERIFY(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 0) == 0);
        QCOMPARE(header.back(), '\n');
        QCOMPARE(b.size(), 10 + headerLen + 24);
        QCOMPARE(std::memcmp(b.data() + 10 + headerLen, v.data(), 24), 0);
    }

    void npyRoundTrip_data() {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QList<int>>("shape");
        QTest::newRow("f4 matrix") << "<f4" << QList<int>{3, 4};
        QTest::newRow("f4 0-d") << "<f4" << QList<int>{};
        QTest::newRow("f4 empty") << "<f4" << QList<int>{0};
        QTest::newRow("f4 0 x 5") << "<f4" << QList<int>{0, 5};
        QTest::newRow("f4 3-d") << "<f4" << QList<int>{2, 3, 4};
        QTest::newRow("i8 vector") << "<i8" << QList<int>{4};
        QTest::newRow("u8 vector") << "<u8" << QList<int>{4};
        QTest::newRow("i4 vector") << "<i4" << QList<int>{1000};
        QTest::newRow("f8 matrix") << "<f8" << QList<int>{5, 1};
        QTest::newRow("u1 image") << "|u1" << QList<int>{28, 28};
        QTest::newRow("U7 scalar") << "<U7" << QList<int>{};
    }
    void npyRoundTrip() {
        QFETCH(QString, dtype);
        QFETCH(QList<int>, shape);
        NpyArray a;
        a.name = "arr";
        a.dtype = dtype.toStdString();
        for (const int d : shape) a.shape.push_back(static_cast<std::size_t>(d));
        a.data.resize(a.elementCount() * a.itemSize());
        std::mt19937 gen(3);
        for (auto& byte : a.data) byte = static_cast<std::uint8_t>(gen());
        if (dtype.startsWith("<U")) std::memset(a.data.data(), 'a', 4);  // code points need not be valid to round trip
        const std::vector<std::uint8_t> b = rbm::encodeNpy(a);
        const NpyArray back = rbm::decodeNpy(b.data(), b.size(), "arr");
        QCOMPARE(back.dtype, a.dtype);
        QCOMPARE(back.shape, a.shape);
        QVERIFY(back.data == a.data);
    }

    void typedAccessors() {
        const std::int64_t i64[3] = {-1, 0, std::numeric_limits<std::int64_t>::max()};
        const std::uint64_t u64[2] = {0, std::numeric_limits<std::uint64_t>::max()};
        const std::int32_t i32[2] = {-7, 7};
        QCOMPARE(NpyArray::fromInt64("a", i64, {3}).toInt64(), std::vector<std::int64_t>(i64, i64 + 3));
        QCOMPARE(NpyArray::fromUint64("a", u64, {2}).toUint64(), std::vector<std::uint64_t>(u64, u64 + 2));
        QCOMPARE(NpyArray::fromInt32("a", i32, {2}).toInt32(), std::vector<std::int32_t>(i32, i32 + 2));
        // the wrong accessor is an error naming the array and both dtypes
        const QString m = QString::fromStdString(errorOf([&] { NpyArray::fromInt32("counts", i32, {2}).toFloats(); }));
        QVERIFY2(m.contains("'counts'") && m.contains("<i4") && m.contains("<f4"), qPrintable(m));
    }

    void unicodeStrings_data() {
        QTest::addColumn<QByteArray>("utf8");
        QTest::addColumn<QString>("dtype");
        QTest::newRow("ascii") << QByteArray("{\"a\": 1}") << "<U8";
        QTest::newRow("empty") << QByteArray("") << "<U1";
        QTest::newRow("accents") << QByteArray("caf\xc3\xa9") << "<U4";
        QTest::newRow("emoji") << QByteArray("\xf0\x9f\x98\x80!") << "<U2";
    }
    void unicodeStrings() {
        QFETCH(QByteArray, utf8);
        QFETCH(QString, dtype);
        const NpyArray a = NpyArray::fromString("s", utf8.toStdString());
        QCOMPARE(QString::fromStdString(a.dtype), dtype);
        QVERIFY(a.shape.empty());
        QCOMPARE(QByteArray::fromStdString(a.toString()), utf8);
        const std::vector<std::uint8_t> b = rbm::encodeNpy(a);
        QCOMPARE(QByteArray::fromStdString(rbm::decodeNpy(b.data(), b.size(), "s").toString()), utf8);
    }

    void invalidUtf8BecomesReplacementCharacter() {
        const NpyArray a = NpyArray::fromString("s", std::string("a\xff" "b\xc3", 4));
        QCOMPARE(QString::fromStdString(a.toString()), QString::fromUtf8("a\xef\xbf\xbd" "b\xef\xbf\xbd"));
    }

    void npyErrors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        auto q = [](const std::vector<std::uint8_t>& v) { return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<int>(v.size())); };
        const std::string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        QTest::newRow("empty") << QByteArray() << "bad magic";
        QTest::newRow("bad magic") << QByteArray("\x93NUMPX\x01\x00\x10\x00", 10) << "bad magic";
        QTest::newRow("version 9") << q(npyWithHeader(ok, 24, 9)) << "version 9";
        QTest::newRow("header past end") << q(npyWithHeader(ok, 24)).left(40) << "truncated inside its header";
        QTest::newRow("payload short") << q(npyWithHeader(ok, 20)) << "has shape (2, 3) and dtype '<f4' but holds 20 bytes";
        QTest::newRow("payload long") << q(npyWithHeader(ok, 25)) << "holds 25 bytes";
        QTest::newRow("fortran order") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24)) << "Fortran order";
        QTest::newRow("big endian") << q(npyWithHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 24)) << "dtype '>f4'";
        QTest::newRow("object dtype") << q(npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16)) << "dtype '|O'";
        QTest::newRow("missing shape") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': False, }", 4)) << "needs 'descr'";
        QTest::newRow("duplicate key") << q(npyWithHeader("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4)) << "duplicate key 'descr'";
        QTest::newRow("extra key") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}", 4)) << "unexpected key 'x'";
        QTest::newRow("not a dict") << q(npyWithHeader("['descr']", 4)) << "expected '{'";
        QTest::newRow("bad shape") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", 24)) << "non-negative integers";
        QTest::newRow("shape (3) is no tuple") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", 12)) << "trailing comma";
        QTest::newRow("overflowing shape") << q(npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }", 8)) << "but holds 8 bytes";
        QTest::newRow("huge dimension") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }", 8)) << "too large";
        QTest::newRow("garbage after dict") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), } x", 4)) << "after the dictionary";
        QTest::newRow("bad bool") << q(npyWithHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (), }", 4)) << "True or False";
        QTest::newRow("unterminated") << q(npyWithHeader("{'descr': '<f4", 4)) << "bad .npy header";
    }
    void npyErrors() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString m = QString::fromStdString(errorOf([&] {
            rbm::decodeNpy(reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size()), "W");
        }));
        QVERIFY2(m.startsWith("Cannot decode 'W':"), qPrintable(m));
        QVERIFY2(m.contains(expected), qPrintable(m));
    }

    void npyVersion2Header() {
        const std::vector<std::uint8_t> b = npyWithHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", 3, 2);
        const NpyArray a = rbm::decodeNpy(b.data(), b.size(), "v2");
        QCOMPARE(a.shape, std::vector<std::size_t>{3});
        QCOMPARE(a.data, std::vector<std::uint8_t>(3, 1));
    }

    // ---------------------------------------------------------------- .npz

    void npzRoundTrip() {
        const std::vector<float> w = randomFloats(12, 1);
        const std::int64_t c[2] = {5, -6};
        std::vector<NpyArray> in;
        in.push_back(NpyArray::fromFloats("W", w.data(), {3, 4}));
        in.push_back(NpyArray::fromInt64("counters", c, {2}));
        in.push_back(NpyArray::fromString("note", "hello"));
        in.push_back(NpyArray::fromFloats("empty", nullptr, {0}));
        const QString p = path("roundtrip.npz");
        rbm::writeNpz(p.toStdString(), in);
        const std::vector<NpyArray> out = rbm::readNpz(p.toStdString());
        QCOMPARE(out.size(), in.size());
        for (std::size_t i = 0; i < in.size(); ++i) {
            QCOMPARE(out[i].name, in[i].name);
            QCOMPARE(out[i].dtype, in[i].dtype);
            QCOMPARE(out[i].shape, in[i].shape);
            QVERIFY(out[i].data == in[i].data);
        }
        // the same from memory
        const std::vector<std::uint8_t> bytes = readAll(p);
        const std::vector<NpyArray> mem = rbm::readNpzFromMemory(bytes.data(), bytes.size(), "memory");
        QCOMPARE(mem.size(), in.size());
        QVERIFY(mem[0].data == in[0].data);
        // and one array alone
        const std::optional<NpyArray> one = rbm::readNpzArray(p.toStdString(), "counters");
        QVERIFY(one.has_value());
        QCOMPARE(one->toInt64(), std::vector<std::int64_t>({5, -6}));
        QVERIFY(!rbm::readNpzArray(p.toStdString(), "absent").has_value());
        // no temporary files are left behind
        QCOMPARE(entriesIn(tmp_.path()).filter(".tmp-").size(), 0);
        // new files get ordinary permissions (umask applies), not mkstemp's 0600
        QVERIFY(QFileInfo(p).permission(QFileDevice::ReadGroup));
    }

    void emptyArchive() {
        const QString p = path("empty.npz");
        rbm::writeNpz(p.toStdString(), {});
        QVERIFY(rbm::readNpz(p.toStdString()).empty());
    }

    void writeRejectsDuplicateNames() {
        const float x = 1;
        const QString m = QString::fromStdString(errorOf([&] {
            rbm::writeNpz(path("dup.npz").toStdString(), {NpyArray::fromFloats("a", &x, {}), NpyArray::fromFloats("a", &x, {})});
        }));
        QVERIFY2(m.contains("'a' appears twice"), qPrintable(m));
        QVERIFY(!QFile::exists(path("dup.npz")));
    }

    void numpyReadsOurFiles() {
        if (!numpyAvailable()) QSKIP("/usr/bin/python3 with numpy (python3-numpy) is not installed");
        const std::vector<float> w = randomFloats(6, 2);
        const std::uint64_t u[2] = {1, 18446744073709551615ull};
        const QString p = path("for-numpy.npz");
        rbm::writeNpz(p.toStdString(), {NpyArray::fromFloats("W", w.data(), {2, 3}), NpyArray::fromUint64("u", u, {2}),
                                        NpyArray::fromString("meta", "{\"k\": \"caf\xc3\xa9\"}")});
        bool ok = false;
        const QByteArray out = runPython({"read", p, "W:1,2", "W:0,1", "u:1"}, &ok);
        QVERIFY(ok);
        const rbm::Json j = rbm::Json::parse(out.toStdString());
        QCOMPARE(QString::fromStdString(j["arrays"]["W"]["dtype"].string()), QString("<f4"));
        QCOMPARE(j["arrays"]["W"]["shape"].dump(), std::string("[2,3]"));
        QCOMPARE(QString::fromStdString(j["arrays"]["u"]["dtype"].string()), QString("<u8"));
        QCOMPARE(QString::fromStdString(j["arrays"]["meta"]["dtype"].string()), QString("<U13"));
        // C order: W[1, 2] is element 1 * 3 + 2
        QCOMPARE(j["values"]["W:1,2"].number(), double(w[5]));
        QCOMPARE(j["values"]["W:0,1"].number(), double(w[1]));
        QCOMPARE(QString::fromStdString(j["values"]["u:1"].string()), QString("18446744073709551615"));
        QCOMPARE(QString::fromStdString(j["meta"]["k"].string()), QString::fromUtf8("caf\xc3\xa9"));
    }

    void weReadNumpyFiles_data() {
        QTest::addColumn<QString>("mode");
        QTest::newRow("np.savez") << "";
        QTest::newRow("np.savez_compressed") << "compressed";
    }
    void weReadNumpyFiles() {
        if (!numpyAvailable()) QSKIP("/usr/bin/python3 with numpy (python3-numpy) is not installed");
        QFETCH(QString, mode);
        const QString p = path("from-numpy-" + mode + ".npz");
        bool ok = false;
        runPython({"write", p, "5", "3", mode}, &ok);
        QVERIFY(ok);
        const std::vector<NpyArray> arrays = rbm::readNpz(p.toStdString());
        QCOMPARE(arrays.size(), std::size_t(3));
        const NpyArray* w = nullptr;
        for (const NpyArray& a : arrays)
            if (a.name == "W") w = &a;
        QVERIFY(w);
        QCOMPARE(w->shape, (std::vector<std::size_t>{5, 3}));
        const std::vector<float> v = w->toFloats();
        for (int i = 0; i < 15; ++i) QVERIFY(v[static_cast<std::size_t>(i)] == static_cast<float>(i) / 100.0f);
    }

    void corruptArchives_data() {
        QTest::addColumn<int>("cut");  // keep this many bytes of a good archive; -1: random bytes
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty file") << 0 << "empty";
        QTest::newRow("4 bytes") << 4 << "not a zip archive";
        QTest::newRow("100 bytes") << 100 << "not a zip archive";
        QTest::newRow("half") << -2 << "not a zip archive";
        QTest::newRow("all but 1") << -3 << "";
        QTest::newRow("random bytes") << -1 << "not a zip archive";
    }
    void corruptArchives() {
        QFETCH(int, cut);
        QFETCH(QString, expected);
        const std::vector<float> w = randomFloats(200, 4);
        const QString good = path("good.npz");
        rbm::writeNpz(good.toStdString(), {NpyArray::fromFloats("W", w.data(), {10, 20}), NpyArray::fromFloats("b", w.data(), {10})});
        std::vector<std::uint8_t> bytes = readAll(good);
        if (cut == -1) {
            std::mt19937 gen(5);
            for (auto& b : bytes) b = static_cast<std::uint8_t>(gen());
        } else if (cut == -2) {
            bytes.resize(bytes.size() / 2);
        } else if (cut == -3) {
            bytes.resize(bytes.size() - 1);
        } else {
            bytes.resize(static_cast<std::size_t>(cut));
        }
        const QString bad = path("bad.npz");
        writeAll(bad, bytes);
        const QString m = QString::fromStdString(errorOf([&] { rbm::readNpz(bad.toStdString()); }));
        QVERIFY2(m.startsWith("Cannot read '" + bad + "':"), qPrintable(m));
        QVERIFY2(m.contains(expected), qPrintable(m));
        const QString mm = QString::fromStdString(errorOf([&] { rbm::readNpzFromMemory(bytes.data(), bytes.size(), "blob"); }));
        QVERIFY2(mm.startsWith("Cannot read 'blob':"), qPrintable(mm));
    }

    void corruptPayloadFailsCrc() {
        const std::vector<float> w = randomFloats(256, 6);
        const QString good = path("crc.npz");
        rbm::writeNpz(good.toStdString(), {NpyArray::fromFloats("W", w.data(), {16, 16})});
        std::vector<std::uint8_t> bytes = readAll(good);
        // flip a byte inside the stored float data (after the local header and .npy header)
        const std::size_t at = 30 + 5 + 128 + 100;
        QVERIFY(at < bytes.size());
        bytes[at] ^= 0xFF;
        const QString bad = path("crc-bad.npz");
        writeAll(bad, bytes);
        const QString m = QString::fromStdString(errorOf([&] { rbm::readNpz(bad.toStdString()); }));
        QVERIFY2(m.contains("'W' cannot be read") && m.contains("CRC"), qPrintable(m));
    }

    void missingFileAndFolder() {
        const QString missing = path("nope.npz");
        QString m = QString::fromStdString(errorOf([&] { rbm::readNpz(missing.toStdString()); }));
        QVERIFY2(m == "Cannot read '" + missing + "': no such file.", qPrintable(m));
        m = QString::fromStdString(errorOf([&] { rbm::readNpz(tmp_.path().toStdString()); }));
        QVERIFY2(m.contains("is a folder"), qPrintable(m));
    }

    void numpyArchivesWithBadEntries_data() {
        QTest::addColumn<QString>("pythonCode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate names")
            << "import zipfile,io,numpy as np,warnings\nwarnings.simplefilter('ignore')\n"
               "b=io.BytesIO(); np.save(b, np.zeros(3,np.float32))\n"
               "z=zipfile.ZipFile(P,'w'); z.writestr('W.npy',b.getvalue()); z.writestr('W.npy',b.getvalue()); z.close()"
            << "appears twice";
        QTest::newRow("fortran order")
            << "import numpy as np\nnp.savez(P, W=np.asfortranarray(np.ones((3,2),np.float32)))" << "Fortran order";
        QTest::newRow("object array")
            << "import zipfile,io,numpy as np\nb=io.BytesIO(); np.save(b, np.array([None,1],dtype=object), allow_pickle=True)\n"
               "z=zipfile.ZipFile(P,'w'); z.writestr('W.npy',b.getvalue()); z.close()"
            << "dtype '|O'";
        QTest::newRow("not npy inside")
            << "import zipfile\nz=zipfile.ZipFile(P,'w'); z.writestr('W.npy',b'hello world'); z.close()" << "bad magic";
        QTest::newRow("encrypted-looking flag")
            << "import zipfile\nz=zipfile.ZipFile(P,'w'); z.writestr('W.npy',b'x'*100); z.close()\n"
               "d=bytearray(open(P,'rb').read()); d[6]|=1; i=d.rfind(b'PK\\x01\\x02'); d[i+8]|=1; open(P,'wb').write(d)"
            << "encrypted";
        QTest::newRow("size lies (stored)")
            << "import zipfile,struct\nz=zipfile.ZipFile(P,'w'); z.writestr('W.npy',b'x'*100); z.close()\n"
               "d=bytearray(open(P,'rb').read()); i=d.rfind(b'PK\\x01\\x02'); d[i+24:i+28]=struct.pack('<I',1<<30)\n"
               "d[22:26]=struct.pack('<I',1<<30); open(P,'wb').write(d)"
            << "array 'W' claims an impossible size (1073741824 bytes from 100 compressed)";
        QTest::newRow("deflate bomb claim")
            << "import zipfile,struct\nz=zipfile.ZipFile(P,'w',zipfile.ZIP_DEFLATED); z.writestr('W.npy',b'x'*1000); z.close()\n"
               "d=bytearray(open(P,'rb').read()); i=d.rfind(b'PK\\x01\\x02'); d[i+24:i+28]=struct.pack('<I',2000000000)\n"
               "d[22:26]=struct.pack('<I',2000000000); open(P,'wb').write(d)"
            << "impossible size";
    }
    void numpyArchivesWithBadEntries() {
        if (!numpyAvailable()) QSKIP("/usr/bin/python3 with numpy (python3-numpy) is not installed");
        QFETCH(QString, pythonCode);
        QFETCH(QString, expected);
        const QString p = path("crafted.npz");
        QFile::remove(p);
        QProcess proc;
        proc.start(python(), {"-c", "P=" + QString("'%1'\n").arg(p) + pythonCode});
        QVERIFY(proc.waitForFinished(60000));
        QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
        const QString m = QString::fromStdString(errorOf([&] { rbm::readNpz(p.toStdString()); }));
        QVERIFY2(m.startsWith("Cannot read '" + p + "':"), qPrintable(m));
        QVERIFY2(m.contains(expected), qPrintable(m));
    }

    // ---------------------------------------------------------------- atomic writes

    void failedWriteLeavesOldFile_data() {
        QTest::addColumn<QString>("how");
        QTest::newRow("file size limit (like a full disk)") << "fsize";
        QTest::newRow("target is a folder") << "folder";
        QTest::newRow("folder does not exist") << "nofolder";
    }
    void failedWriteLeavesOldFile() {
        QFETCH(QString, how);
        const QString dir = path("atomic-" + how);
        QVERIFY(QDir().mkpath(dir));
        QString target = dir + "/model.npz";
        const std::vector<float> oldValues = randomFloats(10, 8);
        rbm::writeNpz(target.toStdString(), {NpyArray::fromFloats("W", oldValues.data(), {10})});
        const std::vector<std::uint8_t> before = readAll(target);

        const std::vector<float> big = randomFloats(200000, 9);  // 800 KB
        const std::vector<NpyArray> next = {NpyArray::fromFloats("W", big.data(), {big.size()})};
        QString m;
        if (how == "fsize") {
            // A process file-size limit makes write() fail with EFBIG mid-file, as a full disk would.
            struct rlimit old {};
            QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
            struct rlimit small = old;
            small.rlim_cur = 64 * 1024;
            void (*previous)(int) = signal(SIGXFSZ, SIG_IGN);
            QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
            m = QString::fromStdString(errorOf([&] { rbm::writeNpz(target.toStdString(), next); }));
            setrlimit(RLIMIT_FSIZE, &old);
            signal(SIGXFSZ, previous);
            QVERIFY2(m.contains("File too large"), qPrintable(m));
        } else if (how == "folder") {
            target = dir + "/sub";
            QVERIFY(QDir().mkpath(target));
            QVERIFY(QDir().mkpath(target + "/keep"));  // a non-empty folder cannot be replaced
            m = QString::fromStdString(errorOf([&] { rbm::writeNpz(target.toStdString(), next); }));
            QVERIFY(QFileInfo(target).isDir());
        } else {
            target = dir + "/missing/model.npz";
            m = QString::fromStdString(errorOf([&] { rbm::writeNpz(target.toStdString(), next); }));
        }
        QVERIFY2(m.startsWith("Cannot save '" + target + "':"), qPrintable(m));
        // the previous file is byte-identical and readable; no temporary file is left
        QVERIFY(readAll(dir + "/model.npz") == before);
        QCOMPARE(rbm::readNpz((dir + "/model.npz").toStdString())[0].toFloats(), oldValues);
        const QStringList left = entriesIn(dir);
        QVERIFY2(left.filter(".tmp").isEmpty() && left.filter("model.npz.").isEmpty(), qPrintable(left.join(", ")));
    }

    void writeFileAtomically() {
        const QString p = path("config.json");
        rbm::writeFileAtomically(p.toStdString(), "{\"a\": 1}\n");
        rbm::writeFileAtomically(p.toStdString(), "{\"a\": 2}\n");
        QFile f(p);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("{\"a\": 2}\n"));
        const QString m = QString::fromStdString(errorOf([&] { rbm::writeFileAtomically(path("no/such/dir/x.json").toStdString(), "x"); }));
        QVERIFY2(m.contains("No such file or directory"), qPrintable(m));
    }

    void atomicFileWithoutCommitLeavesTheOldFile() {
        const QTemporaryDir dir;
        const QString p = dir.filePath("state.txt");
        rbm::writeFileAtomically(p.toStdString(), "old");
        for (const bool commit : {false, true}) {
            auto file = std::make_unique<rbm::AtomicFile>(p.toStdString());
            file->write("new, ", 5);
            file->write("in two writes", 13);
            if (commit) file->commit();
            file.reset();  // without commit(): as if an exception had left before it
            QVERIFY(readAll(p) == bytesOf(commit ? "new, in two writes" : "old"));
            QCOMPARE(entriesIn(dir.path()), QStringList{"state.txt"});  // no temporary file is left
        }
    }
};

QTEST_MAIN(TestNpz)
#include "test_npz.moc"
