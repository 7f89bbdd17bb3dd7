#pragma once
/// File > Compare runs: two or more training runs side by side (issue 15). One plot overlays a
/// per-epoch figure of every run (one colour per run, rbm::runMetrics), and a table lists every
/// setting with the rows where the runs differ highlighted (rbm::compareSettings). Runs are run
/// folders (`rbm train --out`, or the studio's own runs); the folders are re-read every two
/// seconds while the window is open, so a run that is training (here or in another process)
/// grows live. Under them, each run's weight filters from its latest checkpoint (read again
/// only when the file changed), and the dream each of them makes of the same start image (the
/// dream panel's drawing), on the same random numbers. "Train a copy of" hands a run's settings to the window, to
/// change one and start: "a copy of A with one change". Files are read off the GUI thread.
#include <QDialog>
#include <QImage>
#include <QStringList>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rbm/run_comparison.h"
#include "support/background_job.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QMenu;
class QPushButton;
class QTableWidget;
class QTimer;

namespace studio {

class RunComparisonDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunComparisonDialog(QWidget* parent = nullptr);

    /// Adds the run folder `dir` (read in the background; a folder that is no run is refused,
    /// named in the status line). The same folder twice is one run.
    void addRun(const QString& dir);
    /// The window's own run, offered by the "Add this window's run" button.
    void setWindowRun(const QString& dir);
    /// Reads every run again (the timer does this every two seconds).
    void reload();
    void setMetric(rbm::RunMetric m);

    const std::vector<rbm::RunRecord>& runs() const { return runs_; }
    QCustomPlot* plot() const { return plot_; }
    QTableWidget* settingsTable() const { return table_; }
    QString statusText() const;
    /// True while a read is under way (tests wait for it to end).
    bool reading() const { return job_.active(); }
    /// Run `i`'s filters (null until it has a checkpoint).
    QImage filterImage(int i) const;
    /// The image every run dreams from (pixels in [0, 1], the size of the runs' models).
    void setDreamStart(const std::vector<float>& pixels);
    /// Run `i`'s dream of it: p(v|h) after kDreamSteps sweeps, side by side (null without one).
    QImage dreamImage(int i) const;
    static const std::vector<int>& dreamSteps();
    /// As if "Train a copy of" run `i` was chosen: emits copyRequested. False if there is no
    /// such run or it has no config.json.
    bool copyRun(int i);

signals:
    /// The settings of `run`, to be trained again with a change (the window applies them).
    void copyRequested(const rbm::TrainingConfig& config, const QString& run);

private:
    /// A run's filters and the modification time of the checkpoint they were drawn from.
    struct Filters {
        std::int64_t stamp = 0;
        QImage image;
        QImage dream;
    };
    struct Reading {
        std::vector<rbm::RunRecord> runs;
        std::vector<std::pair<QString, QString>> refused;  ///< folder, and why it is no run
        std::map<std::string, Filters> filters;  ///< by folder: only those read anew
    };
    void chooseFolder();
    void showRuns();
    void showPlot();
    void showSettings();
    void showFilters();

    QStringList dirs_;
    QStringList refused_;  ///< why folders were no run: said until Clear
    QString windowRun_;
    std::vector<float> dreamStart_;
    std::vector<rbm::RunRecord> runs_;
    std::map<std::string, Filters> filters_;
    rbm::RunMetric metric_ = rbm::RunMetric::HeldOutError;
    bool again_ = false;  ///< a reload was asked for while one ran
    QComboBox* metrics_;
    QCheckBox* onlyDifferences_;
    QCustomPlot* plot_;
    QTableWidget* table_;
    QLabel* status_;
    QPushButton* addOwn_;
    QMenu* copyMenu_;
    QWidget* filterRow_;
    QTimer* timer_;
    BackgroundJob<Reading> job_;  ///< last: destroyed (cancelled, joined) first
};

}  // namespace studio
