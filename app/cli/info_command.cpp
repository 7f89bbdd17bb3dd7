// `rbm info CKPT`: what a checkpoint holds, for people.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "options.h"
#include "rbm/checkpoint.h"
#include "rbm/json.h"
#include "rbm/metrics.h"

namespace {

int runInfo(const std::string& path) {
    const rbm::Checkpoint c = rbm::loadCheckpoint(path);
    const rbm::Rbm& m = c.model;
    std::printf("file:        %s\n", path.c_str());
    std::printf("model:       %d visible x %d hidden", m.nVisible(), m.nHidden());
    if (m.imageRows > 0) std::printf(" (images %dx%d)", m.imageRows, m.imageCols);
    std::printf("\n");
    if (m.hasLabels()) std::printf("labels:      %d label units (one-hot), trained with the pixels\n", m.nLabels());
    if (!c.datasetName.empty()) std::printf("dataset:     %s\n", c.datasetName.c_str());
    std::printf("weights:     mean %+.4f  std %.4f  max |w| %.4f\n", static_cast<double>(m.W.mean()),
                std::sqrt(static_cast<double>((m.W.array() - m.W.mean()).square().mean())),
                static_cast<double>(m.W.cwiseAbs().maxCoeff()));
    std::printf("biases:      visible mean %+.4f  hidden mean %+.4f\n", static_cast<double>(m.visibleBias.mean()),
                static_cast<double>(m.hiddenBias.mean()));
    if (c.state) {
        const rbm::TrainerCounters& k = c.state->counters;
        std::printf("progress:    epoch %lld, batch %lld of the next, %lld batches, %lld samples\n",
                    static_cast<long long>(k.epoch), static_cast<long long>(k.batchInEpoch),
                    static_cast<long long>(k.totalBatches), static_cast<long long>(k.samplesSeen));
        if (c.state->persistentChains.size() > 0)
            std::printf("chains:      %lld persistent chains\n", static_cast<long long>(c.state->persistentChains.rows()));
    } else {
        std::printf("progress:    no training state (model only)\n");
    }
    if (c.metrics) {
        const rbm::EpochMetrics& e = *c.metrics;
        std::printf("metrics:     recon MSE train %.4f held-out %.4f, free energy gap %+.3f, PLL %.2f, dead %d, "
                    "saturated %d\n",
                    e.trainMse, e.testMse, e.testFreeEnergy - e.trainFreeEnergy, e.pseudoLogLikelihood, e.deadUnits,
                    e.saturatedUnits);
    }
    std::printf("config:      %s\n", rbm::Json::parse(rbm::toJson(c.config)).dump(2).c_str());
    return 0;
}

}  // namespace

Command addInfoCommand(CLI::App& rbm) {
    const auto path = std::make_shared<std::string>();
    CLI::App* cmd = rbm.add_subcommand("info", "what a checkpoint holds: shapes, training state, metrics, configuration");
    cmd->add_option("CKPT", *path, "checkpoint (.npz)")->required()->check(cli::nonEmpty())->type_name("");
    return [path] { return runInfo(*path); };
}
