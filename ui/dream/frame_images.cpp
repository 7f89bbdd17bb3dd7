#include "dream/frame_images.h"

#include <QCoreApplication>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "dream/dream_image.h"
#include "dream/dream_views.h"

namespace studio {

namespace {
const QColor kBackground(32, 34, 38);
const QColor kText(210, 214, 220);
const QColor kForcedOn(60, 220, 110);
const QColor kForcedOff(240, 70, 70);

QColor forceColor(signed char force) { return force == 1 ? kForcedOn : kForcedOff; }
signed char forceOf(const std::vector<signed char>& forces, int unit) {
    return unit >= 0 && unit < static_cast<int>(forces.size()) ? forces[static_cast<std::size_t>(unit)] : -1;
}
QString tr(const char* text) { return QCoreApplication::translate("studio::FrameImages", text); }
}  // namespace

QImage chainsImage(const DreamFrame& f, int rows, int cols, int followed) {
    const int gap = 4, scale = 2;
    const int w = cols * scale, h = rows * scale;
    QImage all(f.chains * (w + gap) + gap, h + 2 * gap + 3, QImage::Format_RGB32);
    all.fill(kBackground);
    QPainter p(&all);
    for (int c = 0; c < f.chains; ++c) {
        const int x = gap + c * (w + gap);
        p.drawImage(QRect(x, gap, w, h), grayImage(f.visibleProb(c), rows, cols));
        p.fillRect(QRect(x, gap + h + 2, w, c == followed ? 3 : 1), chainColor(c));
    }
    return all;
}

QImage animationFrame(const DreamFrame& f, int rows, int cols, int scale, int gap) {
    const int w = cols * scale, h = rows * scale;
    QImage img(f.chains * (w + gap) + gap, h + 2 * gap, QImage::Format_Grayscale8);
    img.fill(40);
    QPainter p(&img);
    for (int c = 0; c < f.chains; ++c) p.drawImage(QRect(gap + c * (w + gap), gap, w, h), grayImage(f.visibleProb(c), rows, cols));
    return img;
}

int HiddenGrid::unitAt(QPointF pixel) const {
    if (pixel.x() < 0 || pixel.y() < 0) return -1;
    const int c = static_cast<int>(pixel.x()) / kPitch, r = static_cast<int>(pixel.y()) / kPitch;
    const int unit = r * columns + c;
    return c < columns && unit < units ? unit : -1;
}

QPointF HiddenGrid::centreOf(int unit) const {
    return {(unit % columns) * kPitch + kPitch / 2.0, (unit / columns) * kPitch + kPitch / 2.0};
}

HiddenGrid hiddenGrid(const DreamFrame& f, int chain, const std::vector<signed char>& forces) {
    HiddenGrid g;
    g.units = f.nHidden;
    g.columns = std::max(1, static_cast<int>(std::ceil(std::sqrt(f.nHidden * 1.25))));  // a little wider than tall
    const int gridRows = (f.nHidden + g.columns - 1) / g.columns;
    const int pitch = HiddenGrid::kPitch;
    g.image = QImage(g.columns * pitch + 1, gridRows * pitch + 1, QImage::Format_RGB32);
    g.image.fill(kBackground);
    QPainter p(&g.image);
    const std::uint8_t* hp = f.hiddenProb(chain);
    for (int j = 0; j < f.nHidden; ++j) {
        const int x = (j % g.columns) * pitch, y = (j / g.columns) * pitch;
        p.fillRect(QRect(x + 2, y + 2, pitch - 3, pitch - 3), QColor(hp[j], hp[j], hp[j]));
        const signed char force = forceOf(forces, j);
        if (force >= 0) {
            p.setPen(QPen(forceColor(force), 2));
            p.drawRect(QRect(x + 1, y + 1, pitch - 1, pitch - 1));
        }
    }
    return g;
}

int FilterTiles::unitAt(QPointF pixel) const {
    if (image.isNull() || units.empty() || pixel.x() < 0 || pixel.y() < 0) return -1;
    const int tileRows = (static_cast<int>(units.size()) + perRow - 1) / perRow;
    const int col = static_cast<int>(pixel.x() * perRow / image.width());
    const int row = static_cast<int>(pixel.y() * tileRows / image.height());
    const int i = row * perRow + col;
    return col < perRow && i < static_cast<int>(units.size()) ? units[static_cast<std::size_t>(i)] : -1;
}

FilterTiles topFilterTiles(const rbm::Rbm& model, const DreamFrame& f, int chain, const std::vector<signed char>& forces,
                           int rows, int cols, int count) {
    FilterTiles t;
    const std::uint8_t* hp = f.hiddenProb(chain);
    std::vector<int> order(static_cast<std::size_t>(f.nHidden));
    std::iota(order.begin(), order.end(), 0);
    const int k = std::min(count, f.nHidden);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return hp[a] != hp[b] ? hp[a] > hp[b] : a < b; });
    t.units.assign(order.begin(), order.begin() + k);
    if (k == 0) return t;
    const int scale = 3, pad = 6, text = 16;
    const int tw = cols * scale, th = rows * scale;
    t.perRow = (k + 1) / 2;
    const int tileRows = (k + t.perRow - 1) / t.perRow;
    t.image = QImage(t.perRow * (tw + pad) + pad, tileRows * (th + text + pad) + pad, QImage::Format_RGB32);
    t.image.fill(kBackground);
    QPainter p(&t.image);
    QFont font = p.font();
    font.setPixelSize(12);
    p.setFont(font);
    for (int i = 0; i < k; ++i) {
        const int unit = t.units[static_cast<std::size_t>(i)];
        const int x = pad + (i % t.perRow) * (tw + pad), y = pad + (i / t.perRow) * (th + text + pad);
        p.drawImage(QRect(x, y, tw, th), filterImage(model, unit, rows, cols));
        const signed char force = forceOf(forces, unit);
        if (force >= 0) {
            p.setPen(QPen(forceColor(force), 3));
            p.drawRect(QRect(x - 1, y - 1, tw + 1, th + 1));
        }
        p.setPen(kText);
        p.drawText(QRect(x - 2, y + th + 1, tw + 4, text), Qt::AlignCenter,
                   QStringLiteral("#%1  h=%2").arg(unit).arg(hp[unit] / 255.0, 0, 'f', 2));
    }
    return t;
}

