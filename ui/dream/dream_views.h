#pragma once
/// The small views of the dream panel: a crisp pixel view with a caption, the class readout
/// ("which digit is it now") and the free-energy trace. Each is painted from data it is handed.
#include <QImage>
#include <QWidget>
#include <vector>

#include "dream/frame_ring.h"
#include "dream/panel_arrangement.h"

class QCustomPlot;
class QCPBars;
class QCPItemStraightLine;
class QLabel;

namespace studio {

/// An image drawn with nearest-neighbour scaling (integer factors when it fits), aspect kept,
/// under a caption. Clicks report the image pixel under the mouse.
class PixelView : public QWidget {
    Q_OBJECT
public:
    explicit PixelView(const QString& caption = {}, QWidget* parent = nullptr);
    void setImage(const QImage& image);
    const QImage& image() const { return image_; }
    void setCaption(const QString& caption);
    const QString& caption() const { return caption_; }
    /// Widget rectangle the image is drawn into.
    QRectF imageRect() const;
    QSize sizeHint() const override;
    void setPreferredScale(int scale) { preferredScale_ = scale; updateGeometry(); }
    /// false: fill the space with any scale factor (for grids that need not be pixel-exact).
    void setIntegerScaling(bool on) { integerScaling_ = on; update(); }

signals:
    void clicked(QPointF imagePixel);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;

private:
    QString caption_;
    QImage image_;
    int preferredScale_ = 3;
    bool integerScaling_ = true;
};

/// Bar chart of class probabilities with the winning class highlighted and named in large type.
class ClassReadout : public QWidget {
    Q_OBJECT
public:
    explicit ClassReadout(QWidget* parent = nullptr);
    /// probabilities.size() classes; empty shows "no classifier yet".
    void setProbabilities(const std::vector<float>& probabilities, const QString& note = {});
    void setUnavailable(const QString& why);
    /// The frame is atypical of digits (rbm::TypicalityRange): the bars stay, grey, and the
    /// verdict says "not digit-like" with `why` instead of naming a class.
    void setNotDigitLike(const std::vector<float>& probabilities, const QString& why, const QString& note = {});
    const std::vector<float>& probabilities() const { return probs_; }
    bool digitLike() const { return digitLike_; }
    /// The verdict as plain text ("Which digit is it now? 3 91 %", "... not digit-like ...").
    QString verdictText() const;
    /// Compact: smaller type and no bars (the verdict names the top class and its probability),
    /// for a small panel. Mini: the verdict on one line, its reason a tooltip.
    void setArrangement(Arrangement a);
    /// What the bars are, on their axis ("p(class | h)", "p(label | v)").
    void setQuantity(const QString& quantity);
    /// No height-for-width (its wrapped verdict would have one): a scroll area would otherwise
    /// size the whole dream panel to its preferred height, with scroll bars.
    bool hasHeightForWidth() const override { return false; }

private:
    void showBars(const std::vector<float>& probabilities, bool highlight);
    QString heading() const;

    QCustomPlot* plot_;
    QCPBars* bars_;
    QCPBars* top_;
    QLabel* verdict_;
    std::vector<float> probs_;
    bool digitLike_ = true;
    bool compact_ = false;
    bool mini_ = false;
    QString quantity_ = QStringLiteral("p(class | h)");
};

/// F(v_t) per chain against the step, appended point by point, with a marker at the frame shown.
class FreeEnergyPlot : public QWidget {
    Q_OBJECT
public:
    explicit FreeEnergyPlot(QWidget* parent = nullptr);
    void clear(int chains);
    /// Adds every frame newer than the last one plotted (one point per chain) and drops the
    /// points older than the timeline still holds, so memory stays bounded.
    void follow(const FrameRing& frames);
    void setMarker(double step);
    void replot();
    QCustomPlot* plot() const { return plot_; }

private:
    QCustomPlot* plot_;
    QCPItemStraightLine* marker_;
    double maxStep_ = 0;
    double plottedUpTo_ = -1;  ///< step of the newest frame plotted
};

/// Colours of the chains, shared by the plot and the chain labels.
QColor chainColor(int chain);

}  // namespace studio
