#pragma once
/// The moments of a run kept in memory for the time slider: training snapshots (the very ones
/// the views painted, shared, never copied), at most `maxCount` of them and at most
/// `budgetBytes` in all, however long the run. It keeps one snapshot every stride() batches;
/// when a bound would be passed it drops every second one (the first and the newest stay) and
/// doubles the stride, so the moments stay evenly spread over the whole run, dense at first
/// and thinner as the run grows. Whole epochs are on disk anyway (the run folder's
/// checkpoints): the slider takes those from there.
#include <cstddef>
#include <cstdint>
#include <deque>

#include "training/training_snapshot.h"

namespace studio {

class SnapshotHistory {
public:
    static constexpr std::size_t kDefaultBudgetBytes = std::size_t(64) << 20;  // README "Time slider"
    static constexpr std::size_t kDefaultMaxCount = 240;

    explicit SnapshotHistory(std::size_t budgetBytes = kDefaultBudgetBytes, std::size_t maxCount = kDefaultMaxCount);

    /// Keeps `s` if it is stride() batches or more after the newest kept one (the first one
    /// always); returns whether it was kept. A snapshot of a batch before the newest kept one
    /// starts the history again (another run).
    bool add(const SnapshotPtr& s);
    void clear();

    /// Oldest first, strictly increasing in counters.totalBatches.
    const std::deque<SnapshotPtr>& snapshots() const { return kept_; }
    std::size_t count() const { return kept_.size(); }
    std::size_t bytes() const { return bytes_; }
    std::int64_t stride() const { return stride_; }
    std::size_t budgetBytes() const { return budget_; }
    std::size_t maxCount() const { return maxCount_; }
    /// The newest kept snapshot at or before epoch position `epoch`, else the oldest; null if empty.
    SnapshotPtr nearest(double epoch) const;

    /// What `s` holds in memory: its matrices, lists and the struct itself.
    static std::size_t bytesOf(const TrainingSnapshot& s);

private:
    void thin();

    std::deque<SnapshotPtr> kept_;
    std::size_t bytes_ = 0;
    std::size_t budget_;
    std::size_t maxCount_;
    std::int64_t stride_ = 1;
};

}  // namespace studio
