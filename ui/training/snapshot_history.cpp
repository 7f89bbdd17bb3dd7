#include "training/snapshot_history.h"

#include <algorithm>

namespace studio {

namespace {

template <class M>
std::size_t floats(const M& m) {
    return std::size_t(m.size()) * sizeof(typename M::Scalar);
}

}  // namespace

SnapshotHistory::SnapshotHistory(std::size_t budgetBytes, std::size_t maxCount)
    : budget_(budgetBytes), maxCount_(std::max<std::size_t>(2, maxCount)) {}

std::size_t SnapshotHistory::bytesOf(const TrainingSnapshot& s) {
    std::size_t n = sizeof(TrainingSnapshot);
    n += floats(s.model.W) + floats(s.model.visibleBias) + floats(s.model.hiddenBias);
    n += floats(s.weightUpdate) + floats(s.visibleBiasUpdate) + floats(s.hiddenBiasUpdate);
    n += floats(s.negativeSamples) + floats(s.batch) + floats(s.batchHidden) + floats(s.meanHiddenActivity);
    n += s.batchErrors.capacity() * sizeof(BatchPoint);
    n += s.epochMetrics.capacity() * sizeof(rbm::EpochMetrics);
    for (const ConfigChange& c : s.configChanges) n += sizeof(ConfigChange) + std::size_t(c.text.capacity()) * sizeof(QChar);
    n += std::size_t(s.origin.capacity() + s.runDir.capacity()) * sizeof(QChar);
    return n;
}

void SnapshotHistory::clear() {
    kept_.clear();
    bytes_ = 0;
    stride_ = 1;
}

bool SnapshotHistory::add(const SnapshotPtr& s) {
    if (!s) return false;
    const std::int64_t batch = s->counters.totalBatches;
    if (!kept_.empty()) {
        const std::int64_t last = kept_.back()->counters.totalBatches;
        if (batch < last) clear();                      // another run's snapshot: start again
        else if (batch - last < stride_) return false;  // too close to the last moment kept
    }
    kept_.push_back(s);
    bytes_ += bytesOf(*s);
    while (!kept_.empty() && (kept_.size() > maxCount_ || bytes_ > budget_)) {
        if (kept_.size() <= 2) {
            // Snapshots bigger than half the budget: the newest alone, or nothing (the bound holds).
            bytes_ -= bytesOf(*kept_.front());
            kept_.pop_front();
            continue;
        }
        thin();
    }
    return !kept_.empty() && kept_.back() == s;
}

void SnapshotHistory::thin() {
    // Every second moment goes; the first (where the run began) and the newest stay.
    std::deque<SnapshotPtr> kept;
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < kept_.size(); ++i) {
        if (i % 2 == 1 && i + 1 != kept_.size()) continue;
        bytes += bytesOf(*kept_[i]);
        kept.push_back(std::move(kept_[i]));
    }
    kept_.swap(kept);
    bytes_ = bytes;
    stride_ *= 2;
}

SnapshotPtr SnapshotHistory::nearest(double epoch) const {
    if (kept_.empty()) return nullptr;
    auto it = std::upper_bound(kept_.begin(), kept_.end(), epoch,
                               [](double e, const SnapshotPtr& s) { return e < s->epochPosition(); });
    return it == kept_.begin() ? kept_.front() : *(it - 1);
}

}  // namespace studio
