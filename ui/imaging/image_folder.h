#pragma once
/// Datasets from a folder of pictures (PNG / JPEG): one subfolder per class gives labelled
/// examples (subfolders named 0 to 255 are those labels, other names are numbered in sorted
/// order and kept as class names), pictures directly in the folder give unlabelled ones. Each
/// picture is made a 28 x 28 digit as MNIST was made (mnistStyleDigit, dream_image.h) or kept at
/// its own size in grey (all the same size, each side at most rbm::kNativeImageMaxSide). QImage
/// only: runs on any thread.
#include <QString>
#include <string>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/dataset_options.h"

namespace studio {

/// Whether `dir` holds PNG / JPEG pictures, directly or in its subfolders.
bool holdsPictures(const QString& dir);

/// Files that are not PNG / JPEG pictures (by name), special files (a FIFO, a device: never
/// opened) and folders below a class's folder are skipped, each counted in `notes`. A picture
/// that cannot be decoded, pictures beside class subfolders, mixed sizes (native), an empty
/// folder: Error naming the folder or the file, and nothing is returned.
rbm::DatasetPair loadImageFolder(const QString& dir, rbm::ImageSize size, std::vector<std::string>* notes = nullptr);

}  // namespace studio
