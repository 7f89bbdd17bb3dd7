#include "views/hidden_activity_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

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
    left->addWidget(caption);
    canvas_ = new ImageCanvas;
    canvas_->setStretch(true);
    canvas_->setPlaceholderText(tr("Hidden activity appears when training starts"));
    left->addWidget(canvas_, 1);
    h->addLayout(left, 3);

    auto* right = new QVBoxLayout;
    counts_ = new QLabel;
    counts_->setTextFormat(Qt::RichText);
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
    rbm::Vector mean = s.meanHiddenActivity;
    if (mean.size() == 0 && s.batchHidden.rows() > 0) mean = s.batchHidden.colwise().mean().transpose();
    if (mean.size() == 0) return;
    QVector<double> keys(kBins), counts(kBins, 0.0);
    for (int k = 0; k < kBins; ++k) keys[k] = (k + 0.5) / kBins;
    dead_ = saturated_ = 0;
    for (int j = 0; j < mean.size(); ++j) {
        const float a = mean(j);
        if (a < 0.01f) ++dead_;
        if (a > 0.99f) ++saturated_;
        counts[std::clamp(int(a * kBins), 0, kBins - 1)] += 1.0;
    }
    bars_->setData(keys, counts, true);
    plot_->yAxis->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.1 + 1);
    auto colour = [](int n) { return n > 0 ? QStringLiteral("#c62828") : QStringLiteral("#1a7f37"); };
    counts_->setText(tr("<span style='color:%1'>dead (&lt;0.01): <b>%2</b></span> &nbsp; "
                        "<span style='color:%3'>saturated (&gt;0.99): <b>%4</b></span> &nbsp; of %5")
                         .arg(colour(dead_)).arg(dead_).arg(colour(saturated_)).arg(saturated_).arg(mean.size()));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace studio
