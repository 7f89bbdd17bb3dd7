#pragma once
/// gzip in memory (zlib), with the output bounded: a hostile file cannot make the decoder
/// allocate more than the caller allows, whatever its header claims.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rbm {

/// The bytes start with the gzip magic 1f 8b (detected by content, not by name).
bool isGzip(const std::uint8_t* data, std::size_t size);

/// Inflate gzip bytes if they start with the gzip magic, else return them unchanged. Throws
/// Error naming `name` if the data is corrupt, truncated or inflates to more than maxOutput.
std::vector<std::uint8_t> maybeGunzip(const std::uint8_t* data, std::size_t size, const std::string& name,
                                      std::size_t maxOutput = std::size_t(1) << 32);

/// The first `wanted` bytes of the inflated gzip `data` (fewer if the stream ends first):
/// inflation stops there, so a stream that would inflate to far more (a header that claims
/// 47 MB in front of 4 GB of zeros) costs no more than `wanted`. A stream that ends within
/// 64 kB after `wanted` is still read to its end, where zlib checks the CRC and the length.
/// Throws Error naming `name` if the data is corrupt or truncated before `wanted` bytes.
std::vector<std::uint8_t> gunzipPrefix(const std::uint8_t* data, std::size_t size, const std::string& name,
                                       std::size_t wanted);

}  // namespace rbm
