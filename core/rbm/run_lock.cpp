#include "rbm/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

#include "rbm/types.h"

namespace rbm {

struct RunLock::Held {
    int fd = -1;
    std::pair<dev_t, ino_t> key;
    ~Held();
};

namespace {

// The folders this process holds, by identity (device, inode): two spellings of one folder
// share one lock; a flock() of a second open file would conflict with our own.
std::mutex g_mutex;
std::map<std::pair<dev_t, ino_t>, std::weak_ptr<RunLock::Held>>& held() {
    static std::map<std::pair<dev_t, ino_t>, std::weak_ptr<RunLock::Held>> map;
    return map;
}

std::string lockPath(const std::string& dir) { return (dir.empty() || dir.back() == '/' ? dir : dir + "/") + RunLock::fileName(); }

/// The PID the holder wrote into the lock file, or empty.
std::string holderPid(int fd) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pid += buf[i];
    return pid;
}

}  // namespace

RunLock::Held::~Held() {
    if (fd >= 0) ::close(fd);  // releases the flock
}

RunLock::RunLock(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error("Cannot lock the run folder '" + dir + "': it is not a folder.");
    const std::pair<dev_t, ino_t> key{st.st_dev, st.st_ino};
    std::lock_guard<std::mutex> guard(g_mutex);
    if (std::shared_ptr<Held> h = held()[key].lock()) {
        held_ = std::move(h);
        return;
    }
    // O_NOFOLLOW and no O_TRUNC: a planted link is not followed, a holder's PID is not erased
    // before we know we hold the lock. Read-only: flock() needs no more, and a file held open
    // for writing would keep the file system from being remounted read-only.
    const std::string path = lockPath(dir);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0666);
    if (fd < 0) throw Error("Cannot lock the run folder '" + dir + "': cannot open " + path + " (" + std::strerror(errno) + ").");
    struct stat lst {};
    if (::fstat(fd, &lst) != 0 || !S_ISREG(lst.st_mode)) {
        ::close(fd);
        throw Error("Cannot lock the run folder '" + dir + "': " + path + " is not a regular file.");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        const std::string pid = holderPid(fd);
        ::close(fd);
        if (e == EWOULDBLOCK)
            throw Error("The run folder '" + dir + "' is in use by another process" +
                        (pid.empty() ? std::string() : " (PID " + pid + ")") +
                        " training into it; wait for it to finish, or choose another --out.");
        throw Error("Cannot lock the run folder '" + dir + "': " + std::strerror(e) + ".");
    }
    // The PID for a second process's message; without it the lock holds all the same.
    const std::string mine = std::to_string(::getpid()) + "\n";
    const int w = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (w >= 0) {
        const ssize_t n = ::write(w, mine.data(), mine.size());
        (void)n;  // a short PID only makes a second process's message poorer
        ::close(w);
    }
    auto h = std::make_shared<Held>();
    h->fd = fd;
    h->key = key;
    held()[key] = h;
    held_ = std::move(h);
}

RunLock::~RunLock() {
    std::lock_guard<std::mutex> guard(g_mutex);
    const std::pair<dev_t, ino_t> key = held_->key;
    held_.reset();  // the last owner closes the file, which releases the lock
    auto it = held().find(key);
    if (it != held().end() && it->second.expired()) held().erase(it);
}

}  // namespace rbm
