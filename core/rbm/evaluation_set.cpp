#include "rbm/evaluation_set.h"

namespace rbm {

std::string EvaluationBinarization::describe() const {
    if (mode == Binarization::Stochastic)
        return "stochastic: pixel on with probability pixel/255, drawn once (seed " + std::to_string(seed) + ")";
    return "pixel > " + std::to_string(threshold) + " -> 1, else 0";
}

EvaluationBinarization evaluationBinarization(const TrainingConfig& c) {
    EvaluationBinarization b;
    if (c.binarization == Binarization::Threshold) {
        b.threshold = c.binarizeThreshold;
    } else if (c.binarization == Binarization::Stochastic) {
        b.mode = Binarization::Stochastic;
        b.seed = c.seed;
    }
    return b;
}

EvaluationSet evaluationSet(const Dataset& train, const Dataset* test, const EvaluationBinarization& b,
                            std::size_t trainRows, std::size_t testRows) {
    EvaluationSet s;
    s.binarization = b;
    s.train = toMatrix(binarized(train, b.mode, b.threshold, b.seed), trainRows);
    if (test && !test->empty() && test->pixelsPerImage() == train.pixelsPerImage())
        s.test = toMatrix(binarized(*test, b.mode, b.threshold, b.seed + 1), testRows);
    else
        s.test = Matrix(0, train.pixelsPerImage());
    return s;
}

}  // namespace rbm
