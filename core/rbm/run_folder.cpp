#include "rbm/run_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "rbm/json.h"
#include "rbm/npz.h"

namespace fs = std::filesystem;

namespace rbm {

namespace {

std::string joinPath(const std::string& dir, const std::string& name) {
    if (dir.empty()) return name;
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

/// epoch-0012.npz -> 12; -1 for any other name.
std::int64_t epochOfName(const std::string& name) {
    const std::string prefix = "epoch-", suffix = ".npz";
    if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return -1;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.size() > 15) return -1;
    std::int64_t v = 0;
    for (const char ch : digits) {
        if (ch < '0' || ch > '9') return -1;
        v = v * 10 + (ch - '0');
    }
    return v;
}

std::string csvNumber(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return Json::formatNumber(v);
}

/// latest.npz: a hard link to the new checkpoint, put in place by rename (atomic); a copy on
/// file systems without hard links. Files are never modified in place, so sharing is safe.
void replaceWithLink(const std::string& source, const std::string& target) {
    static std::atomic<unsigned> counter{0};
    const std::string temp = target + ".tmp-" + std::to_string(::getpid()) + "-link" + std::to_string(counter.fetch_add(1));
    if (::link(source.c_str(), temp.c_str()) == 0) {
        if (::rename(temp.c_str(), target.c_str()) == 0) {
            const std::string dir = fs::path(target).parent_path().string();
            const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0) {
                ::fsync(fd);
                ::close(fd);
            }
            return;
        }
        const int e = errno;
        ::unlink(temp.c_str());
        throw Error("Cannot update '" + target + "': " + std::strerror(e) + ".");
    }
    std::string bytes;
    const int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error("Cannot read '" + source + "' to copy it to '" + target + "': " + std::strerror(errno) + ".");
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            ::close(fd);
            throw Error("Cannot read '" + source + "' to copy it to '" + target + "': " + std::strerror(e) + ".");
        }
        bytes.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    writeFileAtomically(target, bytes);
}

/// The process id in a temporary name "<file>.tmp-<pid>-<n>[...]", or -1.
long tempOwner(const std::string& name) {
    const std::size_t at = name.find(".tmp-");
    if (at == std::string::npos) return -1;
    long pid = 0;
    std::size_t i = at + 5;
    const std::size_t start = i;
    while (i < name.size() && name[i] >= '0' && name[i] <= '9' && i - start < 10) pid = pid * 10 + (name[i++] - '0');
    if (i == start || i >= name.size() || name[i] != '-') return -1;
    return pid;
}

/// Removes temporary files left by saves whose process was killed (a process that no longer
/// exists cannot finish them). Files of live processes, including ours, are left alone.
void removeStaleTemporaries(const std::string& dir) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const long pid = tempOwner(name);
        if (pid <= 0 || !it->is_regular_file(ec)) continue;
        if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            std::error_code rmEc;
            fs::remove(it->path(), rmEc);
        }
    }
}

}  // namespace

RunFolder::RunFolder(std::string dir, int keepLast) : dir_(std::move(dir)), keepLast_(keepLast) {
    if (dir_.empty()) throw Error("The run folder name is empty.");
    if (keepLast_ < 0) throw Error("The number of checkpoints to keep must be 0 (all) or more, got " + std::to_string(keepLast_) + ".");
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw Error("Cannot create the run folder '" + dir_ + "': " + ec.message() + ".");
    if (!fs::is_directory(dir_, ec)) throw Error("Cannot use '" + dir_ + "' as a run folder: it is not a folder.");
    removeStaleTemporaries(dir_);
}

void RunFolder::writeConfig(const TrainingConfig& c) {
    writeFileAtomically(joinPath(dir_, "config.json"), toJson(c) + "\n");
}

std::string RunFolder::checkpointFileName(std::int64_t epoch) {
    if (epoch == 0) return "initial.npz";
    char buf[40];
    std::snprintf(buf, sizeof buf, "epoch-%04lld.npz", static_cast<long long>(epoch));
    return buf;
}

std::string RunFolder::latestPath() const { return joinPath(dir_, latestFileName()); }

std::string RunFolder::checkpointPath(std::int64_t epoch) const { return joinPath(dir_, checkpointFileName(epoch)); }

