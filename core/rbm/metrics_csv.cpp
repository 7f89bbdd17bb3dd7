#include "rbm/metrics_csv.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace rbm {

namespace {

std::vector<std::string> splitCells(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    return cells;
}

bool parseNumber(const std::string& s, double& out) {
    if (s.empty()) return false;
    if (s == "nan") { out = std::nan(""); return true; }
    if (s == "inf" || s == "-inf") { out = s[0] == '-' ? -HUGE_VAL : HUGE_VAL; return true; }
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size();
}

}  // namespace

std::vector<EpochMetrics> parseMetricsCsv(const std::string& text, std::int64_t upTo) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line)) return {};
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::vector<std::string> header = splitCells(line);
    std::map<std::int64_t, EpochMetrics> byEpoch;
    while (std::getline(in, line)) {
        if (in.eof()) break;  // no newline after it: torn (killed mid-append)
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::vector<std::string> cells = splitCells(line);
        if (cells.size() != header.size() || header.empty() || header[0] != "epoch") continue;
        EpochMetrics m;
        double epoch = 0;
        if (!parseNumber(cells[0], epoch) || epoch < 0 || epoch != std::floor(epoch)) continue;
        m.epoch = static_cast<std::int64_t>(epoch);
        if (upTo >= 0 && m.epoch > upTo) continue;
        bool testSeen = false;
        for (std::size_t i = 1; i < cells.size(); ++i) {
            double v = 0;
            if (!parseNumber(cells[i], v)) continue;  // empty test columns: no held-out data
            const std::string& name = header[i];
            if (name == "seconds") m.seconds = v;
            else if (name == "samples_per_second") m.samplesPerSecond = v;
            else if (name == "train_mse") m.trainMse = v;
            else if (name == "test_mse") { m.testMse = v; testSeen = true; }
            else if (name == "train_cross_entropy") m.trainCrossEntropy = v;
            else if (name == "test_cross_entropy") { m.testCrossEntropy = v; testSeen = true; }
            else if (name == "train_free_energy") m.trainFreeEnergy = v;
            else if (name == "test_free_energy") { m.testFreeEnergy = v; testSeen = true; }
            else if (name == "pseudo_log_likelihood") m.pseudoLogLikelihood = v;
            else if (name == "dead_units") m.deadUnits = int(v);
            else if (name == "saturated_units") m.saturatedUnits = int(v);
            else if (name == "ratio_weights") m.ratioWeights = v;
            else if (name == "ratio_visible_bias") m.ratioVisibleBias = v;
            else if (name == "ratio_hidden_bias") m.ratioHiddenBias = v;
        }
        m.hasTest = testSeen;
        byEpoch[m.epoch] = m;
    }
    std::vector<EpochMetrics> out;
    out.reserve(byEpoch.size());
    for (const auto& [epoch, m] : byEpoch) out.push_back(m);
    return out;
}

std::vector<EpochMetrics> readMetricsCsv(const std::string& path, std::int64_t upTo) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return {};
    std::ostringstream text;
    text << f.rdbuf();
    return parseMetricsCsv(text.str(), upTo);
}

}  // namespace rbm
