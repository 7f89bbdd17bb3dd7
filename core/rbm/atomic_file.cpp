#include "rbm/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "rbm/file_kind.h"
#include "rbm/types.h"

namespace rbm {

namespace {

std::string errnoText(int e) { return std::strerror(e); }

std::string temporaryNameFor(const std::string& path) {
    // pid + counter: two processes, or two threads of one, never pick the same name.
    static std::atomic<unsigned> counter{0};
    return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

std::string parentDir(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temp_(temporaryNameFor(path_)) {
    // A folder, a FIFO or a device in the target's place is refused before anything is
    // written: rename() would replace a FIFO or a device node someone else relies on.
    const std::string why = whyNotReplaceable(path_);
    if (!why.empty()) fail(why);
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFile::fail(const std::string& reason) const {
    throw Error("Cannot save '" + path_ + "': " + reason + ".");
}

void AtomicFile::write(const void* data, std::size_t size) {
    if (fd_ < 0) {
        // O_EXCL: a stale file of the same name is never written through (it may be a link).
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ < 0) fail("cannot create a temporary file beside it (" + errnoText(errno) + ")");
    }
    const char* p = static_cast<const char*>(data);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd_, p + done, size - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write (" + errnoText(errno) + ")");
        }
        done += static_cast<std::size_t>(n);
    }
}

void AtomicFile::closeFile() {
    const int fd = fd_;
    fd_ = -1;
    // close() is where NFS and some FUSE file systems report a full disk.
    if (::close(fd) != 0) fail("cannot write (" + errnoText(errno) + ")");
}

void AtomicFile::commit() {
    if (fd_ >= 0) {
        if (::fsync(fd_) != 0) {
            const int e = errno;
            closeFile();
            fail("cannot flush it to disk (" + errnoText(e) + ")");
        }
        closeFile();
    } else {
        // Written by someone else (libzip) or not at all: reopen it to flush it.
        const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail("cannot open the temporary file to flush it (" + errnoText(errno) + ")");
        const int rc = ::fsync(fd);
        const int e = errno;
        ::close(fd);
        if (rc != 0) fail("cannot flush it to disk (" + errnoText(e) + ")");
    }
    if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot move the new file into place (" + errnoText(errno) + ")");
    committed_ = true;
    // The file is complete and in place; a failure here only leaves the rename's durability in
    // doubt, and some file systems cannot fsync a folder at all (EINVAL), so it is not an error.
    const int dir = ::open(parentDir(path_).c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

void writeFileAtomically(const std::string& path, const std::string& bytes) {
    AtomicFile file(path);
    file.write(bytes.data(), bytes.size());
    file.commit();
}

}  // namespace rbm
