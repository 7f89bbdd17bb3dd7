#pragma once
// Shared by the dream tests: small models and the embedded MNIST digits.
#include <memory>

#include "rbm/dataset.h"
#include "rbm/model.h"
#include "rbm/random.h"
#include "rbm/trainer.h"
#include "rbm/training_config.h"

namespace dreamtest {

/// W ~ N(0, sd^2), b ~ N(-1, 0.5^2) (mostly dark pixels, like MNIST), c ~ N(0, 0.1^2).
inline std::shared_ptr<rbm::Rbm> randomModel(int nVisible, int nHidden, std::uint64_t seed, double sd = 0.1) {
    auto m = std::make_shared<rbm::Rbm>(nVisible, nHidden);
    rbm::Random rng(seed);
    for (Eigen::Index i = 0; i < m->W.size(); ++i) m->W.data()[i] = static_cast<float>(sd * rng.normal());
    for (Eigen::Index i = 0; i < m->visibleBias.size(); ++i) m->visibleBias(i) = static_cast<float>(-1.0 + 0.5 * rng.normal());
    for (Eigen::Index i = 0; i < m->hiddenBias.size(); ++i) m->hiddenBias(i) = static_cast<float>(0.1 * rng.normal());
    m->imageRows = 28;
    m->imageCols = 28;
    return m;
}

inline const rbm::DatasetPair& mnist() {
    static const rbm::DatasetPair data = rbm::loadEmbeddedMnist();
    return data;
}

inline std::vector<float> digit(const rbm::Dataset& d, std::size_t i) {
    std::vector<float> v(static_cast<std::size_t>(d.pixelsPerImage()));
    for (std::size_t j = 0; j < v.size(); ++j) v[j] = d.image(i)[j] / 255.0f;
    return v;
}

/// An RBM trained for one epoch of CD-1 on the embedded training digits (100 hidden units).
inline std::shared_ptr<const rbm::Rbm> trainedModel() {
    static std::shared_ptr<const rbm::Rbm> model = [] {
        const rbm::DatasetPair& d = mnist();
        auto train = std::make_shared<const rbm::Dataset>(d.train);
        auto test = std::make_shared<const rbm::Dataset>(d.test);
        rbm::TrainingConfig config;
        config.hidden = 100;
        config.epochs = 1;
        config.batchSize = 20;
        config.learningRateWeights = 0.1f;
        config.learningRateBiases = 0.1f;
        config.evalSubset = 100;
        config.seed = 3;
        rbm::Trainer trainer(train, test, config);
        while (!trainer.epochFinished()) trainer.trainBatch();
        auto m = std::make_shared<rbm::Rbm>(trainer.model());
        m->imageRows = 28;
        m->imageCols = 28;
        return std::shared_ptr<const rbm::Rbm>(m);
    }();
    return model;
}


}  // namespace dreamtest
