#include "training_rates.h"

#include <algorithm>

namespace bench {

std::shared_ptr<const rbm::Dataset> embeddedTrain() {
    static std::shared_ptr<const rbm::Dataset> d = std::make_shared<const rbm::Dataset>(rbm::loadEmbeddedMnist().train);
    return d;
}

rbm::TrainingConfig standardConfig(rbm::Algorithm a, int k, int hidden, int batch) {
    rbm::TrainingConfig c;
    c.hidden = hidden;
    c.algorithm = a;
    c.k = k;
    c.batchSize = batch;
    c.persistentChains = 0;  // as many chains as the batch
    c.learningRateWeights = c.learningRateBiases = 0.01f;
    c.optimizer.kind = rbm::OptimizerKind::Momentum;
    c.evalSubset = 100;
    c.seed = 7;
    c.threads = 1;
    return c;
}

Rate batchesPerSecond(rbm::Trainer& t, double budget, int minBatches) {
    for (int i = 0; i < 3; ++i) t.trainBatch();
    int n = 0;
    const auto start = Clock::now();
    const double cpuStart = threadCpuSeconds();
    double elapsed = 0.0;
    while (n < minBatches || elapsed < budget) {
        t.trainBatch();
        ++n;
        elapsed = seconds(start, Clock::now());
    }
    return {n / elapsed, n / std::max(1e-9, threadCpuSeconds() - cpuStart)};
}

double cdFlopsPerBatch(rbm::Algorithm a, int k, int batch, int nv, int nh) {
    // Positive phase 1, gradient 2, and per Gibbs step 2 (CD: k visible + k hidden; PCD: k
    // sweeps of 2 + the final hidden, plus the report's reconstruction, which the trainer
    // computes for at most 25 examples of the batch).
    const double unit = 2.0 * batch * nv * nh;
    if (a == rbm::Algorithm::CD) return unit * (1 + 2 * k + 2);
    const double recon = std::min(batch, 25) / static_cast<double>(batch);
    return unit * (1 + recon + 2 * k + 1 + 2);
}

}  // namespace bench
