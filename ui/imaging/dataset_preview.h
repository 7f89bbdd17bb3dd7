#pragma once
/// The first few examples of a dataset side by side, enlarged: what File > Open Dataset shows
/// with the detected size and class counts, so that a wrong label column or image size is
/// seen before training starts. QImage only.
#include <QImage>

#include "rbm/dataset.h"

namespace studio {

/// Up to `count` examples in one row, each enlarged to about `side` pixels, on a dark grey
/// gap of 2 pixels; a null image for an empty dataset.
QImage datasetPreview(const rbm::Dataset& d, int count = 8, int side = 48);

}  // namespace studio
