// Helper of test_crash_safe_saving: saves checkpoints into a run folder in a loop, as the app
// does at the end of every epoch, until it is killed.
//   checkpoint_writer RUN_DIR [KEEP_LAST]
// It resumes after the epoch of RUN_DIR/latest.npz (if that loads), like `rbm train --resume`.
// Every parameter of epoch e's checkpoint encodes e, so a file whose content does not match
// its name (a torn or mixed write) is detected. After each completed save it prints
// "saved <epoch>" on stdout: from then on, that epoch must never be lost.
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>

#include "rbm/checkpoint.h"
#include "rbm/run_folder.h"

namespace {

/// The value every parameter of epoch `e`'s checkpoint holds at (i, j).
float valueAt(std::int64_t e, Eigen::Index i, Eigen::Index j) {
    return static_cast<float>(e) + 0.001f * static_cast<float>((i + 3 * j) % 97);
}

rbm::Checkpoint checkpointFor(std::int64_t epoch) {
    constexpr int nV = 784, nH = 64;
    rbm::Checkpoint c;
    c.model = rbm::Rbm(nV, nH);
    for (Eigen::Index j = 0; j < nH; ++j)
        for (Eigen::Index i = 0; i < nV; ++i) c.model.W(i, j) = valueAt(epoch, i, j);
    c.model.visibleBias.setConstant(static_cast<float>(epoch));
    c.model.hiddenBias.setConstant(static_cast<float>(epoch));
    c.model.imageRows = c.model.imageCols = 28;
    c.config.hidden = nH;
    c.config.optimizer.kind = rbm::OptimizerKind::Adam;
    c.datasetName = "checkpoint_writer";
    rbm::TrainerState s;
    s.counters.epoch = epoch;
    s.counters.totalBatches = epoch * 10;
    s.counters.samplesSeen = epoch * 1000;
    for (int g = 0; g < rbm::GroupCount; ++g) {
        const Eigen::Index n = g == rbm::GroupWeights ? nV * nH : (g == rbm::GroupVisibleBias ? nV : nH);
        s.optimizer.first[g] = rbm::Vector::Constant(n, static_cast<float>(epoch));
        s.optimizer.second[g] = rbm::Vector::Constant(n, static_cast<float>(epoch));
    }
    s.optimizer.steps = epoch * 10;
    s.order.resize(1000);
    std::iota(s.order.begin(), s.order.end(), 0);
    c.state = s;
    rbm::EpochMetrics m;
    m.epoch = epoch;
    m.trainMse = 1.0 / static_cast<double>(epoch + 1);
    c.metrics = m;
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: checkpoint_writer RUN_DIR [KEEP_LAST]\n");
        return 2;
    }
    try {
        const std::string dir = argv[1];
        rbm::RunFolder run(dir, argc > 2 ? std::atoi(argv[2]) : 0);
        std::int64_t epoch = 0;
        try {
            epoch = rbm::loadCheckpoint(dir + "/latest.npz").state.value().counters.epoch;
        } catch (const std::exception&) {
            run.writeConfig(checkpointFor(0).config);
            run.saveCheckpoint(checkpointFor(0), 0);
        }
        std::printf("ready %lld\n", static_cast<long long>(epoch));
        std::fflush(stdout);
        for (;;) {
            ++epoch;
            const rbm::Checkpoint c = checkpointFor(epoch);
            run.appendMetrics(*c.metrics);
            run.saveCheckpoint(c, epoch);
            if (epoch % 4 == 0) run.writeConfig(c.config);
            std::printf("saved %lld\n", static_cast<long long>(epoch));
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "checkpoint_writer: %s\n", e.what());
        return 1;
    }
}
