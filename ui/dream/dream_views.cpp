#include "dream/dream_views.h"

#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace studio {

namespace {
constexpr int kCaptionHeight = 18;
const QColor kViewBackground(32, 34, 38);
}  // namespace

QColor chainColor(int chain) {
    static const QColor colors[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                    QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75),
                                    QColor(227, 119, 194), QColor(127, 127, 127)};
    return colors[chain % 8];
}

// ---------------------------------------------------------------------------------- PixelView

PixelView::PixelView(const QString& caption, QWidget* parent) : QWidget(parent), caption_(caption) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMinimumSize(60, 60);
}

void PixelView::setImage(const QImage& image) {
    const bool resized = image.size() != image_.size();
    image_ = image;
    if (resized) updateGeometry();
    update();
}

void PixelView::setCaption(const QString& caption) {
    caption_ = caption;
    update();
}

QSize PixelView::sizeHint() const {
    if (image_.isNull()) return {120, 120};
    return {image_.width() * preferredScale_ + 8, image_.height() * preferredScale_ + kCaptionHeight + 6};
}

QRectF PixelView::imageRect() const {
    if (image_.isNull()) return {};
    const QRectF avail(4, kCaptionHeight + 2, width() - 8, height() - kCaptionHeight - 6);
    double scale = std::min(avail.width() / image_.width(), avail.height() / image_.height());
    if (integerScaling_ && scale >= 1.0) scale = std::floor(scale);  // crisp squares
    const double w = image_.width() * scale, h = image_.height() * scale;
    return {std::floor(avail.left() + (avail.width() - w) / 2), std::floor(avail.top() + (avail.height() - h) / 2), w, h};
}

void PixelView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), kViewBackground);
    p.setPen(QColor(210, 214, 220));
    QFont f = font();
    f.setPointSizeF(std::max(7.5, f.pointSizeF() * 0.95));
    f.setBold(true);
    p.setFont(f);
    p.drawText(QRect(6, 1, width() - 12, kCaptionHeight), Qt::AlignLeft | Qt::AlignVCenter, caption_);
    if (!image_.isNull()) {
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(imageRect(), image_);
    }
}

void PixelView::mousePressEvent(QMouseEvent* e) {
    const QRectF r = imageRect();
    if (image_.isNull() || !r.contains(e->position())) return;
    emit clicked(QPointF((e->position().x() - r.left()) * image_.width() / r.width(),
                         (e->position().y() - r.top()) * image_.height() / r.height()));
}

// -------------------------------------------------------------------------------- ClassReadout

ClassReadout::ClassReadout(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    verdict_ = new QLabel(this);
    verdict_->setAlignment(Qt::AlignCenter);
    verdict_->setTextFormat(Qt::RichText);
    verdict_->setWordWrap(true);  // long notes wrap: they never widen the panel
    {
        // Without height-for-width: a scroll area would size the whole panel to its preferred
        // height (scroll bars) instead of the room it has.
        QSizePolicy policy = verdict_->sizePolicy();
        policy.setHeightForWidth(false);
        verdict_->setSizePolicy(policy);
    }
    layout->addWidget(verdict_);
    plot_ = new QCustomPlot(this);
    plot_->setMinimumHeight(130);
    layout->addWidget(plot_, 1);

    bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars_->setPen(Qt::NoPen);
    bars_->setBrush(QColor(120, 150, 190));
    bars_->setWidth(0.7);
    top_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    top_->setPen(Qt::NoPen);
    top_->setBrush(QColor(255, 140, 0));
    top_->setWidth(0.7);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int k = 0; k < 10; ++k) ticker->addTick(k, QString::number(k));
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setRange(-0.6, 9.6);
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->setRange(0, 1.0);
    plot_->yAxis->setLabel(quantity_);
    QFont tf = plot_->xAxis->tickLabelFont();
    tf.setPointSizeF(tf.pointSizeF() + 2);
    tf.setBold(true);
    plot_->xAxis->setTickLabelFont(tf);
    setUnavailable(tr("training the digit classifier..."));
}

