#pragma once
/// Paints a cached QImage scaled into the widget (fit, or a fixed zoom inside a scroll area),
/// and maps mouse positions back to image pixels. The image is built elsewhere; paintEvent
/// only draws it (Qt's Mandelbrot example).
#include <QImage>
#include <QWidget>

namespace studio {

class ImageCanvas : public QWidget {
    Q_OBJECT
public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    const QImage& image() const { return image_; }
    /// 0 = fit the widget (keeping the aspect ratio unless stretch is set); else pixels per
    /// image pixel (the canvas asks for that size, for a scroll area).
    void setZoom(double zoom);
    double zoom() const { return zoom_; }
    void setStretch(bool stretch);
    void setPlaceholderText(const QString& text);
    /// An image-space rectangle outlined on top (e.g. the hovered tile); null = none.
    void setHighlight(const QRect& imageRect);

    /// Where the image is drawn, in widget coordinates.
    QRectF targetRect() const;
    /// The image pixel under a widget position, or (-1,-1).
    QPoint imagePixelAt(const QPointF& widgetPos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void hovered(QPoint imagePixel, QPoint globalPos);
    void clicked(QPoint imagePixel);
    void left();

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void leaveEvent(QEvent*) override;

private:
    void updateGeometryForZoom();
    QImage image_;
    double zoom_ = 0;
    bool stretch_ = false;
    QString placeholder_;
    QRect highlight_;
};

}  // namespace studio
