#pragma once
/// The label units' arrays of a checkpoint (checkpoint.h; the model in label_units.h), each
/// its own numpy array in C order:
///   label_weights (nLabels x nHidden, float32): U, f["label_weights"][k, j] = U(k, j);
///   label_bias (nLabels, float32): d;
/// and with a training state: persistent_labels (chains x nLabels one-hot, float32, PCD) and
/// the moments opt_first_label_weights, opt_second_label_weights (nLabels x nHidden),
/// opt_first_label_bias, opt_second_label_bias.
/// A checkpoint without them is a model without label units and loads as before.
#include <functional>
#include <string>
#include <vector>

#include "rbm/model.h"
#include "rbm/npy.h"
#include "rbm/trainer_state.h"

namespace rbm {

/// Looks an array up by name (nullptr if the file has none).
using FindArray = std::function<const NpyArray*(const std::string&)>;

/// Appends the label arrays of `m` (nothing for a model without labels) and of `state`.
void appendLabelArrays(std::vector<NpyArray>& arrays, const Rbm& m, const TrainerState* state);
/// Reads label_weights and label_bias into `m` (W already read). Throws Error with the
/// reason (shape, dtype, non-finite values, one array without the other).
void readLabelArrays(const FindArray& find, Rbm& m);
/// Reads the label parts of a training state; throws Error like readLabelArrays.
void readLabelState(const FindArray& find, const Rbm& m, TrainerState& state);
/// Throws Error with the reason when the label parts of `m` or `state` do not fit together.
void validateLabels(const Rbm& m, const TrainerState* state);

}  // namespace rbm
