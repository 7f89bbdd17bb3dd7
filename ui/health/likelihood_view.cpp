#include "health/likelihood_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace studio {

struct LikelihoodView::RefItems {
    double value = 0;
    QString label;
    QCPItemStraightLine* line = nullptr;
    QCPItemText* text = nullptr;
};

namespace {

const QColor kHeldOut(31, 94, 200);
const QColor kUnreliable(150, 150, 150);
const QColor kReverse(230, 120, 20);
const QColor kBound(200, 40, 40);
const QColor kTrain(40, 150, 60);
const QColor kPublished(110, 110, 110);
const QColor kBaseline(150, 90, 40);

QCPGraph* makeGraph(QCustomPlot* plot, const QColor& c, const QString& name, QCPScatterStyle::ScatterShape shape,
                    bool line, bool filled, Qt::PenStyle style = Qt::SolidLine) {
    QCPGraph* g = plot->addGraph();
    g->setName(name);
    QPen pen(c);
    pen.setWidth(1);
    pen.setStyle(style);
    g->setPen(pen);
    g->setLineStyle(line ? QCPGraph::lsLine : QCPGraph::lsNone);
    g->setScatterStyle(QCPScatterStyle(shape, c, filled ? c : QColor(Qt::white), 8));
    return g;
}

QString nats(double v) { return std::isfinite(v) ? QString::number(v, 'f', 1) : QStringLiteral("n/a"); }

}  // namespace

std::vector<LikelihoodView::Reference> LikelihoodView::publishedReferences() {
    return {{-125.53, QStringLiteral("CD-1, full MNIST (S&M 2008)")},
            {-105.50, QStringLiteral("CD-3, full MNIST (S&M 2008)")},
            {-86.34, QStringLiteral("CD-25, full MNIST (S&M 2008)")}};
}

