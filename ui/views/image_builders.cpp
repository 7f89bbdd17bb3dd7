#include "views/image_builders.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace studio {

namespace {

const QRgb kPadColor = qRgb(48, 48, 52);

struct Lut {
    std::array<QRgb, 257> rgb{};
    Lut() {
        // ColorBrewer RdBu (reversed so that negative is blue), 5 anchors.
        const float anchors[5][3] = {
            {5, 48, 97}, {67, 147, 195}, {247, 247, 247}, {214, 96, 77}, {103, 0, 31}};
        for (int i = 0; i <= 256; ++i) {
            const float t = float(i) / 256.0f * 4.0f;  // 0..4
            const int a = std::min(3, int(t));
            const float f = t - float(a);
            int c[3];
            for (int k = 0; k < 3; ++k)
                c[k] = int(std::lround(anchors[a][k] * (1.0f - f) + anchors[a + 1][k] * f));
            rgb[std::size_t(i)] = qRgb(c[0], c[1], c[2]);
        }
    }
};

const Lut& lut() {
    static const Lut l;
    return l;
}

inline QRgb lutColor(float t) {
    if (!(t > -1.0f)) t = -1.0f;  // also NaN
    if (t > 1.0f) t = 1.0f;
    return lut().rgb[std::size_t(int((t + 1.0f) * 128.0f + 0.5f))];
}

int nearSquareCols(int n) { return std::max(1, int(std::ceil(std::sqrt(double(std::max(1, n)))))); }

}  // namespace

QRgb divergingColor(float t) { return lutColor(t); }

QSize TileLayout::imageSize() const {
    return QSize(gridCols * (tileCols + pad) + pad, gridRows * (tileRows + pad) + pad);
}

QRect TileLayout::tileRect(int slot) const {
    if (gridCols <= 0) return {};
    const int gr = slot / gridCols, gc = slot % gridCols;
    return QRect(pad + gc * (tileCols + pad), pad + gr * (tileRows + pad), tileCols, tileRows);
}

int TileLayout::slotAt(int x, int y) const {
    if (gridCols <= 0 || x < pad || y < pad) return -1;
    const int gc = (x - pad) / (tileCols + pad), gr = (y - pad) / (tileRows + pad);
    if (gc >= gridCols || gr >= gridRows) return -1;
    if ((x - pad) % (tileCols + pad) >= tileCols || (y - pad) % (tileRows + pad) >= tileRows) return -1;
    const int slot = gr * gridCols + gc;
    return slot < int(order.size()) ? slot : -1;
}

int TileLayout::unitAt(int x, int y) const {
    const int s = slotAt(x, y);
    return s < 0 ? -1 : order[std::size_t(s)];
}

void tileShape(const rbm::Rbm& m, int& rows, int& cols) {
    const int n = m.nVisible();
    if (m.imageRows > 0 && m.imageCols > 0 && m.imageRows * m.imageCols == n) {
        rows = m.imageRows;
        cols = m.imageCols;
        return;
    }
    cols = nearSquareCols(n);
    rows = std::max(1, (n + cols - 1) / cols);
}

