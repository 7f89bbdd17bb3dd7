#include "lab/pattern_strip.h"

#include <QPainter>
#include <algorithm>

namespace studio {

namespace {
constexpr int kCell = 40;  // side of one pattern, logical pixels
constexpr int kGap = 8;
constexpr int kText = 16;
}  // namespace

PatternStrip::PatternStrip(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void PatternStrip::setPatterns(std::vector<Pattern> patterns) {
    patterns_ = std::move(patterns);
    update();
}

QSize PatternStrip::sizeHint() const { return {int(std::max<std::size_t>(1, patterns_.size())) * (kCell + kGap), kCell + kText + 6}; }
QSize PatternStrip::minimumSizeHint() const { return {kCell + kGap, kCell + kText + 6}; }

void PatternStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    p.setFont(f);
    int x = 2;
    for (const Pattern& pt : patterns_) {
        if (x + kCell > width()) break;  // as many as fit
        const QRect cell(x, 2, kCell, kCell);
        p.drawImage(cell, pt.image);
        p.setPen(QPen(pt.inData ? QColor(0x1a, 0x7f, 0x37) : QColor(0xc6, 0x28, 0x28), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cell.adjusted(-1, -1, 0, 0));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(x - kGap / 2, cell.bottom() + 2, kCell + kGap, kText), Qt::AlignCenter,
                   QString::number(100.0 * pt.probability, 'f', pt.probability < 0.1 ? 1 : 0) + QLatin1Char('%'));
        x += kCell + kGap;
    }
}

QImage patternImage(std::uint64_t pattern, int rows, int cols) {
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int r = 0; r < rows; ++r) {
        uchar* line = img.scanLine(r);
        for (int c = 0; c < cols; ++c) line[c] = ((pattern >> (r * cols + c)) & 1u) ? 255 : 0;
    }
    return img;
}

}  // namespace studio
