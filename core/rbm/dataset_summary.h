#pragma once
/// What a loaded dataset is, in one line for people: shown by `rbm train` and the studio's
/// Open Dataset before training starts, so that a wrong label column or image size is seen
/// at once.
#include <cstddef>
#include <string>
#include <vector>

#include "rbm/dataset.h"

namespace rbm {

/// Examples per label value (index = label), empty for an unlabelled set.
std::vector<std::size_t> classCounts(const Dataset& d);
/// "28x28 pixels, 120 examples, 3 classes: cat 40, dog 40, owl 40" (names from classNames,
/// else the label values), or "..., unlabelled".
std::string describeDataset(const Dataset& d);

}  // namespace rbm
