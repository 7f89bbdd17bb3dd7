#pragma once
/// The RBM Studio window. It only creates the docks and connects them to the training
/// controller; each view draws itself from a TrainingSnapshot.
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <memory>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "training/training_controller.h"
#include "training/training_snapshot.h"

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QDockWidget;

namespace studio {

class CheckpointsDock;
class ControlsDock;
class DigitGridView;
class FilterGridView;
class HiddenActivityView;
class HistogramsView;
class MetricsView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        QString dataPath;         ///< empty: the dataset of the last session, else the embedded digits
        QString modelPath;        ///< a checkpoint to open at start
        QString runsDirectory;    ///< parent of run folders; empty: the settings' or the default
        bool useSettings = true;  ///< read and write QSettings (tests turn it off)
        bool interactive = true;  ///< dialogs for questions and errors (off: tests, screenshots)
    };
    explicit MainWindow(const Options& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // --- hooks for other panels (the dream panel)
    /// Wraps `panel` in a dock of the window (kept in the saved layout under its title).
    QDockWidget* addPanelDock(QWidget* panel, const QString& title, Qt::DockWidgetArea area);
    TrainingController* controller() const { return controller_; }
    std::shared_ptr<const rbm::Dataset> trainingData() const { return train_; }
    std::shared_ptr<const rbm::Dataset> testData() const { return test_; }
    /// The model on display: the newest training snapshot's, or the loaded / restored one.
    std::shared_ptr<const rbm::Rbm> currentModel() const;
    SnapshotPtr currentSnapshot() const { return shown_; }

    // --- the views (tests, panels)
    FilterGridView* filterView() const { return filters_; }
    HistogramsView* histogramsView() const { return histograms_; }
    MetricsView* metricsView() const { return metrics_; }
    HiddenActivityView* activityView() const { return activity_; }
    DigitGridView* fantasyView() const { return fantasy_; }
    DigitGridView* dataView() const { return data_; }
    ControlsDock* controlsDock() const { return controls_; }
    CheckpointsDock* checkpointsDock() const { return checkpoints_; }

    // --- file operations; false + lastError() (and a dialog if interactive) on failure,
    //     with everything loaded before left as it was
    bool openDataset(const QString& path);
    bool openModel(const QString& path);
    bool saveModel(const QString& path);
    bool exportFilterGrid(const QString& path);
    bool exportMetricsCsv(const QString& path);
    /// Shows a checkpoint of the run and makes it the start model (asks first if training).
    bool restoreCheckpoint(const QString& path);
    QString lastError() const { return lastError_; }

    void setInteractive(bool interactive) { options_.interactive = interactive; }
    /// Layout for 1600x1000 and larger; also View > Reset layout.
    void resetLayout();
    void applyDefaultSizes();

signals:
    /// currentModel() changed (new snapshot painted, model loaded, reset).
    void modelChanged();
    /// trainingData() / testData() changed.
    void datasetChanged();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createDocks();
    void createActions();
    void connectController();
    void onSnapshot(const SnapshotPtr& s);
    void paintLatest();
    void showStartModel(const SnapshotPtr& s);
    void updateStatus(const TrainingSnapshot& s);
    void onStateChanged(TrainingController::State s);
    void fail(const QString& title, const QString& message);
    void notify(const QString& message, int ms);
    bool confirmStopTraining(const QString& what);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void loadSettings();
    void saveSettings();
    void setDataset(rbm::DatasetPair pair);
    QDockWidget* makeDock(QWidget* w, const QString& title, const QString& name);

    Options options_;
    TrainingController* controller_ = nullptr;
    std::shared_ptr<const rbm::Dataset> train_, test_;
    QString datasetPath_;

    FilterGridView* filters_ = nullptr;
    HistogramsView* histograms_ = nullptr;
    MetricsView* metrics_ = nullptr;
    HiddenActivityView* activity_ = nullptr;
    DigitGridView* fantasy_ = nullptr;
    DigitGridView* data_ = nullptr;
    ControlsDock* controls_ = nullptr;
    CheckpointsDock* checkpoints_ = nullptr;
    QDockWidget *filtersDock_ = nullptr, *histDock_ = nullptr, *metricsDock_ = nullptr, *activityDock_ = nullptr,
                *fantasyDock_ = nullptr, *dataDock_ = nullptr, *controlsDock_ = nullptr, *checkpointsDock_ = nullptr;
    QList<QDockWidget*> panelDocks_;

    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QAction *startAct_ = nullptr, *pauseAct_ = nullptr, *stepAct_ = nullptr, *stopAct_ = nullptr, *resetAct_ = nullptr;
    QLabel *stateLabel_ = nullptr, *progressLabel_ = nullptr, *rateLabel_ = nullptr, *etaLabel_ = nullptr,
           *dataLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* messageLabel_ = nullptr;
    QTimer messageTimer_;

    SnapshotPtr latest_;  ///< newest arrived
    SnapshotPtr shown_;   ///< newest painted
    QTimer repaintTimer_;
    bool fantasyRaised_ = false;
    bool painting_ = false;
    std::uint64_t paintGeneration_ = 0;
    bool layoutRestored_ = false;
    bool sizesPending_ = false;
    bool shownOnce_ = false;
    QString lastError_;
};

}  // namespace studio
