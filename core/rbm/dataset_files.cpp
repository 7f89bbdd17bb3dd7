#include "rbm/dataset_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "rbm/array_dataset.h"
#include "rbm/bars_and_stripes.h"
#include "rbm/csv_dataset.h"
#include "rbm/idx.h"

namespace fs = std::filesystem;

// The four gzipped IDX files of resources/mnist-10k, pulled in by resources/CMakeLists.txt
// with the assembler's .incbin (each followed by an _end symbol).
extern "C" {
extern const unsigned char rbm_embedded_train_images_idx3_ubyte[];
extern const unsigned char rbm_embedded_train_images_idx3_ubyte_end[];
extern const unsigned char rbm_embedded_train_labels_idx1_ubyte[];
extern const unsigned char rbm_embedded_train_labels_idx1_ubyte_end[];
extern const unsigned char rbm_embedded_t10k_images_idx3_ubyte[];
extern const unsigned char rbm_embedded_t10k_images_idx3_ubyte_end[];
extern const unsigned char rbm_embedded_t10k_labels_idx1_ubyte[];
extern const unsigned char rbm_embedded_t10k_labels_idx1_ubyte_end[];
}

namespace rbm {
namespace {

std::string withThousands(std::size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

/// The first of `names` that exists in `dir`, or an empty path.
fs::path firstExisting(const fs::path& dir, const std::vector<std::string>& names) {
    for (const std::string& n : names)
        if (isFile(dir / n))
            return dir / n;
    return {};
}

/// "train-images-idx3-ubyte" -> the name itself, with .gz, and the dotted "train-images.idx3-ubyte"
/// form with and without .gz. Uncompressed files come first (faster to read).
std::vector<std::string> nameVariants(const std::string& prefix, const std::string& suffix) {
    return {prefix + "-" + suffix, prefix + "-" + suffix + ".gz", prefix + "." + suffix, prefix + "." + suffix + ".gz"};
}

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// EMNIST splits present in `dir` as emnist-<split>-train-images-idx3-ubyte[.gz], sorted.
std::vector<std::string> emnistSplits(const fs::path& dir) {
    std::vector<std::string> splits;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string n = it->path().filename().string();
        if (endsWith(n, ".gz"))
            n.resize(n.size() - 3);
        const std::string head = "emnist-";
        const std::string tail = "-train-images-idx3-ubyte";
        if (n.size() > head.size() + tail.size() && n.compare(0, head.size(), head) == 0 && endsWith(n, tail) &&
            isFile(it->path())) {
            std::string split = n.substr(head.size(), n.size() - head.size() - tail.size());
            if (std::find(splits.begin(), splits.end(), split) == splits.end())
                splits.push_back(split);
        }
    }
    std::sort(splits.begin(), splits.end());
    return splits;
}

Dataset loadImagesWithOptionalLabels(const fs::path& images, const fs::path& labels) {
    return loadIdx(images.string(), labels.empty() ? std::string() : labels.string());
}

void checkSameSize(const Dataset& train, const Dataset& test) {
    if (test.rows != train.rows || test.cols != train.cols)
        throw Error(test.source + ": test images are " + std::to_string(test.rows) + "x" + std::to_string(test.cols) +
                    " but the training images " + train.source + " are " + std::to_string(train.rows) + "x" +
                    std::to_string(train.cols) + "; both sets must have the same image size");
}

Dataset emptyLike(const Dataset& train, const std::string& name) {
    Dataset d;
    d.name = name;
    d.source = train.source;
    d.rows = train.rows;
    d.cols = train.cols;
    return d;
}

/// Replace the first occurrence of `from` in `s` by `to`; false if absent.
bool replaceFirst(std::string& s, const std::string& from, const std::string& to) {
    const std::size_t at = s.find(from);
    if (at == std::string::npos)
        return false;
    s.replace(at, from.size(), to);
    return true;
}

/// A sibling labels file for an images file name: images -> labels, idx3 -> idx1, with or
/// without .gz. Empty if none exists.
fs::path guessLabels(const fs::path& images) {
    std::string n = images.filename().string();
    if (endsWith(n, ".gz"))
        n.resize(n.size() - 3);
    const bool a = replaceFirst(n, "images", "labels");
    const bool b = replaceFirst(n, "idx3", "idx1");
    if (!a && !b)
        return {};
    return firstExisting(images.parent_path(), {n, n + ".gz"});
}

}  // namespace

DatasetPair loadIdxFolder(const std::string& dirPath) {
    const fs::path dir(dirPath);
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw Error(dirPath + ": the folder does not exist");
    if (!fs::is_directory(dir, ec))
        throw Error(dirPath + ": is not a folder");

    std::vector<std::string> trainImageNames = nameVariants("train-images", "idx3-ubyte");
    std::vector<std::string> trainLabelNames = nameVariants("train-labels", "idx1-ubyte");
    std::vector<std::string> testImageNames = nameVariants("t10k-images", "idx3-ubyte");
    std::vector<std::string> testLabelNames = nameVariants("t10k-labels", "idx1-ubyte");

    fs::path trainImages = firstExisting(dir, trainImageNames);
    if (trainImages.empty()) {
        const std::vector<std::string> splits = emnistSplits(dir);
        if (splits.size() > 1) {
            std::string list;
            for (const std::string& s : splits)
                list += (list.empty() ? "" : ", ") + s;
            throw Error(dirPath + ": holds several EMNIST splits (" + list +
                        "); open one training images file instead, e.g. emnist-" + splits.front() +
                        "-train-images-idx3-ubyte.gz");
        }
        if (splits.size() == 1) {
            const std::string p = "emnist-" + splits.front();
            trainImageNames = {p + "-train-images-idx3-ubyte", p + "-train-images-idx3-ubyte.gz"};
            trainLabelNames = {p + "-train-labels-idx1-ubyte", p + "-train-labels-idx1-ubyte.gz"};
            testImageNames = {p + "-test-images-idx3-ubyte", p + "-test-images-idx3-ubyte.gz"};
            testLabelNames = {p + "-test-labels-idx1-ubyte", p + "-test-labels-idx1-ubyte.gz"};
            trainImages = firstExisting(dir, trainImageNames);
        }
    }
    if (trainImages.empty()) {
        std::string looked;
        for (const std::string& n : trainImageNames)
            looked += n + ", ";
        throw Error(dirPath + ": no training images found; looked for " + looked +
                    "emnist-<split>-train-images-idx3-ubyte[.gz], and PNG / JPEG pictures (one subfolder per class)");
    }

    DatasetPair pair;
    pair.train = loadImagesWithOptionalLabels(trainImages, firstExisting(dir, trainLabelNames));
    const std::string folder = dir.filename().empty() ? dir.parent_path().filename().string()
                                                      : dir.filename().string();
    pair.train.name = folder + " (" + withThousands(pair.train.count) + " train)";

    const fs::path testImages = firstExisting(dir, testImageNames);
    if (testImages.empty()) {
        pair.test = emptyLike(pair.train, folder + " (no test set)");
    } else {
        pair.test = loadImagesWithOptionalLabels(testImages, firstExisting(dir, testLabelNames));
        checkSameSize(pair.train, pair.test);
        pair.test.name = folder + " (" + withThousands(pair.test.count) + " test)";
    }
    return pair;
}

DatasetPair loadEmbeddedMnist() {
    struct Blob {
        const unsigned char* begin;
        const unsigned char* end;
        const char* name;
    };
    const Blob trainImages{rbm_embedded_train_images_idx3_ubyte, rbm_embedded_train_images_idx3_ubyte_end,
                           "<embedded>/train-images-idx3-ubyte.gz"};
    const Blob trainLabels{rbm_embedded_train_labels_idx1_ubyte, rbm_embedded_train_labels_idx1_ubyte_end,
                           "<embedded>/train-labels-idx1-ubyte.gz"};
    const Blob testImages{rbm_embedded_t10k_images_idx3_ubyte, rbm_embedded_t10k_images_idx3_ubyte_end,
                          "<embedded>/t10k-images-idx3-ubyte.gz"};
    const Blob testLabels{rbm_embedded_t10k_labels_idx1_ubyte, rbm_embedded_t10k_labels_idx1_ubyte_end,
                          "<embedded>/t10k-labels-idx1-ubyte.gz"};
    const auto images = [](const Blob& b) { return parseIdxImages(b.begin, std::size_t(b.end - b.begin), b.name); };
    const auto labels = [](const Blob& b) { return parseIdxLabels(b.begin, std::size_t(b.end - b.begin), b.name); };

    DatasetPair pair;
    pair.train = images(trainImages);
    attachLabels(pair.train, labels(trainLabels), trainImages.name, trainLabels.name);
    pair.test = images(testImages);
    attachLabels(pair.test, labels(testLabels), testImages.name, testLabels.name);
    checkSameSize(pair.train, pair.test);
    pair.train.name = "MNIST 10k (embedded, " + withThousands(pair.train.count) + " train)";
    pair.test.name = "MNIST 10k (embedded, " + withThousands(pair.test.count) + " test)";
    pair.train.source = pair.test.source = "<embedded>";
    return pair;
}

bool isIdxFolder(const std::string& dir) {
    return !firstExisting(dir, nameVariants("train-images", "idx3-ubyte")).empty() || !emnistSplits(dir).empty();
}

namespace {

/// The lowercase extension of `path` (".csv"), "" if none.
std::string extension(const std::string& path) {
    std::string e = fs::path(path).extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return e;
}

DatasetPair withoutTestSet(Dataset train) {
    DatasetPair pair;
    pair.train = std::move(train);
    pair.test = emptyLike(pair.train, pair.train.name + " (no test set)");
    return pair;
}

}  // namespace

DatasetPair loadDataset(const std::string& path, const DatasetOptions& options) {
    if (path.empty() || path == "embedded")
        return loadEmbeddedMnist();
    if (isBarsAndStripesName(path)) return loadBarsAndStripes(path);
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec))
        return loadIdxFolder(path);
    if (!fs::exists(p, ec))
        throw Error(path + ": no such file or folder");
    const std::string ext = extension(path);
    if (ext == ".csv") return withoutTestSet(loadCsvDataset(path, options.csvLabels));
    if (ext == ".npy") return withoutTestSet(loadNpyDataset(path));
    if (ext == ".npz") return loadNpzDataset(path);
    return withoutTestSet(loadImagesWithOptionalLabels(p, guessLabels(p)));
}

}  // namespace rbm
