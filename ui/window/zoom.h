#pragma once
/// One zoom factor for the whole studio (Ctrl+= / Ctrl+- / Ctrl+0): every widget's text
/// through the application font, and the QCustomPlot plots' own fonts (axes, tick labels,
/// legends, titles, text items), which do not follow the application font. Images fit
/// their docks already; views that draw at a fixed size read Zoom::factor().
#include <QFont>
#include <QObject>

class QWidget;

namespace studio {

class Zoom : public QObject {
    Q_OBJECT
public:
    static constexpr double kMin = 0.8, kMax = 3.0;
    /// Zooms `window` and everything in it; the application font of now is 100 %.
    explicit Zoom(QWidget* window);
    /// The application font back at 100 %.
    ~Zoom() override;

    /// The factor now in effect (1 when no Zoom exists), for views that draw at a fixed size.
    static double factor();
    void setFactor(double f);  ///< clamped to [kMin, kMax]
    void zoomIn();
    void zoomOut();
    void reset() { setFactor(1.0); }
    /// Plots or text items added since the last change get the factor too.
    void refreshPlots();

signals:
    void changed(double factor);

private:
    QWidget* window_;
    QFont base_;
};

}  // namespace studio
