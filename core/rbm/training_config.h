#pragma once
/// Every hyperparameter of a training run, as plain data. The GUI edits a copy and hands it
/// to the trainer between batches; checkpoints store it as JSON.
#include <cstdint>
#include <string>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/learning_rate_schedule.h"
#include "rbm/optimizer.h"

namespace rbm {

enum class Algorithm { CD, PCD };
const char* toString(Algorithm a);
Algorithm algorithmFromString(const std::string& s);  ///< throws Error

enum class Initialisation {
    Hinton,  ///< W ~ N(0, 0.01^2), b_i = log(p_i/(1-p_i)) from the data, c = 0
    Normal   ///< the TF2 article's: W ~ N(0, s_w^2), b, c ~ N(0, s_b^2)
};
const char* toString(Initialisation i);
Initialisation initialisationFromString(const std::string& s);  ///< throws Error

struct TrainingConfig {
    // --- structure: fixed for the life of a model (changing them means a new model)
    int hidden = 256;
    Initialisation init = Initialisation::Hinton;
    float initWeightStd = 0.01f;  ///< s_w (Normal) / Hinton's 0.01
    float initBiasStd = 0.01f;    ///< s_b (Normal only)
    std::uint64_t seed = 1;
    Binarization binarization = Binarization::None;
    int binarizeThreshold = 127;
    bool labels = false;          ///< label units beside the pixels (label_units.h); needs labelled data

    // --- live: may change between any two batches without losing state
    Algorithm algorithm = Algorithm::CD;
    int k = 1;                    ///< Gibbs steps per negative phase
    /// CD: the chain passes sampled binary visible states between steps (the chain the dream
    /// runs) instead of p(v|h) (Hinton's guide's mean-field choice, the default).
    bool cdSampleVisible = false;
    int persistentChains = 100;   ///< PCD only; 0 = as many as the batch size
    int batchSize = 100;
    int epochs = 20;
    OptimizerConfig optimizer;
    float learningRateWeights = 0.05f;
    float learningRateBiases = 0.05f;
    /// Decay of both rates (learning_rate_schedule.h): the rates above are the starting ones.
    LearningRateSchedule lrSchedule;
    float weightDecay = 1e-4f;    ///< L2 on W only (never on biases)
    float sparsityTarget = 0.0f;  ///< 0 = off; else the target mean hidden activity
    float sparsityCost = 0.0f;    ///< strength of the sparsity penalty
    float sparsityDecay = 0.95f;  ///< running-average decay of the activity estimate
    /// Centred gradient (Melchior, Fischer & Wiskott 2016, centering.h). Live: the model is
    /// always kept in the standard parameterisation, so switching changes only the direction
    /// of the next steps, like a learning rate; the offsets live in the trainer's state.
    bool centering = false;
    float centeringRate = 0.01f;  ///< sliding-average rate nu of the offsets (the paper's 0.01)

    // --- evaluation
    int evalSubset = 1000;        ///< fixed training subset for per-epoch metrics (0 = all)
    int threads = 1;              ///< Eigen threads for training (1 keeps the GUI smooth)

    /// Throws Error with a sentence per problem ("batch size must be at least 1, got 0").
    void validate() const;

    /// The one rule for which settings belong to the model. Structural fields (hidden, init
    /// and its spreads, seed, binarization and its threshold, labels, the evaluation subset) are fixed
    /// for the life of a model: changing one means a new model. Every other field may change
    /// between any two batches without losing state.
    bool sameStructure(const TrainingConfig& other) const;
    /// `live`'s live fields on this config's structure: what a running model may adopt.
    TrainingConfig withLiveFieldsOf(const TrainingConfig& live) const;
    /// The live fields that differ from `after`, in display order, e.g. {"lr W", "0.05", "0.1"}.
    struct Change {
        /// How text() reads: "lr W 0.05→0.1"; values that name themselves ("CD→PCD",
        /// "momentum→adam"); a switch by its new position ("schedule on").
        enum class Look { Field, Values, Switch };
        std::string field, before, after;
        Look look = Look::Field;
        std::string text() const;  ///< UTF-8
    };
    std::vector<Change> liveChanges(const TrainingConfig& after) const;
};

std::string toJson(const TrainingConfig& c);
/// Missing keys keep their defaults; unknown keys are ignored; bad values throw Error.
TrainingConfig trainingConfigFromJson(const std::string& json);

}  // namespace rbm
