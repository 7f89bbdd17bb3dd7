#pragma once
/// The dream's exports: the filmstrip as a PNG and the timeline as a looping animated GIF, for
/// slides. Both write atomically (a temporary file beside the target, renamed only after every
/// write succeeded): a failed export names the file and the reason and leaves any previous
/// file intact.
#include <QImage>
#include <QString>

#include "dream/frame_ring.h"

namespace studio {

bool savePngAtomically(const QImage& image, const QString& path, QString* error = nullptr);

/// The chains' p(v|h) side by side, one GIF frame per `every` frames of the timeline so at most
/// `maxFrames` are written, each shown as long as the dream took for it at `stepsPerSecond`.
bool saveDreamGif(const FrameRing& frames, int rows, int cols, double stepsPerSecond, const QString& path,
                  int maxFrames = 400, QString* error = nullptr);

}  // namespace studio
