#include "window/theme.h"

#include <QApplication>
#include <QWidget>
#include <qcustomplot.h>

namespace studio {

namespace {

const QColor kInk(Qt::white), kPaper(Qt::black), kGrid(110, 110, 110), kAccent(255, 214, 0);

/// Remembers `value` on `owner` under `key` the first time; returns the remembered one.
template <typename T>
T original(QObject* owner, const char* key, const T& value) {
    QVariant v = owner->property(key);
    if (!v.isValid()) {
        v = QVariant::fromValue(value);
        owner->setProperty(key, v);
    }
    return v.value<T>();
}

/// A colour that reads on black: dark ones turn light, the hue kept.
QColor onBlack(QColor c) {
    if (c.lightness() < 110) c = c.lightness() < 30 || c.saturation() < 40 ? kInk : c.lighter(220);
    c.setAlpha(255);
    return c;
}

QPen contrastPen(QPen p, qreal minWidth) {
    p.setColor(onBlack(p.color()));
    if (p.widthF() < minWidth) p.setWidthF(minWidth);
    return p;
}

void themeAxis(QCPAxis* a, bool on) {
    const QPen base = original(a, "rbmBasePen", a->basePen()), tick = original(a, "rbmTickPen", a->tickPen()),
               sub = original(a, "rbmSubTickPen", a->subTickPen());
    const QColor label = original(a, "rbmLabelColor", a->labelColor()), tickLabel = original(a, "rbmTickLabelColor", a->tickLabelColor());
    const QPen grid = original(a->grid(), "rbmGridPen", a->grid()->pen()), subGrid = original(a->grid(), "rbmSubGridPen", a->grid()->subGridPen()),
               zero = original(a->grid(), "rbmZeroPen", a->grid()->zeroLinePen());
    a->setBasePen(on ? QPen(kInk, 1.5) : base);
    a->setTickPen(on ? QPen(kInk, 1.5) : tick);
    a->setSubTickPen(on ? QPen(kInk, 1) : sub);
    a->setLabelColor(on ? kInk : label);
    a->setTickLabelColor(on ? kInk : tickLabel);
    a->grid()->setPen(on ? QPen(kGrid, 1, Qt::DotLine) : grid);
    a->grid()->setSubGridPen(on ? QPen(Qt::NoPen) : subGrid);
    a->grid()->setZeroLinePen(on ? QPen(kGrid, 1) : zero);
}

void themePlot(QCustomPlot* plot, bool on) {
    // QCustomPlot paints white unless told (nothing here sets another background).
    plot->setBackground(on ? QBrush(kPaper) : QBrush(Qt::white));
    for (QCPAxisRect* rect : plot->axisRects()) {
        const QBrush rectBg = original(rect, "rbmBackground", rect->backgroundBrush());
        rect->setBackground(on ? QBrush(kPaper) : rectBg);
        for (QCPAxis* a : rect->axes()) themeAxis(a, on);
    }
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = plot->plottable(i);
        const QPen pen = original(p, "rbmPen", p->pen());
        p->setPen(on ? contrastPen(pen, 2.0) : pen);
        if (auto* g = qobject_cast<QCPGraph*>(p)) {
            QCPScatterStyle s = g->scatterStyle();
            const QPen sp = original(g, "rbmScatterPen", s.pen());
            const QBrush sb = original(g, "rbmScatterBrush", s.brush());
            s.setPen(on ? contrastPen(sp, 1.5) : sp);
            s.setBrush(on && sb.style() != Qt::NoBrush ? QBrush(onBlack(sb.color())) : sb);
            g->setScatterStyle(s);
        }
    }
    for (QCPLayoutElement* e : plot->plotLayout()->elements(true)) {
        if (auto* text = qobject_cast<QCPTextElement*>(e)) text->setTextColor(on ? kInk : original(text, "rbmColor", text->textColor()));
        if (auto* legend = qobject_cast<QCPLegend*>(e)) {
            const QBrush brush = original(legend, "rbmBrush", legend->brush());
            const QPen border = original(legend, "rbmBorder", legend->borderPen());
            legend->setBrush(on ? QBrush(kPaper) : brush);
            legend->setBorderPen(on ? QPen(kInk) : border);
            for (int i = 0; i < legend->itemCount(); ++i)
                if (QCPAbstractLegendItem* item = legend->item(i))
                    item->setTextColor(on ? kInk : original(item, "rbmColor", item->textColor()));
        }
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem* item = plot->item(i);
        if (auto* text = qobject_cast<QCPItemText*>(item)) {
            const QColor c = original(text, "rbmColor", text->color());
            text->setColor(on ? onBlack(c) : c);
            const QBrush b = original(text, "rbmBrush", text->brush());
            text->setBrush(on && b.style() != Qt::NoBrush ? QBrush(kPaper) : b);
        } else if (auto* line = qobject_cast<QCPItemStraightLine*>(item)) {
            const QPen p = original(line, "rbmPen", line->pen());
            line->setPen(on ? contrastPen(p, 1.5) : p);
        } else if (auto* l = qobject_cast<QCPItemLine*>(item)) {
            const QPen p = original(l, "rbmPen", l->pen());
            l->setPen(on ? contrastPen(p, 1.5) : p);
        }
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace

Theme::Theme(QWidget* window) : QObject(window), window_(window), normal_(QApplication::palette()) {}

Theme::~Theme() {
    if (on_) QApplication::setPalette(normal_);  // the window goes with this object
}

QPalette Theme::highContrastPalette() {
    QPalette p;
    for (QPalette::ColorGroup g : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(g, QPalette::Window, kPaper);
        p.setColor(g, QPalette::WindowText, kInk);
        p.setColor(g, QPalette::Base, kPaper);
        p.setColor(g, QPalette::AlternateBase, QColor(30, 30, 30));
        p.setColor(g, QPalette::Text, kInk);
        p.setColor(g, QPalette::Button, QColor(25, 25, 25));
        p.setColor(g, QPalette::ButtonText, kInk);
        p.setColor(g, QPalette::BrightText, kAccent);
        p.setColor(g, QPalette::Highlight, kAccent);
        p.setColor(g, QPalette::HighlightedText, kPaper);
        p.setColor(g, QPalette::ToolTipBase, kPaper);
        p.setColor(g, QPalette::ToolTipText, kInk);
        p.setColor(g, QPalette::PlaceholderText, QColor(190, 190, 190));
        p.setColor(g, QPalette::Link, QColor(120, 200, 255));
        p.setColor(g, QPalette::Light, QColor(200, 200, 200));
        p.setColor(g, QPalette::Midlight, QColor(150, 150, 150));
        p.setColor(g, QPalette::Mid, QColor(120, 120, 120));
        p.setColor(g, QPalette::Dark, QColor(190, 190, 190));  // the status bar's quiet messages
        p.setColor(g, QPalette::Shadow, QColor(90, 90, 90));
    }
    // Disabled text stays readable: grey, not black on black.
    p.setColor(QPalette::Disabled, QPalette::Window, kPaper);
    p.setColor(QPalette::Disabled, QPalette::Base, kPaper);
    p.setColor(QPalette::Disabled, QPalette::Button, QColor(25, 25, 25));
    for (QPalette::ColorRole r : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, r, QColor(150, 150, 150));
    return p;
}

void Theme::setHighContrast(bool on) {
    if (on == on_) return;
    on_ = on;
    // As with the zoom: the application palette for windows to come, the window's for its widgets.
    QApplication::setPalette(on ? highContrastPalette() : normal_);
    window_->setPalette(on ? highContrastPalette() : QPalette());
    refreshPlots();
    emit changed(on);
}

void Theme::refreshPlots() {
    for (QCustomPlot* plot : window_->findChildren<QCustomPlot*>()) themePlot(plot, on_);
}

}  // namespace studio
