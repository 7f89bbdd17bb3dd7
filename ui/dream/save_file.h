#pragma once
/// Saving a file so that a failure never costs the previous one: QSaveFile writes a temporary
/// file beside the target and renames it over the target only after every write and the close
/// succeeded. A failure names the file and the OS reason ("No space left on device").
#include <QByteArray>
#include <QString>

namespace studio {

bool saveFileAtomically(const QString& path, const QByteArray& bytes, QString* error = nullptr);

}  // namespace studio
