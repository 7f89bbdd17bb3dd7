#include "dream/drawing_canvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QTabletEvent>
#include <QUndoCommand>
#include <algorithm>
#include <cmath>
#include <utility>

#include "dream/dream_image.h"

namespace studio {

namespace {
constexpr double kMousePressure = 0.75;  ///< pressureRadius(0.75) == the chosen radius
}  // namespace

/// One edit of the canvas (a whole stroke, a clear, a loaded image): the content before and after.
class CanvasEditCommand : public QUndoCommand {
public:
    CanvasEditCommand(DrawingCanvas* canvas, DrawingCanvas::Content before, DrawingCanvas::Content after,
                      const QString& text, DrawingCanvas::EditKind kind)
        : QUndoCommand(text), canvas_(canvas), before_(std::move(before)), after_(std::move(after)), kind_(kind) {}
    void undo() override { canvas_->restore(before_); }
    void redo() override {
        // The first redo happens on push, when the canvas already shows `after`.
        if (first_) {
            first_ = false;
            return;
        }
        canvas_->restore(after_);
    }
    DrawingCanvas::EditKind kind() const { return kind_; }
    bool changesPixels() const { return before_.pixels != after_.pixels; }

private:
    DrawingCanvas* canvas_;
    DrawingCanvas::Content before_, after_;
    DrawingCanvas::EditKind kind_;
    bool first_ = true;
};

DrawingCanvas::DrawingCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(280, 280);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setCursor(Qt::CrossCursor);
    connect(&undo_, &QUndoStack::indexChanged, this, &DrawingCanvas::announceRestore);
    setGridSize(28, 28);
}

void DrawingCanvas::setGridSize(int rows, int cols) {
    rows_ = std::max(1, rows);
    cols_ = std::max(1, cols);
    pixels_.assign(static_cast<std::size_t>(rows_ * cols_), 0.0f);
    clamp_.assign(static_cast<std::size_t>(rows_ * cols_), 0.0f);
    undo_.clear();
    stroking_ = false;
    update();
    emit imageChanged();
    emit clampChanged();
}

bool DrawingCanvas::hasClamp() const {
    return std::any_of(clamp_.begin(), clamp_.end(), [](float m) { return m > 0.5f; });
}

void DrawingCanvas::setTool(Tool tool) {
    tool_ = tool;
    update();
}

void DrawingCanvas::setBrushRadius(double radius) {
    radius_ = std::clamp(radius, 0.5, 8.0);
    update();
}

QRectF DrawingCanvas::gridRect() const {
    const double cell = std::max(1.0, std::floor(std::min(double(width()) / cols_, double(height()) / rows_)));
    const double w = cell * cols_, h = cell * rows_;
    return {std::floor((width() - w) / 2), std::floor((height() - h) / 2), w, h};
}

QPointF DrawingCanvas::toGrid(const QPointF& p) const {
    const QRectF g = gridRect();
    return {(p.x() - g.left()) * cols_ / g.width(), (p.y() - g.top()) * rows_ / g.height()};
}

QPointF DrawingCanvas::toWidget(const QPointF& q) const {
    const QRectF g = gridRect();
    return {g.left() + q.x() * g.width() / cols_, g.top() + q.y() * g.height() / rows_};
}

float DrawingCanvas::coverage(double d, double radius) {
    return static_cast<float>(std::clamp(radius + 0.5 - d, 0.0, 1.0));
}

double DrawingCanvas::pressureRadius(double pressure) const {
    // A mouse is a pen at pressure 0.75: exactly the chosen radius.
    return radius_ * std::clamp(0.4 + 0.8 * pressure, 0.4, 1.2);
}

void DrawingCanvas::paintSegment(const QPointF& a, const QPointF& b, double radius) {
    const double reach = radius + 1.0;
    const int c0 = std::max(0, static_cast<int>(std::floor(std::min(a.x(), b.x()) - reach)));
    const int c1 = std::min(cols_ - 1, static_cast<int>(std::ceil(std::max(a.x(), b.x()) + reach)));
    const int r0 = std::max(0, static_cast<int>(std::floor(std::min(a.y(), b.y()) - reach)));
    const int r1 = std::min(rows_ - 1, static_cast<int>(std::ceil(std::max(a.y(), b.y()) + reach)));
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    for (int r = r0; r <= r1; ++r) {
        for (int c = c0; c <= c1; ++c) {
            const double px = c + 0.5, py = r + 0.5;
            double t = len2 > 0 ? ((px - a.x()) * dx + (py - a.y()) * dy) / len2 : 0.0;
            t = std::clamp(t, 0.0, 1.0);
            const double ex = a.x() + t * dx - px, ey = a.y() + t * dy - py;
            const double d = std::sqrt(ex * ex + ey * ey);
            const float cov = coverage(d, radius);
            if (cov <= 0.0f) continue;
            const std::size_t i = static_cast<std::size_t>(r * cols_ + c);
            switch (strokeTool_) {
            case Tool::Pen: pixels_[i] = std::max(pixels_[i], cov); break;
            case Tool::Eraser: pixels_[i] = std::min(pixels_[i], 1.0f - cov); break;
            case Tool::Clamp: if (cov >= 0.5f) clamp_[i] = 1.0f; break;
            case Tool::Unclamp: if (cov >= 0.5f) clamp_[i] = 0.0f; break;
            }
        }
    }
}