std::vector<int> filmstripFrames(const FrameRing& frames, int upto, int interval, int maxColumns) {
    // After a half step the full steps sit at odd half-step counts: t is rounded down, and each
    // multiple of the interval is shown once.
    std::vector<int> picks;
    const int n = static_cast<int>(frames.size());
    if (n == 0 || maxColumns <= 0) return picks;
    interval = std::max(1, interval);
    std::int64_t lastStep = -1;
    for (int i = std::min(upto, n - 1); i >= 0 && static_cast<int>(picks.size()) < maxColumns; --i) {
        const std::int64_t t = frames.at(static_cast<std::size_t>(i)).halfSteps / 2;
        if (t % interval == 0 && t != lastStep) {
            picks.push_back(i);
            lastStep = t;
        }
    }
    std::reverse(picks.begin(), picks.end());
    // The input on the left: the oldest frame held always opens the strip.
    if (!picks.empty() && picks.front() != 0 &&
        frames.at(0).halfSteps / 2 < frames.at(static_cast<std::size_t>(picks.front())).halfSteps / 2) {
        if (static_cast<int>(picks.size()) >= maxColumns) picks.erase(picks.begin());
        picks.insert(picks.begin(), 0);
    }
    return picks;
}

QImage filmstripImage(const FrameRing& frames, const FilmstripLayout& l) {
    if (frames.size() == 0) return {};
    const std::vector<int> picks = filmstripFrames(frames, l.upto, l.interval, l.maxColumns);
    const int w = l.cols * l.scale, h = l.rows * l.scale, gap = 2 * l.scale;
    const int labelW = l.labels ? 64 : 0, headerH = l.labels ? 16 : 0;
    QImage img(labelW + static_cast<int>(picks.size()) * (w + gap) + gap,
               headerH + 2 * l.chains * (h + gap) + gap + (l.chains - 1) * gap, QImage::Format_RGB32);
    img.fill(kBackground);
    QPainter p(&img);
    QFont font = p.font();
    font.setPixelSize(11);
    p.setFont(font);
    p.setPen(kText);
    auto rowTop = [&](int k) { return headerH + gap + k * (2 * (h + gap) + gap); };
    for (std::size_t i = 0; i < picks.size(); ++i) {
        const DreamFrame& f = frames.at(static_cast<std::size_t>(picks[i]));
        const int x = labelW + gap + static_cast<int>(i) * (w + gap);
        if (l.labels) p.drawText(QRect(x - gap, 0, w + 2 * gap, headerH), Qt::AlignCenter, QStringLiteral("t=%1").arg(f.halfSteps / 2));
        for (int k = 0; k < l.chains && l.firstChain + k < f.chains; ++k) {
            const int c = l.firstChain + k, y = rowTop(k);
            p.drawImage(QRect(x, y, w, h), grayImage(f.visible(c), l.rows, l.cols));
            p.drawImage(QRect(x, y + h + gap, w, h), grayImage(f.visibleProb(c), l.rows, l.cols));
        }
    }
    if (l.labels) {
        for (int k = 0; k < l.chains; ++k) {
            const int c = l.firstChain + k, y = rowTop(k);
            p.fillRect(QRect(2, y, 3, 2 * h + gap), chainColor(c));
            p.drawText(QRect(8, y, labelW - 10, h), Qt::AlignVCenter | Qt::AlignLeft, tr("v (input)"));
            p.drawText(QRect(8, y + h + gap, labelW - 10, h), Qt::AlignVCenter | Qt::AlignLeft, tr("p(v|h)"));
        }
    }
    return img;
}

}  // namespace studio
