#pragma once
/// Where datasets come from: a folder with the standard MNIST / EMNIST file names, a single
/// images file, or the digits built into every binary.
#include <string>

#include "rbm/dataset.h"
#include "rbm/dataset_options.h"

namespace rbm {

/// A folder with the standard names train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
/// t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]. Labels and the t10k pair are optional.
/// EMNIST-style names (emnist-*-train-images-idx3-ubyte) are found too.
DatasetPair loadIdxFolder(const std::string& dir);
/// The 9,000 / 1,000 real MNIST digits built into every binary (resources/mnist-10k).
DatasetPair loadEmbeddedMnist();
/// Whether `dir` holds the training images loadIdxFolder looks for (standard or EMNIST names).
bool isIdxFolder(const std::string& dir);
/// `path` may be a folder (loadIdxFolder), a .csv (csv_dataset.h), .npy or .npz file
/// (array_dataset.h), another file (IDX images, loadIdx, labels guessed beside it), empty /
/// "embedded" (loadEmbeddedMnist) or bars-and-stripes:ROWSxCOLS (bars_and_stripes.h). A folder
/// of pictures needs QImage: openDataset (ui/imaging/open_dataset.h) is the entry point that
/// takes those too.
DatasetPair loadDataset(const std::string& path, const DatasetOptions& options = {});

}  // namespace rbm
