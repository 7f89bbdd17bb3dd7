#pragma once
/// Saving a file so that a failure never costs the previous one, with the one saver of the
/// whole program (rbm::AtomicFile): a temporary file beside the target, every write checked,
/// fsync, then a rename over the target. A folder, a FIFO or a device in the target's place is
/// refused before anything is written. A failure names the file and the OS reason
/// ("Cannot save '/x/strip.png': cannot write (No space left on device).").
#include <QByteArray>
#include <QImage>
#include <QString>

namespace studio {

bool saveFileAtomically(const QString& path, const QByteArray& bytes, QString* error = nullptr);
/// The image encoded in `format` ("PNG"), then saved with saveFileAtomically.
bool saveImageAtomically(const QString& path, const QImage& image, const char* format, QString* error = nullptr);

}  // namespace studio
