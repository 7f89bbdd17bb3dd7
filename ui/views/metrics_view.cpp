#include "views/metrics_view.h"

#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace studio {

namespace {
QCPAxisRect* makeRect(QCustomPlot* plot) {
    auto* r = new QCPAxisRect(plot);
    r->setupFullAxesBox(false);
    r->axis(QCPAxis::atTop)->setVisible(false);
    r->axis(QCPAxis::atRight)->setVisible(false);
    r->axis(QCPAxis::atLeft)->ticker()->setTickCount(4);
    r->axis(QCPAxis::atBottom)->grid()->setVisible(true);
    return r;
}

QCPTextElement* makeTitle(QCustomPlot* plot, const QString& text, const QFont& font) {
    auto* t = new QCPTextElement(plot, text, font);
    t->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
    t->setMargins(QMargins(6, 2, 0, 0));
    return t;
}

QCPGraph* makeGraph(QCPAxisRect* r, const QColor& c, const QString& name, bool scatter) {
    QCPGraph* g = r->parentPlot()->addGraph(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
    g->setPen(QPen(c, 1));
    g->setName(name);
    g->setAntialiased(false);
    if (scatter) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 5));
    return g;
}
}  // namespace

MetricsView::MetricsView(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(2, 2, 2, 2);
    plot_ = new QCustomPlot;
    plot_->setNotAntialiasedElements(QCP::aeAll);  // live graphs: no antialiasing
    plot_->setAntialiasedElements(QCP::aeItems);   // marker labels stay legible
    plot_->plotLayout()->clear();
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.9);
    rectRecon_ = makeRect(plot_);
    rectGap_ = makeRect(plot_);
    rectPll_ = makeRect(plot_);
    titleRecon_ = makeTitle(plot_, tr("Reconstruction error (mean squared, per pixel)"), titleFont);
    titleGap_ = makeTitle(plot_, tr("Free-energy gap F(held-out) - F(train)"), titleFont);
    titlePll_ = makeTitle(plot_, tr("Pseudo-log-likelihood"), titleFont);
    // The three plots share the epoch axis and line up their left edges.
    auto* group = new QCPMarginGroup(plot_);
    for (QCPAxisRect* r : {rectRecon_, rectGap_, rectPll_}) {
        r->setMarginGroup(QCP::msLeft | QCP::msRight, group);
        r->setRangeDrag(Qt::Horizontal);
        r->setRangeZoom(Qt::Horizontal);
    }

    batchRaw_ = makeGraph(rectRecon_, QColor(170, 190, 215), tr("batch"), false);
    batchSmooth_ = makeGraph(rectRecon_, QColor(33, 102, 172), tr("batch, smoothed"), false);
    batchSmooth_->setPen(QPen(QColor(33, 102, 172), 1));
    epochTrain_ = makeGraph(rectRecon_, QColor(20, 20, 20), tr("epoch: train subset"), true);
    epochTest_ = makeGraph(rectRecon_, QColor(214, 96, 40), tr("epoch: held-out"), true);
    gap_ = makeGraph(rectGap_, QColor(120, 60, 160), tr("free-energy gap"), true);
    pll_ = makeGraph(rectPll_, QColor(30, 130, 60), tr("pseudo-log-likelihood"), true);

    // A row of its own under the first title: a legend inside the plot covered the curves.
    legend_ = new QCPLegend;
    QFont lf = font();
    lf.setPointSizeF(lf.pointSizeF() * 0.85);
    legend_->setFont(lf);
    legend_->setBrush(Qt::NoBrush);
    legend_->setBorderPen(Qt::NoPen);
    legend_->setRowSpacing(0);
    legend_->setColumnSpacing(12);
    legend_->setMargins(QMargins(6, 0, 6, 0));
    layOut();  // the legend belongs to the plot from here on
    legend_->setLayer(QStringLiteral("legend"));
    for (QCPGraph* g : {batchRaw_, batchSmooth_, epochTrain_, epochTest_}) g->addToLegend(legend_);
    fitLegend();
    // Tick spacing follows each plot's height, known once laid out (applies in the same replot);
    // the legend's wrap follows the laid-out width (a changed wrap shows at the next replot).
    connect(plot_, &QCustomPlot::afterLayout, this, [this] {
        fitTicks();
        if (fitLegend()) plot_->replot(QCustomPlot::rpQueuedReplot);
    });

    v->addWidget(plot_);
    clear();
}

