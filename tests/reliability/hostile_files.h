#pragma once
// The files of the hostile catalogue (test_hostile_files.cpp): small IDX folders, a tiny run
// folder made by the real `rbm train`, and the large-but-legal files of issue 13 made without
// holding them in memory: an .npz with a 300 MB entry nobody uses, a gzip IDX that inflates to
// 400 MB past what its header declares, one 4096 x 4096 image.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QBuffer>
#include <QString>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <functional>
#include <random>

#include "hostile_run.h"
#include "rbm/checkpoint.h"
#include "rbm/dataset_files.h"
#include "rbm/json.h"
#include "rbm/npz.h"
#include "rbm/session_file.h"

namespace hostile {

struct Fixtures {
    QString small;      ///< IDX folder: 40 train + 10 test images of 8x8, with labels
    QString other;      ///< IDX folder of 10x10 images
    QString run;        ///< a finished run folder: 64 visible x 4 hidden, 2 epochs
    QString model;      ///< run/latest.npz
    QString junkModel;  ///< model + a 300 MB deflated entry of zeros no checkpoint uses
    QString bomb;       ///< IDX folder whose gzip images inflate to 400 MB past the header's 40 images
    QString huge;       ///< one 4096 x 4096 image (raw IDX)
    QString session;    ///< a session: the small images inline, `model` to continue from
};

inline QString writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(bytes);
    return path;
}

inline QString makeFifo(const QString& path) {
    ::mkfifo(QFile::encodeName(path).constData(), 0600);
    return path;
}

inline QString makeSocket(const QString& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray p = QFile::encodeName(path);
    std::strncpy(addr.sun_path, p.constData(), sizeof addr.sun_path - 1);
    ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    ::close(fd);  // the socket file stays
    return path;
}

inline QByteArray randomBytes(int n, unsigned seed) {
    std::mt19937 gen(seed);
    QByteArray b(n, '\0');
    for (char& c : b) c = char(gen());
    return b;
}

inline QByteArray smallPng() {
    QImage img(8, 8, QImage::Format_Grayscale8);
    img.fill(200);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    img.save(&buffer, "PNG");
    return png;
}

inline void put32(QByteArray& out, quint32 v) {
    for (int s = 24; s >= 0; s -= 8) out.append(char((v >> s) & 0xff));
}

/// A PNG whose header claims `width` x `height` grey pixels, with one tiny compressed row: a
/// few hundred bytes that would need width x height bytes if a reader believed them.
inline QByteArray pngClaiming(quint32 width, quint32 height) {
    auto chunk = [](QByteArray& out, const char* type, const QByteArray& data) {
        put32(out, quint32(data.size()));
        const QByteArray body = QByteArray(type, 4) + data;
        out.append(body);
        put32(out, quint32(crc32(0, reinterpret_cast<const Bytef*>(body.constData()), uInt(body.size()))));
    };
    QByteArray header;
    put32(header, width);
    put32(header, height);
    header.append(QByteArray("\x08\x00\x00\x00\x00", 5));  // 8-bit grey, deflate, no filter, no interlace
    QByteArray row(1 + 64, '\0');
    QByteArray data(1024, '\0');
    uLongf size = uLongf(data.size());
    compress(reinterpret_cast<Bytef*>(data.data()), &size, reinterpret_cast<const Bytef*>(row.constData()), uLong(row.size()));
    data.resize(int(size));
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    chunk(png, "IHDR", header);
    chunk(png, "IDAT", data);
    chunk(png, "IEND", {});
    return png;
}

inline QByteArray idxHeader(quint32 count, quint32 rows, quint32 cols) {
    QByteArray h;
    put32(h, 0x803);
    put32(h, count);
    put32(h, rows);
    put32(h, cols);
    return h;
}

inline QByteArray idxImages(quint32 count, quint32 side, unsigned seed) {
    QByteArray b = idxHeader(count, side, side);
    std::mt19937 gen(seed);
    for (quint32 i = 0; i < count * side * side; ++i) b.append(char(gen() % 3 == 0 ? 255 : 0));
    return b;
}

inline QByteArray idxLabels(quint32 count) {
    QByteArray b;
    put32(b, 0x801);
    put32(b, count);
    for (quint32 i = 0; i < count; ++i) b.append(char(i % 10));
    return b;
}

