#include "views/hidden_activity_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>
#include <utility>

#include "rbm/metrics.h"
#include "views/image_builders.h"
#include "views/image_canvas.h"

namespace studio {

namespace {
constexpr int kBins = 20;
}

HiddenActivityView::HiddenActivityView(QWidget* parent) : QWidget(parent) {
    auto* h = new QHBoxLayout(this);
    h->setContentsMargins(2, 2, 2, 2);
    auto* left = new QVBoxLayout;
    auto* caption = new QLabel(tr("p(h|v): examples (rows) x hidden units (columns)"));
    caption->setStyleSheet(QStringLiteral("color: palette(mid);"));
    caption->setWordWrap(true);
    left->addWidget(caption);
    canvas_ = new ImageCanvas;
    canvas_->setStretch(true);
    canvas_->setPlaceholderText(tr("Hidden activity appears when training starts"));
    left->addWidget(canvas_, 1);
    h->addLayout(left, 3);

    auto* right = new QVBoxLayout;
    counts_ = new QLabel;
    counts_->setTextFormat(Qt::RichText);
    counts_->setWordWrap(true);  // wraps rather than widen the window past 1280 px
    right->addWidget(counts_);
    plot_ = new QCustomPlot;
    plot_->setNotAntialiasedElements(QCP::aeAll);
    plot_->xAxis->setLabel(tr("mean activity"));
    plot_->xAxis->setRange(0, 1);
    plot_->yAxis->setLabel(tr("units"));
    plot_->axisRect()->setMinimumMargins(QMargins(4, 2, 4, 2));
    bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars_->setWidth(1.0 / kBins * 0.9);
    bars_->setPen(Qt::NoPen);
    bars_->setBrush(QColor(90, 90, 90));
    right->addWidget(plot_, 1);
    // As many activity ticks as fit the axis with room between them: in a narrow dock the five
    // labels 0 .. 1 ran together. Applied at the next replot (the axis is laid out by then).
    connect(plot_, &QCustomPlot::afterLayout, this, [this] {
        QCPAxis* x = plot_->xAxis;
        const int label = QFontMetrics(x->tickLabelFont()).horizontalAdvance(QStringLiteral("0.88"));
        const int count = std::clamp(plot_->axisRect()->width() * 2 / std::max(1, 3 * label), 2, 5);
        if (x->ticker()->tickCount() == count) return;
        x->ticker()->setTickCount(count);
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    h->addLayout(right, 2);
    clear();
}

const QImage& HiddenActivityView::image() const { return canvas_->image(); }

void HiddenActivityView::clear() {
    canvas_->setImage(QImage());
    canvas_->setPlaceholderText(tr("Hidden activity appears when training starts"));
    bars_->data()->clear();
    counts_->setText(tr("dead: - &nbsp; saturated: -"));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HiddenActivityView::showSnapshot(const TrainingSnapshot& s) {
    if (s.batchHidden.size() > 0) {
        canvas_->setPlaceholderText({});
        canvas_->setImage(buildActivityImage(s.batchHidden));
    }
    // The running mean over training when the worker keeps one, else this batch's mean.
    rbm::Vector mean = s.meanHiddenActivity;
    if (mean.size() == 0 && s.batchHidden.rows() > 0) mean = s.batchHidden.colwise().mean().transpose();
    if (mean.size() == 0) return;
    const rbm::HiddenActivity units = rbm::classifyUnits(std::move(mean));
    dead_ = units.dead;
    saturated_ = units.saturated;
    QVector<double> keys(kBins), counts(kBins, 0.0);
    for (int k = 0; k < kBins; ++k) keys[k] = (k + 0.5) / kBins;
    for (int j = 0; j < units.mean.size(); ++j) counts[std::clamp(int(units.mean(j) * kBins), 0, kBins - 1)] += 1.0;
    bars_->setData(keys, counts, true);
    plot_->yAxis->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.1 + 1);
    auto colour = [](int n) { return n > 0 ? QStringLiteral("#c62828") : QStringLiteral("#1a7f37"); };
    counts_->setText(tr("<span style='color:%1'>dead (&lt;%2): <b>%3</b></span> &nbsp; "
                        "<span style='color:%4'>saturated (&gt;%5): <b>%6</b></span> &nbsp; of %7")
                         .arg(colour(dead_))
                         .arg(double(rbm::kDeadBelow), 0, 'g', 2)
                         .arg(dead_)
                         .arg(colour(saturated_))
                         .arg(double(rbm::kSaturatedAbove), 0, 'g', 2)
                         .arg(saturated_)
                         .arg(units.mean.size()));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace studio
