#pragma once
/// A run folder belongs to one run at a time: an exclusive flock() on RUN/.lock, held for as
/// long as anything of this process writes into the folder. A second process fails at once,
/// naming the holder's PID (written into the lock file); within one process, every user of the
/// folder shares the same lock (the studio continues a run in its folder after a restore).
/// The kernel drops the lock when the holder dies, however it dies: no stale lock survives.
#include <memory>
#include <string>

namespace rbm {

class RunLock {
public:
    /// Takes (or shares, within this process) the lock of `dir`, which must exist. Throws
    /// Error("The run folder '<dir>' is in use by another process (PID 1234) ...").
    explicit RunLock(const std::string& dir);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

    static const char* fileName() { return ".lock"; }

    struct Held;  ///< the open, locked file (shared within the process)

private:
    std::shared_ptr<Held> held_;
};

}  // namespace rbm