inline bool idxFolder(const QString& dir, quint32 side) {
    QDir().mkpath(dir);
    writeFile(dir + "/train-images-idx3-ubyte", idxImages(40, side, 1));
    writeFile(dir + "/train-labels-idx1-ubyte", idxLabels(40));
    writeFile(dir + "/t10k-images-idx3-ubyte", idxImages(10, side, 2));
    writeFile(dir + "/t10k-labels-idx1-ubyte", idxLabels(10));
    return QFile::exists(dir + "/t10k-labels-idx1-ubyte");
}

/// Feeds `head`, then `zeros` zero bytes, through deflate (raw, or gzip-wrapped) into `out`,
/// never holding more than a megabyte of input. Returns the CRC-32 of the input.
inline quint32 deflateStream(const QByteArray& head, qint64 zeros, bool gzipWrapper, QByteArray& out) {
    z_stream zs{};
    deflateInit2(&zs, 1, Z_DEFLATED, gzipWrapper ? 16 + 15 : -15, 8, Z_DEFAULT_STRATEGY);
    uLong crc = crc32(0, nullptr, 0);
    const QByteArray zero(1 << 20, '\0');
    std::vector<unsigned char> buf(1 << 16);
    auto feed = [&](const char* data, uInt n, int flush) {
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        zs.avail_in = n;
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), n);
        do {
            zs.next_out = buf.data();
            zs.avail_out = uInt(buf.size());
            deflate(&zs, flush);
            out.append(reinterpret_cast<const char*>(buf.data()), int(buf.size() - zs.avail_out));
        } while (zs.avail_out == 0);
    };
    feed(head.constData(), uInt(head.size()), Z_NO_FLUSH);
    for (qint64 left = zeros; left > 0; left -= zero.size()) feed(zero.constData(), uInt(std::min<qint64>(left, zero.size())), Z_NO_FLUSH);
    feed(nullptr, 0, Z_FINISH);
    deflateEnd(&zs);
    return quint32(crc);
}

inline QByteArray gzip(const QByteArray& bytes) {
    QByteArray out;
    deflateStream(bytes, 0, true, out);
    return out;
}

/// A zip (numpy's .npz) of `arrays` stored, plus one deflated entry `junk.npy` of `junkBytes`
/// zero floats' bytes: a legal archive whose extra entry no checkpoint reads.
inline bool writeNpzWithJunk(const QString& path, const std::vector<rbm::NpyArray>& arrays, qint64 junkBytes) {
    QByteArray zip, central;
    int entries = 0;
    auto le16 = [](QByteArray& b, quint32 v) { b.append(char(v & 0xff)); b.append(char((v >> 8) & 0xff)); };
    auto le32 = [&](QByteArray& b, quint32 v) { le16(b, v & 0xffff); le16(b, v >> 16); };
    auto add = [&](const QByteArray& name, const QByteArray& data, quint32 crc, qint64 size, int method) {
        const quint32 offset = quint32(zip.size());
        for (QByteArray* b : {&zip, &central}) {
            const bool c = b == &central;
            le32(*b, c ? 0x02014b50 : 0x04034b50);
            if (c) le16(*b, 20);
            le16(*b, 20);
            le16(*b, 0);
            le16(*b, quint32(method));
            le32(*b, 0);  // time, date
            le32(*b, crc);
            le32(*b, quint32(data.size()));
            le32(*b, quint32(size));
            le16(*b, quint32(name.size()));
            le16(*b, 0);
            if (c) {
                le16(*b, 0);
                le16(*b, 0);
                le16(*b, 0);
                le32(*b, 0);
                le32(*b, offset);
            }
            b->append(name);
            if (!c) b->append(data);
        }
        ++entries;
    };
    for (const rbm::NpyArray& a : arrays) {
        const std::vector<std::uint8_t> npy = rbm::encodeNpy(a);
        const QByteArray data(reinterpret_cast<const char*>(npy.data()), int(npy.size()));
        add(QByteArray::fromStdString(a.name + ".npy"), data, quint32(crc32(0, reinterpret_cast<const Bytef*>(data.constData()), uInt(data.size()))), data.size(), 0);
    }
    // A .npy header (format 1.0) of a (junkBytes / 4,) float array, as numpy writes it.
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(junkBytes / 4) + ",), }";
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
    dict += '\n';
    std::string text = std::string("\x93NUMPY\x01\x00", 8);
    text += char(dict.size() & 0xff);
    text += char(dict.size() >> 8);
    text += dict;
    const QByteArray head = QByteArray::fromStdString(text);
    QByteArray deflated;
    const quint32 crc = deflateStream(head, junkBytes, false, deflated);
    add("junk.npy", deflated, crc, head.size() + junkBytes, 8);
    const quint32 cdOffset = quint32(zip.size());
    zip.append(central);
    le32(zip, 0x06054b50);
    le32(zip, 0);
    le16(zip, quint32(entries));
    le16(zip, quint32(entries));
    le32(zip, quint32(central.size()));
    le32(zip, cdOffset);
    le16(zip, 0);
    return writeFile(path, zip) == path && QFileInfo(path).size() == zip.size();
}

