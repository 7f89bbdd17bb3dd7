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
///   - early stopping: when the panel advises it, training is paused and a banner above the
///     panels says why and how to go on (it goes when training runs or another model shows);
///   - the panel's presets replace the training settings (as an edit in the Controls dock) and
///     set early stopping as the preset says (Classroom runs to its end);
///   - a new model (MainWindow::modelStartedAfresh) re-derives both docks: nothing of another
///     model stays; a restored epoch of the run on screen keeps its estimates up to it.
namespace studio {

class MainWindow;
class HealthPanel;
class LikelihoodEstimator;
class LikelihoodView;
class EarlyStopBanner;

struct HealthDocks {
    LikelihoodEstimator* estimator = nullptr;
    LikelihoodView* likelihood = nullptr;
    HealthPanel* health = nullptr;
    EarlyStopBanner* banner = nullptr;  ///< in a tool bar above the panels, made at its first use
};

HealthDocks installHealthDocks(MainWindow* window);

}  // namespace studio
