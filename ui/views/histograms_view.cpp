#include "views/histograms_view.h"

#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "rbm/metrics.h"

namespace studio {

namespace {
constexpr int kBins = 41;
const char* const kTitles[6] = {"weights W", "visible bias b", "hidden bias c",
                                "last update dW", "last update db", "last update dc"};
const QColor kParamColor(70, 110, 170);
const QColor kUpdateColor(200, 110, 40);

/// A ratio people can read: rbm::updateRatio is NaN without an update of this size and +inf
/// for a step away from zero parameters; neither has a size, both show as "-".
bool shown(double r) { return std::isfinite(r) && r > 0; }

QString ratioHtml(const char* name, double r) {
    // Hinton's guide: weight updates about 1e-3 of the weights. Colour by decades from it.
    QString colour = "#1a7f37";
    if (!shown(r)) colour = "#777777";
    else if (r > 1e-2 || r < 1e-4) colour = "#c62828";
    else if (r > 3e-3 || r < 3e-4) colour = "#b26a00";
    return QStringLiteral("%1 <span style='color:%2'><b>%3</b></span>")
        .arg(QString::fromLatin1(name), colour, shown(r) ? QString::number(r, 'e', 1) : QStringLiteral("-"));
}
}  // namespace

HistogramsView::HistogramsView(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(2, 2, 2, 2);
    v->setSpacing(2);
    ratioLabel_ = new QLabel;
    ratioLabel_->setTextFormat(Qt::RichText);
    ratioLabel_->setWordWrap(true);  // wraps rather than widen the window past 1280 px
    ratioLabel_->setToolTip(tr("Size of the last step relative to the parameters. Hinton's rule of "
                               "thumb: about 1e-3 for the weights. Much larger: learning rate too high; "
                               "much smaller: learning is slow."));
    v->addWidget(ratioLabel_);
    plot_ = new QCustomPlot;
    plot_->setNotAntialiasedElements(QCP::aeAll);
    plot_->plotLayout()->clear();
    plot_->plotLayout()->setRowSpacing(0);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.9);
    QFont tickFont = font();
    tickFont.setPointSizeF(tickFont.pointSizeF() * 0.75);
    for (int i = 0; i < 6; ++i) {
        const int row = (i / 3) * 2, col = i % 3;
        titles_[std::size_t(i)] = new QCPTextElement(plot_, QString::fromLatin1(kTitles[i]), titleFont);
        titles_[std::size_t(i)]->setMargins(QMargins(0, 2, 0, 0));
        plot_->plotLayout()->addElement(row, col, titles_[std::size_t(i)]);
        auto* rect = new QCPAxisRect(plot_);
        rect->setupFullAxesBox(false);
        rect->axis(QCPAxis::atTop)->setVisible(false);
        rect->axis(QCPAxis::atRight)->setVisible(false);
        rect->axis(QCPAxis::atLeft)->setTickLabels(false);
        rect->axis(QCPAxis::atBottom)->setTickLabelFont(tickFont);
        rect->axis(QCPAxis::atBottom)->ticker()->setTickCount(3);
        rect->setMinimumMargins(QMargins(4, 2, 6, 2));
        plot_->plotLayout()->addElement(row + 1, col, rect);
        auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        bars->setPen(Qt::NoPen);
        bars->setBrush(i < 3 ? kParamColor : kUpdateColor);
        bars->setWidthType(QCPBars::wtPlotCoords);
        rects_[std::size_t(i)] = rect;
        bars_[std::size_t(i)] = bars;
    }
    v->addWidget(plot_, 1);
    clear();
}

