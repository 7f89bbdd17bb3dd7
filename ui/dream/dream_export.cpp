#include "dream/dream_export.h"

#include <QCoreApplication>
#include <QDir>
#include <algorithm>
#include <cmath>
#include <vector>

#include "dream/frame_images.h"
#include "dream/gif_encoder.h"
#include "dream/save_file.h"

namespace studio {

namespace {
bool failed(QString* error, const QString& path, const QString& why) {
    if (error) *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), why);
    return false;
}
QString nothingYet() { return QCoreApplication::translate("studio::DreamExport", "there is nothing to export yet"); }
}  // namespace

bool savePngAtomically(const QImage& image, const QString& path, QString* error) {
    if (image.isNull()) return failed(error, path, nothingYet());
    return saveImageAtomically(path, image, "PNG", error);
}

bool saveDreamGif(const FrameRing& frames, int rows, int cols, double stepsPerSecond, const QString& path,
                  int maxFrames, QString* error) {
    const int n = static_cast<int>(frames.size());
    if (n == 0) return failed(error, path, nothingYet());
    const int every = std::max(1, (n + maxFrames - 1) / std::max(1, maxFrames));
    const int chains = frames.newest().chains;
    const QSize size = animationFrame(frames.newest(), rows, cols).size();
    const int delay = std::clamp(static_cast<int>(std::lround(100.0 / stepsPerSecond * every)), 2, 100);
    GifEncoder gif(size.width(), size.height());
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size.width()) * static_cast<std::size_t>(size.height()));
    for (int i = 0; i < n; i += every) {
        const DreamFrame& f = frames.at(static_cast<std::size_t>(i));
        if (f.chains != chains || f.nVisible != rows * cols) continue;  // older frames of another layout
        const QImage img = animationFrame(f, rows, cols);
        for (int y = 0; y < size.height(); ++y)
            std::copy(img.constScanLine(y), img.constScanLine(y) + size.width(), bytes.begin() + static_cast<std::ptrdiff_t>(y) * size.width());
        if (!gif.addFrame(bytes.data(), delay)) break;
    }
    const int written = gif.frames();
    const QByteArray file = gif.finish();
    if (file.isEmpty()) return failed(error, path, gif.errorString());
    if (written == 0) return failed(error, path, nothingYet());
    return saveFileAtomically(path, file, error);
}

}  // namespace studio
