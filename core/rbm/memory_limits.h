#pragma once
/// The documented ceilings on what one file may make the program allocate. Every reader
/// checks a shape against them before allocating anything, and the message names the file,
/// the shape and the bytes ("500 hidden x 16,777,216 pixels needs 33.5 GB for its weights"),
/// so that no std::bad_alloc ever reaches a person.
#include <cstddef>
#include <cstdint>
#include <string>

namespace rbm {

struct TrainingConfig;

/// The largest single array: a weight matrix, one .npz entry (2 GiB: a checkpoint of anything
/// larger could not be saved either).
constexpr std::uint64_t kMaxArrayBytes = std::uint64_t(2) << 30;
/// The largest dataset: the pixels of one IDX file, as bytes, after decompression (4 GiB).
constexpr std::uint64_t kMaxDatasetBytes = std::uint64_t(4) << 30;

/// "33.5 GB", "812 MB", "4.1 kB", "12 bytes" (decimal units, as file managers show them).
std::string formatBytes(std::uint64_t bytes);
/// "16,777,216".
std::string withThousands(std::uint64_t n);

/// This machine's physical memory in bytes (0 if unknown: then only the ceilings apply).
std::uint64_t physicalMemoryBytes();

/// What a training run of this shape holds, in bytes: the weights about four times over
/// (the model, its gradient, the next step and the update; the optimizer's moments and the
/// views' copies share the margin), and the float columns of one batch (three nVisible x
/// batch workspaces) and of the persistent chains (two nVisible x chains copies). Saturates
/// at UINT64_MAX instead of overflowing.
std::uint64_t trainingBytes(std::int64_t nVisible, std::int64_t nHidden, std::int64_t batch = 0, std::int64_t chains = 0);

/// Why a model of `nVisible` x `nHidden` cannot be trained here, or "" if it can: its weight
/// matrix over kMaxArrayBytes ("a model of 500 hidden x 16,777,216 pixels needs 33.5 GB for
/// its weights alone, more than the limit of 2.1 GB per array; ..."), or trainingBytes over
/// `memoryBytes` (0: not checked). The one rule the command line and the studio both ask.
std::string whyModelDoesNotFit(std::int64_t nVisible, std::int64_t nHidden, std::int64_t batch = 0, std::int64_t chains = 0,
                               std::uint64_t memoryBytes = physicalMemoryBytes());
/// The same for training `config` on `images` images of `nVisible` pixels (its batch, capped
/// at the images, and its persistent chains for PCD).
std::string whyTrainingDoesNotFit(const TrainingConfig& config, std::int64_t nVisible, std::size_t images,
                                  std::uint64_t memoryBytes = physicalMemoryBytes());

/// Why `count` images of `rows` x `cols` byte pixels are more than kMaxDatasetBytes ("1,000
/// images of 4,096 x 4,096 pixels need 16.7 GB, more than the limit of 4.2 GB for a
/// dataset"), or "".
std::string whyImagesDoNotFit(std::uint64_t count, std::uint64_t rows, std::uint64_t cols);

/// Throws Error("<source>: <whyModelDoesNotFit>.") unless a model of `nVisible` x `nHidden`
/// fits. `source` names where the shape comes from (the data, a checkpoint).
void checkModelFits(std::int64_t nVisible, std::int64_t nHidden, const std::string& source);
/// Throws Error("<source>: <whyTrainingDoesNotFit>.") unless training `config` on the images fits.
void checkTrainingFits(const TrainingConfig& config, std::int64_t nVisible, std::size_t images, const std::string& source);

}  // namespace rbm