LikelihoodView::LikelihoodView(QWidget* parent)
    : QWidget(parent), baselineValue_(std::numeric_limits<double>::quiet_NaN()),
      cursorEpoch_(std::numeric_limits<double>::quiet_NaN()) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Estimate every")));
    every_ = new QSpinBox;
    every_->setRange(0, 100);
    every_->setValue(2);
    every_->setSuffix(tr(" epochs"));
    every_->setSpecialValueText(tr("never"));
    every_->setToolTip(tr("Held-out log-likelihood is estimated in the background at these epochs (AIS takes a few "
                          "seconds to a minute for 500 hidden units; small models are computed exactly)."));
    bar->addWidget(every_);
    now_ = new QPushButton(tr("Estimate now"));
    now_->setToolTip(tr("Estimate the log-likelihood of the model on display"));
    bar->addWidget(now_);
    status_ = new QLabel;
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wraps when narrow: as one line it set the dock's minimum width (at 1280 px the column
    // beside it could not give the step explainer room).
    status_->setWordWrap(true);
    status_->setMinimumWidth(80);
    bar->addWidget(status_, 1);
    layout->addLayout(bar);
    connect(every_, qOverload<int>(&QSpinBox::valueChanged), this, &LikelihoodView::everyEpochsChanged);
    connect(now_, &QPushButton::clicked, this, &LikelihoodView::estimateRequested);

    plot_ = new QCustomPlot;
    plot_->setMinimumHeight(220);
    plot_->setNotAntialiasedElements(QCP::aeAll);
    plot_->setAntialiasedElements(QCP::aeItems | QCP::aeScatters);
    QFont axisFont = font();
    axisFont.setPointSizeF(axisFont.pointSizeF() * 1.05);
    plot_->xAxis->setLabel(tr("epoch"));
    plot_->xAxis->setLabelFont(axisFont);
    // The quantity as a title above the plot: rotated along a short y axis it was cut off.
    auto* title = new QCPTextElement(plot_, tr("Log-likelihood (nats per digit, higher is better)"), axisFont);
    title->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
    title->setMargins(QMargins(6, 2, 0, 0));
    plot_->xAxis->setRange(0, maxEpoch_);
    QSharedPointer<QCPAxisTickerFixed> epochTicks(new QCPAxisTickerFixed);
    epochTicks->setTickStep(1.0);
    epochTicks->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);  // whole epochs, fewer when long
    plot_->xAxis->setTicker(epochTicks);
    plot_->yAxis->setRange(-220, -80);

    heldOut_ = makeGraph(plot_, kHeldOut, tr("held-out (AIS \u00b1 s.e. or exact)"), QCPScatterStyle::ssDisc, true,
                         true);
    QPen heldPen(kHeldOut);
    heldPen.setWidth(2);
    heldOut_->setPen(heldPen);
    heldOutErr_ = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
    heldOutErr_->setDataPlottable(heldOut_);
    heldOutErr_->setPen(QPen(kHeldOut));
    heldOutErr_->removeFromLegend();
    unreliable_ = makeGraph(plot_, kUnreliable, tr("held-out, unreliable AIS"), QCPScatterStyle::ssCircle, false,
                            false);
    reverse_ = makeGraph(plot_, kReverse, tr("held-out, reverse AIS"), QCPScatterStyle::ssTriangle, false, true);
    bound_ = makeGraph(plot_, kBound, tr("upper bound (truth is below)"), QCPScatterStyle::ssTriangleInverted, true, false,
                       Qt::DotLine);
    train_ = makeGraph(plot_, kTrain, tr("training digits"), QCPScatterStyle::ssSquare, true, false, Qt::DashLine);

    // The legend sits in a row under the plot: inside, it would hide the newest points.
    plot_->legend->setVisible(true);
    QFont lf = font();
    lf.setPointSizeF(lf.pointSizeF() * 0.9);
    plot_->legend->setFont(lf);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setWrap(2);  // three a row made the window wider than a 1280 px projector
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // rearranges into rows of 2
    // The legend's two columns must not set the dock's width (at 1280 px the Likelihood tab
    // pushed the controls aside): below that width it goes to one column (fitLegend).
    plot_->setMinimumWidth(240);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, title);
    plot_->plotLayout()->addElement(2, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    plot_->plotLayout()->setRowStretchFactor(2, 0.001);
    plot_->plotLayout()->setRowSpacing(0);
    // The top reference line's label needs its height above the line: known once laid out.
    connect(plot_, &QCustomPlot::afterLayout, this, &LikelihoodView::fitValueAxis);

    for (const Reference& r : publishedReferences()) addReference(r.value, r.label, kPublished);
    layout->addWidget(plot_, 1);

    verdict_ = new QLabel(tr("No estimate yet. Reconstruction error is not the likelihood: this plot is the honest "
                             "measure of how well the model describes digits it has not seen."));
    verdict_->setWordWrap(true);
    verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(verdict_);
    updateRanges();
}

LikelihoodView::~LikelihoodView() = default;

void LikelihoodView::addReference(double value, const QString& label, const QColor& color) {
    auto owned = std::make_unique<RefItems>();
    RefItems* r = owned.get();
    r->value = value;
    r->label = label;
    r->line = new QCPItemStraightLine(plot_);
    QPen pen(color);
    pen.setStyle(Qt::DashLine);
    r->line->setPen(pen);
    r->line->point1->setCoords(0, value);
    r->line->point2->setCoords(1, value);
    r->text = new QCPItemText(plot_);
    r->text->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    r->text->position->setTypeY(QCPItemPosition::ptPlotCoords);
    r->text->position->setAxes(plot_->xAxis, plot_->yAxis);
    r->text->position->setAxisRect(plot_->axisRect());
    r->text->position->setCoords(0.005, value);
    r->text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    r->text->setText(QStringLiteral("%1: %2").arg(label, QString::number(value, 'f', 2)));
    r->text->setColor(color);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    r->text->setFont(f);
    r->text->setClipToAxisRect(true);
    refs_.push_back(std::move(owned));
}

