#pragma once
/// The binary digits a model's likelihood is measured on. `rbm eval` and the studio's
/// likelihood estimator ask for them here, so the same model always meets the same digits.
///
/// A model is evaluated on its data binarized as it was trained when it was trained on a
/// binarization, else at pixel > 127 (the convention of the published MNIST figures). A
/// stochastic binarization is drawn once from the model's seed (the held-out set from seed + 1,
/// so the two sets are not drawn from the same stream).
#include <cstddef>
#include <cstdint>
#include <string>

#include "rbm/dataset.h"
#include "rbm/training_config.h"
#include "rbm/types.h"

namespace rbm {

struct EvaluationBinarization {
    Binarization mode = Binarization::Threshold;  ///< Threshold or Stochastic, never None
    int threshold = 127;     ///< Threshold: pixel > threshold -> 1 (127 for Stochastic)
    std::uint64_t seed = 1;  ///< Stochastic: the draw of the training set (1 for Threshold)

    /// Two binarizations are equal exactly when they give the same digits: the fields a mode
    /// does not use hold fixed values, so comparing every field is right.
    bool operator==(const EvaluationBinarization& o) const {
        return mode == o.mode && threshold == o.threshold && seed == o.seed;
    }
    bool operator!=(const EvaluationBinarization& o) const { return !(*this == o); }
    /// For people: "pixel > 127 -> 1, else 0" or "stochastic: ... (seed 5)".
    std::string describe() const;
};

/// How a model trained with `c` is evaluated (see the file comment).
EvaluationBinarization evaluationBinarization(const TrainingConfig& c);

struct EvaluationSet {
    EvaluationBinarization binarization;
    Matrix train;  ///< rows x nVisible, entries 0 or 1
    Matrix test;   ///< 0 rows when there is no held-out set of the training set's image size
};

/// The first `trainRows` training and `testRows` held-out images (0 = all of them), binarized
/// as `b` says. `test` may be null or empty. Deterministic: the same arguments give the same bits.
EvaluationSet evaluationSet(const Dataset& train, const Dataset* test, const EvaluationBinarization& b,
                            std::size_t trainRows = 0, std::size_t testRows = 0);

}  // namespace rbm
