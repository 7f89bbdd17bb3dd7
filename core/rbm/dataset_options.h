#pragma once
/// The choices a person states when a file cannot tell them: which CSV column holds the
/// labels, and whether a folder of pictures is made into MNIST-style digits or kept as it is.
/// `rbm train --csv-labels / --image-size` and the studio pass them to the loaders.
#include <string>

namespace rbm {

/// auto: a header row with a column named label, labels, class, target or y holds the labels
/// (no such column: unlabelled); first: the first column holds them, header or not; none:
/// every column is a pixel (a header row is skipped).
enum class CsvLabels { Auto, First, None };
/// mnist: every picture made a 28 x 28 digit as MNIST was made (dream_image.h); native: the
/// pictures' own size in grey, all the same size and each side at most kNativeImageMaxSide.
enum class ImageSize { Mnist, Native };

constexpr int kNativeImageMaxSide = 128;

struct DatasetOptions {
    CsvLabels csvLabels = CsvLabels::Auto;
    ImageSize imageSize = ImageSize::Mnist;
};

CsvLabels csvLabelsFromString(const std::string& s);  ///< "auto", "first", "none"; throws Error
ImageSize imageSizeFromString(const std::string& s);  ///< "mnist", "native"; throws Error

}  // namespace rbm
