#pragma once
/// The one way a dataset is opened from a path, by `rbm train / eval / dream --data` and the
/// studio's File > Open Dataset: a folder of pictures (image_folder.h), else whatever
/// rbm::loadDataset takes (an IDX folder or file, .csv, .npy, .npz, bars-and-stripes:RxC,
/// "embedded"). No widgets: runs on any thread.
#include <string>
#include <vector>

#include "rbm/dataset_files.h"
#include "rbm/dataset_options.h"

namespace studio {

struct OpenedDataset {
    rbm::DatasetPair pair;
    std::vector<std::string> notes;  ///< what was skipped on the way ("skipped 2 files that are not ...")
};

/// Throws rbm::Error naming the file and the reason; nothing is returned half-read.
OpenedDataset loadAnyDataset(const std::string& path, const rbm::DatasetOptions& options = {});

}  // namespace studio
