#pragma once
/// The checkpoints of a run folder (RunFolder::list) with their metrics. Restoring one asks
/// the window to load it (the window confirms first if training is running).
#include <QWidget>
#include <vector>

#include "rbm/run_folder.h"
#include "training/training_snapshot.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace studio {

class CheckpointsDock : public QWidget {
    Q_OBJECT
public:
    explicit CheckpointsDock(QWidget* parent = nullptr);

    void setRunDirectory(const QString& dir);
    QString runDirectory() const { return dir_; }
    /// Re-reads the folder (when no run writes to it).
    void refresh();
    /// Follows a running run from its snapshots: one row per finished epoch, without
    /// touching the disk on the GUI thread.
    void showSnapshot(const TrainingSnapshot& s);
    const std::vector<rbm::RunEntry>& entries() const { return entries_; }
    int rowCount() const;

signals:
    void restoreRequested(const QString& path);

private:
    void requestSelected();
    void fillTable();
    QString dir_;
    std::vector<rbm::RunEntry> entries_;
    QLabel* folder_ = nullptr;
    QTableWidget* table_ = nullptr;
    QPushButton* restore_ = nullptr;
};

}  // namespace studio
