#include "lab/exact_lab_view.h"

#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "lab/pattern_strip.h"

namespace studio {

namespace {

const QColor kModelInData(0x1f, 0x5f, 0xbf);
const QColor kModelOther(0x9e, 0x9e, 0x9e);
const QColor kData(0xef, 0x8a, 0x17);
constexpr double kBarWidth = 0.4;

QCPBars* makeBars(QCustomPlot* plot, const QColor& c, const QString& name) {
    auto* b = new QCPBars(plot->xAxis, plot->yAxis);
    b->setName(name);
    b->setPen(QPen(c.darker(130)));
    b->setBrush(c);
    b->setWidth(kBarWidth);
    return b;
}

double sumOf(const QCPBars* b) {
    double s = 0;
    for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it) s += it->value;
    return s;
}

QString thousands(std::size_t n) { return QLocale(QLocale::English).toString(qulonglong(n)); }

}  // namespace

ExactLabView::ExactLabView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    reason_ = new QLabel;
    reason_->setWordWrap(true);
    reason_->setObjectName(QStringLiteral("exactLabReason"));
    layout->addWidget(reason_);

    body_ = new QWidget;
    auto* body = new QVBoxLayout(body_);
    body->setContentsMargins(0, 0, 0, 0);
    numbers_ = new QLabel;
    numbers_->setWordWrap(true);
    numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body->addWidget(numbers_);

    plot_ = new QCustomPlot;
    plot_->setMinimumHeight(200);
    plot_->setNotAntialiasedElements(QCP::aeAll);
    plot_->xAxis->setLabel(tr("patterns by model probability (last bar: all the others)"));
    plot_->yAxis->setLabel(tr("probability"));
    modelInData_ = makeBars(plot_, kModelInData, tr("model p(v), a training pattern"));
    modelOther_ = makeBars(plot_, kModelOther, tr("model p(v), not in the data"));
    dataBars_ = makeBars(plot_, kData, tr("data q(v)"));
    plot_->legend->setVisible(true);
    restLabel_ = new QCPItemText(plot_);
    restLabel_->setPositionAlignment(Qt::AlignBottom | Qt::AlignRight);
    restLabel_->position->setType(QCPItemPosition::ptPlotCoords);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    body->addWidget(plot_, 1);

    auto* caption = new QLabel(tr("Most probable patterns under the model (green frame: a training pattern):"));
    body->addWidget(caption);
    strip_ = new PatternStrip;
    body->addWidget(strip_);
    layout->addWidget(body_, 1);
    showReason(tr("Exact lab: no model yet."));
}

ExactLabView::~ExactLabView() = default;  // job_ cancels and joins first

void ExactLabView::setData(const std::shared_ptr<const rbm::Dataset>& train) {
    data_ = std::make_shared<const ExactLabData>(train ? exactLabData(*train) : ExactLabData{});
    shown_.reset();
}

void ExactLabView::setModel(std::shared_ptr<const rbm::Rbm> model, double epoch) {
    if (!model) {
        pending_.reset();
        shown_.reset();
        showReason(tr("Exact lab: no model yet."));
        return;
    }
    const ExactLabData empty;
    const std::string reason = exactLabUnavailableReason(*model, data_ ? *data_ : empty);
    if (!reason.empty()) {
        pending_.reset();
        job_.cancel();
        shown_.reset();
        showReason(QString::fromStdString(reason));
        return;
    }
    pending_ = std::move(model);
    pendingEpoch_ = epoch;
    startNext();
}

void ExactLabView::startNext() {
    if (!pending_ || job_.active()) return;
    std::shared_ptr<const rbm::Rbm> model = std::move(pending_);
    pending_.reset();
    std::shared_ptr<const ExactLabData> labData = data_;
    const double epoch = pendingEpoch_;
    job_.start(
        [model, labData, epoch](const JobContext& ctx) {
            ExactLabResult r = computeExactLab(*model, *labData, kTopPatterns, ctx.cancelFlag());
            r.epoch = epoch;
            return r;
        },
        [this](BackgroundJob<ExactLabResult>::Outcome o) {
            if (o.ok()) display(*o.result);
            else if (!o.cancelled) showReason(o.error);
            startNext();
        });
}

