#pragma once
/// One time slider for the whole window: scrub back through the run and every panel (filters,
/// histograms, hidden activity, fantasy particles, the dream's model, the status bar) shows
/// that moment, the metrics and likelihood plots a cursor at it; "Live" returns to now.
/// The moments: training snapshots kept in memory (a SnapshotHistory, bounded in count and
/// bytes, about per batch early on and thinner as the run grows) and the run folder's epoch
/// checkpoints (on disk, read when scrubbed to; the last few read stay cached). Panels already
/// paint from immutable snapshots, so showing a moment is the scheduler painting an older one
/// (SnapshotScheduler::pin) while training goes on behind it.
#include <QString>
#include <QWidget>
#include <cstdint>
#include <deque>
#include <vector>

#include "rbm/run_folder.h"
#include "training/snapshot_history.h"
#include "training/training_snapshot.h"

class QLabel;
class QPushButton;
class QSlider;

namespace studio {

class LikelihoodView;
class MainWindow;

class TimeSlider : public QWidget {
    Q_OBJECT
public:
    struct Moment {
        double epoch = 0;        ///< position on the epoch axis
        SnapshotPtr snapshot;    ///< in memory, or null: read `checkpoint` when shown
        QString checkpoint;      ///< an epoch checkpoint of the run folder
    };

    explicit TimeSlider(QWidget* parent = nullptr);

    /// Every snapshot from training (cheap: most are not kept, see SnapshotHistory).
    void record(const SnapshotPtr& s);
    /// Another model: its history starts again from `s` (live).
    void restart(const SnapshotPtr& s);
    /// The epoch checkpoints of the run on screen (those after the newest moment are left out).
    void setCheckpoints(const std::vector<rbm::RunEntry>& entries);

    const SnapshotHistory& history() const { return history_; }
    const std::vector<Moment>& moments() const { return moments_; }
    bool isLive() const { return live_; }
    /// Shows moment `i` (0 = the oldest) on every panel: momentShown.
    void showMoment(int i);
    /// Back to now: liveShown.
    void goLive();
    /// One moment earlier (from live: the newest moment) or later (past the newest: live).
    /// The keys Alt+Left and Alt+Right (View > Time), from any widget.
    void stepBack();
    void stepForward();
    /// The moment on display (null when live).
    SnapshotPtr shownMoment() const { return live_ ? nullptr : shown_; }
    QString labelText() const;
    QSlider* slider() const { return slider_; }

signals:
    void momentShown(studio::SnapshotPtr s);
    void liveShown();

private:
    void rebuild();
    void onSliderMoved(int value);
    void updateLabel();
    SnapshotPtr load(const Moment& m);

    SnapshotHistory history_;
    std::vector<rbm::RunEntry> checkpoints_;
    std::vector<Moment> moments_;
    std::deque<std::pair<QString, SnapshotPtr>> loaded_;  ///< the last checkpoints read (a few)
    SnapshotPtr newest_;                                   ///< newest recorded: "now"
    SnapshotPtr shown_;
    double shownEpoch_ = 0;
    bool live_ = true;
    QSlider* slider_ = nullptr;
    QLabel* label_ = nullptr;
    QPushButton* liveButton_ = nullptr;
};

/// The slider in a bar under the panels, fed by the window's controller and connected to its
/// scheduler, metrics and `likelihood` (may be null). One call from the standard panels.
TimeSlider* installTimeSlider(MainWindow* window, LikelihoodView* likelihood);

}  // namespace studio
