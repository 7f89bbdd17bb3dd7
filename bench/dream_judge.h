#pragma once
// What dream-quality and dream-class share: the independent judge of dream frames and the
// held-out digits the dreams start from (bench/DREAMS.md).
#include <vector>

#include "rbm/dataset.h"
#include "rbm/feature_classifier.h"

namespace bench {

/// The judge: softmax regression on raw pixels in [0,1] of every labelled training digit, with
/// the feature classifier's own defaults (30 epochs, step 0.5, momentum 0.9, l2 1e-4, seed 7):
/// the same judge on every run, and it calls about 80% of real held-out digits digit-like
/// (issue 11 measured 79%; smaller steps make a less confident judge, 68% at 0.05).
rbm::FeatureClassifier trainPixelJudge(const rbm::Dataset& train);

/// Held-out starts: class 0, 1, ..., 9, 0, 1, ... taking the next unused digit of each class, so
/// 30 starts are the first three of every class (the dream should begin from every digit).
std::vector<int> pickStarts(const rbm::Dataset& test, int n);

}  // namespace bench
