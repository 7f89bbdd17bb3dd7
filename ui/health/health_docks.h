#pragma once
/// Puts the likelihood plot and the training-health panel into the studio window and connects
/// them: one call from MainWindow's constructor (after the dataset is loaded). Everything it
/// needs is public on MainWindow (addPanel, controller, datasets, snapshots).
///
///   - every epoch's snapshot goes to the LikelihoodEstimator (estimates every N epochs on a
///     background thread) and to the HealthPanel; results go to the LikelihoodView and the panel;
///   - Reset, loading a model or a dataset cancel a running estimate and clear both docks;
///     Stop does not (the estimate of the model you stopped at still arrives); closing the
///     window cancels and joins it;
///   - early stopping: when the panel advises it, training is paused with a status message;
///   - the panel's presets replace the training settings (as an edit in the Controls dock).
namespace studio {

class MainWindow;
class HealthPanel;
class LikelihoodEstimator;
class LikelihoodView;

struct HealthDocks {
    LikelihoodEstimator* estimator = nullptr;
    LikelihoodView* likelihood = nullptr;
    HealthPanel* health = nullptr;
};

HealthDocks installHealthDocks(MainWindow* window);

}  // namespace studio
