#include "imaging/dataset_preview.h"

#include <QPainter>

#include <algorithm>

#include "dream/dream_image.h"

namespace studio {

QImage datasetPreview(const rbm::Dataset& d, int count, int side) {
    const int n = int(std::min<std::size_t>(std::size_t(std::max(count, 0)), d.count));
    if (n == 0 || d.rows <= 0 || d.cols <= 0) return {};
    const int factor = std::max(1, side / std::max(d.rows, d.cols));
    const int w = d.cols * factor, h = d.rows * factor, gap = 2;
    QImage strip(n * w + (n - 1) * gap, h, QImage::Format_RGB32);
    strip.fill(QColor(64, 64, 64));
    QPainter p(&strip);
    for (int i = 0; i < n; ++i) p.drawImage(i * (w + gap), 0, enlarged(grayImage(d.image(std::size_t(i)), d.rows, d.cols), factor));
    return strip;
}

}  // namespace studio
