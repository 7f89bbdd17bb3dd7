#include "window/snapshot_scheduler.h"

#include <QElapsedTimer>
#include <algorithm>

namespace studio {

SnapshotScheduler::SnapshotScheduler(QObject* parent) : QObject(parent) {
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, &SnapshotScheduler::runStage);
}

void SnapshotScheduler::offer(const SnapshotPtr& s) {
    if (!s) return;
    latest_ = s;
    // A frame in progress restarts the timer itself when it ends.
    if (!pinned_ && !painting_ && !timer_.isActive()) timer_.start(interval_);
}

void SnapshotScheduler::replace(const SnapshotPtr& s) {
    timer_.stop();
    painting_.reset();
    pinned_.reset();
    latest_ = s;
    shown_ = s;
}

void SnapshotScheduler::pin(const SnapshotPtr& s) {
    if (!s) return;
    pinned_ = s;
    painting_.reset();  // a frame of another moment in progress: the rest of it would be stale
    timer_.start(0);
}

void SnapshotScheduler::unpin() {
    if (!pinned_) return;
    pinned_.reset();
    painting_.reset();
    if (latest_) timer_.start(0);
}

void SnapshotScheduler::runStage() {
    if (!painting_) {
        const SnapshotPtr next = target();
        if (!next || next == shown_ || stages_.empty()) return;
        painting_ = next;
        nextStage_ = 0;
        frameNs_ = 0;
    }
    QElapsedTimer t;
    t.start();
    stages_[nextStage_++](*painting_);
    frameNs_ += t.nsecsElapsed();
    if (!painting_) return;  // a stage replaced the model on display
    if (nextStage_ < stages_.size()) {
        timer_.start(0);  // the next stage in a later turn of the event loop
        return;
    }
    shown_ = painting_;
    painting_.reset();
    ++frames_;
    const int ms = int(frameNs_ / 1000000);
    interval_ = std::clamp(3 * ms, kMinIntervalMs, kMaxIntervalMs);
    emit painted(shown_);
    if (target() != shown_ && !timer_.isActive() && !painting_) timer_.start(interval_);
}

}  // namespace studio
