#pragma once
/// NumPy .npy arrays: the header (a Python dict literal) and the little-endian C-order payload.
/// Decoding checks every header field against the bytes that are actually there before
/// allocating. The .npz container around them is npz.h.
#include <cstddef>
#include <cstdint>
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

/// What a .npy header says, from the first bytes of an array alone.
struct NpyHeader {
    std::string dtype;
    std::vector<std::size_t> shape;
    std::size_t headerBytes = 0;   ///< magic, version, length and the dict
    std::size_t payloadBytes = 0;  ///< elements x item size
};
/// The header from the first `available` bytes of an array of `totalSize` bytes (its size as
/// the container declares it); throws Error (the reason alone, like parseNpy) unless the
/// header is complete, supported and its shape accounts for exactly `totalSize` bytes.
NpyHeader parseNpyHeader(const std::uint8_t* data, std::size_t available, std::size_t totalSize,
                         const std::string& name);
/// The most bytes a header can take (a reader inflates this much first).
constexpr std::size_t kNpyMaxHeaderBytes = 12 + 65536;

/// numpy's spelling of a shape: "(784, 500)", "(3,)", "()".
std::string shapeText(const std::vector<std::size_t>& shape);

/// .npy bytes for one array (format version 1.0).
std::vector<std::uint8_t> encodeNpy(const NpyArray& a);
/// Parse .npy bytes; throws Error("Cannot decode '<name>': <reason>.").
NpyArray decodeNpy(const std::uint8_t* data, std::size_t size, const std::string& name);
/// The same checks, but the Error's text is the reason alone ("array 'W' is truncated inside
/// its header"), for callers that name the file themselves (readNpz).
NpyArray parseNpy(const std::uint8_t* data, std::size_t size, const std::string& name);

}  // namespace rbm
