#pragma once
/// The documented ceilings on what one file may make the program allocate. Every reader
/// checks a shape against them before allocating anything, and the message names the file,
/// the shape and the bytes ("500 hidden x 16,777,216 pixels needs 33.5 GB for its weights"),
/// so that no std::bad_alloc ever reaches a person.
#include <cstdint>
#include <string>

namespace rbm {

/// The largest single array: a weight matrix, one .npz entry (2 GiB: a checkpoint of anything
/// larger could not be saved either).
constexpr std::uint64_t kMaxArrayBytes = std::uint64_t(2) << 30;
/// The largest dataset: the pixels of one IDX file, as bytes, after decompression (4 GiB).
constexpr std::uint64_t kMaxDatasetBytes = std::uint64_t(4) << 30;

/// "33.5 GB", "812 MB", "4.1 kB", "12 bytes" (decimal units, as file managers show them).
std::string formatBytes(std::uint64_t bytes);
/// "16,777,216".
std::string withThousands(std::uint64_t n);

/// Throws Error unless a model of `nVisible` x `nHidden` fits under kMaxArrayBytes (and in
/// this machine's memory). `source` names where the shape comes from (the data, a checkpoint).
void checkModelFits(std::int64_t nVisible, std::int64_t nHidden, const std::string& source);

}  // namespace rbm
