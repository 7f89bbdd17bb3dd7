#include "rbm/array_dataset.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "rbm/file_kind.h"
#include "rbm/memory_limits.h"
#include "rbm/npz.h"

namespace rbm {
namespace {

bool isImageDtype(const std::string& d) { return d == "|u1" || d == "<f4" || d == "<f8"; }

/// rows, cols of the images of `shape` (already checked).
void imageSize(const std::vector<std::size_t>& shape, int& rows, int& cols) {
    if (shape.size() == 2) {
        const std::size_t p = shape[1];
        const std::size_t side = std::size_t(std::lround(std::sqrt(double(p))));
        rows = side * side == p ? int(side) : 1;
        cols = side * side == p ? int(side) : int(p);
    } else {
        rows = int(shape[1]);
        cols = int(shape[2]);
    }
}

template <typename T>
void unitToBytes(const std::uint8_t* raw, std::size_t n, std::size_t perImage, std::uint8_t* out, const std::string& where) {
    for (std::size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, raw + i * sizeof(T), sizeof(T));
        if (!(v >= T(0) && v <= T(1)))  // NaN too
            throw Error(where + ": example " + std::to_string(i / perImage) + ", pixel " + std::to_string(i % perImage) +
                        " is " + std::to_string(double(v)) + ", outside [0, 1] (float pixels must be in [0, 1])");
        out[i] = std::uint8_t(std::lround(double(v) * 255.0));
    }
}

template <typename T>
void wholeToLabels(const std::uint8_t* raw, std::size_t n, std::uint8_t* out, const std::string& where) {
    for (std::size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, raw + i * sizeof(T), sizeof(T));
        if (!(v >= T(0) && v <= T(255) && double(v) == std::floor(double(v))))
            throw Error(where + ": label " + std::to_string(i) + " is " + std::to_string(double(v)) +
                        ", not a whole number from 0 to 255");
        out[i] = std::uint8_t(v);
    }
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

/// The first of `names` among the archive's arrays (case ignored), or "".
std::string pick(const std::vector<std::string>& present, std::initializer_list<const char*> names) {
    for (const char* n : names)
        for (const std::string& p : present)
            if (lower(p) == n) return p;
    return {};
}

std::string fileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

}  // namespace

void checkImageArray(const std::string& dtype, const std::vector<std::size_t>& shape, const std::string& file,
                     const std::string& array) {
    const std::string where = file + ": the array '" + array + "'";
    if (!isImageDtype(dtype))
        throw Error(where + " has dtype '" + dtype + "'; images must be uint8 (0-255), float32 or float64 (in [0, 1])");
    const bool grey4 = shape.size() == 4 && shape[3] == 1;
    if (shape.size() != 2 && shape.size() != 3 && !grey4)
        throw Error(where + " has shape " + shapeText(shape) + "; expected examples x pixels or examples x rows x cols");
    if (shape[0] == 0) throw Error(where + " holds no examples (shape " + shapeText(shape) + ")");
    for (std::size_t k = 1; k < shape.size(); ++k)
        if (shape[k] == 0) throw Error(where + " has shape " + shapeText(shape) + ": its images have no pixels");
    const std::uint64_t rows = shape.size() == 2 ? 1 : shape[1], cols = shape.size() == 2 ? shape[1] : shape[2];
    const std::string why = whyImagesDoNotFit(shape[0], rows, cols);
    if (!why.empty()) throw Error(where + " of shape " + shapeText(shape) + ": " + why);
    if (rows * cols > (std::uint64_t(1) << 24))
        throw Error(where + " has shape " + shapeText(shape) + ": images of more than 16,777,216 pixels cannot be trained on");
}

Dataset datasetFromArray(const NpyArray& images, const std::string& file) {
    checkImageArray(images.dtype, images.shape, file, images.name);
    Dataset d;
    d.count = images.shape[0];
    imageSize(images.shape, d.rows, d.cols);
    const std::size_t n = images.elementCount(), per = std::size_t(d.rows) * std::size_t(d.cols);
    const std::string where = file + ": the array '" + images.name + "'";
    if (images.dtype == "|u1") {
        d.pixels = images.data;
    } else {
        d.pixels.resize(n);
        if (images.dtype == "<f4") unitToBytes<float>(images.data.data(), n, per, d.pixels.data(), where);
        else unitToBytes<double>(images.data.data(), n, per, d.pixels.data(), where);
    }
    d.name = fileName(file);
    d.source = file;
    return d;
}

std::vector<std::uint8_t> labelsFromArray(const NpyArray& labels, std::size_t count, const std::string& file) {
    const std::string where = file + ": the labels '" + labels.name + "'";
    const std::vector<std::size_t>& s = labels.shape;
    if (!(s.size() == 1 || (s.size() == 2 && s[1] == 1)))
        throw Error(where + " have shape " + shapeText(s) + "; expected one label per example, shape (" +
                    std::to_string(count) + ",)");
    if (s[0] != count)
        throw Error(where + " hold " + std::to_string(s[0]) + " labels but the images hold " + std::to_string(count) +
                    " examples; the counts must match");
    std::vector<std::uint8_t> out(count);
    const std::uint8_t* raw = labels.data.data();
    const std::string& t = labels.dtype;
    if (t == "|u1") out = labels.data;
    else if (t == "<i4") wholeToLabels<std::int32_t>(raw, count, out.data(), where);
    else if (t == "<i8") wholeToLabels<std::int64_t>(raw, count, out.data(), where);
    else if (t == "<u8") wholeToLabels<std::uint64_t>(raw, count, out.data(), where);
    else if (t == "<f4") wholeToLabels<float>(raw, count, out.data(), where);
    else if (t == "<f8") wholeToLabels<double>(raw, count, out.data(), where);
    else throw Error(where + " have dtype '" + t + "'; labels must be whole numbers (an integer dtype)");
    return out;
}

