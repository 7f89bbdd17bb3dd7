#include "views/image_canvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <cmath>

namespace studio {

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageCanvas::setImage(const QImage& image) {
    const bool sizeChanged = image.size() != image_.size();
    image_ = image;
    if (sizeChanged) updateGeometryForZoom();
    update();
}

void ImageCanvas::setZoom(double zoom) {
    zoom_ = zoom;
    updateGeometryForZoom();
    update();
}

void ImageCanvas::setStretch(bool stretch) {
    stretch_ = stretch;
    update();
}

void ImageCanvas::setPlaceholderText(const QString& text) {
    placeholder_ = text;
    update();
}

void ImageCanvas::setHighlight(const QRect& imageRect) {
    if (imageRect == highlight_) return;
    highlight_ = imageRect;
    update();
}

void ImageCanvas::updateGeometryForZoom() {
    if (zoom_ > 0 && !image_.isNull())
        setMinimumSize(QSize(int(std::ceil(image_.width() * zoom_)), int(std::ceil(image_.height() * zoom_))));
    else
        setMinimumSize(minimumSizeHint());
    updateGeometry();
}

QSize ImageCanvas::sizeHint() const {
    if (zoom_ > 0 && !image_.isNull()) return minimumSize();
    return QSize(320, 320);
}

QSize ImageCanvas::minimumSizeHint() const { return QSize(60, 40); }

QRectF ImageCanvas::targetRect() const {
    if (image_.isNull()) return {};
    const double iw = image_.width(), ih = image_.height();
    if (stretch_ && zoom_ <= 0) return QRectF(0, 0, width(), height());
    double s = zoom_ > 0 ? zoom_ : std::min(width() / iw, height() / ih);
    if (zoom_ <= 0 && s >= 2.0) s = std::floor(s);  // whole pixels when enlarging: crisp tiles
    const double w = iw * s, h = ih * s;
    return QRectF(std::floor((width() - w) / 2), std::floor((height() - h) / 2), w, h);
}

QPoint ImageCanvas::imagePixelAt(const QPointF& pos) const {
    const QRectF r = targetRect();
    if (r.isEmpty() || !r.contains(pos)) return QPoint(-1, -1);
    const int x = int((pos.x() - r.left()) / r.width() * image_.width());
    const int y = int((pos.y() - r.top()) / r.height() * image_.height());
    if (x < 0 || y < 0 || x >= image_.width() || y >= image_.height()) return QPoint(-1, -1);
    return QPoint(x, y);
}

void ImageCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (image_.isNull()) {
        if (!placeholder_.isEmpty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        }
        return;
    }
    const QRectF r = targetRect();
    // Shrinking: filter for legibility; enlarging: nearest neighbour keeps pixels sharp.
    p.setRenderHint(QPainter::SmoothPixmapTransform, r.width() < image_.width());
    p.drawImage(r, image_);
    if (!highlight_.isNull()) {
        const double sx = r.width() / image_.width(), sy = r.height() / image_.height();
        const QRectF h(r.left() + highlight_.left() * sx, r.top() + highlight_.top() * sy,
                       highlight_.width() * sx, highlight_.height() * sy);
        p.setPen(QPen(QColor(255, 200, 0), 2));
        p.drawRect(h.adjusted(-1, -1, 1, 1));
    }
    if (!placeholder_.isEmpty()) {
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.4);
        p.setFont(f);
        const QRect textBox = p.fontMetrics().boundingRect(rect(), Qt::AlignCenter, placeholder_).adjusted(-14, -8, 14, 8);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(20, 20, 24, 200));
        p.drawRoundedRect(textBox, 8, 8);
        p.setPen(Qt::white);
        p.drawText(textBox, Qt::AlignCenter, placeholder_);
    }
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* e) {
    const QPoint px = imagePixelAt(e->position());
    if (px.x() >= 0)
        emit hovered(px, e->globalPosition().toPoint());
    else
        emit left();
}

void ImageCanvas::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    const QPoint px = imagePixelAt(e->position());
    if (px.x() >= 0) emit clicked(px);
}

void ImageCanvas::leaveEvent(QEvent*) { emit left(); }

}  // namespace studio
