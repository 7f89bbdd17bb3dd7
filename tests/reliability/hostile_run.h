#pragma once
// Running a real binary as a careless script would, and measuring what it did: exit code,
// stderr, peak resident memory (wait4's rusage of that one child), whether it hung (killed
// after a deadline: a hang is a failure, never a wait). Optionally with a file size limit
// (RLIMIT_FSIZE with SIGXFSZ ignored: writes past it fail with EFBIG, as on a full disk) or a
// Ctrl+C (SIGINT) after a delay. Plus snapshots of a folder, to assert that the files that
// existed before a run are byte for byte the same after it.
#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QString>
#include <QStringList>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace hostile {

struct Outcome {
    int exitCode = -1;  ///< -1: killed by a signal (a crash), -2: hung and killed
    QString err, out;
    double peakMb = 0;
    double seconds = 0;
};

struct Options {
    long long fileSizeLimit = -1;  ///< bytes; RLIMIT_FSIZE in the child
    int sigintAfterMs = -1;
    int deadlineMs = 60000;
};

inline Outcome run(const QString& program, const QStringList& args, const Options& o = {}) {
    std::vector<QByteArray> argBytes{QFile::encodeName(program)};
    for (const QString& a : args) argBytes.push_back(QFile::encodeName(a));
    std::vector<char*> argv;
    for (QByteArray& b : argBytes) argv.push_back(b.data());
    argv.push_back(nullptr);
    int errPipe[2], outPipe[2];
    if (::pipe2(errPipe, O_CLOEXEC) != 0 || ::pipe2(outPipe, O_CLOEXEC) != 0) return {};
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(errPipe[1], 2);
        ::dup2(outPipe[1], 1);
        const int devNull = ::open("/dev/null", O_RDONLY);
        if (devNull >= 0) ::dup2(devNull, 0);
        if (o.fileSizeLimit >= 0) {
            ::signal(SIGXFSZ, SIG_IGN);  // survives exec: writes fail with EFBIG instead
            rlimit lim{};
            ::getrlimit(RLIMIT_FSIZE, &lim);
            lim.rlim_cur = static_cast<rlim_t>(o.fileSizeLimit);
            ::setrlimit(RLIMIT_FSIZE, &lim);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(errPipe[1]);
    ::close(outPipe[1]);
    Outcome r;
    QByteArray err, out;
    bool sentInt = false, killed = false;
    int status = 0;
    rusage usage{};
    for (;;) {
        pollfd fds[2] = {{errPipe[0], POLLIN, 0}, {outPipe[0], POLLIN, 0}};
        ::poll(fds, 2, 50);
        char buf[4096];
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents & (POLLIN | POLLHUP)) {
                const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
                if (n > 0) (i == 0 ? err : out).append(buf, static_cast<int>(n));
            }
        }
        const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        const long long ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        if (o.sigintAfterMs >= 0 && !sentInt && ms >= o.sigintAfterMs) {
            ::kill(pid, SIGINT);
            sentInt = true;
        }
        if (ms > o.deadlineMs && !killed) {
            ::kill(pid, SIGKILL);
            killed = true;
        }
    }
    for (int fd : {errPipe[0], outPipe[0]}) {
        char buf[4096];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) (fd == errPipe[0] ? err : out).append(buf, static_cast<int>(n));
        ::close(fd);
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.exitCode = killed ? -2 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = QString::fromUtf8(err);
    r.out = QString::fromUtf8(out);
    r.peakMb = double(usage.ru_maxrss) / 1024.0;
    return r;
}

/// Every regular file under `dir` (relative path -> SHA-1 of its bytes); FIFOs and other
/// special files by their kind only (they are never opened).
inline QMap<QString, QByteArray> snapshot(const QString& dir) {
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = QDir(dir).relativeFilePath(path);
        struct stat st {};
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0) continue;
        if (!S_ISREG(st.st_mode)) {
            files[rel] = "special:" + QByteArray::number(int(st.st_mode & S_IFMT));
            continue;
        }
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) continue;
        files[rel] = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha1);
    }
    return files;
}

/// The files of `before` that are missing or changed in `after` ("" when none). The run
/// folder's lock file holds the last holder's PID and may change.
inline QString changedFiles(const QMap<QString, QByteArray>& before, const QMap<QString, QByteArray>& after) {
    QStringList changed;
    for (auto it = before.begin(); it != before.end(); ++it) {
        if (it.key().endsWith(".lock")) continue;
        if (!after.contains(it.key())) changed << it.key() + " (gone)";
        else if (after.value(it.key()) != it.value()) changed << it.key() + " (changed)";
    }
    return changed.join(", ");
}

/// Files in `after` that `before` did not have, e.g. temporary files left behind.
inline QStringList newFiles(const QMap<QString, QByteArray>& before, const QMap<QString, QByteArray>& after) {
    QStringList added;
    for (auto it = after.begin(); it != after.end(); ++it)
        if (!before.contains(it.key())) added << it.key();
    return added;
}

}  // namespace hostile
