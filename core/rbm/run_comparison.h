#pragma once
/// Runs side by side (issue 15): what a run folder (run_folder.h) says about itself, the
/// numbers a comparison plots per epoch, and where the settings of several runs differ. The
/// studio's Compare runs window only draws these.
#include <string>
#include <vector>

#include "rbm/trainer_state.h"
#include "rbm/training_config.h"

namespace rbm {

struct RunRecord {
    std::string dir;
    std::string name;  ///< the folder's own name, for legends
    bool hasConfig = false;
    TrainingConfig config;             ///< RUN/config.json (defaults when !hasConfig)
    std::vector<EpochMetrics> metrics; ///< RUN/metrics.csv, epoch by epoch
};

/// Reads RUN/config.json and RUN/metrics.csv. A run that has just started may lack either; a
/// folder with neither is no run: Error naming the folder. A bad file: Error naming it.
RunRecord readRunRecord(const std::string& dir);

/// The per-epoch figures a comparison can overlay.
enum class RunMetric { HeldOutError, TrainError, FreeEnergyGap, PseudoLogLikelihood, SamplesPerSecond };
const std::vector<RunMetric>& runMetrics();
const char* runMetricName(RunMetric m);  ///< "reconstruction error, held-out", ...
/// False when the epoch has no such figure (no held-out set for the held-out ones).
bool runMetricValue(const EpochMetrics& e, RunMetric m, double& value);

struct SettingRow {
    std::string key;                  ///< "hidden", "lrSchedule.kind", ...
    std::vector<std::string> values;  ///< one per run, "" where that run lacks the key
    bool differs = false;
};
/// Every setting of the runs (their config.json, flattened), in the first run's order, then
/// keys only later runs have.
std::vector<SettingRow> compareSettings(const std::vector<TrainingConfig>& configs);

}  // namespace rbm
