#pragma once
// A progress bar with an ETA for a core computation that reports through rbm::WorkProgress
// (`rbm eval`): a thread redraws it on stderr a few times a second while the computation
// runs on the main thread. Drawn only on a terminal; nothing is printed otherwise.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "rbm/work_progress.h"

namespace cli {

class WorkProgressBar {
public:
    /// Starts drawing `label` and the bar of `progress` (if stderr is a terminal).
    WorkProgressBar(const rbm::WorkProgress& progress, std::string label);
    /// Stops drawing and clears the line.
    ~WorkProgressBar();
    WorkProgressBar(const WorkProgressBar&) = delete;
    WorkProgressBar& operator=(const WorkProgressBar&) = delete;

private:
    void draw(double elapsedSeconds) const;
    const rbm::WorkProgress& progress_;
    std::string label_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace cli
