#include "work_progress_bar.h"

#include <algorithm>
#include <cstdio>

#include "terminal.h"

namespace cli {

WorkProgressBar::WorkProgressBar(const rbm::WorkProgress& progress, std::string label)
    : progress_(progress), label_(std::move(label)) {
    if (!stderrIsTerminal()) return;
    thread_ = std::thread([this] {
        const auto start = std::chrono::steady_clock::now();
        while (!stop_.load()) {
            draw(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            for (int i = 0; i < 5 && !stop_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(40));
        }
    });
}

WorkProgressBar::~WorkProgressBar() {
    if (!thread_.joinable()) return;
    stop_.store(true);
    thread_.join();
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
}

void WorkProgressBar::draw(double elapsed) const {
    const double f = std::clamp(progress_.fraction(), 0.0, 1.0);
    const double eta = f > 0.002 ? elapsed * (1.0 - f) / f : -1;
    const int width = 30, filled = static_cast<int>(f * width);
    std::string bar(static_cast<std::size_t>(filled), '=');
    bar.resize(static_cast<std::size_t>(width), ' ');
    std::fprintf(stderr, "\r  %s [%s] %5.1f%%  %s elapsed  ETA %s  (Ctrl+C cancels)   ", label_.c_str(), bar.c_str(),
                 100.0 * f, formatDuration(elapsed).c_str(), formatDuration(eta).c_str());
    std::fflush(stderr);
}

}  // namespace cli