void DrawingCanvas::beginStroke(const QPointF& widgetPos, double pressure, bool eraserTip) {
    stroking_ = true;
    strokeTool_ = eraserTip ? Tool::Eraser : tool_;
    before_ = Content{pixels_, clamp_};
    last_ = toGrid(widgetPos);
    paintSegment(last_, last_, pressureRadius(pressure));
    update();
}

void DrawingCanvas::continueStroke(const QPointF& widgetPos, double pressure) {
    if (!stroking_) return;
    const QPointF p = toGrid(widgetPos);
    paintSegment(last_, p, pressureRadius(pressure));
    last_ = p;
    update();
}

void DrawingCanvas::endStroke() {
    if (!stroking_) return;
    stroking_ = false;
    static const char* names[] = {"Stroke", "Erase", "Clamp", "Unclamp"};
    if (before_.pixels == pixels_ && before_.clamp == clamp_) return;  // nothing changed: no command
    pushEdit(std::move(before_), QString::fromLatin1(names[static_cast<int>(strokeTool_)]));
}

void DrawingCanvas::pushEdit(Content before, const QString& text, EditKind kind) {
    const bool pixelsChanged = before.pixels != pixels_;
    const bool clampChangedNow = before.clamp != clamp_;
    undo_.push(new CanvasEditCommand(this, std::move(before), Content{pixels_, clamp_}, text, kind));
    if (pixelsChanged) emit imageChanged();
    if (clampChangedNow) emit clampChanged();
}

void DrawingCanvas::restore(const Content& c) {
    const bool pixelsChanged = c.pixels != pixels_;
    const bool clampChangedNow = c.clamp != clamp_;
    pixels_ = c.pixels;
    clamp_ = c.clamp;
    update();
    // QUndoStack moves its index only after undo()/redo() return: the signals wait for it, so
    // whoever listens sees the history that matches the pixels (describeImage).
    restoredPixels_ = restoredPixels_ || pixelsChanged;
    restoredClamp_ = restoredClamp_ || clampChangedNow;
}

void DrawingCanvas::announceRestore() {
    const bool pixels = std::exchange(restoredPixels_, false), clamp = std::exchange(restoredClamp_, false);
    if (pixels) emit imageChanged();
    if (clamp) emit clampChanged();
}

void DrawingCanvas::clear() {
    Content before{pixels_, clamp_};
    std::fill(pixels_.begin(), pixels_.end(), 0.0f);
    if (before.pixels == pixels_) return;
    update();
    pushEdit(std::move(before), tr("Clear"), EditKind::Clear);
}

void DrawingCanvas::clearClamp() {
    Content before{pixels_, clamp_};
    std::fill(clamp_.begin(), clamp_.end(), 0.0f);
    if (before.clamp == clamp_) return;
    update();
    pushEdit(std::move(before), tr("Clear clamp"));
}

void DrawingCanvas::setImage(const std::vector<float>& image, const QString& what) {
    if (image.size() != pixels_.size()) return;
    Content before{pixels_, clamp_};
    for (std::size_t i = 0; i < image.size(); ++i) pixels_[i] = std::clamp(image[i], 0.0f, 1.0f);
    update();
    if (before.pixels == pixels_) return;
    pushEdit(std::move(before), what, EditKind::Load);
}

QString DrawingCanvas::describeImage() const {
    if (std::all_of(pixels_.begin(), pixels_.end(), [](float v) { return v == 0.0f; })) return tr("a blank grid");
    // The edits that made the pixels on screen, newest first (clamp-only edits do not count).
    bool drawnOn = false;
    for (int i = undo_.index() - 1; i >= 0; --i) {
        const auto* edit = dynamic_cast<const CanvasEditCommand*>(undo_.command(i));
        if (!edit || !edit->changesPixels()) continue;
        if (edit->kind() == EditKind::Load) return drawnOn ? tr("%1, drawn over").arg(edit->text()) : edit->text();
        if (edit->kind() == EditKind::Clear) break;  // what came before is gone
        drawnOn = true;
    }
    return tr("your drawing");
}

void DrawingCanvas::clampRows(int firstRow, int lastRow) {
    Content before{pixels_, clamp_};
    for (int r = std::max(0, firstRow); r <= std::min(rows_ - 1, lastRow); ++r)
        std::fill(clamp_.begin() + r * cols_, clamp_.begin() + (r + 1) * cols_, 1.0f);
    if (before.clamp == clamp_) return;
    update();
    pushEdit(std::move(before), tr("Clamp rows"));
}

