#include "dream/dream_image.h"

#include <QFile>
#include <QImageReader>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "rbm/file_kind.h"

namespace studio {

QImage grayImage(const float* values, int rows, int cols) {
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int r = 0; r < rows; ++r) {
        uchar* line = img.scanLine(r);
        for (int c = 0; c < cols; ++c) {
            const float v = std::clamp(values[r * cols + c], 0.0f, 1.0f);
            line[c] = static_cast<uchar>(std::lround(v * 255.0f));
        }
    }
    return img;
}

QImage grayImage(const std::uint8_t* values, int rows, int cols) {
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int r = 0; r < rows; ++r) std::copy(values + r * cols, values + (r + 1) * cols, img.scanLine(r));
    return img;
}

QImage filterImage(const rbm::Rbm& model, int unit, int rows, int cols) {
    QImage img(cols, rows, QImage::Format_Grayscale8);
    if (unit < 0 || unit >= model.nHidden() || rows * cols != model.nVisible()) {
        img.fill(128);
        return img;
    }
    const float mx = std::max(1e-12f, model.W.col(unit).cwiseAbs().maxCoeff());
    for (int r = 0; r < rows; ++r) {
        uchar* line = img.scanLine(r);
        for (int c = 0; c < cols; ++c) {
            const float w = model.W(r * cols + c, unit) / mx;
            line[c] = static_cast<uchar>(std::lround(128.0f + 127.0f * w));
        }
    }
    return img;
}

