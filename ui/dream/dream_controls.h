#pragma once
/// The dream's transport and knobs: play / pause, one step, half a step, reset, the number of
/// chains, the seed, the speed (steps per second), the inverse temperature beta and mean-field.
/// Acts on a DreamEngine only.
#include <QWidget>

class QPushButton;

namespace studio {

class DreamEngine;

class DreamControls : public QWidget {
    Q_OBJECT
public:
    explicit DreamControls(DreamEngine* engine, QWidget* parent = nullptr);

signals:
    void playClicked();  ///< Play pressed while paused (the panel decides what playing means)
    void meanFieldToggled(bool on);

private:
    DreamEngine* engine_;
    QPushButton* play_;
};

}  // namespace studio
