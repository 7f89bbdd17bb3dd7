#pragma once
/// Image datasets: pixels stay uint8 in memory (full MNIST is 47 MB); batches become float
/// in [0,1] on the fly (fillBatch). Loading never allocates from an unchecked header and
/// never returns half a dataset: every failure throws rbm::Error naming the file and reason.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rbm/random.h"
#include "rbm/types.h"

namespace rbm {

struct Dataset {
    std::string name;    ///< for people: "MNIST (embedded, 9,000 train)", a folder name...
    std::string source;  ///< file or folder it came from ("<embedded>" for the built-in digits)
    int rows = 0;
    int cols = 0;
    std::size_t count = 0;
    std::vector<std::uint8_t> pixels;  ///< count x rows x cols, row-major per image
    std::vector<std::uint8_t> labels;  ///< empty, or one per image
    std::vector<std::string> classNames;  ///< empty, or the name of label 0, 1, ... (a folder's subfolders)

    int pixelsPerImage() const { return rows * cols; }
    bool hasLabels() const { return !labels.empty(); }
    const std::uint8_t* image(std::size_t i) const { return pixels.data() + i * std::size_t(rows) * std::size_t(cols); }
    bool empty() const { return count == 0; }
};

/// A training set and an (optional, possibly empty) held-out set of the same image size.
struct DatasetPair {
    Dataset train;
    Dataset test;
};

enum class Binarization { None, Threshold, Stochastic };
const char* toString(Binarization b);
Binarization binarizationFromString(const std::string& s);  ///< throws Error

/// A copy with pixels 0 or 255: Threshold uses pixel > threshold; Stochastic draws each pixel
/// once with probability pixel/255 (seeded), so the binarization is fixed per dataset.
Dataset binarized(const Dataset& d, Binarization mode, int threshold = 127, std::uint64_t seed = 1);

/// Rows of `out` (batch x pixels) receive images indices[0..out.rows()) scaled to [0,1].
void fillBatch(const Dataset& d, const int* indices, MatrixRef out);
/// All images (or the first `limit`) as a float matrix, one image per row.
Matrix toMatrix(const Dataset& d, std::size_t limit = 0);

}  // namespace rbm

// The loaders, so that callers need only this header. Included after the types they use
// (each of them includes this file first, which #pragma once then skips).
#include "rbm/dataset_files.h"
#include "rbm/gzip_reader.h"
#include "rbm/idx.h"
