#pragma once
/// The studio's status bar: the training state as a coloured badge, epoch and batch with a
/// progress bar, samples per second and the time left, a line for short messages, and the
/// dataset on the right.
#include <QStatusBar>
#include <QTimer>

#include "rbm/dataset.h"
#include "training/training_controller.h"
#include "training/training_snapshot.h"

class QLabel;
class QProgressBar;

namespace studio {

class TrainingStatusBar : public QStatusBar {
    Q_OBJECT
public:
    explicit TrainingStatusBar(QWidget* parent = nullptr);

    void setState(TrainingController::State s);
    /// Progress of `s`; rate and time left only while `running`.
    void showSnapshot(const TrainingSnapshot& s, bool running);
    void showDataset(const rbm::Dataset& train, const rbm::Dataset& test);
    /// A message for `ms` milliseconds (a label of its own: QStatusBar's temporary messages
    /// hide the progress).
    void notify(const QString& message, int ms);
    QString message() const;

private:
    QLabel *state_, *progressText_, *rate_, *eta_, *dataset_, *message_;
    QProgressBar* progress_;
    QTimer messageTimer_;
};

/// "m:ss" or "h:mm:ss"; "-" for an unknown duration.
QString formatDuration(double seconds);

}  // namespace studio
