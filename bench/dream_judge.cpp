#include "dream_judge.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "rbm/types.h"

namespace bench {

rbm::FeatureClassifier trainPixelJudge(const rbm::Dataset& train) {
    if (!train.hasLabels()) throw rbm::Error("The dataset '" + train.name + "' has no labels: the judge needs them.");
    int classes = 2;
    for (std::uint8_t y : train.labels) classes = std::max(classes, int(y) + 1);
    rbm::FeatureClassifier c;
    c.train(rbm::toMatrix(train), train.labels, classes, rbm::FeatureClassifierOptions{});
    return c;
}

std::vector<int> pickStarts(const rbm::Dataset& test, int n) {
    std::vector<std::vector<int>> byClass(10);
    for (std::size_t i = 0; i < test.count; ++i)
        if (test.labels[i] < 10) byClass[test.labels[i]].push_back(static_cast<int>(i));
    std::vector<int> starts;
    std::vector<std::size_t> next(10, 0);
    while (static_cast<int>(starts.size()) < n) {
        const std::size_t before = starts.size();
        for (std::size_t k = 0; k < 10 && static_cast<int>(starts.size()) < n; ++k)
            if (next[k] < byClass[k].size()) starts.push_back(byClass[k][next[k]++]);
        if (starts.size() == before)
            throw rbm::Error("The held-out set has only " + std::to_string(starts.size()) + " labelled digits.");
    }
    return starts;
}

}  // namespace bench