void LikelihoodView::setBaseline(double logLikelihood) {
    baselineValue_ = logLikelihood;
    if (baseline_) {
        plot_->removeItem(baseline_->line);
        plot_->removeItem(baseline_->text);
        refs_.erase(std::find_if(refs_.begin(), refs_.end(), [&](const auto& r) { return r.get() == baseline_; }));
        baseline_ = nullptr;
    }
    if (std::isfinite(logLikelihood)) {
        addReference(logLikelihood, tr("independent pixels, this data"), kBaseline);
        baseline_ = refs_.back().get();
    }
    updateRanges();
}

void LikelihoodView::addPoint(const LikelihoodPoint& p) {
    points_.push_back(p);
    const rbm::LikelihoodReport& r = p.report;
    const bool exact = r.method == "exact";
    if (r.hasTest) {
        if (exact || r.reliable) {
            heldOut_->addData(p.epoch, r.avgLogLikTest);
            heldOutErr_->addData(r.logZStdErr);
        } else {
            unreliable_->addData(p.epoch, r.avgLogLikTest);
        }
        if (r.avgLogLikTestReverse && std::isfinite(*r.avgLogLikTestReverse))
            reverse_->addData(p.epoch, *r.avgLogLikTestReverse);
        if (!exact && std::isfinite(r.upperBoundLogLikTest)) bound_->addData(p.epoch, r.upperBoundLogLikTest);
    }
    if (std::isfinite(r.avgLogLikTrain) && (exact || r.reliable)) train_->addData(p.epoch, r.avgLogLikTrain);
    maxEpoch_ = std::max(maxEpoch_, p.epoch);

    QString text;
    if (exact) {
        text = tr("<b>Epoch %1: held-out %2 nats</b> (exact: every state of the smaller layer enumerated); "
                  "training digits %3. ")
                   .arg(p.epoch, 0, 'f', 0).arg(nats(r.avgLogLikTest)).arg(nats(r.avgLogLikTrain));
    } else if (r.reliable) {
        text = tr("<b>Epoch %1: held-out %2 \u00b1 %3 nats</b> (AIS, ESS %4 of %5 runs; reverse AIS %6; rigorous bound "
                  "\u2264 %7). ")
                   .arg(p.epoch, 0, 'f', 0).arg(nats(r.avgLogLikTest)).arg(r.logZStdErr, 0, 'f', 2)
                   .arg(r.ess, 0, 'f', 0).arg(r.runs)
                   .arg(r.avgLogLikTestReverse ? nats(*r.avgLogLikTestReverse) : tr("n/a"))
                   .arg(nats(r.upperBoundLogLikTest));
    } else {
        text = tr("<b>Epoch %1: held-out \u2264 %2 nats</b> (only the rigorous bound is trustworthy: AIS said %3). ")
                   .arg(p.epoch, 0, 'f', 0).arg(nats(r.upperBoundLogLikTest)).arg(nats(r.avgLogLikTest));
    }
    verdict_->setText(text + QString::fromStdString(r.verdict).toHtmlEscaped());
    updateRanges();
}

void LikelihoodView::showSnapshot(const TrainingSnapshot& s) {
    const double planned = std::max<double>(s.config.epochs, s.epochPosition());
    if (planned > maxEpoch_) {
        maxEpoch_ = planned;
        updateRanges();
    }
}

void LikelihoodView::setStatus(const QString& text) { status_->setText(text); }

void LikelihoodView::setEveryEpochs(int n) {
    const QSignalBlocker block(every_);
    every_->setValue(n);
}

void LikelihoodView::clear() {
    points_.clear();
    for (QCPGraph* g : {heldOut_, unreliable_, reverse_, bound_, train_}) g->data()->clear();
    heldOutErr_->data()->clear();
    verdict_->setText(tr("No estimate yet."));
    status_->clear();
    maxEpoch_ = 1;
    updateRanges();
}

void LikelihoodView::keepUpTo(double epoch) {
    std::vector<LikelihoodPoint> kept;
    for (const LikelihoodPoint& p : points_)
        if (p.epoch <= epoch) kept.push_back(p);
    clear();
    for (const LikelihoodPoint& p : kept) addPoint(p);
}

