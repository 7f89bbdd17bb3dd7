#pragma once
/// Saving a file so that a crash, a kill or a full disk never leaves half of it behind: the
/// bytes go to a temporary file in the same folder ("<path>.tmp-<pid>-<n>"), every write is
/// checked, the file is flushed (fsync), renamed over the target, and the folder flushed.
/// On any failure the temporary file is removed, the previous file is untouched, and Error
/// says "Cannot save '<path>': <reason>." (disk full, read-only folder...).
#include <cstddef>
#include <string>

namespace rbm {

class AtomicFile {
public:
    /// Throws Error unless `path` is free or a regular file (a folder, FIFO or device is refused).
    explicit AtomicFile(std::string path);
    /// Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& path() const { return path_; }
    /// Where the new content goes, for writers that create the file themselves (libzip).
    const std::string& temporaryPath() const { return temp_; }

    /// Appends to the temporary file, creating it on the first call (never over an existing
    /// one); short writes and EINTR are retried.
    void write(const void* data, std::size_t size);
    /// fsync of the temporary file, rename over path(), fsync of the folder. After a failure
    /// the temporary file is gone and the old file is still in place.
    void commit();
    /// Throws Error("Cannot save '<path>': <reason>.").
    [[noreturn]] void fail(const std::string& reason) const;

private:
    void closeFile();
    std::string path_;
    std::string temp_;
    int fd_ = -1;
    bool committed_ = false;
};

/// Writes `bytes` to `path` atomically with an AtomicFile; used for config.json.
void writeFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace rbm
