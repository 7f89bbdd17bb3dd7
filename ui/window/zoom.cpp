#include "window/zoom.h"

#include <QApplication>
#include <QWidget>
#include <algorithm>
#include <array>
#include <cmath>
#include <qcustomplot.h>

namespace studio {

namespace {

double gFactor = 1.0;

// Steps a person can tell apart; 1 is one of them, so Ctrl+= then Ctrl+- returns exactly.
constexpr std::array<double, 11> kSteps{0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0};

/// `font` at `factor` times the size `owner` had when first zoomed (remembered on it).
QFont scaled(QObject* owner, const char* key, const QFont& font, double factor) {
    QVariant base = owner->property(key);
    if (!base.isValid()) {
        base = font.pointSizeF() > 0 ? font.pointSizeF() : -double(font.pixelSize());
        owner->setProperty(key, base);
    }
    QFont f = font;
    const double size = base.toDouble();
    if (size > 0) f.setPointSizeF(size * factor);
    else f.setPixelSize(std::max(1, int(std::lround(-size * factor))));
    return f;
}

void zoomPlot(QCustomPlot* plot, double factor) {
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes()) {
            axis->setTickLabelFont(scaled(axis, "rbmTickPt", axis->tickLabelFont(), factor));
            axis->setLabelFont(scaled(axis, "rbmLabelPt", axis->labelFont(), factor));
        }
    for (QCPLayoutElement* e : plot->plotLayout()->elements(true)) {
        if (auto* text = qobject_cast<QCPTextElement*>(e)) text->setFont(scaled(text, "rbmPt", text->font(), factor));
        if (auto* legend = qobject_cast<QCPLegend*>(e)) {
            legend->setFont(scaled(legend, "rbmPt", legend->font(), factor));
            for (int i = 0; i < legend->itemCount(); ++i)
                if (QCPAbstractLegendItem* item = legend->item(i)) item->setFont(scaled(item, "rbmPt", item->font(), factor));
        }
    }
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i))) text->setFont(scaled(text, "rbmPt", text->font(), factor));
    plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace

Zoom::Zoom(QWidget* window) : QObject(window), window_(window), base_(QApplication::font()) {}

Zoom::~Zoom() {
    gFactor = 1.0;
    QApplication::setFont(base_);  // the window goes with this object
}

double Zoom::factor() { return gFactor; }

void Zoom::setFactor(double f) {
    f = std::clamp(f, kMin, kMax);
    if (std::abs(f - gFactor) < 1e-9) return;
    gFactor = f;
    QFont font = base_;
    if (base_.pointSizeF() > 0) font.setPointSizeF(base_.pointSizeF() * f);
    else font.setPixelSize(std::max(1, int(std::lround(base_.pixelSize() * f))));
    // The application font for windows still to come (dialogs); the window's own, because
    // widgets already made do not all follow an application font change.
    QApplication::setFont(font);
    window_->setFont(font);
    refreshPlots();
    emit changed(f);
}

void Zoom::zoomIn() {
    const auto next = std::upper_bound(kSteps.begin(), kSteps.end(), gFactor + 1e-9);
    setFactor(next == kSteps.end() ? kMax : *next);
}

void Zoom::zoomOut() {
    const auto below = std::lower_bound(kSteps.begin(), kSteps.end(), gFactor - 1e-9);
    setFactor(below == kSteps.begin() ? kMin : *(below - 1));
}

void Zoom::refreshPlots() {
    for (QCustomPlot* plot : window_->findChildren<QCustomPlot*>()) zoomPlot(plot, gFactor);
}

}  // namespace studio
