#pragma once
/// The dream's transport and knobs: play / pause, one step, half a step, reset, the number of
/// chains, the seed, the speed (steps per second), the inverse temperature beta, mean-field and
/// the tempered dream (TemperingControls).
/// Acts on a DreamEngine only.
#include <QWidget>
#include <vector>

#include "dream/panel_arrangement.h"

class QPushButton;

namespace studio {

class DreamEngine;
class TemperingControls;

class DreamControls : public QWidget {
    Q_OBJECT
public:
    explicit DreamControls(DreamEngine* engine, QWidget* parent = nullptr);
    TemperingControls* tempering() const { return tempering_; }
    QPushButton* playButton() const { return play_; }
    /// Compact: play, step, reset and the tempered switch only (a small panel); Mini: play,
    /// step and reset (the tempered dream keeps running if it was on).
    void setArrangement(Arrangement a);

signals:
    void playClicked();  ///< Play pressed while paused (the panel decides what playing means)
    void meanFieldToggled(bool on);

private:
    DreamEngine* engine_;
    QPushButton* play_;
    TemperingControls* tempering_;
    std::vector<QWidget*> secondary_;  ///< hidden when compact
};

}  // namespace studio
