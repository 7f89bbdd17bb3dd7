#pragma once
/// IDX files (LeCun's MNIST format): images (magic 0x00000803) and labels (0x00000801), raw or
/// gzipped (detected by content, not by name). Every header field is checked against the bytes
/// actually present before anything is allocated; errors name the file and the reason.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rbm/dataset.h"

namespace rbm {

/// IDX images and optional labels from files.
Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath = {});
/// Parse IDX bytes already in memory (raw or gzip). `name` is used in error messages.
Dataset parseIdxImages(const std::uint8_t* data, std::size_t size, const std::string& name);
std::vector<std::uint8_t> parseIdxLabels(const std::uint8_t* data, std::size_t size, const std::string& name);
/// Gives `d` its labels; throws Error naming both files unless there is one per image.
void attachLabels(Dataset& d, std::vector<std::uint8_t> labels, const std::string& imagesName,
                  const std::string& labelsName);

/// Read a whole file, inflating it if it is gzip. Throws Error naming the file. Reading stops
/// early when the first bytes are neither gzip nor IDX (a device such as /dev/zero never ends).
std::vector<std::uint8_t> readMaybeGzipFile(const std::string& path);

}  // namespace rbm
