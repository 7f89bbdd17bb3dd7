#pragma once
/// Datasets from NumPy arrays: a .npy file of images, or an .npz archive with an images array
/// (named x, images, data, x_train, ...) and optional labels (y, labels, targets, y_train, ...)
/// and held-out pair (x_test / y_test, test_images / test_labels), as keras' mnist.npz has.
/// Images are n x pixels (square when pixels is a square number, else one row), n x H x W or
/// n x H x W x 1; uint8 0-255, or float32 / float64 in [0, 1]. Labels are whole numbers 0-255
/// of any integer dtype, n or n x 1. Shapes are checked against the limits from the headers
/// alone, before the payload is read; errors name the file, the array and the reason.
#include <string>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/npy.h"

namespace rbm {

/// Throws Error("<file>: ...") unless `dtype` / `shape` can be images that fit the limits.
void checkImageArray(const std::string& dtype, const std::vector<std::size_t>& shape, const std::string& file,
                     const std::string& array);
Dataset datasetFromArray(const NpyArray& images, const std::string& file);
std::vector<std::uint8_t> labelsFromArray(const NpyArray& labels, std::size_t count, const std::string& file);

/// A regular file (a FIFO or device is refused without blocking). No held-out set.
Dataset loadNpyDataset(const std::string& path);
DatasetPair loadNpzDataset(const std::string& path);

/// Writes `d` atomically as an .npz that loadNpzDataset (and numpy) reads back: x (|u1,
/// n x rows x cols), y (|u1, n) when labelled, class_names (0-d string, one name per line)
/// when the classes are named. Throws Error naming the file.
void saveNpzDataset(const Dataset& d, const std::string& path);

}  // namespace rbm
