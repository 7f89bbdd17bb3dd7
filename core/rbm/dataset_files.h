#pragma once
/// Where datasets come from: a folder with the standard MNIST / EMNIST file names, a single
/// images file, or the digits built into every binary.
#include <string>

#include "rbm/dataset.h"

namespace rbm {

/// A folder with the standard names train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
/// t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]. Labels and the t10k pair are optional.
/// EMNIST-style names (emnist-*-train-images-idx3-ubyte) are found too.
DatasetPair loadIdxFolder(const std::string& dir);
/// The 9,000 / 1,000 real MNIST digits built into every binary (resources/mnist-10k).
DatasetPair loadEmbeddedMnist();
/// `path` may be a folder (loadIdxFolder), an images file (loadIdx, labels guessed beside it),
/// empty / "embedded" (loadEmbeddedMnist) or bars-and-stripes:ROWSxCOLS (bars_and_stripes.h).
DatasetPair loadDataset(const std::string& path);

}  // namespace rbm
