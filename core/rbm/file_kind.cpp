#include "rbm/file_kind.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>


namespace rbm {

namespace {

FileKind kindOf(mode_t mode) {
    if (S_ISREG(mode)) return FileKind::Regular;
    if (S_ISDIR(mode)) return FileKind::Folder;
    if (S_ISFIFO(mode)) return FileKind::Fifo;
    if (S_ISSOCK(mode)) return FileKind::Socket;
    if (S_ISCHR(mode)) return FileKind::CharDevice;
    if (S_ISBLK(mode)) return FileKind::BlockDevice;
    return FileKind::Other;
}

std::string reasonFor(FileKind kind) {
    switch (kind) {
    case FileKind::Regular: return {};
    case FileKind::Missing: return "no such file";
    case FileKind::Folder: return "it is a folder, not a file";
    default: return std::string("it is ") + describe(kind) + ", not a regular file";
    }
}

}  // namespace

FileKind fileKind(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return FileKind::Missing;
    return kindOf(st.st_mode);
}

const char* describe(FileKind kind) {
    switch (kind) {
    case FileKind::Missing: return "missing";
    case FileKind::Regular: return "a regular file";
    case FileKind::Folder: return "a folder";
    case FileKind::Fifo: return "a named pipe (FIFO)";
    case FileKind::Socket: return "a socket";
    case FileKind::CharDevice: return "a character device";
    case FileKind::BlockDevice: return "a block device";
    case FileKind::Other: break;
    }
    return "not a file";
}

std::string whyNotRegularFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno == ENOENT ? "no such file" : std::strerror(errno);
    return reasonFor(kindOf(st.st_mode));
}

void requireRegularFile(const std::string& path) {
    const std::string why = whyNotRegularFile(path);
    if (!why.empty()) throw FileError(path, why, fileKind(path));
}

std::string whyNotReplaceable(const std::string& path) {
    const FileKind kind = fileKind(path);
    if (kind == FileKind::Missing || kind == FileKind::Regular) return {};
    if (kind == FileKind::Folder) return "it is a folder";
    return reasonFor(kind);
}

ReadableFile::ReadableFile(const std::string& path, bool allowPipe) : path_(path) {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) {
        const int e = errno;
        if (e == ENOENT) throw FileError(path, "no such file", FileKind::Missing);
        if (e == ENXIO) throw FileError(path, "it is a socket, not a regular file", FileKind::Socket);
        throw FileError(path, std::string("cannot open the file (") + std::strerror(e) + ")");
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        const int e = errno;
        ::close(fd_);
        throw FileError(path, std::strerror(e));
    }
    const FileKind kind = kindOf(st.st_mode);
    pipe_ = kind == FileKind::Fifo;
    if (kind != FileKind::Regular && !(pipe_ && allowPipe)) {
        ::close(fd_);
        throw FileError(path, reasonFor(kind), kind);
    }
    size_ = pipe_ ? 0 : static_cast<std::uint64_t>(st.st_size);
    if (!pipe_) ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
}

ReadableFile::~ReadableFile() {
    if (fd_ >= 0) ::close(fd_);
}

void ReadableFile::waitForData() {
    // Until a writer has opened the FIFO, poll() reports nothing (Linux gives no POLLHUP to a
    // reader that never saw a writer): so silence, not the end, is what the timeout catches.
    pollfd p{fd_, POLLIN, 0};
    for (;;) {
        const int n = ::poll(&p, 1, kPipeSilenceSeconds * 1000);
        if (n > 0) return;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw FileError(path_, std::strerror(errno));
        throw FileError(path_, "it is a named pipe (FIFO) and nothing was written to it for " +
                                   std::to_string(kPipeSilenceSeconds) + " s; give a regular file");
    }
}

std::size_t ReadableFile::read(void* into, std::size_t n) {
    char* p = static_cast<char*>(into);
    std::size_t done = 0;
    while (done < n) {
        if (pipe_) waitForData();
        const ssize_t got = ::read(fd_, p + done, n - done);
        if (got == 0) break;
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw FileError(path_, std::string("read error (") + std::strerror(errno) + ")");
        }
        done += static_cast<std::size_t>(got);
    }
    return done;
}

}  // namespace rbm
