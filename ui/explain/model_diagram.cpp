#include "explain/model_diagram.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <cmath>
#include <initializer_list>

namespace studio {

namespace {

bool in(StepStage s, std::initializer_list<StepStage> stages) {
    for (StepStage x : stages)
        if (x == s) return true;
    return false;
}

/// An arrow from circle a to circle b (radius r), its head at b's rim.
void arrow(QPainter& p, QPointF a, QPointF b, double r) {
    const QPointF d = b - a;
    const double len = std::hypot(d.x(), d.y());
    if (len < 2 * r) return;
    const QPointF u = d / len;
    const QPointF from = a + u * r, to = b - u * (r + 1);
    p.drawLine(from, to);
    const QPointF n(-u.y(), u.x());
    QPolygonF head;
    head << to << to - u * 9 + n * 4.5 << to - u * 9 - n * 4.5;
    p.save();
    p.setBrush(p.pen().color());
    p.drawPolygon(head);
    p.restore();
}

}  // namespace

ModelDiagram::ModelDiagram(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setMinimumHeight(minimumSizeHint().height());
    setToolTip(tr("One CD step: the data v\u2070 drives the hidden units h\u2070, they reconstruct v\u00B9, which drives h\u00B9; "
                  "the update compares the pairs. Click a node to go to its stage."));
}

void ModelDiagram::setStage(StepStage stage, bool persistent, int k) {
    stage_ = stage;
    persistent_ = persistent;
    k_ = k;
    update();
}

ModelDiagram::Geometry ModelDiagram::geometry() const {
    Geometry g;
    const double w = width(), h = height();
    g.radius = std::clamp(std::min(w / 16.0, h / 6.0), 11.0, 24.0);
    const double top = h * 0.27, bottom = h * 0.73;
    g.v0 = {w * 0.09, bottom};
    g.h0 = {w * 0.29, top};
    g.v1 = {w * 0.49, bottom};
    g.h1 = {w * 0.69, top};
    g.update = {w * 0.89, h * 0.5};
    return g;
}

void ModelDiagram::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Geometry g = geometry();
    const QPalette& pal = palette();
    const QColor on = pal.color(QPalette::Highlight), ink = pal.color(QPalette::WindowText);
    const QColor faded = pal.color(QPalette::Mid);
    const StepStage s = stage_;
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.1);
    p.setFont(f);

    auto pen = [&](bool lit, double width = 1.6) { return QPen(lit ? on : ink, lit ? width + 1.4 : width); };
    // The two pairs whose products are the statistics.
    p.setPen(QPen(in(s, {StepStage::PositiveStatistics}) ? on : faded, in(s, {StepStage::PositiveStatistics}) ? 5 : 1,
                  Qt::DotLine));
    p.drawLine(g.v0, g.h0);
    p.setPen(QPen(in(s, {StepStage::NegativeStatistics}) ? on : faded, in(s, {StepStage::NegativeStatistics}) ? 5 : 1,
                  Qt::DotLine));
    p.drawLine(g.v1, g.h1);

    p.setPen(pen(s == StepStage::HiddenProbability));
    arrow(p, g.v0, g.h0, g.radius);
    if (persistent_) {
        // The chain does not come from h0: drawn faint, and the chain's own sweeps as a loop.
        p.setPen(QPen(faded, 1, Qt::DashLine));
        arrow(p, g.h0, g.v1, g.radius);
        const bool lit = in(s, {StepStage::Reconstruction, StepStage::NegativeVisible});
        p.setPen(pen(lit));
        p.setBrush(Qt::NoBrush);
        const QRectF loop(g.v1.x() - g.radius * 0.9, g.v1.y() + g.radius * 0.4, g.radius * 1.8, g.radius * 1.5);
        p.drawArc(loop, 150 * 16, 240 * 16);
        p.drawText(QRectF(loop.right() + 2, loop.top(), 90, loop.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("%n sweep(s)", nullptr, k_));
    } else {
        p.setPen(pen(s == StepStage::Reconstruction));
        arrow(p, g.h0, g.v1, g.radius);
    }
    p.setPen(pen(s == StepStage::NegativeHidden));
    arrow(p, g.v1, g.h1, g.radius);

    struct Node {
        QPointF at;
        QString label;
        bool lit;
    };
    const QString v1Label = persistent_ ? QStringLiteral("\u1E7D") : (k_ == 1 ? QStringLiteral("v\u00B9") : QStringLiteral("v\u1D4F"));
    const QString h1Label = k_ == 1 && !persistent_ ? QStringLiteral("h\u00B9") : QStringLiteral("h\u1D4F");
    const Node nodes[] = {
        {g.v0, QStringLiteral("v\u2070"), in(s, {StepStage::Data, StepStage::PositiveStatistics})},
        {g.h0, QStringLiteral("h\u2070"), in(s, {StepStage::HiddenProbability, StepStage::HiddenSample, StepStage::PositiveStatistics})},
        {g.v1, v1Label, in(s, {StepStage::Reconstruction, StepStage::NegativeVisible, StepStage::NegativeStatistics})},
        {g.h1, h1Label, in(s, {StepStage::NegativeHidden, StepStage::NegativeStatistics})},
    };
    for (const Node& n : nodes) {
        p.setPen(pen(n.lit));
        p.setBrush(n.lit ? on.lighter(170) : pal.color(QPalette::Base));
        p.drawEllipse(n.at, g.radius, g.radius);
        p.setPen(pal.color(n.lit ? QPalette::HighlightedText : QPalette::Text));
        if (n.lit) p.setPen(ink);
        p.drawText(QRectF(n.at.x() - g.radius, n.at.y() - g.radius, 2 * g.radius, 2 * g.radius), Qt::AlignCenter, n.label);
    }
    // The sample: binary states drawn as a coin under h0.
    if (s == StepStage::HiddenSample) {
        p.setPen(on);
        p.drawText(QRectF(g.h0.x() - 40, g.h0.y() - g.radius - 20, 80, 18), Qt::AlignCenter, tr("0 / 1"));
    }
    // Layer names on the left, the update on the right.
    p.setPen(faded.darker(130));
    QFont small = font();
    p.setFont(small);
    p.drawText(QRectF(0, 0, width(), 16), Qt::AlignLeft | Qt::AlignTop, tr("hidden"));
    p.drawText(QRectF(0, height() - 16, width(), 16), Qt::AlignLeft | Qt::AlignBottom, tr("visible"));
    const bool lit = s == StepStage::WeightChange;
    const QRectF box(g.update.x() - g.radius * 1.5, g.update.y() - g.radius, g.radius * 3, g.radius * 2);
    p.setPen(pen(lit));
    p.setBrush(lit ? on.lighter(170) : pal.color(QPalette::Base));
    p.drawRoundedRect(box, 5, 5);
    p.setFont(f);
    p.setPen(ink);
    p.drawText(box, Qt::AlignCenter, QStringLiteral("\u0394W"));
}

void ModelDiagram::mousePressEvent(QMouseEvent* e) {
    const Geometry g = geometry();
    const QPointF at = e->position();
    auto near = [&](QPointF c, double r) { return std::hypot(at.x() - c.x(), at.y() - c.y()) <= r; };
    if (near(g.v0, g.radius)) emit stageClicked(StepStage::Data);
    else if (near(g.h0, g.radius)) emit stageClicked(StepStage::HiddenProbability);
    else if (near(g.v1, g.radius)) emit stageClicked(StepStage::NegativeVisible);
    else if (near(g.h1, g.radius)) emit stageClicked(StepStage::NegativeHidden);
    else if (near(g.update, g.radius * 1.6)) emit stageClicked(StepStage::WeightChange);
}

}  // namespace studio
