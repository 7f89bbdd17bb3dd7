#pragma once
/// p(h|v) for a minibatch as a grayscale image, one row per example and one column per
/// hidden unit (Yosinski & Lipson's visual debugging of RBMs), and a histogram of each unit's
/// mean activity with the dead (< 0.01) and saturated (> 0.99) units counted by rbm::classifyUnits.
#include <QWidget>

#include "training/training_snapshot.h"

class QCustomPlot;
class QCPBars;
class QLabel;

namespace studio {

class ImageCanvas;

class HiddenActivityView : public QWidget {
    Q_OBJECT
public:
    explicit HiddenActivityView(QWidget* parent = nullptr);
    void showSnapshot(const TrainingSnapshot& s);
    void clear();

    int deadUnits() const { return dead_; }
    int saturatedUnits() const { return saturated_; }
    const QImage& image() const;

private:
    ImageCanvas* canvas_ = nullptr;
    QCustomPlot* plot_ = nullptr;
    QCPBars* bars_ = nullptr;
    QLabel* counts_ = nullptr;
    int dead_ = 0, saturated_ = 0;
};

}  // namespace studio