void ClassReadout::showBars(const std::vector<float>& probabilities, bool highlight) {
    const int k = static_cast<int>(probabilities.size());
    if (plot_->xAxis->range().upper < k - 0.4 || plot_->xAxis->range().upper > k + 0.6) {
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        for (int i = 0; i < k; ++i) ticker->addTick(i, QString::number(i));
        plot_->xAxis->setTicker(ticker);
        plot_->xAxis->setRange(-0.6, k - 0.4);
    }
    QVector<double> keys(k), values(k);
    int best = 0;
    for (int i = 0; i < k; ++i) {
        keys[i] = i;
        values[i] = probabilities[static_cast<std::size_t>(i)];
        if (values[i] > values[best]) best = i;
    }
    bars_->setBrush(highlight ? QColor(120, 150, 190) : QColor(175, 175, 175));
    bars_->setData(keys, values, true);
    if (highlight)
        top_->setData(QVector<double>{double(best)}, QVector<double>{values[best]}, true);
    else
        top_->data()->clear();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QString ClassReadout::heading() const {
    return QStringLiteral("<span style='font-size:%1pt'>%2</span>").arg(compact_ ? 11 : 15).arg(tr("Which digit is it now?"));
}

static QString noteLine(const QString& note) {
    return note.isEmpty() ? QString() : QStringLiteral("<br><span style='color:gray'>%1</span>").arg(note.toHtmlEscaped());
}

void ClassReadout::setProbabilities(const std::vector<float>& probabilities, const QString& note) {
    if (probabilities.empty()) {
        setUnavailable(note.isEmpty() ? tr("no classifier yet") : note);
        return;
    }
    probs_ = probabilities;
    digitLike_ = true;
    showBars(probabilities, true);
    const auto best = static_cast<std::size_t>(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
    verdict_->setText(QStringLiteral("%1 <span style='font-size:%2pt; font-weight:bold; color:#ff8c00'>%3</span>"
                                     "<span style='font-size:%4pt'> &nbsp;%5 %</span>%6")
                          .arg(mini_ ? QString() : heading())
                          .arg(compact_ ? 17 : 22)
                          .arg(best)
                          .arg(compact_ ? 11 : 13)
                          .arg(std::lround(static_cast<double>(probabilities[best]) * 100.0))
                          .arg(compact_ ? QString() : noteLine(note)));
    verdict_->setToolTip(note);  // a small panel has no room for the line: it is a tooltip there
}

void ClassReadout::setNotDigitLike(const std::vector<float>& probabilities, const QString& why, const QString& note) {
    probs_ = probabilities;
    digitLike_ = false;
    if (probabilities.empty()) {
        bars_->data()->clear();
        top_->data()->clear();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    } else {
        showBars(probabilities, false);
    }
    // A compact readout leaves out the heading (its box is titled "Which digit?"): the reason
    // wraps to two lines in a narrow dock and needs the room.
    verdict_->setText(QStringLiteral("%1<span style='font-size:%2pt; font-weight:bold; color:gray'>%3</span>"
                                     "%4%5")
                          .arg(compact_ ? QString() : heading() + QStringLiteral("<br>"))
                          .arg(compact_ ? 14 : 18)
                          .arg(tr("not digit-like"))
                          .arg(mini_ ? QString() : QStringLiteral("<br><span style='color:gray'>%1</span>").arg(why.toHtmlEscaped()))
                          .arg(compact_ ? QString() : noteLine(note)));
    // Mini has one line: the reason is the tooltip there.
    verdict_->setToolTip(mini_ ? (note.isEmpty() ? why : why + QStringLiteral("\n") + note) : note);
}

void ClassReadout::setUnavailable(const QString& why) {
    probs_.clear();
    digitLike_ = true;
    bars_->data()->clear();
    top_->data()->clear();
    verdict_->setText(QStringLiteral("%1<br><span style='color:gray'>%2</span>").arg(heading(), why.toHtmlEscaped()));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QString ClassReadout::verdictText() const {
    QTextDocument doc;
    doc.setHtml(verdict_->text());
    return doc.toPlainText();
}

void ClassReadout::setArrangement(Arrangement a) {
    const bool compact = isSmall(a);
    compact_ = compact;
    mini_ = a == Arrangement::Mini;
    // A small panel keeps the verdict (the top class and its probability) and gives the bars'
    // room to the dream.
    plot_->setVisible(!compact);
    plot_->setMinimumHeight(130);
    // Without height-for-width the label asks for one line of each part; the verdict and a
    // reason that wraps in a narrow dock need about four.
    verdict_->setMinimumHeight(mini_ ? 2 * verdict_->fontMetrics().lineSpacing()
                                     : compact ? 4 * verdict_->fontMetrics().lineSpacing() : 0);
    plot_->yAxis->setLabel(compact ? QString() : quantity_);
    plot_->yAxis->setTickLabels(!compact);
}

void ClassReadout::setQuantity(const QString& quantity) {
    if (quantity == quantity_) return;
    quantity_ = quantity;
    if (!compact_) plot_->yAxis->setLabel(quantity_);
}

// ------------------------------------------------------------------------------ FreeEnergyPlot

FreeEnergyPlot::FreeEnergyPlot(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    plot_ = new QCustomPlot(this);
    plot_->setMinimumHeight(140);
    layout->addWidget(plot_);
    plot_->xAxis->setLabel("Gibbs step t");
    plot_->yAxis->setLabel("free energy F(v_t)");
    plot_->setNotAntialiasedElements(QCP::aeAll);
    plot_->legend->setVisible(true);
    QFont lf = plot_->legend->font();
    lf.setPointSizeF(lf.pointSizeF() * 0.85);
    plot_->legend->setFont(lf);
    plot_->legend->setRowSpacing(-3);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    marker_ = new QCPItemStraightLine(plot_);
    marker_->setPen(QPen(QColor(255, 140, 0), 1, Qt::DashLine));
    marker_->point1->setCoords(0, 0);
    marker_->point2->setCoords(0, 1);
    clear(1);
}

void FreeEnergyPlot::clear(int chains) {
    plot_->clearGraphs();
    for (int c = 0; c < chains; ++c) {
        QCPGraph* g = plot_->addGraph();
        g->setPen(QPen(chainColor(c), 1));
        g->setName(QStringLiteral("chain %1").arg(c + 1));
    }
    maxStep_ = 0;
    plottedUpTo_ = -1;
    plot_->xAxis->setRange(0, 20);
}

void FreeEnergyPlot::follow(const FrameRing& frames) {
    const int n = static_cast<int>(frames.size());
    if (n == 0) return;
    if (plot_->graphCount() != frames.newest().chains) clear(frames.newest().chains);
    int first = n;
    while (first > 0 && frames.at(static_cast<std::size_t>(first - 1)).step() > plottedUpTo_) --first;
    for (int i = first; i < n; ++i) {
        const DreamFrame& f = frames.at(static_cast<std::size_t>(i));
        for (int c = 0; c < plot_->graphCount() && c < static_cast<int>(f.freeEnergy.size()); ++c)
            plot_->graph(c)->addData(f.step(), f.freeEnergy[static_cast<std::size_t>(c)]);
    }
    plottedUpTo_ = frames.newest().step();
    maxStep_ = std::max(maxStep_, plottedUpTo_);
    for (int c = 0; c < plot_->graphCount(); ++c) plot_->graph(c)->data()->removeBefore(frames.at(0).step());
}

void FreeEnergyPlot::setMarker(double step) {
    marker_->point1->setCoords(step, 0);
    marker_->point2->setCoords(step, 1);
}

void FreeEnergyPlot::replot() {
    double lo = 0;
    if (plot_->graphCount() > 0 && plot_->graph(0)->dataCount() > 0) lo = plot_->graph(0)->data()->constBegin()->key;
    plot_->xAxis->setRange(lo, std::max(lo + 20.0, maxStep_ * 1.02 + 1));
    bool first = true;
    QCPRange range;
    for (int c = 0; c < plot_->graphCount(); ++c) {
        bool found = false;
        const QCPRange r = plot_->graph(c)->getValueRange(found);
        if (!found) continue;
        range = first ? r : QCPRange(std::min(range.lower, r.lower), std::max(range.upper, r.upper));
        first = false;
    }
    if (!first) {
        const double pad = std::max(1.0, range.size() * 0.08);
        plot_->yAxis->setRange(range.lower - pad, range.upper + pad);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace studio
