#pragma once
/// Every hyperparameter of rbm::TrainingConfig, and the run buttons. Structural fields
/// (hidden units, initialisation, seed, binarization) lock while a run is active; the live
/// ones emit configEdited as soon as they change and apply at the next batch.
#include <QWidget>

#include "rbm/training_config.h"
#include "training/training_controller.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace studio {

class ControlsDock : public QWidget {
    Q_OBJECT
public:
    explicit ControlsDock(QWidget* parent = nullptr);

    rbm::TrainingConfig config() const;
    void setConfig(const rbm::TrainingConfig& c);  ///< no configEdited
    void setTrainingState(TrainingController::State s);

    // For tests and shortcuts.
    QDoubleSpinBox* learningRateWeightsBox() const { return lrW_; }
    QComboBox* algorithmBox() const { return algorithm_; }
    QPushButton* startButton() const { return startBtn_; }
    QPushButton* pauseButton() const { return pauseBtn_; }

signals:
    void configEdited(const rbm::TrainingConfig& config);
    void startClicked();
    void pauseClicked();
    void stepClicked();
    void stopClicked();
    void resetClicked();

private:
    void emitEdited();
    void updateEnabled();

    bool updating_ = false;
    TrainingController::State state_ = TrainingController::State::Idle;
    rbm::TrainingConfig base_;  ///< fields with no widget (eval subset, threads...)

    QPushButton *startBtn_, *pauseBtn_, *stepBtn_, *stopBtn_, *resetBtn_;
    QLabel* liveNote_;
    QSpinBox *hidden_, *seed_, *k_, *chains_, *batch_, *epochs_, *momentumEpochs_, *threshold_;
    QComboBox *init_, *binarization_, *algorithm_, *optimizer_;
    QDoubleSpinBox *initStd_, *lrW_, *lrB_, *momentum_, *decay_, *sparsityTarget_, *sparsityCost_;
    QCheckBox* momentumSchedule_;
    QList<QWidget*> structural_;
};

}  // namespace studio