QImage buildFilterGrid(const rbm::Rbm& m, const FilterGridOptions& o, TileLayout* layoutOut) {
    TileLayout L;
    tileShape(m, L.tileRows, L.tileCols);
    const int nh = m.nHidden();
    const int nv = m.nVisible();
    L.pad = o.pad;
    L.gridCols = o.gridCols > 0 ? o.gridCols : nearSquareCols(nh);
    L.gridRows = nh > 0 ? (nh + L.gridCols - 1) / L.gridCols : 0;
    if (int(o.order.size()) == nh) {
        L.order = o.order;
    } else {
        L.order.resize(std::size_t(nh));
        std::iota(L.order.begin(), L.order.end(), 0);
    }
    QImage img(L.imageSize().expandedTo(QSize(1, 1)), QImage::Format_RGB32);
    img.fill(kPadColor);
    if (nh > 0 && nv > 0) {
        const float global = m.W.cwiseAbs().maxCoeff();
        for (int s = 0; s < nh; ++s) {
            const int j = L.order[std::size_t(s)];
            const float* w = m.W.data() + std::size_t(j) * std::size_t(nv);  // column j (column-major)
            float scale = global;
            if (o.contrast == Contrast::PerTile) {
                scale = 0.0f;
                for (int i = 0; i < nv; ++i) scale = std::max(scale, std::fabs(w[i]));
            }
            const float inv = scale > 0.0f && std::isfinite(scale) ? 1.0f / scale : 0.0f;
            const QRect r = L.tileRect(s);
            const Lut& table = lut();
            for (int y = 0; y < L.tileRows; ++y) {
                auto* line = reinterpret_cast<QRgb*>(img.scanLine(r.top() + y)) + r.left();
                for (int x = 0; x < L.tileCols; ++x) {
                    const int i = y * L.tileCols + x;
                    if (i >= nv) {
                        line[x] = kPadColor;
                        continue;
                    }
                    float t = w[i] * inv;
                    t = t > -1.0f ? (t < 1.0f ? t : 1.0f) : -1.0f;  // also maps NaN to -1
                    line[x] = table.rgb[std::size_t(int((t + 1.0f) * 128.0f + 0.5f))];
                }
            }
        }
    }
    if (layoutOut) *layoutOut = std::move(L);
    return img;
}

std::vector<int> orderByDescending(const std::vector<float>& key) {
    std::vector<int> order(key.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return key[std::size_t(a)] > key[std::size_t(b)]; });
    return order;
}

namespace {
inline uchar toGray(float v) {
    if (!(v > 0.0f)) return 0;
    if (v >= 1.0f) return 255;
    return uchar(std::lround(v * 255.0f));
}
}  // namespace

QImage buildDigitGrid(const rbm::Matrix& images, int imageRows, int imageCols, int gridCols, int pad,
                      TileLayout* layoutOut) {
    TileLayout L;
    const int n = int(images.rows());
    L.tileRows = imageRows;
    L.tileCols = imageCols;
    L.pad = pad;
    L.gridCols = gridCols > 0 ? gridCols : nearSquareCols(n);
    L.gridRows = n > 0 ? (n + L.gridCols - 1) / L.gridCols : 0;
    L.order.resize(std::size_t(n));
    std::iota(L.order.begin(), L.order.end(), 0);
    QImage img(L.imageSize().expandedTo(QSize(1, 1)), QImage::Format_Grayscale8);
    img.fill(70);
    const int np = int(images.cols());
    for (int s = 0; s < n; ++s) {
        const QRect r = L.tileRect(s);
        for (int y = 0; y < imageRows; ++y) {
            uchar* line = img.scanLine(r.top() + y) + r.left();
            for (int x = 0; x < imageCols; ++x) {
                const int i = y * imageCols + x;
                line[x] = i < np ? toGray(images(s, i)) : 0;
            }
        }
    }
    if (layoutOut) *layoutOut = std::move(L);
    return img;
}

QImage buildDigitGrid(const rbm::Dataset& d, int count, int gridCols, int pad) {
    const int n = int(std::min<std::size_t>(std::size_t(std::max(0, count)), d.count));
    rbm::Matrix m(n, d.pixelsPerImage());
    for (int s = 0; s < n; ++s) {
        const std::uint8_t* p = d.image(std::size_t(s));
        for (int i = 0; i < d.pixelsPerImage(); ++i) m(s, i) = float(p[i]) * (1.0f / 255.0f);
    }
    return buildDigitGrid(m, d.rows, d.cols, gridCols, pad);
}

QImage buildActivityImage(const rbm::Matrix& p) {
    const int rows = int(p.rows()), cols = int(p.cols());
    QImage img(std::max(1, cols), std::max(1, rows), QImage::Format_Grayscale8);
    img.fill(0);
    for (int r = 0; r < rows; ++r) {
        uchar* line = img.scanLine(r);
        for (int c = 0; c < cols; ++c) line[c] = toGray(p(r, c));
    }
    return img;
}

}  // namespace studio
