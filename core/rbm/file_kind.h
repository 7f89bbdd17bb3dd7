#pragma once
/// What kind of thing a path names, asked before any reader or writer opens it: opening a
/// named pipe (FIFO) blocks until a writer comes, a device such as /dev/zero never ends, a
/// socket cannot be opened at all. Every file reader and writer of core/, the command line
/// and the studio asks here first, so that no file can make them hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rbm/types.h"  // rbm::Error

namespace rbm {

enum class FileKind { Missing, Regular, Folder, Fifo, Socket, CharDevice, BlockDevice, Other };

/// A file that cannot be read: what() is "Cannot read '<path>': <reason>."; readers with
/// their own wording use reason().
class FileError : public Error {
public:
    FileError(std::string path, std::string reason, FileKind kind = FileKind::Regular)
        : Error("Cannot read '" + path + "': " + reason + "."), path_(std::move(path)), reason_(std::move(reason)),
          kind_(kind) {}
    const std::string& path() const { return path_; }
    const std::string& reason() const { return reason_; }
    /// What the path turned out to be (Regular when the failure is of another sort).
    FileKind kind() const { return kind_; }

private:
    std::string path_, reason_;
    FileKind kind_;
};


/// stat() of `path`, following symbolic links; Missing when nothing is there (or the path
/// runs through something that is not a folder).
FileKind fileKind(const std::string& path);
/// "a folder", "a named pipe (FIFO)", "a socket", "a character device", ...
const char* describe(FileKind kind);

/// Why `path` cannot be read as a regular file ("no such file", "it is a named pipe (FIFO),
/// not a regular file", ...), or empty if it can.
std::string whyNotRegularFile(const std::string& path);
/// Throws FileError ("Cannot read '<path>': <why>.") unless `path` is a regular file.
void requireRegularFile(const std::string& path);

/// Why a new file cannot replace `path` ("it is a folder", "it is a named pipe (FIFO), not a
/// regular file", ...), or empty when nothing is there or it is a regular file.
std::string whyNotReplaceable(const std::string& path);

/// How long a pipe may stay silent before a reader gives up on it (a FIFO nobody writes to).
constexpr int kPipeSilenceSeconds = 3;

/// A file opened for reading without blocking on the way: open(O_NONBLOCK), then fstat of
/// what was really opened (the path may have changed since a check). A regular file is read
/// as usual; a pipe only if `allowPipe`, and then every read waits at most
/// kPipeSilenceSeconds for data. Folders, devices and sockets are refused. Throws FileError.
class ReadableFile {
public:
    explicit ReadableFile(const std::string& path, bool allowPipe = false);
    ~ReadableFile();
    ReadableFile(const ReadableFile&) = delete;
    ReadableFile& operator=(const ReadableFile&) = delete;

    bool isPipe() const { return pipe_; }
    /// The size on disk (0 for a pipe).
    std::uint64_t size() const { return size_; }
    /// Reads up to `n` bytes (fewer only at the end of the file); throws FileError.
    std::size_t read(void* into, std::size_t n);

private:
    void waitForData();
    std::string path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
    bool pipe_ = false;
};

}  // namespace rbm
