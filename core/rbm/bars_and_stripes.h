#pragma once
/// The bars-and-stripes problem (MacKay, "Information Theory, Inference, and Learning
/// Algorithms", and the toy of Shark-ML's RBM tutorial): every rows x cols binary image whose
/// rows are each all on or all off (stripes), or whose columns are (bars). There are
/// 2^rows + 2^cols - 2 distinct patterns (the blank and the full image are both), 30 at 4 x 4,
/// 14 at 3 x 3. Small enough that the model distribution can be enumerated exactly
/// (exact_distribution.h), which is the point of it.
#include <string>

#include "rbm/dataset.h"

namespace rbm {

/// Each side at most this many pixels; an image at most kBarsAndStripesMaxPixels pixels.
constexpr int kBarsAndStripesMaxSide = 16;
constexpr int kBarsAndStripesMaxPixels = 64;

/// Every distinct pattern once, pixels 0 or 255, no labels: the stripes first (row r of
/// pattern s is on when bit r of s is set), then the bars without the two shared ones.
/// Throws Error for a side below 1 or above the limits.
Dataset barsAndStripes(int rows, int cols);

/// "bars-and-stripes:4x4" (also "bars-and-stripes" for 4 x 4) names the generated dataset.
bool isBarsAndStripesName(const std::string& name);

/// The generated dataset for a name isBarsAndStripesName accepts. The held-out set is the same
/// patterns: the task is to learn this one distribution, there is nothing to hold out.
/// Throws Error naming the expected form for a malformed size.
DatasetPair loadBarsAndStripes(const std::string& name);

}  // namespace rbm