void HistogramsView::clear() {
    for (auto* b : bars_) b->data()->clear();
    ratios_ = {};
    ratioLabel_->setText(tr("|update| / |parameter|: no training step yet (Hinton: about 1e-3 for W)"));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double HistogramsView::binTotal(int panel) const {
    double total = 0;
    for (auto it = bars_[std::size_t(panel)]->data()->constBegin(); it != bars_[std::size_t(panel)]->data()->constEnd(); ++it)
        total += it->value;
    return total;
}

void HistogramsView::setPanel(int panel, const float* values, std::size_t n) {
    QCPBars* bars = bars_[std::size_t(panel)];
    if (n == 0) {
        bars->data()->clear();
        return;
    }
    float lo = values[0], hi = values[0];
    for (std::size_t i = 1; i < n; ++i) {
        lo = std::min(lo, values[i]);
        hi = std::max(hi, values[i]);
    }
    if (!std::isfinite(lo) || !std::isfinite(hi)) return;
    // Symmetric range around zero for W and the updates (shows drift of the mean at a glance).
    double a = lo, b = hi;
    if (panel == 0 || panel >= 3) {
        const double m = std::max(std::fabs(a), std::fabs(b));
        a = -m;
        b = m;
    }
    if (b - a < 1e-12) {
        a -= 0.5;
        b += 0.5;
    }
    const double width = (b - a) / kBins;
    QVector<double> keys(kBins), counts(kBins, 0.0);
    for (int k = 0; k < kBins; ++k) keys[k] = a + (k + 0.5) * width;
    for (std::size_t i = 0; i < n; ++i) {
        int k = int((double(values[i]) - a) / width);
        k = std::clamp(k, 0, kBins - 1);
        counts[k] += 1.0;
    }
    bars->setWidth(width * 0.9);
    bars->setData(keys, counts, true);  // a histogram is replaced whole: it has no history
    QCPAxisRect* r = rects_[std::size_t(panel)];
    r->axis(QCPAxis::atBottom)->setRange(a, b);
    r->axis(QCPAxis::atLeft)->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.08);
}

void HistogramsView::showModel(const rbm::Rbm& m) {
    setPanel(0, m.W.data(), std::size_t(m.W.size()));
    setPanel(1, m.visibleBias.data(), std::size_t(m.visibleBias.size()));
    setPanel(2, m.hiddenBias.data(), std::size_t(m.hiddenBias.size()));
    for (int i = 3; i < 6; ++i) bars_[std::size_t(i)]->data()->clear();
    ratios_ = {};
    ratioLabel_->setText(tr("|update| / |parameter|: no training step in this model (Hinton: about 1e-3 for W)"));
    ++updates_;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramsView::showSnapshot(const TrainingSnapshot& s) {
    if (!s.hasUpdates()) {
        showModel(s.model);
        return;
    }
    const rbm::Rbm& m = s.model;
    setPanel(0, m.W.data(), std::size_t(m.W.size()));
    setPanel(1, m.visibleBias.data(), std::size_t(m.visibleBias.size()));
    setPanel(2, m.hiddenBias.data(), std::size_t(m.hiddenBias.size()));
    setPanel(3, s.weightUpdate.data(), std::size_t(s.weightUpdate.size()));
    setPanel(4, s.visibleBiasUpdate.data(), std::size_t(s.visibleBiasUpdate.size()));
    setPanel(5, s.hiddenBiasUpdate.data(), std::size_t(s.hiddenBiasUpdate.size()));
    ratios_[0] = rbm::updateRatio(s.weightUpdate, m.W);
    ratios_[1] = rbm::updateRatio(s.visibleBiasUpdate, m.visibleBias);
    ratios_[2] = rbm::updateRatio(s.hiddenBiasUpdate, m.hiddenBias);
    ratioLabel_->setText(tr("|update|/|param| (Hinton: ~1e-3 for W): %1 &nbsp; %2 &nbsp; %3")
                             .arg(ratioHtml("W", ratios_[0]), ratioHtml("b", ratios_[1]), ratioHtml("c", ratios_[2])));
    titles_[3]->setText(shown(ratios_[0]) ? QStringLiteral("last update dW  (|dW|/|W| = %1)").arg(ratios_[0], 0, 'e', 1)
                                          : QStringLiteral("last update dW"));
    ++updates_;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace studio
