#pragma once
/// NumPy .npy arrays inside a .npz (zip) archive, written with libzip so that
/// numpy.load(path) reads them. Readers check every header field against the bytes that
/// are actually there before allocating.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rbm/types.h"  // rbm::Error

namespace rbm {

struct NpyArray {
    std::string name;                ///< key in the archive (file name without .npy)
    std::string dtype;               ///< numpy descr: "<f4", "<f8", "<i4", "<i8", "<u8", "|u1", "<U<n>"
    std::vector<std::size_t> shape;  ///< empty = 0-d scalar
    std::vector<std::uint8_t> data;  ///< little-endian, C order

    std::size_t elementCount() const;
    std::size_t itemSize() const;  ///< from dtype; 0 if unknown

    static NpyArray fromFloats(std::string name, const float* data, std::vector<std::size_t> shape);
    static NpyArray fromInt64(std::string name, const std::int64_t* data, std::vector<std::size_t> shape);
    static NpyArray fromUint64(std::string name, const std::uint64_t* data, std::vector<std::size_t> shape);
    static NpyArray fromInt32(std::string name, const std::int32_t* data, std::vector<std::size_t> shape);
    /// A 0-d numpy unicode string ("<U<n>", UTF-32LE): str(f[name]) gives the text back.
    static NpyArray fromString(std::string name, const std::string& utf8);

    std::vector<float> toFloats() const;  ///< throws Error unless dtype is <f4
    std::vector<std::int64_t> toInt64() const;
    std::vector<std::uint64_t> toUint64() const;
    std::vector<std::int32_t> toInt32() const;
    std::string toString() const;  ///< "<U<n>" back to UTF-8
};

/// numpy's spelling of a shape: "(784, 500)", "(3,)", "()".
std::string shapeText(const std::vector<std::size_t>& shape);

/// .npy bytes for one array (format version 1.0).
std::vector<std::uint8_t> encodeNpy(const NpyArray& a);
/// Parse .npy bytes; throws Error naming `name` and the reason.
NpyArray decodeNpy(const std::uint8_t* data, std::size_t size, const std::string& name);

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

/// Writes `bytes` to `path` atomically (temporary file in the same folder, fsync, rename,
/// fsync of the folder), like writeNpz; used for config.json. Throws Error naming the path.
void writeFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace rbm
