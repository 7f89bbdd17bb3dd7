#pragma once
/// Paints training snapshots at a rate people can follow and the GUI thread can afford.
/// Snapshots are offered as they arrive (~25 a second); only the newest is kept, and a repaint
/// of it starts on one timer at most every interval(). A repaint runs in stages, one stage
/// per turn of the event loop, so that no single turn holds the GUI thread for the sum of
/// all views. When painting costs more (big models) the interval grows: paint less often
/// rather than hold the loop.
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <functional>
#include <vector>

#include "training/training_snapshot.h"

namespace studio {

class SnapshotScheduler : public QObject {
    Q_OBJECT
public:
    using Stage = std::function<void(const TrainingSnapshot&)>;
    static constexpr int kMinIntervalMs = 80;  // 12.5 Hz: smooth for people, cheap for the GUI thread
    static constexpr int kMaxIntervalMs = 250;

    explicit SnapshotScheduler(QObject* parent = nullptr);

    /// The stages of one repaint, in order.
    void addStage(Stage stage) { stages_.push_back(std::move(stage)); }

    /// A snapshot from training: replaces any older one not yet painted.
    void offer(const SnapshotPtr& s);
    /// `s` was just painted by the caller (a loaded, restored or new model): a staged repaint
    /// of an older snapshot is dropped and must not land after it.
    void replace(const SnapshotPtr& s);

    /// The time slider went back to `s`: it is painted (in stages, as any frame) and stays on
    /// display while training snapshots go on arriving (latest() follows them, nothing paints
    /// them) until unpin(). replace() unpins too.
    void pin(const SnapshotPtr& s);
    /// Back to live: the newest snapshot is painted.
    void unpin();
    SnapshotPtr pinned() const { return pinned_; }

    SnapshotPtr latest() const { return latest_; }  ///< newest arrived
    SnapshotPtr shown() const { return shown_; }    ///< newest fully painted
    int interval() const { return interval_; }
    std::uint64_t framesPainted() const { return frames_; }

signals:
    /// Every stage of `s` has run.
    void painted(studio::SnapshotPtr s);

private:
    void runStage();
    /// What the next frame paints: the pinned moment, else the newest snapshot.
    SnapshotPtr target() const { return pinned_ ? pinned_ : latest_; }

    std::vector<Stage> stages_;
    QTimer timer_;  ///< the one timer: the next frame (interval_) or the next stage (0 ms)
    SnapshotPtr latest_, shown_, painting_, pinned_;
    std::size_t nextStage_ = 0;
    std::int64_t frameNs_ = 0;  ///< GUI-thread time of the frame being painted
    int interval_ = kMinIntervalMs;
    std::uint64_t frames_ = 0;
};

}  // namespace studio
