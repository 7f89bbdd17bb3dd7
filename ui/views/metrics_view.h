#pragma once
/// Learning curves on an epoch axis (QCustomPlot): reconstruction error per batch (raw and
/// smoothed) and per epoch on the training subset and held-out data, the free-energy gap and
/// the pseudo-log-likelihood, with a vertical marker wherever a hyperparameter was changed.
/// Live graphs only ever addData; replots are queued.
///
/// Each plot has its title above it (horizontal: no rotated labels running into each other in
/// a short plot) and the legend is a row of its own, never over the data; only the lowest plot
/// labels the epoch axis. Reduced (the classroom): the reconstruction plot alone.
#include <QWidget>
#include <cstdint>
#include <limits>
#include <vector>

#include "rbm/trainer.h"
#include "training/training_snapshot.h"

class QCustomPlot;
class QCPGraph;
class QCPAxisRect;
class QCPItemStraightLine;
class QCPLegend;
class QCPTextElement;

namespace studio {

class MetricsView : public QWidget {
    Q_OBJECT
public:
    explicit MetricsView(QWidget* parent = nullptr);

    /// Appends what is new in the snapshot (batch errors, epochs, changes). Cheap: call it
    /// for every snapshot that arrives.
    void showSnapshot(const TrainingSnapshot& s);
    /// Epoch metrics of a run read from disk (checkpoint list), without batch curves.
    void showEpochMetrics(const std::vector<rbm::EpochMetrics>& metrics, int epochsPlanned);
    void addMarker(double epoch, const QString& text);
    /// Rescales and replots if data arrived since the last call (the window calls it at its
    /// paint rate, so adding data stays cheap however often snapshots arrive).
    void refresh();
    /// The x axis spans at least this many epochs.
    void setEpochsPlanned(int epochs);
    void clear();
    /// A vertical line across the plots at `epoch` (the time slider's moment); NaN hides it.
    void setCursor(double epoch);
    double cursor() const { return cursorEpoch_; }
    /// Only the reconstruction plot (one metric, for the classroom), or all three.
    void setReduced(bool reduced);
    bool reduced() const { return reduced_; }

    int batchPointCount() const;
    int epochPointCount() const;
    int markerCount() const { return int(markers_.size()); }
    QString markerText(int i) const { return markers_[std::size_t(i)].text; }
    double markerEpoch(int i) const { return markers_[std::size_t(i)].epoch; }
    /// All epoch metrics shown, in order (for CSV export).
    const std::vector<rbm::EpochMetrics>& epochMetrics() const { return epochs_; }
    QCustomPlot* plot() const { return plot_; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void addEpoch(const rbm::EpochMetrics& m);
    void updateRanges();
    /// Titles, legend and the plots shown, top to bottom.
    void layOut();
    /// As many legend entries on a row as the width holds; true if that changed.
    bool fitLegend();
    /// Fewer ticks on a short plot, so that tick labels never touch.
    void fitTicks();
    std::vector<QCPAxisRect*> shownRects() const;

    struct Marker {
        double epoch;
        QString text;
    };
    QCustomPlot* plot_ = nullptr;
    QCPAxisRect* rectRecon_ = nullptr;
    QCPAxisRect* rectGap_ = nullptr;
    QCPAxisRect* rectPll_ = nullptr;
    QCPTextElement* titleRecon_ = nullptr;
    QCPTextElement* titleGap_ = nullptr;
    QCPTextElement* titlePll_ = nullptr;
    QCPLegend* legend_ = nullptr;
    bool reduced_ = false;
    QCPGraph* batchRaw_ = nullptr;
    QCPGraph* batchSmooth_ = nullptr;
    QCPGraph* epochTrain_ = nullptr;
    QCPGraph* epochTest_ = nullptr;
    QCPGraph* gap_ = nullptr;
    QCPGraph* pll_ = nullptr;
    std::vector<Marker> markers_;
    std::vector<rbm::EpochMetrics> epochs_;
    std::uint64_t lastChangeId_ = 0;
    double lastBatchX_ = -1;
    double smooth_ = -1;
    double maxX_ = 1;
    int epochsPlanned_ = 1;
    bool dirty_ = false;
    /// Marker and cursor lines of the gap and likelihood plots (owned by the plot): hidden with them.
    std::vector<QCPItemStraightLine*> lowerLines_;
    std::vector<QCPItemStraightLine*> cursorLines_;  // owned by the plot
    double cursorEpoch_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace studio
