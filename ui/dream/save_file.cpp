#include "dream/save_file.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include "rbm/atomic_file.h"
#include "rbm/types.h"

namespace studio {

bool saveFileAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    try {
        rbm::AtomicFile file(QFile::encodeName(path).toStdString());
        file.write(bytes.constData(), static_cast<std::size_t>(bytes.size()));
        file.commit();
        return true;
    } catch (const rbm::Error& e) {
        if (error) *error = QString::fromLocal8Bit(e.what());  // names the file and the OS reason
        return false;  // the temporary file is removed with `file`
    }
}

bool saveImageAtomically(const QString& path, const QImage& image, const char* format, QString* error) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, format)) {
        if (error)
            *error = QCoreApplication::translate("studio::SaveFile", "Cannot save '%1': the image could not be encoded as %2.")
                         .arg(QDir::toNativeSeparators(path), QString::fromLatin1(format));
        return false;
    }
    return saveFileAtomically(path, bytes, error);
}

}  // namespace studio
