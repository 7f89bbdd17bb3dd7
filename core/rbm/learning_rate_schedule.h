#pragma once
/// Learning-rate decay. The configured rates (TrainingConfig::learningRateWeights / Biases) are
/// the rates at the start; a schedule multiplies both by a factor that depends only on where
/// training is (the counters a checkpoint stores), so a resumed run continues the schedule
/// exactly, batch for batch.
///
/// Why decay at all: at a constant rate PCD's persistent chains and the parameters chase each
/// other and the model ends in a few big basins (bench/DREAMS.md: 3 classes among 90 dreams);
/// lowering the rate late in training lets the chains catch up with the model (Tieleman 2008,
/// Salakhutdinov & Hinton) and was the largest single effect measured for dreams.
#include <cstdint>
#include <string>
#include <vector>

namespace rbm {

enum class LrScheduleKind {
    Constant,  ///< factor 1 throughout
    Linear,    ///< from 1 down to finalFactor over the planned epochs, per batch
    Steps      ///< piecewise constant: from the start of epoch E on, factor F
};
const char* toString(LrScheduleKind k);
LrScheduleKind lrScheduleFromString(const std::string& s);  ///< throws Error

struct LrStep {
    int epoch = 0;        ///< 0-based: the step applies from the epoch after `epoch` completed ones on
    float factor = 1.0f;
    bool operator==(const LrStep& o) const { return epoch == o.epoch && factor == o.factor; }
};

struct LearningRateSchedule {
    LrScheduleKind kind = LrScheduleKind::Constant;
    float finalFactor = 0.04f;  ///< Linear: the factor reached at the end of the planned epochs
    std::vector<LrStep> steps;  ///< Steps: ascending epochs

    /// The factor of the batch that follows `epoch` completed epochs and `batchInEpoch` batches
    /// of the current one, out of `batchesPerEpoch`, in a run planned for `plannedEpochs`.
    /// Linear: with progress p = (epoch + batchInEpoch / batchesPerEpoch) / plannedEpochs,
    ///   factor = 1 - (1 - finalFactor) * min(p, 1)   (1 when nothing is planned);
    /// Steps: the factor of the last step whose epoch <= `epoch` (1 before the first).
    double factor(std::int64_t epoch, std::int64_t batchInEpoch, int batchesPerEpoch, int plannedEpochs) const;

    /// Appends a sentence per problem to `problems` (factors in (0, 1e3], steps ascending).
    void validate(std::vector<std::string>& problems) const;
    /// "constant", "linear to 0.04", "steps 20:0.1,30:0.04".
    std::string text() const;
    bool operator==(const LearningRateSchedule& o) const {
        return kind == o.kind && finalFactor == o.finalFactor && steps == o.steps;
    }
    bool operator!=(const LearningRateSchedule& o) const { return !(*this == o); }
};

/// "20:0.1,30:0.04" <-> steps. Parsing throws Error naming the bad part.
std::vector<LrStep> lrStepsFromString(const std::string& s);
std::string toString(const std::vector<LrStep>& steps);

}  // namespace rbm
