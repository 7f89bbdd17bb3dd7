#pragma once
/// The RBM Studio window. It only creates the views and panels and connects them: snapshots
/// are painted by a SnapshotScheduler, files are opened and saved by ModelDocuments, menus,
/// status bar and settings have classes of their own, and every dock (the window's own views,
/// the dream and health panels) plugs in through addPanel with a place in the default layout.
#include <QMainWindow>
#include <memory>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "training/training_controller.h"
#include "training/training_snapshot.h"
#include "window/discard_guard.h"
#include "window/dock_layout.h"
#include "window/standard_panels.h"
#include "window/studio_settings.h"

namespace studio {

class CheckpointsDock;
class ControlsDock;
class DigitGridView;
class FilterGridView;
class HiddenActivityView;
class HistogramsView;
class MetricsView;
class ModelDocuments;
class SessionDocuments;
class Projector;
class Shortcuts;
class SnapshotScheduler;
class StudioMenus;
class TrainingStatusBar;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        QString dataPath;         ///< empty: the dataset of the last session, else the embedded digits
        QString modelPath;        ///< a checkpoint to open at start
        QString sessionPath;      ///< a session (.rbmsession) to open at start
        QString runsDirectory;    ///< parent of run folders; empty: the settings' or the default
        bool useSettings = true;  ///< read and write QSettings (tests turn it off)
        bool interactive = true;  ///< dialogs for questions and errors (off: tests, screenshots)
    };
    explicit MainWindow(const Options& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // --- for panels: the one way in, and what they may connect to
    /// Wraps `panel` in a dock placed by `spec`, listed in the View menu, kept in the saved layout.
    QDockWidget* addPanel(QWidget* panel, const PanelSpec& spec);
    QDockWidget* dock(View v) const { return layout_->dock(v); }
    /// The dock holding `panel`, or nullptr.
    static QDockWidget* dockOf(QWidget* panel) { return DockLayout::dockOf(panel); }
    const StandardPanels& panels() const { return panels_; }
    TrainingController* controller() const { return controller_; }
    const Options& options() const { return options_; }
    std::shared_ptr<const rbm::Dataset> trainingData() const;
    std::shared_ptr<const rbm::Dataset> testData() const;
    /// The model on display: the newest training snapshot's, or the loaded / restored one.
    std::shared_ptr<const rbm::Rbm> currentModel() const;
    SnapshotPtr currentSnapshot() const;
    SnapshotScheduler* scheduler() const { return scheduler_; }
    /// File > Save / Open Session.
    SessionDocuments* sessions() const { return sessions_; }
    /// A message in the status bar for `ms` milliseconds.
    void notify(const QString& message, int ms);
    /// The menus (File, Training, View, Help) for panels adding entries; keyed entries are
    /// registered in shortcuts() so they work from any widget and appear in the key reference.
    StudioMenus* menus() const { return menus_; }
    Shortcuts* shortcuts() const { return keys_; }
    /// Zoom, high contrast and the Training / Classroom / Dream views.
    Projector* projector() const { return projector_; }

    // --- replacing the model: everything that discards a trained one asks here first
    /// True when nothing trained would be lost or the person agrees (never asks when not
    /// interactive, unless a test answerer is set). `what`: "Reset", "Opening a session"...
    bool confirmDiscardModel(const QString& what);
    /// Tests: answers the discard question instead of a dialog.
    void setDiscardAnswerer(DiscardGuard::Answerer answerer) { guard_.setAnswerer(std::move(answerer)); }
    /// Reset (Ctrl+R, the Reset button): a new model, after asking.
    void resetModel();
    void showKeyReference();
    void showDatasetDrawer();
    /// File > Compare runs, with this window's run and the folders `dirs` (rbm-studio --compare).
    void showRunComparison(const QStringList& dirs = {});

    // --- the views (tests, panels)
    FilterGridView* filterView() const { return filters_; }
    HistogramsView* histogramsView() const { return histograms_; }
    MetricsView* metricsView() const { return metrics_; }
    HiddenActivityView* activityView() const { return activity_; }
    DigitGridView* fantasyView() const { return fantasy_; }
    DigitGridView* dataView() const { return data_; }
    ControlsDock* controlsDock() const { return controls_; }
    CheckpointsDock* checkpointsDock() const { return checkpoints_; }

    // --- file operations (ModelDocuments); false + lastError() (and a dialog if interactive)
    //     on failure, with everything loaded before left as it was
    bool openDataset(const QString& path);
    bool openModel(const QString& path);
    bool saveModel(const QString& path);
    bool exportFilterGrid(const QString& path);
    bool exportMetricsCsv(const QString& path);
    /// Shows a checkpoint of the run and makes it the start model (asks first if training).
    bool restoreCheckpoint(const QString& path);
    QString lastError() const;

    void setInteractive(bool interactive);
    /// Every dock back in its default place (View > Reset layout), sized for the window.
    void resetLayout();

signals:
    /// currentModel() changed (new snapshot painted, model loaded, reset).
    void modelChanged();
    /// trainingData() / testData() changed.
    void datasetChanged();
    /// Another model is shown from scratch (reset, preset, open, restore): panels with a history re-derive it from `s`.
    void modelStartedAfresh(studio::SnapshotPtr s);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createViews();
    void connectViews();
    void connectDocuments();
    void connectController();
    void installProjector();
    void onSnapshot(const SnapshotPtr& s);
    void onStateChanged(TrainingController::State s);
    /// A model shown from scratch: no curves of another model, every view from `s`.
    void startAfresh(const SnapshotPtr& s);
    void showStartModel(const SnapshotPtr& s);
    void raiseSamplesOrData();
    QString runsDirectory() const;

    Options options_;
    StudioSettings settings_;
    TrainingController* controller_ = nullptr;
    ModelDocuments* docs_ = nullptr;
    SessionDocuments* sessions_ = nullptr;
    SnapshotScheduler* scheduler_ = nullptr;
    std::unique_ptr<DockLayout> layout_;
    StudioMenus* menus_ = nullptr;
    TrainingStatusBar* status_ = nullptr;
    StandardPanels panels_;
    Shortcuts* keys_ = nullptr;
    Projector* projector_ = nullptr;
    DiscardGuard guard_;

    FilterGridView* filters_ = nullptr;
    HistogramsView* histograms_ = nullptr;
    MetricsView* metrics_ = nullptr;
    HiddenActivityView* activity_ = nullptr;
    DigitGridView* fantasy_ = nullptr;
    DigitGridView* data_ = nullptr;
    ControlsDock* controls_ = nullptr;
    CheckpointsDock* checkpoints_ = nullptr;

    bool fantasyRaised_ = false;   ///< the samples tab was raised for this dataset
    bool layoutRestored_ = false;  ///< the last session's layout stands: no default sizes
    bool shownOnce_ = false;
};

}  // namespace studio
