#pragma once
/// Named training settings for people who do not want to tune: a fast one for live classroom
/// demos, the default, and the best quality we measured on the embedded digits.
///
/// Measured with `rbm eval` (forward AIS, 100 runs, 3,625 betas, held-out 1,000 digits, pixel >
/// 127 -> 1), 500 hidden units, batch 100, momentum 0.9 (0.5 for the first 5 epochs), weight decay
/// 1e-4: CD-10 at learning rate 0.005 reaches about -98 nats after 20 epochs and -94 after 30
/// (README, "How good is the model?", and scripts/likelihood-table re-runs it). CD-1 at 0.01
/// stalls near -106 with an unreliable estimate; PCD-1 and larger learning rates get worse with
/// training on 9,000 digits, unless the gradient is centred: Best quality is CD-10 centred at
/// 0.01 with weight decay 1e-3, -88.6 after 40 epochs (bench/RESULTS.md). For comparison,
/// Salakhutdinov & Murray (2008) report -86.34 for CD-25 on the full 60,000-digit MNIST.
#include <string>
#include <vector>

#include "rbm/training_config.h"

namespace rbm {

struct TrainingPreset {
    std::string name;     ///< "Classroom (fast)", "Default", "Best quality", "Dreams"
    std::string summary;  ///< one sentence for people (tooltips, --help)
    TrainingConfig config;
    bool earlyStopping = true;  ///< the studio pauses when the held-out likelihood falls (a demo runs to its end)
    std::string purpose;  ///< what it is good for, a few words: "fast filters", "likelihood", "dreams"
    /// Its measured figures in one line (training time on 2 cores, held-out nats, dream
    /// quality), as README's presets table and bench/DREAMS.md give them with their commands.
    std::string measured;
};

/// The presets in the order a menu shows them: Classroom (fast), Default, Best quality, Dreams.
const std::vector<TrainingPreset>& trainingPresets();

/// The preset called `name` or named by its first word ("classroom", "best"), case-insensitive.
/// Throws Error naming the presets otherwise.
const TrainingPreset& trainingPreset(const std::string& name);

/// The "Default" preset's configuration.
TrainingConfig defaultPresetConfig();

/// `base` with the fields a preset decides (structure, algorithm, k, chains, batch, epochs,
/// optimizer, learning rates, weight decay, sparsity, binarization) taken from `preset`; the
/// seed, evaluation subset and thread count stay those of `base`.
TrainingConfig applyPreset(const TrainingConfig& base, const TrainingPreset& preset);

/// The name of the preset whose decided fields all equal those of `c`, or "" (custom settings).
std::string matchingPreset(const TrainingConfig& c);

}  // namespace rbm
