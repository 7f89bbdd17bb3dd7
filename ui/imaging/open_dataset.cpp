#include "imaging/open_dataset.h"

#include <QFile>

#include "imaging/image_folder.h"
#include "rbm/file_kind.h"

namespace studio {

OpenedDataset loadAnyDataset(const std::string& path, const rbm::DatasetOptions& options) {
    OpenedDataset out;
    // An IDX folder is what it always was; a folder without IDX files but with pictures is
    // read as pictures; an empty one gets the IDX loader's message, which names both.
    if (!path.empty() && rbm::fileKind(path) == rbm::FileKind::Folder && !rbm::isIdxFolder(path)) {
        const QString dir = QFile::decodeName(path.c_str());
        if (holdsPictures(dir)) {
            out.pair = loadImageFolder(dir, options.imageSize, &out.notes);
            return out;
        }
    }
    out.pair = rbm::loadDataset(path, options);
    return out;
}

}  // namespace studio
