#pragma once
/// "Which digit is it now": multinomial logistic regression on hidden features p(h|v).
///
///   p(y=k | x) = softmax_k(x^T A_:k + a_k),   x = p(h|v) (1 x nHidden), A: nFeatures x nClasses
///
/// Trained by minibatch gradient descent with momentum on the mean cross-entropy plus
/// l2/2 |A|^2 (never on the bias a). Small and fast: 3,000 digits x 500 features train in well
/// under a second, so the dream panel retrains it in the background whenever the RBM's weights
/// have moved noticeably.
#include <atomic>
#include <cstdint>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/types.h"

namespace rbm {

struct FeatureClassifierOptions {
    int epochs = 30;
    int batchSize = 100;
    float learningRate = 0.5f;
    float momentum = 0.9f;
    float l2 = 1e-4f;
    std::uint64_t seed = 7;
    /// Set from another thread to abandon training: train() and trainFeatureClassifier()
    /// then throw Error within one epoch (a few milliseconds).
    const std::atomic<bool>* cancel = nullptr;
};

class FeatureClassifier {
public:
    FeatureClassifier() = default;

    /// X: examples x nFeatures (one example per row), labels in [0, nClasses).
    /// Throws Error if the sizes disagree or a label is out of range.
    void train(ConstMatrixRef X, const std::vector<std::uint8_t>& labels, int nClasses,
               const FeatureClassifierOptions& options = {});

    /// Class probabilities, one row per example of X: out is examples x nClasses, each row
    /// sums to 1 (a numerically stable softmax).
    void predict(ConstMatrixRef X, MatrixRef out) const;
    /// Convenience for one feature vector.
    std::vector<float> predictOne(const float* features, int n) const;

    bool trained() const { return weights_.size() > 0; }
    int classes() const { return static_cast<int>(weights_.cols()); }
    int features() const { return static_cast<int>(weights_.rows()); }
    const Matrix& weights() const { return weights_; }
    const RowVector& bias() const { return bias_; }

private:
    Matrix weights_;  ///< nFeatures x nClasses
    RowVector bias_;  ///< 1 x nClasses
};

/// Trains a classifier on p(h|v) of `model` for the first `limit` labelled images of `data`
/// (all of them if limit is 0 or larger than the set). Throws Error if the set has no labels
/// or its image size differs from the model's visible layer.
FeatureClassifier trainFeatureClassifier(const Rbm& model, const Dataset& data, std::size_t limit = 3000,
                                         const FeatureClassifierOptions& options = {});

/// Fraction of rows of `probabilities` whose arg-max equals the label.
double classificationAccuracy(ConstMatrixRef probabilities, const std::vector<std::uint8_t>& labels);

}  // namespace rbm
