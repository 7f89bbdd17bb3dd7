#pragma once
// The options of `rbm train`: what CLI11 reads into, and how they change a configuration.
#include <optional>
#include <string>

#include "rbm/dataset_options.h"
#include "rbm/training_config.h"

namespace CLI {
class App;
}

/// What `rbm train` was told. An unset option keeps the value of the preset, or of the resumed
/// run's configuration.
struct TrainOptions {
    std::string out, data, resume, preset;
    int keepLast = 0;
    bool quiet = false, noMomentumSchedule = false, centering = false, noCentering = false,
         cdSampleVisible = false, labels = false;
    std::optional<int> hidden, cd, pcd, chains, batch, epochs, threads;
    std::optional<std::string> optimizer, init, binarize, lrSchedule, lrSteps, csvLabels, imageSize;
    std::optional<double> lrWeights, lrBiases, momentum, weightDecay, sparsityTarget, sparsityCost, lrFinal,
        centeringRate;
    std::optional<long long> seed;
};

/// Declares `rbm train`'s options on `cmd`, read into `o`. Values are checked where the core
/// checks them (TrainingConfig::validate, the name parsers), so each limit lives in one place.
void declareTrainOptions(CLI::App& cmd, TrainOptions& o);

/// --csv-labels and --image-size: how --data is read (defaults when not given).
rbm::DatasetOptions datasetOptions(const TrainOptions& o);

/// Applies the options the user gave on top of `c` (the preset, or a resumed run's config);
/// throws cli::UsageError when the result is not a valid configuration.
void applyTrainOptions(const TrainOptions& o, rbm::TrainingConfig& c);
