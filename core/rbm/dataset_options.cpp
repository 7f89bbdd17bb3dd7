#include "rbm/dataset_options.h"

#include "rbm/types.h"

namespace rbm {

CsvLabels csvLabelsFromString(const std::string& s) {
    if (s == "auto") return CsvLabels::Auto;
    if (s == "first") return CsvLabels::First;
    if (s == "none") return CsvLabels::None;
    throw Error("unknown CSV label column '" + s + "' (expected auto, first or none)");
}

ImageSize imageSizeFromString(const std::string& s) {
    if (s == "mnist") return ImageSize::Mnist;
    if (s == "native") return ImageSize::Native;
    throw Error("unknown image size '" + s + "' (expected mnist or native)");
}

}  // namespace rbm
