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
std::vector<NpyArray> readNpzFromMemory(const std::uint8_t* data, std::size_t size, const std::string& name);
/// Reads only the array `arrayName` (nullopt if the archive has none); the other entries are
/// not decompressed. Throws Error like readNpz for a file that is not a readable archive.
std::optional<NpyArray> readNpzArray(const std::string& path, const std::string& arrayName);

/// Limits against hostile files, checked before anything is allocated.
constexpr std::uint64_t kNpzMaxEntryBytes = std::uint64_t(2) << 30;  ///< 2 GiB per array
constexpr std::uint64_t kNpzMaxTotalBytes = std::uint64_t(4) << 30;  ///< 4 GiB per archive

}  // namespace rbm
