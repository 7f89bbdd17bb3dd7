#pragma once
/// "Run and rewind": the dream's transport and knobs (DreamControls), the timeline slider that
/// scrubs back through the frames, and the filmstrip with its interval and export buttons.
/// It shows what the panel hands it and says what the person asked for.
#include <QImage>
#include <QWidget>

#include "dream/panel_arrangement.h"

class QLabel;
class QSlider;
class QSpinBox;

namespace studio {

class DreamControls;
class DreamEngine;
class PixelView;

class DreamTimeline : public QWidget {
    Q_OBJECT
public:
    explicit DreamTimeline(DreamEngine* engine, QWidget* parent = nullptr);

    /// Frame `index` of `count` is on screen, at step `step`; `live` follows the newest.
    void showPosition(int index, int count, double step, bool live);
    void setFilmstrip(const QImage& image);
    int filmInterval() const;
    /// Filmstrip columns that fit the strip at twice a grid `cols` wide.
    int filmColumnsThatFit(int cols) const;
    /// False in Mini, which leaves the filmstrip out (nothing needs drawing into it).
    bool showsFilmstrip() const;
    QSlider* slider() const { return slider_; }
    DreamControls* controls() const { return controls_; }
    /// Stage: a short filmstrip. Compact: a short filmstrip without its side buttons, the
    /// controls' essentials only.
    void setArrangement(Arrangement a);

signals:
    void playClicked();
    void meanFieldToggled(bool on);
    void scrubbed(int index);
    void filmIntervalChanged();
    void exportRequested(bool gif);  ///< false: the filmstrip as PNG

private:
    QSlider* slider_;
    QLabel* label_;
    PixelView* film_;
    QSpinBox* interval_;
    DreamControls* controls_;
    QWidget* side_;
};

}  // namespace studio
