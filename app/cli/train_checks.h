#pragma once
// What `rbm train` refuses before it trains: options that contradict the checkpoint being
// resumed, data of another image size, a model too large to hold, and a run folder that
// holds another run or is in use by another process.
#include <memory>
#include <string>

#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/run_lock.h"
#include "train_options.h"

/// Throws rbm::Error naming the option, its value, the checkpoint and the checkpoint's value
/// for every structural option (--hidden, --init, --binarize, --seed) that differs from it.
void refuseContradictions(const TrainOptions& o, const rbm::Checkpoint& resumed, const std::string& path);
/// Throws rbm::Error naming both files unless the checkpoint's visible units match the images.
void refuseOtherImageSize(const rbm::Checkpoint& resumed, const std::string& path, const rbm::Dataset& train);
/// Creates and locks `out` (a second process fails here, naming the holder's PID) and refuses
/// to mix runs: a new run needs a folder without a run; a resumed run may continue only in
/// the folder of its checkpoint (or in one without a run). The lock is held until the result
/// is destroyed; the session's run folder shares it.
std::unique_ptr<rbm::RunLock> claimRunFolder(const std::string& out, const std::string& resumePath);