Dataset loadNpyDataset(const std::string& path) {
    ReadableFile f(path);  // a FIFO or a device: refused before a byte is read
    const std::uint64_t size = f.size();
    if (size == 0) throw Error(path + ": the file is empty; expected a .npy array");
    std::vector<std::uint8_t> bytes(std::size_t(std::min<std::uint64_t>(size, kNpyMaxHeaderBytes)));
    bytes.resize(f.read(bytes.data(), bytes.size()));
    NpyHeader h;
    try {
        h = parseNpyHeader(bytes.data(), bytes.size(), std::size_t(size), "images");
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    // The shape is judged before the payload is read: a header declaring 10^12 images of a
    // file that holds 100 bytes was refused by parseNpyHeader, one that big on disk is here.
    checkImageArray(h.dtype, h.shape, path, "images");
    if (h.payloadBytes > kMaxDatasetBytes)
        throw Error(path + ": the array holds " + formatBytes(h.payloadBytes) + ", more than the limit of " +
                    formatBytes(kMaxDatasetBytes) + " for a dataset");
    const std::size_t have = bytes.size();
    bytes.resize(std::size_t(size));
    if (have < bytes.size() && f.read(bytes.data() + have, bytes.size() - have) != bytes.size() - have)
        throw Error(path + ": the file ended early (it changed while being read)");
    NpyArray a;
    a.name = "images";
    a.dtype = h.dtype;
    a.shape = h.shape;
    bytes.erase(bytes.begin(), bytes.begin() + std::ptrdiff_t(h.headerBytes));
    a.data = std::move(bytes);
    return datasetFromArray(a, path);
}

DatasetPair loadNpzDataset(const std::string& path) {
    NpzReader r(path);
    const std::vector<std::string> present = r.names();
    std::string x = pick(present, {"x_train", "train_images", "images", "x", "data", "train"});
    if (x.empty() && present.size() == 1) x = present.front();
    if (x.empty()) {
        std::string list;
        for (const std::string& n : present) list += (list.empty() ? "" : ", ") + n;
        throw Error(path + ": no images array; expected one named x, images, data or x_train (the archive holds " +
                    (list.empty() ? std::string("no arrays") : list) + ")");
    }
    const bool split = lower(x) == "x_train" || lower(x) == "train_images";
    const std::string y = pick(present, {"y_train", "train_labels", "labels", "y", "targets", "target"});
    const std::string xt = split ? pick(present, {"x_test", "test_images"}) : std::string();
    const std::string yt = split ? pick(present, {"y_test", "test_labels"}) : std::string();
    // Every header first: a bad array anywhere refuses the file before any payload is inflated.
    for (const std::string& n : {x, xt}) {
        if (n.empty()) continue;
        const std::optional<NpyHeader> h = r.header(n);
        if (h) checkImageArray(h->dtype, h->shape, path, n);
    }
    const auto load = [&](const std::string& images, const std::string& labels) {
        Dataset d = datasetFromArray(*r.read(images), path);
        if (!labels.empty()) d.labels = labelsFromArray(*r.read(labels), d.count, path);
        return d;
    };
    DatasetPair pair;
    pair.train = load(x, y);
    if (pair.train.hasLabels() && r.header("class_names")) {
        // Names are few and short: a larger entry is not ours, and is ignored.
        const std::optional<NpyHeader> h = r.header("class_names");
        if (h->dtype.rfind("<U", 0) == 0 && h->shape.empty() && h->payloadBytes <= (std::size_t(1) << 20))
            pair.train.classNames = splitLines(r.read("class_names")->toString());
    }
    pair.train.name = fileName(path) + " (" + withThousands(pair.train.count) + " train)";
    if (!xt.empty()) {
        pair.test = load(xt, yt);
        if (pair.test.rows != pair.train.rows || pair.test.cols != pair.train.cols)
            throw Error(path + ": the held-out images '" + xt + "' are " + std::to_string(pair.test.rows) + "x" +
                        std::to_string(pair.test.cols) + " but the training images '" + x + "' are " +
                        std::to_string(pair.train.rows) + "x" + std::to_string(pair.train.cols));
        pair.test.name = fileName(path) + " (" + withThousands(pair.test.count) + " test)";
    } else {
        pair.test.name = pair.train.name + " (no test set)";
        pair.test.source = path;
        pair.test.rows = pair.train.rows;
        pair.test.cols = pair.train.cols;
    }
    return pair;
}

void saveNpzDataset(const Dataset& d, const std::string& path) {
    const auto bytes = [](std::string name, std::vector<std::size_t> shape, const std::uint8_t* data, std::size_t n) {
        NpyArray a;
        a.name = std::move(name);
        a.dtype = "|u1";
        a.shape = std::move(shape);
        a.data.assign(data, data + n);
        return a;
    };
    std::vector<NpyArray> arrays;
    arrays.push_back(bytes("x", {d.count, std::size_t(d.rows), std::size_t(d.cols)}, d.pixels.data(), d.pixels.size()));
    if (d.hasLabels()) {
        arrays.push_back(bytes("y", {d.count}, d.labels.data(), d.labels.size()));
        if (!d.classNames.empty()) {
            std::string names;
            for (std::size_t i = 0; i < d.classNames.size(); ++i) names += (i ? "\n" : "") + d.classNames[i];
            arrays.push_back(NpyArray::fromString("class_names", names));
        }
    }
    writeNpz(path, arrays);
}

}  // namespace rbm
