#pragma once
/// The files of a studio session: the dataset, models (open, restore from a run, save) and
/// exports. Every operation reads and checks everything first and changes nothing on failure:
/// false, lastError() naming the file, a status message and (interactive) a dialog. Replacing
/// the model while training asks first (interactive) and stops the run.
#include <QImage>
#include <QObject>
#include <memory>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "imaging/open_dataset.h"
#include "rbm/run_folder.h"
#include "support/background_job.h"
#include "training/training_snapshot.h"

class QWidget;

namespace studio {

class TrainingController;

class ModelDocuments : public QObject {
    Q_OBJECT
public:
    ModelDocuments(TrainingController* controller, QWidget* dialogParent, bool interactive);
    void setInteractive(bool interactive) { interactive_ = interactive; }
    bool isInteractive() const { return interactive_; }
    QWidget* dialogParent() const { return dialogParent_; }

    std::shared_ptr<const rbm::Dataset> trainingData() const { return train_; }
    std::shared_ptr<const rbm::Dataset> testData() const { return test_; }
    QString datasetPath() const { return datasetPath_; }  ///< a folder, a file or "embedded"

    /// At start: `path` (empty or "embedded": the built-in digits), falling back to the
    /// built-in digits with a message if it cannot be read.
    void openInitialDataset(const QString& path);
    bool openDataset(const QString& path);
    /// A checkpoint with its configuration: Start continues training it.
    bool openModel(const QString& path);
    /// A checkpoint of the run `run`: its metrics up to that epoch (metrics.csv) stay on the
    /// curves, the configuration stays, and Start continues from it in the same run folder
    /// (the epochs after it move aside: RunFolder::resumeAt).
    bool restoreCheckpoint(const QString& path, const std::vector<rbm::RunEntry>& run);
    /// The start model with its training state when idle, else `shown` (the model on screen).
    bool saveModel(const QString& path, const SnapshotPtr& shown);
    bool exportPng(const QString& path, const QImage& image, const QString& what);
    bool exportMetricsCsv(const QString& path, const std::vector<rbm::EpochMetrics>& metrics);

    QString lastError() const { return lastError_; }
    /// What the last dataset opened is ("28x28 pixels, 120 examples, 3 classes: ...") and
    /// what was skipped reading it, as Open Dataset showed it.
    QString datasetSummary() const { return datasetSummary_; }
    /// Replaces the dataset (checked by the caller, e.g. a session file's) and tells everyone.
    void setDataset(rbm::DatasetPair pair, const QString& path);
    /// True if nothing trains (any more): asks first when interactive, then stops the run.
    bool confirmStopTraining(const QString& what);
    /// An error for people: lastError(), a status message and (interactive) a dialog.
    void reportError(const QString& title, const QString& message);

signals:
    void datasetChanged();
    /// A model to show from scratch (the start model now, or a new one for another image size).
    void startModelChanged(studio::SnapshotPtr snapshot);
    /// A file opened or saved (for the recent files).
    void fileUsed(const QString& path);
    void message(const QString& text, int ms);

private:
    enum class Adopt { Open, Restore };
    bool adoptCheckpoint(const QString& path, Adopt how, const std::vector<rbm::RunEntry>& run);
    /// Off the GUI thread (support/load_in_background.h); nullopt with *error on failure.
    std::optional<rbm::DatasetPair> loadDataset(const QString& path, QString* error);
    std::optional<rbm::Checkpoint> loadCheckpoint(const QString& path, QString* error);
    void done(const QString& text) { emit message(text, 8000); }
    /// The size, counts, notes and a preview, in the status bar and (interactive) a dialog.
    void showDatasetSummary(const QString& path);

    TrainingController* controller_;
    QWidget* dialogParent_;
    bool interactive_;
    std::shared_ptr<const rbm::Dataset> train_, test_;
    QString datasetPath_;
    QString lastError_, datasetSummary_;
    std::vector<std::string> datasetNotes_;  ///< of the last dataset read
    BackgroundJob<OpenedDataset> datasetJob_;
    BackgroundJob<rbm::Checkpoint> modelJob_;
};

}  // namespace studio