QImage enlarged(const QImage& img, int factor) {
    if (factor <= 1) return img;
    return img.scaled(img.width() * factor, img.height() * factor, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

QPointF centreOfMass(const float* values, int rows, int cols) {
    double m = 0, mx = 0, my = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const double v = values[r * cols + c];
            m += v;
            mx += v * c;
            my += v * r;
        }
    if (m <= 0) return {-1, -1};
    return {mx / m, my / m};
}

namespace {

/// Grayscale in [0,1] of a picture, transparent parts composited on white (or on black when
/// that is what makes the ink visible: light strokes on a transparent background).
std::vector<float> grayValues(const QImage& picture) {
    auto flatten = [&](Qt::GlobalColor background) {
        QImage canvas(picture.size(), QImage::Format_RGB32);
        canvas.fill(background);
        QPainter p(&canvas);
        p.drawImage(0, 0, picture);
        p.end();
        return canvas.convertToFormat(QImage::Format_Grayscale8);
    };
    QImage g = picture.hasAlphaChannel() ? flatten(Qt::white) : picture.convertToFormat(QImage::Format_Grayscale8);
    auto range = [](const QImage& im) {
        int lo = 255, hi = 0;
        for (int y = 0; y < im.height(); ++y) {
            const uchar* line = im.constScanLine(y);
            for (int x = 0; x < im.width(); ++x) {
                lo = std::min<int>(lo, line[x]);
                hi = std::max<int>(hi, line[x]);
            }
        }
        return hi - lo;
    };
    if (picture.hasAlphaChannel() && range(g) < 8) g = flatten(Qt::black);
    std::vector<float> out(static_cast<std::size_t>(g.width()) * static_cast<std::size_t>(g.height()));
    for (int y = 0; y < g.height(); ++y) {
        const uchar* line = g.constScanLine(y);
        for (int x = 0; x < g.width(); ++x) out[static_cast<std::size_t>(y) * static_cast<std::size_t>(g.width()) + static_cast<std::size_t>(x)] = line[x] / 255.0f;
    }
    return out;
}

}  // namespace

std::vector<float> mnistStyleDigit(const QImage& picture, int rows, int cols) {
    std::vector<float> out(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols), 0.0f);
    if (picture.isNull() || rows <= 0 || cols <= 0) return out;
    const int w = picture.width(), h = picture.height();
    std::vector<float> ink = grayValues(picture);
    auto at = [&](int x, int y) -> float& { return ink[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)]; };

    // 1. Ink is 1: invert if the border (the background) is light.
    double border = 0;
    int nBorder = 0;
    for (int x = 0; x < w; ++x) { border += double(at(x, 0)) + double(at(x, h - 1)); nBorder += 2; }
    for (int y = 0; y < h; ++y) { border += double(at(0, y)) + double(at(w - 1, y)); nBorder += 2; }
    border /= std::max(1, nBorder);
    if (border > 0.5) {
        for (float& v : ink) v = 1.0f - v;
        border = 1.0 - border;
    }
    // 2. Remove the background level (paper is rarely pure white) and stretch to [0,1].
    const float bg = static_cast<float>(border);
    const float mx = *std::max_element(ink.begin(), ink.end());
    if (mx - bg < 0.05f) return out;
    for (float& v : ink) v = std::clamp((v - bg) / (mx - bg), 0.0f, 1.0f);

    // 3. Bounding box of the ink.
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (at(x, y) > 0.1f) {
                x0 = std::min(x0, x); x1 = std::max(x1, x);
                y0 = std::min(y0, y); y1 = std::max(y1, y);
            }
    if (x1 < 0) return out;
    const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    QImage crop(bw, bh, QImage::Format_Grayscale8);
    for (int y = 0; y < bh; ++y) {
        uchar* line = crop.scanLine(y);
        for (int x = 0; x < bw; ++x) line[x] = static_cast<uchar>(std::lround(at(x0 + x, y0 + y) * 255.0f));
    }

    // 4. Fit into the 20 x 20 box (scaled for other grid sizes), aspect ratio kept, area averaging.
    const int boxW = std::max(1, static_cast<int>(std::lround(cols * 20.0 / 28.0)));
    const int boxH = std::max(1, static_cast<int>(std::lround(rows * 20.0 / 28.0)));
    const double scale = std::min(double(boxW) / bw, double(boxH) / bh);
    const int sw = std::clamp(static_cast<int>(std::lround(bw * scale)), 1, boxW);
    const int sh = std::clamp(static_cast<int>(std::lround(bh * scale)), 1, boxH);
    const QImage scaled = crop.scaled(sw, sh, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    std::vector<float> patch(static_cast<std::size_t>(sw) * static_cast<std::size_t>(sh));
    for (int y = 0; y < sh; ++y) {
        const uchar* line = scaled.constScanLine(y);
        for (int x = 0; x < sw; ++x) patch[static_cast<std::size_t>(y * sw + x)] = line[x] / 255.0f;
    }

    // 5. Centre of mass to the grid's centre (integer shift, as MNIST did).
    const QPointF com = centreOfMass(patch.data(), sh, sw);
    if (com.x() < 0) return out;
    const int dx = static_cast<int>(std::lround((cols - 1) / 2.0 - com.x()));
    const int dy = static_cast<int>(std::lround((rows - 1) / 2.0 - com.y()));
    for (int y = 0; y < sh; ++y)
        for (int x = 0; x < sw; ++x) {
            const int tx = x + dx, ty = y + dy;
            if (tx < 0 || ty < 0 || tx >= cols || ty >= rows) continue;
            out[static_cast<std::size_t>(ty * cols + tx)] = patch[static_cast<std::size_t>(y * sw + x)];
        }
    return out;
}

bool loadMnistStyleDigit(const QString& path, int rows, int cols, std::vector<float>& out, QString* error) {
    // A FIFO would block the reader forever, a device never end: only regular files are read.
    const std::string notAFile = rbm::whyNotRegularFile(QFile::encodeName(path).toStdString());
    if (!notAFile.empty()) {
        if (error) *error = QStringLiteral("Could not read the image %1: %2.").arg(path, QString::fromStdString(notAFile));
        return false;
    }
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QImage img = reader.read();
    if (img.isNull()) {
        if (error) *error = QStringLiteral("Could not read the image %1: %2.").arg(path, reader.errorString());
        return false;
    }
    out = mnistStyleDigit(img, rows, cols);
    return true;
}

}  // namespace studio
