#pragma once
/// Datasets from CSV text: one example per row, pixels whole numbers 0-255 or values in
/// [0, 1] (the whole file one scale or the other; a file of only 0 and 1 is binary), an
/// optional header row and label column (dataset_options.h). Cells are separated by commas,
/// or by semicolons or tabs when the first line has no comma. Images are square when the
/// pixel count is a square number, else one row. Errors name the file, the line and the cell;
/// nothing is returned half-read.
#include <string>

#include "rbm/dataset.h"
#include "rbm/dataset_options.h"

namespace rbm {

/// A regular file (a FIFO or a device is refused before it is read), at most
/// kMaxDatasetBytes of text.
Dataset loadCsvDataset(const std::string& path, CsvLabels labels = CsvLabels::Auto);
/// The same from text in memory; `name` is the file named in messages.
Dataset parseCsvDataset(const std::string& text, const std::string& name, CsvLabels labels = CsvLabels::Auto);

}  // namespace rbm
