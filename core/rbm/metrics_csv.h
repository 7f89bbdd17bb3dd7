#pragma once
/// Reading back a run folder's metrics.csv (written by RunFolder::appendMetrics): the history
/// of a run restored at some epoch, so its curves keep every epoch up to it.
#include <cstdint>
#include <string>
#include <vector>

#include "rbm/trainer_state.h"

namespace rbm {

/// The rows of `text` (a metrics.csv) with epoch <= `upTo` (-1: all), oldest first, by header
/// name (columns it does not know are ignored; missing ones stay 0). A torn last line or a
/// row that does not parse is skipped; an epoch that repeats keeps its later row.
std::vector<EpochMetrics> parseMetricsCsv(const std::string& text, std::int64_t upTo = -1);
/// parseMetricsCsv of the file; empty if it does not exist or cannot be read.
std::vector<EpochMetrics> readMetricsCsv(const std::string& path, std::int64_t upTo = -1);

}  // namespace rbm
