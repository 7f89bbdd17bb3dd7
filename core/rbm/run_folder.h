#pragma once
/// A training run on disk:
///   RUN/config.json          the configuration the run started with
///   RUN/initial.npz          the model before the first batch
///   RUN/epoch-0001.npz ...   one checkpoint per completed epoch (keep-last-N option)
///   RUN/latest.npz           the newest checkpoint (a hard link, or a copy where links are not
///                            supported; always loadable: put in place by an atomic rename)
///   RUN/metrics.csv          one row per epoch (header first)
#include <cstdint>
#include <string>
#include <vector>

#include "rbm/checkpoint.h"

namespace rbm {

struct RunEntry {
    std::string path;
    std::int64_t epoch = 0;  ///< 0 for initial.npz
    bool hasMetrics = false;
    EpochMetrics metrics;
};

class RunFolder {
public:
    /// Creates the folder (and parents) if needed; throws Error if it cannot. Removes temporary
    /// files (*.tmp-PID-N) that saves killed mid-write left behind, if PID no longer runs.
    explicit RunFolder(std::string dir, int keepLast = 0 /* 0 = keep all */);

    const std::string& dir() const { return dir_; }
    void writeConfig(const TrainingConfig& c);
    /// Saves epoch-NNNN.npz (or initial.npz for epoch 0) and latest.npz; prunes beyond keepLast
    /// (only epoch-NNNN.npz files; never initial.npz, latest.npz or the file just written).
    /// Returns the path written.
    std::string saveCheckpoint(const Checkpoint& c, std::int64_t epoch);
    /// Saves latest.npz only (a state that is not the end of an epoch); returns its path.
    std::string saveLatest(const Checkpoint& c);
    void appendMetrics(const EpochMetrics& m);
    /// The run continues from the end of `epoch` (a restored checkpoint): later rows of
    /// metrics.csv and later epoch checkpoints move into RUN/after-epoch-NNNN[-k]/, then
    /// metrics.csv is rewritten (atomically) up to `epoch`: the folder tells one history and
    /// nothing is deleted. Returns that folder, or "" when nothing was past `epoch`.
    std::string resumeAt(std::int64_t epoch);

    std::string latestPath() const;
    /// Where the checkpoint of `epoch` goes (initial.npz for 0), whether or not it exists.
    std::string checkpointPath(std::int64_t epoch) const;
    bool hasCheckpoint(std::int64_t epoch) const;
    /// The epoch of metrics.csv's last row; -1 without a file or a row.
    std::int64_t lastMetricsEpoch() const;

    /// "initial.npz" for epoch 0, else "epoch-0012.npz": the one spelling of checkpoint names.
    static std::string checkpointFileName(std::int64_t epoch);
    static const char* latestFileName() { return "latest.npz"; }

    /// The checkpoints in a run folder, oldest first (reads only each file's metadata).
    /// Unreadable or foreign files are skipped; latest.npz is listed only if no other file
    /// has its epoch. Throws Error if the folder itself cannot be read.
    static std::vector<RunEntry> list(const std::string& dir);
    /// A new, unused folder name under `parent` such as run-2026-11-27-0130 (local time; -2,
    /// -3... appended if taken). The folder is created, which reserves the name.
    static std::string newRunDir(const std::string& parent);

    static std::string metricsCsvHeader();
    /// One line without the newline; test columns are empty when !m.hasTest.
    static std::string metricsCsvRow(const EpochMetrics& m);

private:
    std::string dir_;
    int keepLast_;
};

}  // namespace rbm