void ExactLabView::showReason(const QString& reason) {
    reason_->setText(reason);
    reason_->show();
    body_->setVisible(false);
}

void ExactLabView::display(const ExactLabResult& r) {
    shown_ = r;
    reason_->hide();
    body_->setVisible(true);
    const rbm::ExactFit& f = r.fit;
    numbers_->setText(tr("<b>Exact</b> mean log-likelihood <b>%1</b> nats (best possible %2 = \u2212H(data)) \u00b7 "
                         "KL(data \u2016 model) <b>%3</b> nats \u00b7 log Z %4 \u00b7 %5 training patterns of all %6 \u00b7 "
                         "epoch %7 \u00b7 enumerated in %8 ms")
                          .arg(f.meanLogLikelihood, 0, 'f', 4)
                          .arg(-f.dataEntropy, 0, 'f', 4)
                          .arg(f.kl, 0, 'f', 4)
                          .arg(f.logZ, 0, 'f', 3)
                          .arg(f.distinctPatterns)
                          .arg(thousands(r.patterns))
                          .arg(r.epoch, 0, 'f', 1)
                          .arg(r.milliseconds, 0, 'f', 0));

    QVector<double> xIn, yIn, xOut, yOut, xData, yData;
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    double top = 0;
    for (std::size_t i = 0; i < r.bars.size(); ++i) {
        const ExactLabBar& b = r.bars[i];
        const double x = double(i);
        (b.inData ? xIn : xOut).push_back(x - kBarWidth / 2);
        (b.inData ? yIn : yOut).push_back(b.model);
        if (b.data > 0) {
            xData.push_back(x + kBarWidth / 2);
            yData.push_back(b.data);
        }
        // The rest bar may hold almost all the mass early on: the axis fits the listed bars,
        // and a label gives the rest's value when it is cut off.
        if (!b.rest) top = std::max({top, b.model, b.data});
        if (b.rest) ticks->addTick(x, tr("other %1").arg(thousands(b.restPatterns)));
        else if (i % 5 == 0) ticks->addTick(x, QString::number(i + 1));
    }
    modelInData_->setData(xIn, yIn, true);
    modelOther_->setData(xOut, yOut, true);
    dataBars_->setData(xData, yData, true);
    plot_->xAxis->setTicker(ticks);
    plot_->xAxis->setRange(-0.8, double(r.bars.size()) - 0.2);
    const double yTop = std::max(1e-3, top * 1.15);
    plot_->yAxis->setRange(0, yTop);
    const ExactLabBar& rest = r.bars.back();
    restLabel_->setVisible(rest.model > yTop);
    restLabel_->position->setCoords(double(r.bars.size()) - 1.0, yTop * 0.98);
    restLabel_->setText(tr("all the others: %1 \u2192").arg(rest.model, 0, 'f', 3));
    plot_->replot(QCustomPlot::rpQueuedReplot);

    std::vector<PatternStrip::Pattern> patterns;
    for (const ExactLabBar& b : r.bars)
        if (!b.rest && patterns.size() < 32) patterns.push_back({patternImage(b.pattern, r.rows, r.cols), b.model, b.inData});
    strip_->setPatterns(std::move(patterns));
    emit resultShown();
}

bool ExactLabView::available() const { return shown_.has_value(); }
QString ExactLabView::reasonText() const { return reason_->isVisible() || !shown_ ? reason_->text() : QString(); }
QString ExactLabView::numbersText() const { return numbers_->text(); }
double ExactLabView::modelBarSum() const { return sumOf(modelInData_) + sumOf(modelOther_); }
double ExactLabView::dataBarSum() const { return sumOf(dataBars_); }
int ExactLabView::barCount() const { return modelInData_->data()->size() + modelOther_->data()->size(); }
int ExactLabView::patternImages() const { return strip_->count(); }

}  // namespace studio
