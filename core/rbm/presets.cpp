#include "rbm/presets.h"

#include <algorithm>
#include <cctype>

#include "rbm/types.h"

namespace rbm {

namespace {

/// Shared by every preset: Hinton's initialisation, binarized digits (pixel > 127 -> 1, the
/// binarization the likelihood is measured on), momentum 0.9 after 0.5 for 5 epochs, weight
/// decay 1e-4 on W.
TrainingConfig common() {
    TrainingConfig c;
    c.init = Initialisation::Hinton;
    c.initWeightStd = 0.01f;
    c.binarization = Binarization::Threshold;
    c.binarizeThreshold = 127;
    c.optimizer = OptimizerConfig{};
    c.optimizer.kind = OptimizerKind::Momentum;
    c.optimizer.momentum = 0.9f;
    c.optimizer.momentumSchedule = true;
    c.optimizer.momentumScheduleEpochs = 5;
    c.weightDecay = 1e-4f;
    c.sparsityTarget = 0.0f;
    c.sparsityCost = 0.0f;
    c.persistentChains = 100;
    return c;
}

std::vector<TrainingPreset> makePresets() {
    std::vector<TrainingPreset> p;
    {
        // Filters visibly turn into strokes within the first epoch on two cores; 144 hidden
        // units fill a 12 x 12 grid. Not meant to score well on the likelihood.
        TrainingConfig c = common();
        c.hidden = 144;
        c.algorithm = Algorithm::CD;
        c.k = 1;
        c.batchSize = 50;
        c.epochs = 10;
        c.learningRateWeights = 0.02f;
        c.learningRateBiases = 0.02f;
        p.push_back({"Classroom (fast)",
                     "144 hidden units, CD-1, 10 epochs: strokes appear within seconds; for live demos, not for scores.",
                     c, /*earlyStopping=*/false, "fast filters",
                     "about 3 s of CPU; about -129 nats held-out (unreliable estimate; bound -125); its dreams "
                     "swell into one fat 0"});
    }
    {
        // About -98 nats held-out after 20 epochs (see the header); -94 after 30.
        TrainingConfig c = common();
        c.hidden = 500;
        c.algorithm = Algorithm::CD;
        c.k = 10;
        c.batchSize = 100;
        c.epochs = 20;
        c.learningRateWeights = 0.005f;
        c.learningRateBiases = 0.005f;
        p.push_back({"Default",
                     "500 hidden units, CD-10, learning rate 0.005, 20 epochs: about -98 nats on the held-out digits.",
                     c, /*earlyStopping=*/true, "likelihood",
                     "about 75 s of CPU (one thread); -98.6 nats held-out; its dreams fade to thin 1s"});
        // Best quality: Default's CD-10 with centring, twice the rate and ten times the weight
        // decay. Centring lets the larger rate learn without the drift plain CD-10 shows, and
        // the decay holds back overfitting on 9,000 digits (train -79, held-out -89). A stepped
        // rate after epoch 40 lost 0.7 nats here, so the rate stays constant.
        // bench/RESULTS.md has every run.
        c.epochs = 40;
        c.learningRateWeights = 0.01f;
        c.learningRateBiases = 0.01f;
        c.weightDecay = 1e-3f;
        c.centering = true;
        p.push_back({"Best quality",
                     "500 hidden units, CD-10, centred, learning rate 0.01, weight decay 0.001, 40 epochs: about "
                     "-89 nats on the held-out digits.",
                     c, /*earlyStopping=*/true, "likelihood",
                     "about 160 s of CPU (282 s wall on 2 threads of a busy machine); -88.6 nats held-out"});
    }
    {
        // Persistent chains see what the dream's sampled chain does after many steps; the
        // stepped rate lets them catch up with the model late in training (the largest effect
        // measured), and centring keeps the likelihood near Default's. The fourth, slowest
        // stage balances the classes the dreams visit (biggest class 20-24%, was 28-40%; a
        // 0.02x stage did so on three training seeds). bench/DREAMS.md has the alternatives.
        TrainingConfig c = common();
        c.hidden = 500;
        c.algorithm = Algorithm::PCD;
        c.k = 1;
        c.persistentChains = 100;
        c.batchSize = 100;
        c.epochs = 50;
        c.learningRateWeights = 0.005f;
        c.learningRateBiases = 0.005f;
        c.lrSchedule.kind = LrScheduleKind::Steps;
        c.lrSchedule.steps = {{20, 0.1f}, {30, 0.05f}, {40, 0.02f}};
        c.centering = true;
        p.push_back({"Dreams",
                     "500 hidden units, PCD-1, centred, learning rate 0.005, then 0.0005 from epoch 21, 0.00025 "
                     "from epoch 31 and 0.0001 from epoch 41, 50 epochs: dreams that stay digits and wander "
                     "between classes.",
                     // runs to its end: the decay is planned over its epochs
                     c, /*earlyStopping=*/false, "dreams",
                     "about 62 s of CPU (one thread); -96.7 nats held-out; dreams over 3 chain seeds: digit-like "
                     "0.80 / 0.80 at steps 200 / 1,000, 9-10 classes, biggest 20-24%, start kept 0.81, "
                     "ink 1.10"});
    }
    return p;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
}

}  // namespace

const std::vector<TrainingPreset>& trainingPresets() {
    static const std::vector<TrainingPreset> presets = makePresets();
    return presets;
}

const TrainingPreset& trainingPreset(const std::string& name) {
    std::string names;
    for (const TrainingPreset& p : trainingPresets()) {
        // "classroom" and "best" are enough on a command line.
        const std::string firstWord = p.name.substr(0, p.name.find(' '));
        if (lower(p.name) == lower(name) || lower(firstWord) == lower(name)) return p;
        names += (names.empty() ? "'" : ", '") + p.name + "'";
    }
    throw Error("Unknown training preset '" + name + "' (the presets are " + names + ").");
}

TrainingConfig defaultPresetConfig() { return trainingPreset("Default").config; }

TrainingConfig applyPreset(const TrainingConfig& base, const TrainingPreset& preset) {
    TrainingConfig c = preset.config;
    c.seed = base.seed;
    c.evalSubset = base.evalSubset;
    c.threads = base.threads;
    c.labels = base.labels;  // label units go with any preset
    c.initBiasStd = base.initBiasStd;
    c.sparsityDecay = base.sparsityDecay;
    c.optimizer.adamBeta1 = base.optimizer.adamBeta1;
    c.optimizer.adamBeta2 = base.optimizer.adamBeta2;
    c.optimizer.adamEpsilon = base.optimizer.adamEpsilon;
    return c;
}

std::string matchingPreset(const TrainingConfig& c) {
    // c is the preset's when taking the preset changes nothing (TrainingConfig's own rule says
    // what "nothing" is: the same structure, and no live field that differs).
    for (const TrainingPreset& p : trainingPresets()) {
        const TrainingConfig decided = applyPreset(c, p);
        if (decided.sameStructure(c) && decided.liveChanges(c).empty()) return p.name;
    }
    return {};
}

}  // namespace rbm
