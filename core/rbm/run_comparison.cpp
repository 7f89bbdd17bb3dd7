#include "rbm/run_comparison.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rbm/file_kind.h"
#include "rbm/json.h"
#include "rbm/metrics_csv.h"

namespace rbm {
namespace {

/// A config.json is a few hundred bytes; anything this large is not one.
constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;

std::string readConfigText(const std::string& path) {
    requireRegularFile(path);  // a FIFO named config.json would block the read
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) > kMaxConfigBytes) throw Error("'" + path + "' is too large to be a run's config.json");
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("Cannot read '" + path + "'");
    std::ostringstream text;
    text << f.rdbuf();
    return text.str();
}

/// "a.b" = value for every leaf of `j`, in order.
void flatten(const Json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    if (j.isObject()) {
        for (const auto& [key, value] : j.items()) flatten(value, prefix.empty() ? key : prefix + "." + key, out);
        return;
    }
    out.emplace_back(prefix, j.isString() ? j.string() : j.dump());
}

}  // namespace

RunRecord readRunRecord(const std::string& dir) {
    const FileKind kind = fileKind(dir);
    if (kind != FileKind::Folder)
        throw Error("'" + dir + "' is not a run folder: " + (kind == FileKind::Missing ? std::string("there is no such folder") : "it is " + std::string(describe(kind))));
    RunRecord r;
    r.dir = dir;
    r.name = std::filesystem::path(dir).lexically_normal().filename().string();
    if (r.name.empty() || r.name == ".") r.name = std::filesystem::path(dir).lexically_normal().parent_path().filename().string();
    const std::string config = (std::filesystem::path(dir) / "config.json").string();
    const std::string metrics = (std::filesystem::path(dir) / "metrics.csv").string();
    const bool hasConfig = fileKind(config) != FileKind::Missing, hasMetrics = fileKind(metrics) == FileKind::Regular;
    if (!hasConfig && !hasMetrics)
        throw Error("'" + dir + "' is not a training run: it has neither config.json nor metrics.csv");
    if (hasConfig) {
        try {
            r.config = trainingConfigFromJson(readConfigText(config));
        } catch (const Error& e) {
            throw Error("'" + config + "': " + e.what());
        }
        r.hasConfig = true;
    }
    r.metrics = readMetricsCsv(metrics);
    return r;
}

const std::vector<RunMetric>& runMetrics() {
    static const std::vector<RunMetric> all = {RunMetric::HeldOutError, RunMetric::TrainError, RunMetric::FreeEnergyGap,
                                               RunMetric::PseudoLogLikelihood, RunMetric::SamplesPerSecond};
    return all;
}

const char* runMetricName(RunMetric m) {
    switch (m) {
        case RunMetric::HeldOutError: return "reconstruction error, held-out";
        case RunMetric::TrainError: return "reconstruction error, training subset";
        case RunMetric::FreeEnergyGap: return "free-energy gap F(held-out) - F(train)";
        case RunMetric::PseudoLogLikelihood: return "pseudo-log-likelihood";
        case RunMetric::SamplesPerSecond: return "training speed, samples per second";
    }
    return "";
}

bool runMetricValue(const EpochMetrics& e, RunMetric m, double& value) {
    switch (m) {
        case RunMetric::HeldOutError: value = e.testMse; return e.hasTest;
        case RunMetric::TrainError: value = e.trainMse; return true;
        case RunMetric::FreeEnergyGap: value = e.testFreeEnergy - e.trainFreeEnergy; return e.hasTest;
        case RunMetric::PseudoLogLikelihood: value = e.pseudoLogLikelihood; return true;
        case RunMetric::SamplesPerSecond: value = e.samplesPerSecond; return e.samplesPerSecond > 0;
    }
    return false;
}

std::vector<SettingRow> compareSettings(const std::vector<TrainingConfig>& configs) {
    std::vector<SettingRow> rows;
    for (std::size_t run = 0; run < configs.size(); ++run) {
        std::vector<std::pair<std::string, std::string>> leaves;
        flatten(Json::parse(toJson(configs[run])), "", leaves);
        for (const auto& [key, value] : leaves) {
            auto row = std::find_if(rows.begin(), rows.end(), [&key = key](const SettingRow& s) { return s.key == key; });
            if (row == rows.end()) {
                rows.push_back({key, std::vector<std::string>(configs.size()), false});
                row = rows.end() - 1;
            }
            row->values[run] = value;
        }
    }
    for (SettingRow& r : rows)
        r.differs = std::any_of(r.values.begin(), r.values.end(), [&r](const std::string& v) { return v != r.values.front(); });
    return rows;
}

}  // namespace rbm
