#pragma once
/// An epoch's metrics as the JSON object a checkpoint's 'meta' holds under "metrics".
#include "rbm/json.h"
#include "rbm/trainer_state.h"

namespace rbm {

/// NaN and infinities are written as null (JSON has no such numbers).
Json metricsToJson(const EpochMetrics& m);
/// Null reads back as NaN; missing keys keep their defaults. Throws Error with the reason
/// ("metric 'trainMse' is not a number") for anything else.
EpochMetrics metricsFromJson(const Json& j);

}  // namespace rbm