/// The session `from` with its settings' JSON edited by `edit`, written to `to`.
inline QString editedSession(const QString& from, const QString& to, const std::function<void(rbm::Json&)>& edit) {
    std::vector<rbm::NpyArray> arrays = rbm::readNpz(from.toStdString());
    for (rbm::NpyArray& a : arrays) {
        if (a.name != "session") continue;
        rbm::Json j = rbm::Json::parse(a.toString());
        edit(j);
        a = rbm::NpyArray::fromString("session", j.dump());
    }
    rbm::writeNpz(to.toStdString(), arrays);
    return to;
}

inline void copyFolder(const QString& from, const QString& to) {
    QDir().mkpath(to);
    for (const QString& f : QDir(from).entryList(QDir::Files)) QFile::copy(from + "/" + f, to + "/" + f);
}

/// The epochs of metrics.csv's rows, "1 2 3".
inline QString metricsEpochs(const QString& csv) {
    QFile f(csv);
    if (!f.open(QIODevice::ReadOnly)) return "(no metrics.csv)";
    QStringList epochs;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.isEmpty() && line[0] >= '0' && line[0] <= '9') epochs << QString::fromUtf8(line.left(line.indexOf(',')));
    return epochs.join(' ');
}

inline bool makeFixtures(const QString& dir, const QString& rbm, Fixtures& f, QString* why) {
    QDir().mkpath(dir);
    f.small = dir + "/small";
    f.other = dir + "/other";
    if (!idxFolder(f.small, 8) || !idxFolder(f.other, 10)) return *why = "cannot write the IDX folders", false;
    f.run = dir + "/run";
    const Outcome trained = run(rbm, {"train", "--data", f.small, "--hidden", "4", "--epochs", "2", "--quiet", "--out", f.run});
    if (trained.exitCode != 0) return *why = "rbm train failed: " + trained.err, false;
    f.model = f.run + "/latest.npz";
    f.junkModel = dir + "/with-junk.npz";
    if (!writeNpzWithJunk(f.junkModel, rbm::readNpz(f.model.toStdString()), 300ll << 20))
        return *why = "cannot write the .npz with a junk entry", false;
    f.bomb = dir + "/bomb";
    QDir().mkpath(f.bomb);
    QByteArray bomb;
    deflateStream(idxImages(40, 8, 3), 400ll << 20, true, bomb);
    writeFile(f.bomb + "/train-images-idx3-ubyte.gz", bomb);
    f.huge = dir + "/huge-images-idx3-ubyte";
    writeFile(f.huge, idxHeader(1, 4096, 4096) + QByteArray(4096 * 4096, '\0'));
    f.session = dir + "/good.rbmsession";
    try {
        const rbm::DatasetPair pair = rbm::loadDataset(f.small.toStdString());
        rbm::Session s;
        rbm::Checkpoint start = rbm::loadCheckpoint(f.model.toStdString());
        s.config = start.config;
        s.dataset = rbm::describeDataset(pair.train, pair.test, f.small.toStdString());
        s.models.push_back({"start model", std::move(start)});
        rbm::saveSession(f.session.toStdString(), s);
    } catch (const std::exception& e) {
        return *why = QString("cannot write the session: ") + e.what(), false;
    }
    return true;
}

}  // namespace hostile
