#include "explain/step_stages.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>

namespace studio {

namespace {

QString tr(const char* s, const char* c = nullptr, int n = -1) { return QCoreApplication::translate("StepStages", s, c, n); }

/// Two decimals, or two significant digits for small values; a real minus sign.
QString num(double x) {
    QString s = (x != 0.0 && std::abs(x) < 0.01) ? QString::number(x, 'g', 2) : QString::number(x, 'f', 2);
    return s.replace(QLatin1Char('-'), QChar(0x2212));
}

QString sub(int i) { return QStringLiteral("<sub>%1</sub>").arg(i); }
QString sub2(int i, int j) { return QStringLiteral("<sub>%1,%2</sub>").arg(i).arg(j); }
bool pcd(const rbm::CdStepTrace& t) { return t.algorithm == rbm::Algorithm::PCD; }
/// v¹ for CD-1, v^k for CD-k, ṽ for PCD (the chain).
QString negName(const rbm::CdStepTrace& t) {
    if (pcd(t)) return QStringLiteral("\u1E7D");
    return t.k == 1 ? QStringLiteral("v\u00B9") : QStringLiteral("v<sup>%1</sup>").arg(t.k);
}

int argMax(const rbm::Vector& v) {
    if (v.size() == 0) return -1;
    Eigen::Index i = 0;
    v.maxCoeff(&i);
    return int(i);
}

QImage visibleImage(const rbm::Rbm& m, const rbm::Vector& v) {
    int rows = 0, cols = 0;
    tileShape(m, rows, cols);
    return buildDigitGrid(rbm::Matrix(v.transpose()), rows, cols, 1, 0);
}

int hiddenGridCols(int n) { return std::max(1, int(std::ceil(std::sqrt(double(std::max(1, n)))))); }

/// One image pixel per hidden unit, white = 1; the unused end of the last row dark grey.
QImage hiddenImage(const rbm::Vector& p, int gridCols) {
    const int n = int(p.size());
    const int rows = std::max(1, (n + gridCols - 1) / gridCols);
    QImage img(gridCols, rows, QImage::Format_Grayscale8);
    img.fill(70);
    for (int j = 0; j < n; ++j)
        img.scanLine(j / gridCols)[j % gridCols] = uchar(std::lround(255.0f * std::clamp(p(j), 0.0f, 1.0f)));
    return img;
}

StageImage visible(const StageContext& c, const rbm::Vector& v, const QString& caption) {
    return {StageImageKind::Visible, visibleImage(*c.model, v), caption, {}, 0};
}
StageImage hidden(const rbm::Vector& p, const QString& caption) {
    const int cols = hiddenGridCols(int(p.size()));
    return {StageImageKind::Hidden, hiddenImage(p, cols), caption, {}, cols};
}
/// A matrix shaped like W as the weight filters are drawn (one tile per hidden unit).
StageImage weights(const StageContext& c, const rbm::Matrix& w, const QString& caption) {
    rbm::Rbm shape = *c.model;
    shape.W = w;
    StageImage s{StageImageKind::Weights, {}, caption, {}, 0};
    s.image = buildFilterGrid(shape, FilterGridOptions{}, &s.tiles);
    return s;
}

}  // namespace

QString stageTitle(StepStage s, const rbm::CdStepTrace& t) {
    const QString n = QString::number(int(s) + 1) + QStringLiteral(". ");
    switch (s) {
    case StepStage::Data: return n + tr("The data v\u2070");
    case StepStage::HiddenProbability: return n + tr("Hidden probabilities p(h | v\u2070)");
    case StepStage::HiddenSample: return n + tr("Sample h\u2070 ~ p(h | v\u2070)");
    case StepStage::Reconstruction:
        return n + (pcd(t) ? tr("The persistent chain: p(v | h\u0303)") : tr("Reconstruction p(v | h\u2070)"));
    case StepStage::NegativeVisible:
        return n + (pcd(t) ? tr("The chain's new state \u1E7D") : tr("The negative visible state %1").arg(negName(t)));
    case StepStage::NegativeHidden: return n + tr("Hidden probabilities p(h | %1)").arg(negName(t));
    case StepStage::PositiveStatistics: return n + tr("Positive statistics \u27E8v h\u27E9 of the data");
    case StepStage::NegativeStatistics: return n + tr("Negative statistics \u27E8v h\u27E9 of the model");
    case StepStage::WeightChange: return n + tr("The change of W");
    }
    return {};
}

QString stageFormula(StepStage s, const rbm::CdStepTrace& t) {
    switch (s) {
    case StepStage::Data: return tr("v\u2070 = the digit, one visible unit per pixel, v<sub>i</sub> \u2208 [0, 1]");
    case StepStage::HiddenProbability:
        return tr("p(h<sub>j</sub>=1 | v\u2070) = \u03C3(c<sub>j</sub> + \u03A3<sub>i</sub> v\u2070<sub>i</sub> W<sub>ij</sub>)");
    case StepStage::HiddenSample:
        return tr("h\u2070<sub>j</sub> = 1 if u<sub>j</sub> &lt; p(h<sub>j</sub>=1 | v\u2070), u<sub>j</sub> ~ U(0, 1)");
    case StepStage::Reconstruction:
        return pcd(t) ? tr("h\u0303 ~ p(h | \u1E7D),&nbsp; p(v<sub>i</sub>=1 | h\u0303) = \u03C3(b<sub>i</sub> + \u03A3<sub>j</sub> W<sub>ij</sub> h\u0303<sub>j</sub>)")
                      : tr("p(v<sub>i</sub>=1 | h\u2070) = \u03C3(b<sub>i</sub> + \u03A3<sub>j</sub> W<sub>ij</sub> h\u2070<sub>j</sub>)");
    case StepStage::NegativeVisible:
        if (pcd(t)) return tr("\u1E7D<sub>i</sub> ~ p(v<sub>i</sub>=1 | h\u0303)  (after %n sweep(s))", nullptr, t.k);
        return t.k == 1 ? tr("v\u00B9 = p(v | h\u2070)")
                        : tr("v<sup>t</sup> = p(v | h<sup>t\u22121</sup>), h<sup>t</sup> ~ p(h | v<sup>t</sup>), t = 1 \u2026 %1").arg(t.k);
    case StepStage::NegativeHidden:
        return tr("p(h<sub>j</sub>=1 | %1) = \u03C3(c<sub>j</sub> + \u03A3<sub>i</sub> %1<sub>i</sub> W<sub>ij</sub>)").arg(negName(t));
    case StepStage::PositiveStatistics:
        return tr("\u27E8v<sub>i</sub>h<sub>j</sub>\u27E9<sub>data</sub> = v\u2070<sub>i</sub> p(h<sub>j</sub>=1 | v\u2070)");
    case StepStage::NegativeStatistics:
        return tr("\u27E8v<sub>i</sub>h<sub>j</sub>\u27E9<sub>model</sub> = %1<sub>i</sub> p(h<sub>j</sub>=1 | %1)").arg(negName(t));
    case StepStage::WeightChange:
        return tr("\u0394W<sub>ij</sub> = \u03B5 (\u27E8v<sub>i</sub>h<sub>j</sub>\u27E9<sub>data</sub> \u2212 \u27E8v<sub>i</sub>h<sub>j</sub>\u27E9<sub>model</sub>)");
    }
    return {};
}

QString stageExplanation(StepStage s, const rbm::CdStepTrace& t) {
    switch (s) {
    case StepStage::Data: return tr("The visible units are set to one training example. Everything below is what one update learns from it.");
    case StepStage::HiddenProbability:
        return tr("Each hidden unit compares the image with its filter (a column of W) and adds its bias c<sub>j</sub>; the logistic \u03C3 turns the sum into a probability.");
    case StepStage::HiddenSample:
        return tr("Each unit flips a biased coin. Binary states carry less than the probabilities: a bottleneck that stops the chain from just copying the data.");
    case StepStage::Reconstruction:
        return pcd(t) ? tr("PCD does not restart at the data: its chain \u1E7D continues where the last batch left it, so it can wander to what the model believes in.")
                      : tr("The sampled hidden units paint their filters back onto the pixels: what the model makes of its own description of the digit.");
    case StepStage::NegativeVisible:
        return pcd(t) ? tr("The chain's new binary state, kept for the next batch. It stands for the model's own samples in the negative statistics.")
                      : tr("CD keeps the probabilities as the negative visible state (less sampling noise). A good model reconstructs the digit it was given.");
    case StepStage::NegativeHidden:
        return tr("The hidden units look at %1. The last hidden update is not sampled: the statistics use the probabilities.").arg(negName(t));
    case StepStage::PositiveStatistics:
        return tr("Which pixels and hidden units are on together when the model sees the data; one tile per hidden unit, as the weight filters are drawn.");
    case StepStage::NegativeStatistics:
        return tr("The same products for the model's own state %1: what it would produce on its own.").arg(negName(t));
    case StepStage::WeightChange:
        return tr("Red strengthens a weight, blue weakens it: each filter moves towards this digit and away from the model's version of it. Shown for \u03B5 = 1; training scales it by the learning rate and averages over the batch.");
    }
    return {};
}

StageImage stageInputImage(StepStage s, const StageContext& c) {
    const rbm::CdStepTrace& t = *c.trace;
    switch (s) {
    case StepStage::Data: return {};
    case StepStage::HiddenProbability: return visible(c, t.v0, tr("v\u2070"));
    case StepStage::HiddenSample: return hidden(t.h0Prob, tr("p(h | v\u2070)"));
    case StepStage::Reconstruction:
        return pcd(t) ? visible(c, t.chainStart, tr("the chain \u1E7D before this step")) : hidden(t.h0, tr("h\u2070"));
    case StepStage::NegativeVisible:
        return pcd(t) ? visible(c, t.chainStart, tr("\u1E7D before")) : hidden(t.negDrive, tr("the hidden sample that drives it"));
    case StepStage::NegativeHidden: return visible(c, t.v1, negName(t));
    case StepStage::PositiveStatistics: return visible(c, t.v0, tr("v\u2070"));
    case StepStage::NegativeStatistics: return visible(c, t.v1, negName(t));
    case StepStage::WeightChange: return weights(c, t.positive, tr("\u27E8v h\u27E9 data"));
    }
    return {};
}

StageImage stageOutputImage(StepStage s, const StageContext& c) {
    const rbm::CdStepTrace& t = *c.trace;
    switch (s) {
    case StepStage::Data: return visible(c, t.v0, tr("v\u2070"));
    case StepStage::HiddenProbability: return hidden(t.h0Prob, tr("p(h | v\u2070)"));
    case StepStage::HiddenSample: return hidden(t.h0, tr("h\u2070"));
    case StepStage::Reconstruction:
        return visible(c, pcd(t) ? t.negVisibleProb : t.reconProb, pcd(t) ? tr("p(v | h\u0303)") : tr("p(v | h\u2070)"));
    case StepStage::NegativeVisible: return visible(c, t.v1, negName(t));
    case StepStage::NegativeHidden: return hidden(t.h1Prob, tr("p(h | %1)").arg(negName(t)));
    case StepStage::PositiveStatistics: return weights(c, t.positive, tr("\u27E8v h\u27E9 data"));
    case StepStage::NegativeStatistics: return weights(c, t.negative, tr("\u27E8v h\u27E9 model"));
    case StepStage::WeightChange: return weights(c, t.deltaW, tr("\u0394W (red +, blue \u2212)"));
    }
    return {};
}

StageUnit unitAt(const StageImage& image, const rbm::Rbm& model, QPoint p) {
    StageUnit u;
    if (p.x() < 0 || p.y() < 0 || p.x() >= image.image.width() || p.y() >= image.image.height()) return u;
    switch (image.kind) {
    case StageImageKind::None: break;
    case StageImageKind::Visible: {
        const int i = p.y() * image.image.width() + p.x();
        if (i < model.nVisible()) u.visible = i;
        break;
    }
    case StageImageKind::Hidden: {
        const int j = p.y() * image.gridCols + p.x();
        if (j < model.nHidden()) u.hidden = j;
        break;
    }
    case StageImageKind::Weights: {
        const int slot = image.tiles.slotAt(p.x(), p.y());
        if (slot < 0) break;
        const QRect r = image.tiles.tileRect(slot);
        u.hidden = image.tiles.order[std::size_t(slot)];
        u.visible = (p.y() - r.top()) * image.tiles.tileCols + (p.x() - r.left());
        break;
    }
    }
    return u;
}

QRect unitRect(const StageImage& image, const rbm::Rbm& model, const StageUnit& u) {
    switch (image.kind) {
    case StageImageKind::None: return {};
    case StageImageKind::Visible:
        if (u.visible < 0 || u.visible >= model.nVisible()) return {};
        return {u.visible % image.image.width(), u.visible / image.image.width(), 1, 1};
    case StageImageKind::Hidden:
        if (u.hidden < 0 || u.hidden >= model.nHidden()) return {};
        return {u.hidden % image.gridCols, u.hidden / image.gridCols, 1, 1};
    case StageImageKind::Weights: {
        if (u.hidden < 0) return {};
        const auto it = std::find(image.tiles.order.begin(), image.tiles.order.end(), u.hidden);
        if (it == image.tiles.order.end()) return {};
        return image.tiles.tileRect(int(it - image.tiles.order.begin()));
    }
    }
    return {};
}

StageUnit defaultUnit(StepStage, const StageContext& c) {
    // The brightest pixel, and a hidden unit that is likely on but not certain (its sample
    // could go either way): the same unit through every stage, so one can follow it.
    StageUnit u;
    u.visible = argMax(c.trace->v0);
    const rbm::Vector& p = c.trace->h0Prob;
    float best = 2.0f;
    for (int j = 0; j < int(p.size()); ++j) {
        const float d = std::abs(p(j) - 0.75f);
        if (d < best) {
            best = d;
            u.hidden = j;
        }
    }
    return u;
}

QString unitReadout(StepStage s, const StageContext& c, const StageUnit& u) {
    const rbm::CdStepTrace& t = *c.trace;
    const rbm::Rbm& m = *c.model;
    const int i = u.visible, j = u.hidden;
    const bool hasI = i >= 0 && i < m.nVisible(), hasJ = j >= 0 && j < m.nHidden();
    int rows = 0, cols = 1;
    tileShape(m, rows, cols);
    const QString where = hasI ? tr(" (pixel row %1, column %2)").arg(i / cols).arg(i % cols) : QString();
    const QString nn = negName(t);
    switch (s) {
    case StepStage::Data:
        if (!hasI) break;
        return tr("v\u2070%1 = <b>%2</b>%3").arg(sub(i), num(t.v0(i)), where);
    case StepStage::HiddenProbability:
        if (!hasJ) break;
        return tr("p(h%1=1 | v\u2070) = \u03C3(c%1 + \u03A3<sub>i</sub> v\u2070<sub>i</sub> W<sub>i,%2</sub>) = \u03C3(%3 + %4) = <b>%5</b>")
            .arg(sub(j))
            .arg(j)
            .arg(num(m.hiddenBias(j)), num(t.h0Input(j)), num(t.h0Prob(j)));
    case StepStage::HiddenSample:
        if (!hasJ) break;
        return (t.h0(j) > 0.5f ? tr("h\u2070%1 = <b>1</b>: the draw u = %2 &lt; p(h%1=1 | v\u2070) = %3")
                               : tr("h\u2070%1 = <b>0</b>: the draw u = %2 \u2265 p(h%1=1 | v\u2070) = %3"))
            .arg(sub(j), num(t.h0Uniform(j)), num(t.h0Prob(j)));
    case StepStage::Reconstruction:
        if (!hasI) break;
        if (pcd(t))
            return tr("p(v%1=1 | h\u0303) = \u03C3(b%1 + \u03A3<sub>j</sub> W<sub>%2,j</sub> h\u0303<sub>j</sub>) = \u03C3(%3 + %4) = <b>%5</b>; the chain had \u1E7D%1 = %6")
                .arg(sub(i)).arg(i).arg(num(m.visibleBias(i)), num(t.negVisibleInput(i)), num(t.negVisibleProb(i)), num(t.chainStart(i)));
        return tr("p(v%1=1 | h\u2070) = \u03C3(b%1 + \u03A3<sub>j</sub> W<sub>%2,j</sub> h\u2070<sub>j</sub>) = \u03C3(%3 + %4) = <b>%5</b>%6")
            .arg(sub(i)).arg(i).arg(num(m.visibleBias(i)), num(t.reconInput(i)), num(t.reconProb(i)), where);
    case StepStage::NegativeVisible:
        if (!hasI) break;
        if (pcd(t))
            return tr("\u1E7D%1 = <b>%2</b>, drawn with p(v%1=1 | h\u0303) = %3; before this step \u1E7D%1 = %4")
                .arg(sub(i), num(t.v1(i)), num(t.negVisibleProb(i)), num(t.chainStart(i)));
        return tr("%1%2 = p(v%2=1 | h) = \u03C3(%3 + %4) = <b>%5</b> (the data had v\u2070%2 = %6)")
            .arg(nn, sub(i), num(m.visibleBias(i)), num(t.negVisibleInput(i)), num(t.v1(i)), num(t.v0(i)));
    case StepStage::NegativeHidden:
        if (!hasJ) break;
        return tr("p(h%1=1 | %2) = \u03C3(c%1 + \u03A3<sub>i</sub> %2<sub>i</sub> W<sub>i,%3</sub>) = \u03C3(%4 + %5) = <b>%6</b> (on the data: %7)")
            .arg(sub(j), nn).arg(j).arg(num(m.hiddenBias(j)), num(t.h1Input(j)), num(t.h1Prob(j)), num(t.h0Prob(j)));
    case StepStage::PositiveStatistics:
        if (!hasI || !hasJ) break;
        return tr("\u27E8v%1h%2\u27E9<sub>data</sub> = v\u2070%1 \u00B7 p(h%2=1 | v\u2070) = %3 \u00D7 %4 = <b>%5</b>")
            .arg(sub(i), sub(j), num(t.v0(i)), num(t.h0Prob(j)), num(t.positive(i, j)));
    case StepStage::NegativeStatistics:
        if (!hasI || !hasJ) break;
        return tr("\u27E8v%1h%2\u27E9<sub>model</sub> = %3%1 \u00B7 p(h%2=1 | %3) = %4 \u00D7 %5 = <b>%6</b>")
            .arg(sub(i), sub(j), nn, num(t.v1(i)), num(t.h1Prob(j)), num(t.negative(i, j)));
    case StepStage::WeightChange:
        if (!hasI || !hasJ) break;
        return tr("\u0394W%1 = %2 \u2212 %3 = <b>%4</b>; at the learning rate \u03B5 = %5, W%1 = %6 moves by %7")
            .arg(sub2(i, j), num(t.positive(i, j)), num(t.negative(i, j)), num(t.deltaW(i, j)), num(c.learningRate),
                 num(m.W(i, j)), num(c.learningRate * t.deltaW(i, j)));
    }
    return tr("Point at a unit to see its numbers.");
}

}  // namespace studio