bool RunFolder::hasCheckpoint(std::int64_t epoch) const {
    std::error_code ec;
    return fs::is_regular_file(checkpointPath(epoch), ec);
}

std::int64_t RunFolder::lastMetricsEpoch() const {
    std::FILE* f = std::fopen(joinPath(dir_, "metrics.csv").c_str(), "rb");
    if (!f) return -1;
    std::string text;
    char buf[1 << 14];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    const std::size_t start = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    std::int64_t epoch = 0;
    std::size_t i = start;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 15; ++i) epoch = epoch * 10 + (text[i] - '0');
    // the header, a torn line or anything but "<epoch>," is no row
    if (i == start || i >= text.size() || text[i] != ',') return -1;
    return epoch;
}

std::string RunFolder::saveCheckpoint(const Checkpoint& c, std::int64_t epoch) {
    if (epoch < 0) throw Error("Cannot save a checkpoint for epoch " + std::to_string(epoch) + " in '" + dir_ + "'.");
    const std::string path = checkpointPath(epoch);
    rbm::saveCheckpoint(path, c);
    replaceWithLink(path, latestPath());

    if (keepLast_ > 0) {
        std::vector<std::pair<std::int64_t, std::string>> epochs;
        std::error_code ec;
        for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            const std::int64_t e = epochOfName(name);
            if (e >= 0) epochs.emplace_back(e, it->path().string());
        }
        std::sort(epochs.begin(), epochs.end());
        const std::size_t keep = static_cast<std::size_t>(keepLast_);
        for (std::size_t i = 0; i + keep < epochs.size(); ++i) {
            // never the file just written (a resumed run may be behind older, higher epochs)
            if (fs::path(epochs[i].second).filename() == fs::path(path).filename()) continue;
            std::error_code rmEc;
            fs::remove(epochs[i].second, rmEc);  // a file that cannot be pruned is no reason to stop training
        }
    }
    return path;
}

std::string RunFolder::saveLatest(const Checkpoint& c) {
    const std::string path = latestPath();
    rbm::saveCheckpoint(path, c);  // atomic: replaces the link, never the epoch file behind it
    return path;
}

void RunFolder::appendMetrics(const EpochMetrics& m) {
    const std::string path = joinPath(dir_, "metrics.csv");
    struct stat st {};
    const bool fresh = ::stat(path.c_str(), &st) != 0 || st.st_size == 0;
    std::string text;
    if (fresh) text = metricsCsvHeader() + "\n";
    text += metricsCsvRow(m) + "\n";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) throw Error("Cannot open '" + path + "' to append metrics: " + std::strerror(errno) + ".");
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            ::close(fd);
            throw Error("Cannot append metrics to '" + path + "': " + std::strerror(e) + ".");
        }
        done += static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    if (::close(fd) != 0) throw Error("Cannot append metrics to '" + path + "': " + std::strerror(errno) + ".");
}

std::string RunFolder::resumeAt(std::int64_t epoch) {
    const std::string csv = joinPath(dir_, "metrics.csv");
    std::string text, kept;
    if (std::FILE* f = std::fopen(csv.c_str(), "rb")) {
        char buf[1 << 14];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
        std::fclose(f);
    }
    bool rowsAfter = false;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string line = text.substr(at, end - at);
        at = end + 1;
        char* stop = nullptr;
        const long long e = std::strtoll(line.c_str(), &stop, 10);
        if (stop != line.c_str() && *stop == ',' && e > epoch) rowsAfter = true;
        else if (end < text.size()) kept += line + "\n";  // the header, rows up to `epoch`; a torn line goes
    }
    std::vector<fs::path> later;
    std::error_code ec;
    for (fs::directory_iterator it(dir_, ec), endIt; !ec && it != endIt; it.increment(ec))
        if (epochOfName(it->path().filename().string()) > epoch) later.push_back(it->path());
    if (!rowsAfter && later.empty()) return {};

    char name[48];
    std::snprintf(name, sizeof name, "after-epoch-%04lld", static_cast<long long>(epoch));
    std::string aside = joinPath(dir_, name);
    for (int k = 2; fs::exists(aside, ec); ++k) aside = joinPath(dir_, name + ("-" + std::to_string(k)));
    fs::create_directory(aside, ec);
    if (ec) throw Error("Cannot create '" + aside + "' for the epochs after " + std::to_string(epoch) + ": " + ec.message() + ".");
    if (!text.empty()) writeFileAtomically(joinPath(aside, "metrics.csv"), text);
    for (const fs::path& p : later) {
        fs::rename(p, fs::path(aside) / p.filename(), ec);
        if (ec) throw Error("Cannot move '" + p.string() + "' aside: " + ec.message() + ".");
    }
    if (rowsAfter) writeFileAtomically(csv, kept);
    return aside;
}

