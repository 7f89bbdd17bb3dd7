#include "rbm/feature_classifier.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "rbm/random.h"

namespace rbm {

namespace {

/// Row-wise softmax of logits in place (subtracting each row's maximum first).
void softmaxRowsInPlace(MatrixRef logits) {
    for (Eigen::Index r = 0; r < logits.rows(); ++r) {
        const float mx = logits.row(r).maxCoeff();
        float sum = 0.0f;
        for (Eigen::Index k = 0; k < logits.cols(); ++k) {
            const float e = std::exp(logits(r, k) - mx);
            logits(r, k) = e;
            sum += e;
        }
        logits.row(r) /= sum;
    }
}

void throwIfCancelled(const FeatureClassifierOptions& o) {
    if (o.cancel && o.cancel->load(std::memory_order_relaxed)) throw Error("Training the digit classifier was cancelled.");
}

}  // namespace

void FeatureClassifier::train(ConstMatrixRef X, const std::vector<std::uint8_t>& labels, int nClasses,
                              const FeatureClassifierOptions& o) {
    const Eigen::Index n = X.rows();
    const Eigen::Index f = X.cols();
    if (n == 0 || static_cast<std::size_t>(n) != labels.size())
        throw Error("The digit classifier needs one label per example, got " + std::to_string(labels.size()) +
                    " labels for " + std::to_string(n) + " examples.");
    if (nClasses < 2) throw Error("The digit classifier needs at least 2 classes, got " + std::to_string(nClasses) + ".");
    for (std::uint8_t y : labels)
        if (y >= nClasses)
            throw Error("The digit classifier got label " + std::to_string(int(y)) + " but only " +
                        std::to_string(nClasses) + " classes.");

    const int batch = std::max(1, std::min<int>(o.batchSize, static_cast<int>(n)));
    Matrix A = Matrix::Zero(f, nClasses);
    RowVector a = RowVector::Zero(nClasses);
    Matrix velA = Matrix::Zero(f, nClasses);
    RowVector vela = RowVector::Zero(nClasses);
    Matrix xb(batch, f), p(batch, nClasses), gA(f, nClasses);
    RowVector ga(nClasses);
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    Random rng(o.seed);

    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        throwIfCancelled(o);
        for (std::size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[static_cast<std::size_t>(rng.below(i))]);
        // Learning rate decays gently so the last epochs settle instead of rattling.
        const float lr = o.learningRate / (1.0f + 0.1f * static_cast<float>(epoch));
        for (Eigen::Index start = 0; start + batch <= n; start += batch) {
            for (int r = 0; r < batch; ++r) xb.row(r) = X.row(order[static_cast<std::size_t>(start + r)]);
            p.noalias() = xb * A;
            p.rowwise() += a;
            softmaxRowsInPlace(p);
            // d(mean cross-entropy)/d logits = p - onehot(y), averaged over the batch.
            for (int r = 0; r < batch; ++r) p(r, labels[static_cast<std::size_t>(order[static_cast<std::size_t>(start + r)])]) -= 1.0f;
            const float inv = 1.0f / static_cast<float>(batch);
            gA.noalias() = xb.transpose() * p;
            gA *= inv;
            gA += o.l2 * A;
            ga = p.colwise().sum() * inv;
            velA = o.momentum * velA - lr * gA;
            vela = o.momentum * vela - lr * ga;
            A += velA;
            a += vela;
        }
    }
    weights_ = std::move(A);
    bias_ = std::move(a);
}

void FeatureClassifier::predict(ConstMatrixRef X, MatrixRef out) const {
    if (!trained() || X.cols() != weights_.rows() || out.rows() != X.rows() || out.cols() != weights_.cols())
        throw Error("The digit classifier was asked to classify features of the wrong size.");
    out.noalias() = X * weights_;
    out.rowwise() += bias_;
    softmaxRowsInPlace(out);
}

std::vector<float> FeatureClassifier::predictOne(const float* features, int n) const {
    Matrix x = Eigen::Map<const Matrix>(features, 1, n);
    Matrix p(1, classes());
    predict(x, p);
    return std::vector<float>(p.data(), p.data() + p.size());
}

FeatureClassifier trainFeatureClassifier(const Rbm& model, const Dataset& data, std::size_t limit,
                                         const FeatureClassifierOptions& options) {
    if (!data.hasLabels()) throw Error("The dataset '" + data.name + "' has no labels, so no digit classifier can be trained.");
    if (data.pixelsPerImage() != model.nVisible())
        throw Error("The dataset '" + data.name + "' has " + std::to_string(data.pixelsPerImage()) +
                    " pixels per image but the model has " + std::to_string(model.nVisible()) + " visible units.");
    const std::size_t n = (limit == 0 || limit > data.count) ? data.count : limit;
    const int px = data.pixelsPerImage();
    Matrix V(static_cast<Eigen::Index>(n), px);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* img = data.image(i);
        for (int j = 0; j < px; ++j) V(static_cast<Eigen::Index>(i), j) = static_cast<float>(img[j]) * (1.0f / 255.0f);
    }
    Matrix H(static_cast<Eigen::Index>(n), model.nHidden());
    // In blocks of rows, so a cancel is seen between them and not only after all of p(h|v).
    constexpr Eigen::Index kBlock = 500;
    for (Eigen::Index r = 0; r < V.rows(); r += kBlock) {
        throwIfCancelled(options);
        const Eigen::Index k = std::min(kBlock, V.rows() - r);
        hiddenProbabilities(model, V.middleRows(r, k), H.middleRows(r, k));
    }
    int classes = 2;
    for (std::size_t i = 0; i < n; ++i) classes = std::max(classes, int(data.labels[i]) + 1);
    std::vector<std::uint8_t> labels(data.labels.begin(), data.labels.begin() + static_cast<std::ptrdiff_t>(n));
    FeatureClassifier c;
    c.train(H, labels, classes, options);
    return c;
}

double classificationAccuracy(ConstMatrixRef probabilities, const std::vector<std::uint8_t>& labels) {
    if (probabilities.rows() == 0 || static_cast<std::size_t>(probabilities.rows()) != labels.size()) return 0.0;
    std::size_t hits = 0;
    for (Eigen::Index r = 0; r < probabilities.rows(); ++r) {
        Eigen::Index k = 0;
        probabilities.row(r).maxCoeff(&k);
        if (k == labels[static_cast<std::size_t>(r)]) ++hits;
    }
    return static_cast<double>(hits) / static_cast<double>(labels.size());
}

}  // namespace rbm