void LikelihoodView::setCursor(double epoch) {
    cursorEpoch_ = epoch;
    if (!cursor_) {
        cursor_ = new QCPItemStraightLine(plot_);
        cursor_->setPen(QPen(QColor(0, 120, 215), 2));
        cursor_->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
        cursor_->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
    }
    cursor_->setVisible(std::isfinite(epoch));
    if (std::isfinite(epoch)) {
        cursor_->point1->setCoords(epoch, 0);
        cursor_->point2->setCoords(epoch, 1);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

int LikelihoodView::referenceLineCount() const { return int(refs_.size()); }

QStringList LikelihoodView::referenceLabels() const {
    QStringList l;
    for (const auto& r : refs_) l << r->text->text();
    return l;
}

QString LikelihoodView::statusText() const { return status_->text(); }
QString LikelihoodView::verdictText() const { return verdict_->text(); }

void LikelihoodView::updateRanges() {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& r : refs_) {
        lo = std::min(lo, r->value);
        hi = std::max(hi, r->value);
    }
    for (QCPGraph* g : {heldOut_, unreliable_, reverse_, bound_, train_}) {
        bool ok = false;
        const QCPRange gr = g->getValueRange(ok);
        if (!ok) continue;
        // Very poor early models would squash the interesting range: clip at 100 nats below
        // the lowest reference line.
        lo = std::min(lo, std::max(gr.lower, lo - 100));
        hi = std::max(hi, gr.upper);
    }
    if (!std::isfinite(lo)) lo = -220, hi = -80;
    valueLow_ = lo;
    valueHigh_ = hi;
    fitValueAxis();
    plot_->xAxis->setRange(0, std::max(1.0, maxEpoch_) + 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void LikelihoodView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitLegend();
}

void LikelihoodView::fitLegend() {
    QCPLegend* legend = plot_->legend;
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i)  // cells, some empty after a wrap
        if (QCPAbstractLegendItem* item = legend->item(i)) widest = std::max(widest, item->minimumOuterSizeHint().width());
    // Our own width: in a resize the plot inside has not been resized yet.
    const int wrap = 2 * widest + legend->columnSpacing() + 8 <= width() ? 2 : 1;
    if (legend->wrap() == wrap) return;
    legend->setWrap(wrap);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void LikelihoodView::fitValueAxis() {
    // Below: a small margin. Above: the reference labels (drawn above their lines) stay inside,
    // also in a short plot. No replot here: called while a replot lays out.
    const double span = valueHigh_ - valueLow_;
    const double pad = std::max(4.0, span * 0.06);
    double top = pad;
    const double height = plot_->axisRect()->height();
    const double text = refs_.empty() ? 0.0 : QFontMetrics(refs_.front()->text->font()).height() + 4.0;
    if (text > 0 && height > 2 * text) top = std::max(pad, text * (span + pad) / (height - text));
    plot_->yAxis->setRange(valueLow_ - pad, valueHigh_ + top);
    // Fewer ticks in a short plot, so that their labels never touch.
    if (height > 0) {
        const int line = QFontMetrics(plot_->yAxis->tickLabelFont()).height();
        plot_->yAxis->ticker()->setTickCount(std::clamp(int(height) / std::max(1, 2 * line), 2, 5));
    }
    // In a short plot reference lines come close: a label that would cross the one above it
    // is left out (its dashed line stays).
    std::vector<RefItems*> byValue;
    for (const auto& r : refs_) byValue.push_back(r.get());
    std::sort(byValue.begin(), byValue.end(), [](const RefItems* a, const RefItems* b) { return a->value > b->value; });
    double lastShown = -1e9;
    for (RefItems* r : byValue) {
        const double y = plot_->yAxis->coordToPixel(r->value);
        const bool room = height <= 0 || y - lastShown >= text;
        r->text->setVisible(room);
        if (room) lastShown = y;
    }
}

}  // namespace studio