std::vector<RunEntry> RunFolder::list(const std::string& dir) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) throw Error("Cannot list the run folder '" + dir + "': " + ec.message() + ".");
    std::vector<RunEntry> entries;
    std::vector<RunEntry> latest;
    for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const bool isLatest = name == latestFileName();
        const bool isInitial = name == checkpointFileName(0);
        if (!isInitial && !isLatest && epochOfName(name) < 0) continue;
        RunEntry e;
        e.path = it->path().string();
        try {
            const CheckpointInfo info = readCheckpointInfo(e.path);
            e.epoch = isInitial ? 0 : info.epoch;
            e.hasMetrics = info.metrics.has_value();
            if (info.metrics) e.metrics = *info.metrics;
        } catch (const Error&) {
            continue;  // half-copied, foreign or damaged files are left out, not fatal
        }
        (isLatest ? latest : entries).push_back(std::move(e));
    }
    // latest.npz duplicates the newest epoch file; list it only when that file is gone
    for (RunEntry& e : latest) {
        const bool duplicate = std::any_of(entries.begin(), entries.end(),
                                           [&](const RunEntry& x) { return x.epoch == e.epoch; });
        if (!duplicate) entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(), [](const RunEntry& a, const RunEntry& b) {
        if (a.epoch != b.epoch) return a.epoch < b.epoch;
        return a.path < b.path;
    });
    return entries;
}

std::string RunFolder::newRunDir(const std::string& parent) {
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) throw Error("Cannot create the folder '" + parent + "': " + ec.message() + ".");
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "run-%Y-%m-%d-%H%M", &local);
    for (int n = 1; n < 10000; ++n) {
        const std::string name = n == 1 ? std::string(stamp) : std::string(stamp) + "-" + std::to_string(n);
        const std::string path = joinPath(parent.empty() ? "." : parent, name);
        // mkdir is atomic: creating the folder reserves the name against a concurrent caller
        if (::mkdir(path.c_str(), 0777) == 0) return path;
        if (errno != EEXIST) throw Error("Cannot create a run folder in '" + parent + "': " + std::strerror(errno) + ".");
    }
    throw Error("Cannot find an unused run folder name in '" + parent + "'.");
}

std::string RunFolder::metricsCsvHeader() {
    return "epoch,seconds,samples_per_second,train_mse,test_mse,train_cross_entropy,test_cross_entropy,"
           "train_free_energy,test_free_energy,free_energy_gap,pseudo_log_likelihood,dead_units,saturated_units,"
           "ratio_weights,ratio_visible_bias,ratio_hidden_bias";
}

std::string RunFolder::metricsCsvRow(const EpochMetrics& m) {
    auto test = [&](double v) { return m.hasTest ? csvNumber(v) : std::string(); };
    std::string row;
    row += std::to_string(m.epoch);
    row += "," + csvNumber(m.seconds);
    row += "," + csvNumber(m.samplesPerSecond);
    row += "," + csvNumber(m.trainMse);
    row += "," + test(m.testMse);
    row += "," + csvNumber(m.trainCrossEntropy);
    row += "," + test(m.testCrossEntropy);
    row += "," + csvNumber(m.trainFreeEnergy);
    row += "," + test(m.testFreeEnergy);
    row += "," + test(m.testFreeEnergy - m.trainFreeEnergy);
    row += "," + csvNumber(m.pseudoLogLikelihood);
    row += "," + std::to_string(m.deadUnits);
    row += "," + std::to_string(m.saturatedUnits);
    row += "," + csvNumber(m.ratioWeights);
    row += "," + csvNumber(m.ratioVisibleBias);
    row += "," + csvNumber(m.ratioHiddenBias);
    return row;
}

}  // namespace rbm
