#pragma once
/// The tempered dream's switch: "Tempered" on or off (off is the plain Gibbs chain), the ladder
/// size and its lowest beta, and how often each neighbouring pair of rungs swaps (a pair that
/// rarely swaps is a gap in the ladder: more rungs, or a lowest beta nearer 1). Acts on a
/// DreamEngine only; the rates follow its frames, at most a few times a second.
#include <QElapsedTimer>
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace studio {

class DreamEngine;

class TemperingControls : public QWidget {
    Q_OBJECT
public:
    explicit TemperingControls(DreamEngine* engine, QWidget* parent = nullptr);

    QCheckBox* toggle() const { return on_; }
    /// "swaps accepted 1-2: 65%  2-3: 64% ...", or why the ladder is idle.
    QString ratesText() const;
    /// Redraws the rates now (the engine's frames also do, throttled).
    void showRates();

private:
    DreamEngine* engine_;
    QCheckBox* on_;
    QSpinBox* rungs_;
    QDoubleSpinBox* betaMin_;
    QLabel* rates_;
    QElapsedTimer shown_;
};

}  // namespace studio
