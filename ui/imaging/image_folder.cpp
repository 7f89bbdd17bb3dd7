#include "imaging/image_folder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

#include <cmath>
#include <utility>

#include "dream/dream_image.h"
#include "rbm/file_kind.h"
#include "rbm/memory_limits.h"

namespace studio {
namespace {

constexpr int kMnistSide = 28;

bool isPictureName(const QString& name) {
    const QString s = QFileInfo(name).suffix().toLower();
    return s == QLatin1String("png") || s == QLatin1String("jpg") || s == QLatin1String("jpeg");
}

std::string local(const QString& s) { return QFile::encodeName(s).toStdString(); }

QFileInfoList entries(const QString& dir) {
    // System: FIFOs, sockets and devices are listed too, so that skipping them is said.
    return QDir(dir).entryInfoList(QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

/// What one folder holds: pictures to read, and what is passed over.
struct Listing {
    QStringList pictures, folders, skipped, special;
};

Listing list(const QString& dir) {
    Listing l;
    for (const QFileInfo& e : entries(dir)) {
        const std::string path = local(e.filePath());
        const rbm::FileKind kind = rbm::fileKind(path);
        if (kind == rbm::FileKind::Folder) l.folders << e.filePath();
        else if (kind != rbm::FileKind::Regular) l.special << e.fileName() + " (" + rbm::describe(kind) + ")";
        else if (isPictureName(e.fileName())) l.pictures << e.filePath();
        else l.skipped << e.fileName();
    }
    return l;
}

void note(std::vector<std::string>* notes, const QString& where, const QStringList& names, const char* what) {
    if (!notes || names.isEmpty()) return;
    QStringList shown = names.mid(0, 5);
    if (names.size() > 5) shown << QStringLiteral("...");
    notes->push_back(local(where) + ": skipped " + std::to_string(names.size()) + " " + what + ": " + local(shown.join(", ")));
}

struct Picture {
    QString path;
    int label = -1;
};

class Reader {
public:
    Reader(rbm::ImageSize size, std::size_t count, const QString& dir) : size_(size), dir_(dir) {
        if (size == rbm::ImageSize::Mnist) setSize(kMnistSide, kMnistSide, count);
        count_ = count;
    }

    void add(const QString& path) {
        QImageReader reader(path);
        reader.setAutoTransform(true);
        if (size_ == rbm::ImageSize::Native) {
            const QSize s = reader.size();  // from the header: refused before decoding
            if (s.isValid()) checkNativeSize(path, s);
        }
        const QImage img = reader.read();
        if (img.isNull())
            throw rbm::Error(local(path) + ": not a readable PNG or JPEG picture (" + local(reader.errorString()) + ")");
        if (size_ == rbm::ImageSize::Mnist) {
            const std::vector<float> digit = mnistStyleDigit(img, kMnistSide, kMnistSide);
            for (float v : digit) d_.pixels.push_back(std::uint8_t(std::lround(v * 255.0f)));
        } else {
            checkNativeSize(path, img.size());
            const QImage grey = img.convertToFormat(QImage::Format_Grayscale8);
            for (int y = 0; y < grey.height(); ++y) {
                const uchar* line = grey.constScanLine(y);
                d_.pixels.insert(d_.pixels.end(), line, line + grey.width());
            }
        }
        ++d_.count;
    }

    rbm::Dataset take() { return std::move(d_); }

private:
    void setSize(int rows, int cols, std::size_t count) {
        const std::string why = rbm::whyImagesDoNotFit(count, std::uint64_t(rows), std::uint64_t(cols));
        if (!why.empty()) throw rbm::Error(local(dir_) + ": " + why);
        d_.rows = rows;
        d_.cols = cols;
        d_.pixels.reserve(count * std::size_t(rows) * std::size_t(cols));
    }

    void checkNativeSize(const QString& path, const QSize& s) {
        if (s.width() > rbm::kNativeImageMaxSide || s.height() > rbm::kNativeImageMaxSide)
            throw rbm::Error(local(path) + ": the picture is " + std::to_string(s.width()) + "x" + std::to_string(s.height()) +
                             " pixels, more than the limit of " + std::to_string(rbm::kNativeImageMaxSide) +
                             " a side for pictures kept at their own size (make them 28x28 digits with --image-size mnist)");
        if (d_.rows == 0) {
            setSize(s.height(), s.width(), count_);
            first_ = path;
            return;
        }
        if (s.height() != d_.rows || s.width() != d_.cols)
            throw rbm::Error(local(path) + ": the picture is " + std::to_string(s.width()) + "x" + std::to_string(s.height()) +
                             " pixels but " + local(QFileInfo(first_).fileName()) + " is " + std::to_string(d_.cols) + "x" +
                             std::to_string(d_.rows) + "; pictures kept at their own size must all be the same size"
                             " (or make them 28x28 digits with --image-size mnist)");
    }

    rbm::ImageSize size_;
    QString dir_, first_;
    std::size_t count_ = 0;
    rbm::Dataset d_;
};

/// Subfolder names 0..255 are the labels themselves; any other name makes every class
/// numbered in sorted order, with its name kept.
bool numericNames(const QStringList& names) {
    for (const QString& n : names) {
        bool ok = false;
        const int v = n.toInt(&ok);
        if (!ok || v < 0 || v > 255 || QString::number(v) != n) return false;
    }
    return true;
}

}  // namespace

bool holdsPictures(const QString& dir) {
    const Listing top = list(dir);
    if (!top.pictures.isEmpty()) return true;
    for (const QString& f : top.folders)
        if (!list(f).pictures.isEmpty()) return true;
    return false;
}

rbm::DatasetPair loadImageFolder(const QString& dir, rbm::ImageSize size, std::vector<std::string>* notes) {
    const rbm::FileKind kind = rbm::fileKind(local(dir));
    if (kind != rbm::FileKind::Folder)
        throw rbm::Error(local(dir) + ": " + (kind == rbm::FileKind::Missing ? "no such folder" : std::string("it is ") + rbm::describe(kind) + ", not a folder"));
    const Listing top = list(dir);
    std::vector<Picture> pictures;
    QStringList classes;
    std::vector<std::pair<QString, Listing>> inside;  // in the order of `classes`
    for (const QString& f : top.folders) {
        Listing l = list(f);
        if (l.pictures.isEmpty()) {
            note(notes, dir, {QFileInfo(f).fileName()}, "subfolder without pictures");
            continue;
        }
        classes << QFileInfo(f).fileName();
        inside.emplace_back(f, std::move(l));
    }
    if (!classes.isEmpty() && !top.pictures.isEmpty())
        throw rbm::Error(local(dir) + ": it holds pictures (" + local(QFileInfo(top.pictures.front()).fileName()) +
                         ", ...) beside class subfolders (" + local(classes.front()) +
                         ", ...); put every picture in the subfolder of its class, or none in subfolders");
    if (classes.size() > 256)
        throw rbm::Error(local(dir) + ": it has " + std::to_string(classes.size()) + " class subfolders, more than the 256 labels can tell apart");
    const bool numeric = numericNames(classes);
    note(notes, dir, top.skipped, "files that are not PNG or JPEG pictures");
    note(notes, dir, top.special, "special files (never opened)");
    for (const QString& p : top.pictures) pictures.push_back({p, -1});
    int index = 0;
    for (auto& [folder, l] : inside) {
        const int label = numeric ? QFileInfo(folder).fileName().toInt() : index++;
        for (const QString& p : l.pictures) pictures.push_back({p, label});
        note(notes, folder, l.skipped, "files that are not PNG or JPEG pictures");
        note(notes, folder, l.special, "special files (never opened)");
        QStringList deeper;
        for (const QString& f : l.folders) deeper << QFileInfo(f).fileName();
        note(notes, folder, deeper, "folders below a class folder");
    }
    if (pictures.empty()) throw rbm::Error(local(dir) + ": the folder holds no PNG or JPEG pictures");

    Reader reader(size, pictures.size(), dir);
    std::vector<std::uint8_t> labels;
    for (const Picture& p : pictures) {
        reader.add(p.path);
        if (p.label >= 0) labels.push_back(std::uint8_t(p.label));
    }
    rbm::DatasetPair pair;
    pair.train = reader.take();
    pair.train.labels = std::move(labels);
    if (!numeric)
        for (const QString& c : classes) pair.train.classNames.push_back(c.toStdString());
    const QString name = QFileInfo(QDir::cleanPath(dir)).fileName();
    pair.train.name = name.toStdString() + " (" + rbm::withThousands(pair.train.count) + " pictures" +
                      (classes.isEmpty() ? std::string() : ", " + std::to_string(classes.size()) + " classes") + ")";
    pair.train.source = local(dir);
    pair.test.name = pair.train.name + " (no test set)";
    pair.test.source = pair.train.source;
    pair.test.rows = pair.train.rows;
    pair.test.cols = pair.train.cols;
    pair.test.classNames = pair.train.classNames;
    return pair;
}

}  // namespace studio