void DrawingCanvas::setClampMask(const std::vector<float>& mask) {
    if (mask.size() != clamp_.size()) return;
    Content before{pixels_, clamp_};
    for (std::size_t i = 0; i < mask.size(); ++i) clamp_[i] = mask[i] > 0.5f ? 1.0f : 0.0f;
    if (before.clamp == clamp_) return;
    update();
    pushEdit(std::move(before), tr("Set clamp"));
}

void DrawingCanvas::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) beginStroke(e->position(), kMousePressure, false);
    else if (e->button() == Qt::RightButton) {
        // Right button: the eraser, whatever tool is selected (a quick correction).
        beginStroke(e->position(), kMousePressure, true);
    }
}

void DrawingCanvas::mouseMoveEvent(QMouseEvent* e) {
    hover_ = e->position();
    if (stroking_ && (e->buttons() & (Qt::LeftButton | Qt::RightButton)))
        continueStroke(e->position(), kMousePressure);
    else
        update();
}

void DrawingCanvas::mouseReleaseEvent(QMouseEvent* e) {
    if (stroking_) {
        continueStroke(e->position(), kMousePressure);
        endStroke();
    }
}

void DrawingCanvas::leaveEvent(QEvent*) {
    hover_ = {-1, -1};
    update();
}

void DrawingCanvas::tabletEvent(QTabletEvent* e) {
    const bool eraserTip = e->pointerType() == QPointingDevice::PointerType::Eraser;
    switch (e->type()) {
    case QEvent::TabletPress: beginStroke(e->position(), e->pressure(), eraserTip); break;
    case QEvent::TabletMove:
        hover_ = e->position();
        if (stroking_) continueStroke(e->position(), e->pressure());
        else update();
        break;
    case QEvent::TabletRelease:
        if (stroking_) endStroke();
        break;
    default: break;
    }
    e->accept();  // no synthesised mouse events on top
}

void DrawingCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(32, 34, 38));
    const QRectF g = gridRect();
    p.drawImage(g, grayImage(pixels_.data(), rows_, cols_));
    const double cell = g.width() / cols_;

    // The clamp overlay: an orange tint on every held pixel, with an outline around the region.
    // Per cell a tint, and an edge wherever a clamped cell meets a free one (cheap enough to
    // repaint on every mouse move, unlike a united QPainterPath).
    if (hasClamp()) {
        const QColor tint(255, 140, 0, 80);
        p.setPen(QPen(QColor(255, 160, 40), 1.5));
        auto clamped = [&](int r, int c) {
            return r >= 0 && c >= 0 && r < rows_ && c < cols_ && clamp_[static_cast<std::size_t>(r * cols_ + c)] > 0.5f;
        };
        for (int r = 0; r < rows_; ++r)
            for (int c = 0; c < cols_; ++c) {
                if (!clamped(r, c)) continue;
                const double x0 = g.left() + c * cell, y0 = g.top() + r * cell, x1 = x0 + cell, y1 = y0 + cell;
                p.fillRect(QRectF(x0, y0, cell, cell), tint);
                if (!clamped(r - 1, c)) p.drawLine(QPointF(x0, y0), QPointF(x1, y0));
                if (!clamped(r + 1, c)) p.drawLine(QPointF(x0, y1), QPointF(x1, y1));
                if (!clamped(r, c - 1)) p.drawLine(QPointF(x0, y0), QPointF(x0, y1));
                if (!clamped(r, c + 1)) p.drawLine(QPointF(x1, y0), QPointF(x1, y1));
            }
    }

    // MNIST's 20 x 20 box, where digits are scaled to: a faint guide.
    if (rows_ == 28 && cols_ == 28) {
        p.setPen(QPen(QColor(255, 255, 255, 40), 1, Qt::DashLine));
        p.drawRect(QRectF(g.left() + 4 * cell, g.top() + 4 * cell, 20 * cell, 20 * cell));
    }
    p.setPen(QPen(QColor(90, 94, 102), 1));
    p.drawRect(g.adjusted(0, 0, -1, -1));

    // The brush outline under the cursor.
    if (hover_.x() >= 0 && g.contains(hover_)) {
        p.setRenderHint(QPainter::Antialiasing);
        const double r = radius_ * cell;
        QColor c = tool_ == Tool::Pen ? QColor(120, 200, 255) : tool_ == Tool::Eraser ? QColor(255, 255, 255)
                                                                                      : QColor(255, 160, 40);
        p.setPen(QPen(c, 1.2, tool_ == Tool::Unclamp || tool_ == Tool::Eraser ? Qt::DashLine : Qt::SolidLine));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(hover_, r, r);
    }
}

}  // namespace studio
