#pragma once
/// The high-contrast theme for a projector: white on black, a yellow highlight, and the
/// QCustomPlot plots (which paint with colours of their own, not the palette) recoloured to
/// match, with thicker lines. Switched off, everything gets its own colours back.
#include <QObject>
#include <QPalette>

class QWidget;

namespace studio {

class Theme : public QObject {
    Q_OBJECT
public:
    explicit Theme(QWidget* window);
    ~Theme() override;

    bool highContrast() const { return on_; }
    void setHighContrast(bool on);
    /// Plots, graphs or items added since the last change get the theme too.
    void refreshPlots();
    static QPalette highContrastPalette();

signals:
    void changed(bool highContrast);

private:
    QWidget* window_;
    QPalette normal_;
    bool on_ = false;
};

}  // namespace studio
