#pragma once
/// NumPy .npz archives: .npy arrays (npy.h) in a zip container, written with libzip so that
/// numpy.load(path) reads them. Readers check every entry's claimed sizes against the archive
/// before allocating or inflating anything.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rbm/atomic_file.h"  // writeFileAtomically, for the callers that save beside an .npz
#include "rbm/file_kind.h"    // FileError
#include "rbm/memory_limits.h"
#include "rbm/npy.h"
#include "rbm/types.h"  // rbm::Error

namespace rbm {

/// Writes all arrays to `path` ATOMICALLY: a temporary file in the same folder
/// ("<path>.tmp-<pid>-<n>", entries stored uncompressed like numpy.savez), flushed (fsync),
/// then renamed over the target, and the folder flushed. On any failure the temporary file
/// is removed, the previous file is untouched and Error names the path and the reason
/// (disk full, read-only folder...).
void writeNpz(const std::string& path, const std::vector<NpyArray>& arrays);
/// Reads every array; throws Error naming the file and reason on anything malformed.
std::vector<NpyArray> readNpz(const std::string& path);
/// An archive read entry by entry: opening reads only the zip directory; an array is inflated
/// when asked for, after its .npy header (inflated first) has been checked against the size
/// the directory declares, so an entry nobody asks for costs nothing however large it is.
/// Throws FileError ("Cannot read '<path>': <reason>.", file_kind.h) on anything malformed.
class NpzReader {
public:
    /// A regular file only (a FIFO or a device is refused before it is opened).
    explicit NpzReader(const std::string& path);
    NpzReader(const std::uint8_t* data, std::size_t size, const std::string& name);
    ~NpzReader();
    NpzReader(const NpzReader&) = delete;
    NpzReader& operator=(const NpzReader&) = delete;

    /// The arrays' names (entries "<name>.npy"), in archive order.
    std::vector<std::string> names() const;
    /// The array, or nullopt if the archive has none of that name.
    std::optional<NpyArray> read(const std::string& name);
    /// The array's dtype and shape from its .npy header alone (only the entry's first bytes
    /// are inflated, after the same checks as read()); nullopt if the archive has none.
    std::optional<NpyHeader> header(const std::string& name);
    /// The array, read on the first call and kept; nullptr if the archive has none.
    const NpyArray* find(const std::string& name);

private:
    struct Impl;
    Impl* impl_;
};
std::vector<NpyArray> readNpzFromMemory(const std::uint8_t* data, std::size_t size, const std::string& name);
/// Reads only the array `arrayName` (nullopt if the archive has none); the other entries are
/// not decompressed. Throws Error like readNpz for a file that is not a readable archive.
std::optional<NpyArray> readNpzArray(const std::string& path, const std::string& arrayName);

/// Limits against hostile files, checked before anything is allocated (the total counts only
/// the arrays read).
constexpr std::uint64_t kNpzMaxEntryBytes = kMaxArrayBytes;         ///< 2 GiB per array
constexpr std::uint64_t kNpzMaxTotalBytes = std::uint64_t(4) << 30;  ///< 4 GiB per archive

}  // namespace rbm