void MetricsView::clear() {
    for (int i = 0; i < plot_->graphCount(); ++i) plot_->graph(i)->data()->clear();
    plot_->clearItems();
    markers_.clear();
    epochs_.clear();
    cursorLines_.clear();  // clearItems() deleted them
    lowerLines_.clear();
    cursorEpoch_ = std::numeric_limits<double>::quiet_NaN();
    lastBatchX_ = -1;
    smooth_ = -1;
    maxX_ = 1;
    epochsPlanned_ = 1;  // a new model's axes: nothing of the last one's range stays
    updateRanges();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

int MetricsView::batchPointCount() const { return batchRaw_->dataCount(); }
int MetricsView::epochPointCount() const { return epochTrain_->dataCount(); }

void MetricsView::addEpoch(const rbm::EpochMetrics& m) {
    if (!epochs_.empty() && m.epoch <= epochs_.back().epoch) return;
    epochs_.push_back(m);
    const double x = double(m.epoch);
    epochTrain_->addData(x, m.trainMse);
    if (m.hasTest) {
        epochTest_->addData(x, m.testMse);
        gap_->addData(x, m.testFreeEnergy - m.trainFreeEnergy);
    }
    pll_->addData(x, m.pseudoLogLikelihood);
    maxX_ = std::max(maxX_, x);
}

void MetricsView::addMarker(double epoch, const QString& text) {
    markers_.push_back({epoch, text});
    const QColor c(200, 40, 40);
    for (QCPAxisRect* r : {rectRecon_, rectGap_, rectPll_}) {
        auto* line = new QCPItemStraightLine(plot_);
        line->setClipAxisRect(r);
        line->setPen(QPen(c, 1, Qt::DashLine));
        for (QCPItemPosition* p : {line->point1, line->point2}) {
            p->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
            p->setAxisRect(r);
            p->setTypeX(QCPItemPosition::ptPlotCoords);
            p->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        line->point1->setCoords(epoch, 0);
        line->point2->setCoords(epoch, 1);
        if (r != rectRecon_) {
            line->setVisible(!reduced_);
            lowerLines_.push_back(line);
        }
    }
    auto* label = new QCPItemText(plot_);
    label->setClipAxisRect(rectRecon_);
    label->position->setAxes(rectRecon_->axis(QCPAxis::atBottom), rectRecon_->axis(QCPAxis::atLeft));
    label->position->setAxisRect(rectRecon_);
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    // Stagger labels so that changes made close together stay readable.
    label->position->setCoords(epoch, 0.04 + 0.09 * double(markers_.size() % 4));
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setText(text);
    label->setColor(c);
    label->setBrush(QColor(255, 255, 255, 220));
    label->setPadding(QMargins(2, 0, 2, 0));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    label->setFont(f);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsView::showSnapshot(const TrainingSnapshot& s) {
    epochsPlanned_ = std::max(1, s.config.epochs);
    for (const BatchPoint& p : s.batchErrors) {
        if (p.epoch <= lastBatchX_) continue;
        lastBatchX_ = p.epoch;
        // Exponential moving average over about 20 batches.
        smooth_ = smooth_ < 0 ? p.mse : 0.95 * smooth_ + 0.05 * p.mse;
        batchRaw_->addData(p.epoch, p.mse);
        batchSmooth_->addData(p.epoch, smooth_);
        maxX_ = std::max(maxX_, p.epoch);
    }
    for (const rbm::EpochMetrics& m : s.epochMetrics) addEpoch(m);
    for (const ConfigChange& c : s.configChanges) {
        if (c.id <= lastChangeId_) continue;
        lastChangeId_ = c.id;
        addMarker(c.epoch, c.text);
    }
    dirty_ = true;
}

void MetricsView::setEpochsPlanned(int epochs) {
    epochsPlanned_ = std::max(1, epochs);
    updateRanges();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsView::refresh() {
    if (!dirty_) return;
    dirty_ = false;
    updateRanges();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsView::showEpochMetrics(const std::vector<rbm::EpochMetrics>& metrics, int epochsPlanned) {
    clear();
    epochsPlanned_ = std::max(1, epochsPlanned);
    for (const rbm::EpochMetrics& m : metrics) addEpoch(m);
    updateRanges();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsView::updateRanges() {
    const double xmax = std::max(double(epochsPlanned_), std::ceil(maxX_ * 1.02));
    for (QCPAxisRect* r : {rectRecon_, rectGap_, rectPll_}) r->axis(QCPAxis::atBottom)->setRange(0, xmax);
    auto fit = [](QCPAxisRect* r, std::initializer_list<QCPGraph*> graphs, bool fromZero) {
        bool found = false;
        QCPRange all;
        for (QCPGraph* g : graphs) {
            bool ok = false;
            const QCPRange gr = g->getValueRange(ok);
            if (!ok) continue;
            all = found ? QCPRange(std::min(all.lower, gr.lower), std::max(all.upper, gr.upper)) : gr;
            found = true;
        }
        if (!found) {  // no data (yet): the empty axes of a new model, not the last model's range
            r->axis(QCPAxis::atLeft)->setRange(fromZero ? 0.0 : -1.0, 1.0);
            return;
        }
        if (fromZero) all.lower = std::min(0.0, all.lower);
        // One point (or a flat line): a sensible window around it, not 1e-6 wide ticks.
        const double span = std::max(all.size(), std::max(0.05 * std::fabs(all.center()), 0.01));
        if (all.size() < span) {
            const double c = all.center();
            all = QCPRange(c - span / 2, c + span / 2);
        }
        r->axis(QCPAxis::atLeft)->setRange(all.lower - 0.05 * span, all.upper + 0.08 * span);
    };
    fit(rectRecon_, {batchRaw_, epochTrain_, epochTest_}, true);
    fit(rectGap_, {gap_}, false);
    fit(rectPll_, {pll_}, false);
}

void MetricsView::setCursor(double epoch) {
    cursorEpoch_ = epoch;
    if (cursorLines_.empty()) {
        for (QCPAxisRect* r : {rectRecon_, rectGap_, rectPll_}) {
            auto* line = new QCPItemStraightLine(plot_);
            line->setClipAxisRect(r);
            line->setPen(QPen(QColor(0, 120, 215), 2));
            for (QCPItemPosition* p : {line->point1, line->point2}) {
                p->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
                p->setAxisRect(r);
                p->setTypeX(QCPItemPosition::ptPlotCoords);
                p->setTypeY(QCPItemPosition::ptAxisRectRatio);
            }
            cursorLines_.push_back(line);
        }
    }
    for (QCPItemStraightLine* line : cursorLines_) {
        line->setVisible(std::isfinite(epoch) && (line == cursorLines_.front() || !reduced_));
        if (!std::isfinite(epoch)) continue;
        line->point1->setCoords(epoch, 0);
        line->point2->setCoords(epoch, 1);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace studio

namespace studio {

std::vector<QCPAxisRect*> MetricsView::shownRects() const {
    if (reduced_) return {rectRecon_};
    return {rectRecon_, rectGap_, rectPll_};
}

void MetricsView::layOut() {
    QCPLayoutGrid* grid = plot_->plotLayout();
    for (int i = grid->elementCount() - 1; i >= 0; --i) grid->takeAt(i);  // kept, laid out again below
    grid->simplify();
    int row = 0;
    auto add = [&](QCPLayoutElement* e, double stretch) {
        grid->addElement(row, 0, e);
        grid->setRowStretchFactor(row, stretch);  // titles and legend: their own height only
        ++row;
    };
    add(titleRecon_, 0.001);
    add(legend_, 0.001);
    add(rectRecon_, 1.6);
    if (!reduced_) {
        add(titleGap_, 0.001);
        add(rectGap_, 1);
        add(titlePll_, 0.001);
        add(rectPll_, 1);
    }
    for (QCPLayoutElement* e : std::initializer_list<QCPLayoutElement*>{titleGap_, rectGap_, titlePll_, rectPll_})
        e->setVisible(!reduced_);
    for (QCPGraph* g : {gap_, pll_}) g->setVisible(!reduced_);
    for (QCPItemStraightLine* line : lowerLines_) line->setVisible(!reduced_);
    for (std::size_t i = 1; i < cursorLines_.size(); ++i) cursorLines_[i]->setVisible(!reduced_ && std::isfinite(cursorEpoch_));
    // One epoch axis with numbers and its name: the lowest plot's.
    const std::vector<QCPAxisRect*> shown = shownRects();
    for (QCPAxisRect* r : {rectRecon_, rectGap_, rectPll_}) {
        const bool lowest = r == shown.back();
        r->axis(QCPAxis::atBottom)->setTickLabels(lowest);
        r->axis(QCPAxis::atBottom)->setLabel(lowest ? tr("epoch") : QString());
    }
    fitLegend();
}

void MetricsView::setReduced(bool reduced) {
    if (reduced == reduced_) return;
    reduced_ = reduced;
    layOut();
    // One plot instead of three: a smaller minimum. QCustomPlot does not say so itself, and the
    // docks kept the three plots' minimum (the classroom's filters got a third of their column).
    plot_->updateGeometry();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

bool MetricsView::fitLegend() {
    // The widest wrap whose row fits the plot's width (4, 2 or 1 entries a row). The plot's own
    // width once it is laid out; before that (or in a resize, the plot not resized yet) ours.
    const int room = (plot_->viewport().width() > 0 ? std::min(plot_->viewport().width(), width()) : width()) - 16;
    int widest = 0;
    for (int i = 0; i < legend_->itemCount(); ++i)  // cells, some empty after a wrap
        if (QCPAbstractLegendItem* item = legend_->item(i)) widest = std::max(widest, item->minimumOuterSizeHint().width());
    int wrap = 1;
    for (int w : {4, 2})
        if (widest * w + legend_->columnSpacing() * (w - 1) <= room) {
            wrap = w;
            break;
        }
    if (legend_->wrap() == wrap) return false;
    legend_->setWrap(wrap);
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    return true;
}

void MetricsView::fitTicks() {
    for (QCPAxisRect* r : shownRects()) {
        QCPAxis* y = r->axis(QCPAxis::atLeft);
        const int line = QFontMetrics(y->tickLabelFont()).height();
        y->ticker()->setTickCount(std::clamp(r->height() / std::max(1, 2 * line), 2, 5));
    }
}

void MetricsView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (fitLegend()) plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricsView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    // A zoom changes the plot's fonts just after the widgets': measure the legend after both.
    if (event->type() == QEvent::FontChange)
        QTimer::singleShot(0, this, [this] { plot_->replot(QCustomPlot::rpQueuedReplot); });  // fits on layout
}

}  // namespace studio
