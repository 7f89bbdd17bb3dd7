#include "dream/save_file.h"

#include <QDir>
#include <QSaveFile>

namespace studio {

bool saveFileAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    auto failed = [&] {
        if (error) *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;  // the temporary file is removed with `file`
    };
    // Unbuffered, and partial writes retried: when the disk fills part-way, Qt reports the
    // short write without a reason ("Unknown error"); the retry meets the OS error itself.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) return failed();
    for (qint64 done = 0; done < bytes.size();) {
        const qint64 n = file.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0) return failed();
        done += n;
    }
    if (!file.commit()) return failed();
    return true;
}

}  // namespace studio
