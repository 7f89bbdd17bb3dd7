#include "rbm/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <utility>

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

constexpr std::uint32_t kImagesMagic = 0x00000803;
constexpr std::uint32_t kLabelsMagic = 0x00000801;
constexpr std::size_t kImagesHeader = 16;  // magic, count, rows, cols
constexpr std::size_t kLabelsHeader = 8;   // magic, count
constexpr std::uint32_t kMaxSide = 4096;
// The largest file read (raw or compressed): the same as maybeGunzip's default output limit.
constexpr std::size_t kMaxFileBytes = std::size_t(1) << 32;
// Deflate cannot expand by more than about 1032:1, so a size hint above that is a lie.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

std::uint32_t readBigEndian32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

bool isGzip(const std::uint8_t* data, std::size_t size) {
    return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/// The 4-byte magic, with a sentence for the common mix-ups. `what` is "images" or "labels".
void checkMagic(const std::uint8_t* data, std::size_t size, std::uint32_t expected, const std::string& name) {
    const bool wantImages = expected == kImagesMagic;
    const char* what = wantImages ? "images" : "labels";
    if (size == 0)
        throw Error(name + ": the file is empty; expected an IDX " + what + " file");
    if (size < 4)
        throw Error(name + ": the file is too short (" + std::to_string(size) + " bytes) for an IDX header");
    const std::uint32_t magic = readBigEndian32(data);
    if (magic == expected)
        return;
    if (wantImages && magic == kLabelsMagic)
        throw Error(name + ": this is an IDX labels file (magic 0x00000801), but an images file (magic "
                    "0x00000803) was expected here");
    if (!wantImages && magic == kImagesMagic)
        throw Error(name + ": this is an IDX images file (magic 0x00000803), but a labels file (magic "
                    "0x00000801) was expected here");
    if ((magic >> 8) == 0x08 && (magic & 0xff) != 0)
        throw Error(name + ": not an IDX " + what + " file: it has " + std::to_string(magic & 0xff) +
                    " dimensions (magic " + hex32(magic) + "), expected magic " + hex32(expected));
    throw Error(name + ": not an IDX " + what + " file (magic " + hex32(magic) + ", expected " + hex32(expected) +
                ")");
}

struct ImagesHeader {
    std::size_t count = 0;
    int rows = 0;
    int cols = 0;
    std::size_t pixelBytes = 0;
};

/// Validates an IDX images header against the bytes actually present. `inflated` only
/// changes the wording of the error ("after decompression").
ImagesHeader checkImagesHeader(const std::uint8_t* data, std::size_t size, const std::string& name,
                               bool inflated) {
    checkMagic(data, size, kImagesMagic, name);
    if (size < kImagesHeader)
        throw Error(name + ": truncated IDX images header (" + std::to_string(size) + " of 16 bytes)");
    const std::uint32_t count = readBigEndian32(data + 4);
    const std::uint32_t rows = readBigEndian32(data + 8);
    const std::uint32_t cols = readBigEndian32(data + 12);
    if (rows == 0 || cols == 0 || rows > kMaxSide || cols > kMaxSide)
        throw Error(name + ": implausible image size " + std::to_string(rows) + "x" + std::to_string(cols) +
                    " in the header (rows and columns must be 1 to " + std::to_string(kMaxSide) + ")");
    if (count == 0)
        throw Error(name + ": the header claims 0 images; the file holds no images");
    // count < 2^32 and rows*cols <= 2^24, so this cannot overflow 64 bits.
    const std::uint64_t need = std::uint64_t(count) * rows * cols;
    const std::uint64_t have = size - kImagesHeader;
    if (need > have)
        throw Error(name + ": header claims " + std::to_string(count) + " images of " + std::to_string(rows) + "x" +
                    std::to_string(cols) + " (" + std::to_string(need) + " bytes) but the file holds only " +
                    std::to_string(have) + " bytes of pixels" + (inflated ? " (after decompression)" : ""));
    ImagesHeader h;
    h.count = count;
    h.rows = int(rows);
    h.cols = int(cols);
    h.pixelBytes = std::size_t(need);
    return h;
}

std::size_t checkLabelsHeader(const std::uint8_t* data, std::size_t size, const std::string& name, bool inflated) {
    checkMagic(data, size, kLabelsMagic, name);
    if (size < kLabelsHeader)
        throw Error(name + ": truncated IDX labels header (" + std::to_string(size) + " of 8 bytes)");
    const std::uint32_t count = readBigEndian32(data + 4);
    if (count == 0)
        throw Error(name + ": the header claims 0 labels; the file holds no labels");
    const std::uint64_t have = size - kLabelsHeader;
    if (count > have)
        throw Error(name + ": header claims " + std::to_string(count) + " labels but the file holds only " +
                    std::to_string(have) + " bytes of labels" + (inflated ? " (after decompression)" : ""));
    return count;
}

/// Images from bytes we own: the pixels are moved in place (no second copy of a large file).
Dataset imagesFromOwned(std::vector<std::uint8_t> bytes, const std::string& name, bool inflated) {
    const ImagesHeader h = checkImagesHeader(bytes.data(), bytes.size(), name, inflated);
    bytes.erase(bytes.begin(), bytes.begin() + std::ptrdiff_t(kImagesHeader));
    bytes.resize(h.pixelBytes);  // trailing bytes after the last image are ignored
    Dataset d;
    d.rows = h.rows;
    d.cols = h.cols;
    d.count = h.count;
    d.pixels = std::move(bytes);
    return d;
}

std::vector<std::uint8_t> labelsFromOwned(std::vector<std::uint8_t> bytes, const std::string& name, bool inflated) {
    const std::size_t count = checkLabelsHeader(bytes.data(), bytes.size(), name, inflated);
    bytes.erase(bytes.begin(), bytes.begin() + std::ptrdiff_t(kLabelsHeader));
    bytes.resize(count);
    return bytes;
}

std::string fileName(const std::string& path) {
    return fs::path(path).filename().string();
}

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

void attachLabels(Dataset& d, std::vector<std::uint8_t> labels, const std::string& imagesName,
                  const std::string& labelsName) {
    if (labels.size() != d.count)
        throw Error(labelsName + ": holds " + std::to_string(labels.size()) + " labels but " + imagesName +
                    " holds " + std::to_string(d.count) + " images; the counts must match");
    d.labels = std::move(labels);
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

/// The whole file as it is on disk.
std::vector<std::uint8_t> readFileBytes(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw Error(path + ": is a folder, not a file");
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f)
        throw Error(path + ": cannot open the file (" + std::strerror(errno) + ")");
    std::vector<std::uint8_t> bytes;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > 0) {
        bytes.resize(std::size_t(size));
        const std::size_t got = std::fread(bytes.data(), 1, bytes.size(), f.get());
        if (got != bytes.size() && std::ferror(f.get()))
            throw Error(path + ": read error after " + std::to_string(got) + " bytes (" + std::strerror(errno) + ")");
        bytes.resize(got);
    }
    // Files whose size is unknown (pipes) or that grew while we read: read the rest in chunks,
    // but stop once the first bytes are neither gzip nor IDX (the parser then says what it is):
    // a device such as /dev/zero or /dev/urandom never ends (fuzz: hostile input - `rbm train
    // --data /dev/zero` read until memory ran out). Nothing beyond kMaxFileBytes is read.
    std::array<std::uint8_t, 1 << 16> chunk;
    for (;;) {
        if (bytes.size() >= 4 && !isGzip(bytes.data(), bytes.size()) &&
            !(bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x08))
            break;
        if (bytes.size() > kMaxFileBytes)
            throw Error(path + ": is larger than " + std::to_string(kMaxFileBytes >> 30) +
                        " GiB, more than this loader accepts");
        const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), f.get());
        bytes.insert(bytes.end(), chunk.data(), chunk.data() + got);
        if (got < chunk.size()) {
            if (std::ferror(f.get()))
                throw Error(path + ": read error (" + std::string(std::strerror(errno)) + ")");
            break;
        }
    }
    return bytes;
}

/// A file's bytes, inflated if they were gzip; `inflated` words the error messages.
struct FileBytes {
    std::vector<std::uint8_t> bytes;
    bool inflated = false;
};

FileBytes readAndInflate(const std::string& path) {
    FileBytes f;
    f.bytes = readFileBytes(path);
    if (isGzip(f.bytes.data(), f.bytes.size())) {
        f.bytes = maybeGunzip(f.bytes.data(), f.bytes.size(), path);
        f.inflated = true;
    }
    return f;
}

struct InflateGuard {
    z_stream* zs;
    ~InflateGuard() { inflateEnd(zs); }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// gzip

std::vector<std::uint8_t> maybeGunzip(const std::uint8_t* data, std::size_t size, const std::string& name,
                                      std::size_t maxOutput) {
    if (!isGzip(data, size))
        return std::vector<std::uint8_t>(data, data + size);

    // The trailer's ISIZE (uncompressed size mod 2^32) is only a hint: it comes from the file,
    // so it is capped by what deflate can possibly expand this input to, and by maxOutput.
    std::uint64_t hint = 1 << 16;
    if (size >= 18) {
        const std::uint8_t* t = data + size - 4;
        hint = std::uint64_t(t[0]) | (std::uint64_t(t[1]) << 8) | (std::uint64_t(t[2]) << 16) |
               (std::uint64_t(t[3]) << 24);
    }
    hint = std::min<std::uint64_t>({hint, std::uint64_t(size) * kMaxDeflateRatio + 1024, std::uint64_t(maxOutput)});
    // One byte more than allowed, to tell "exactly maxOutput" from "more than maxOutput".
    const std::uint64_t limit = std::uint64_t(maxOutput) + 1;

    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        throw Error(name + ": cannot start the gzip decoder");
    InflateGuard guard{&zs};

    std::vector<std::uint8_t> out(std::size_t(std::max<std::uint64_t>(hint, 1)));
    std::size_t inPos = 0;
    std::size_t outPos = 0;
    for (;;) {
        if (outPos == out.size()) {
            if (out.size() >= limit)
                throw Error(name + ": decompresses to more than " + std::to_string(maxOutput) +
                            " bytes, more than this loader accepts");
            const std::uint64_t grown =
                std::min<std::uint64_t>(std::max<std::uint64_t>(std::uint64_t(out.size()) * 2, 1 << 16), limit);
            out.resize(std::size_t(grown));
        }
        const std::size_t inChunk = std::min<std::size_t>(size - inPos, UINT_MAX);
        const std::size_t outChunk = std::min<std::size_t>(out.size() - outPos, UINT_MAX);
        zs.next_in = const_cast<Bytef*>(data + inPos);
        zs.avail_in = uInt(inChunk);
        zs.next_out = out.data() + outPos;
        zs.avail_out = uInt(outChunk);
        const int ret = inflate(&zs, Z_NO_FLUSH);
        inPos += inChunk - zs.avail_in;
        outPos += outChunk - zs.avail_out;
        if (ret == Z_STREAM_END)
            break;  // a second concatenated member or trailing bytes are ignored
        if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_STREAM_ERROR)
            throw Error(name + ": the gzip data is corrupt (" + (zs.msg ? zs.msg : "invalid deflate stream") + ")");
        if (ret == Z_MEM_ERROR)
            throw Error(name + ": out of memory while decompressing");
        // Z_OK or Z_BUF_ERROR: either the output is full (grow it) or the input ran out.
        if (zs.avail_out > 0 && inPos == size)
            throw Error(name + ": the gzip data is truncated (the stream ends after " + std::to_string(size) +
                        " compressed bytes, " + std::to_string(outPos) + " bytes decompressed)");
    }
    if (outPos > maxOutput)
        throw Error(name + ": decompresses to more than " + std::to_string(maxOutput) +
                    " bytes, more than this loader accepts");
    out.resize(outPos);
    out.shrink_to_fit();
    return out;
}

std::vector<std::uint8_t> readMaybeGzipFile(const std::string& path) {
    return readAndInflate(path).bytes;
}

// ---------------------------------------------------------------------------------------------
// IDX

Dataset parseIdxImages(const std::uint8_t* data, std::size_t size, const std::string& name) {
    Dataset d;
    if (isGzip(data, size)) {
        d = imagesFromOwned(maybeGunzip(data, size, name), name, true);
    } else {
        const ImagesHeader h = checkImagesHeader(data, size, name, false);
        d.rows = h.rows;
        d.cols = h.cols;
        d.count = h.count;
        d.pixels.assign(data + kImagesHeader, data + kImagesHeader + h.pixelBytes);
    }
    d.name = fileName(name);
    d.source = name;
    return d;
}

std::vector<std::uint8_t> parseIdxLabels(const std::uint8_t* data, std::size_t size, const std::string& name) {
    if (isGzip(data, size))
        return labelsFromOwned(maybeGunzip(data, size, name), name, true);
    const std::size_t count = checkLabelsHeader(data, size, name, false);
    return std::vector<std::uint8_t>(data + kLabelsHeader, data + kLabelsHeader + count);
}

Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath) {
    FileBytes images = readAndInflate(imagesPath);
    Dataset d = imagesFromOwned(std::move(images.bytes), imagesPath, images.inflated);
    d.name = fileName(imagesPath);
    d.source = imagesPath;
    if (!labelsPath.empty()) {
        FileBytes labels = readAndInflate(labelsPath);
        attachLabels(d, labelsFromOwned(std::move(labels.bytes), labelsPath, labels.inflated), imagesPath,
                     labelsPath);
    }
    return d;
}

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
                    "and emnist-<split>-train-images-idx3-ubyte[.gz]");
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

DatasetPair loadDataset(const std::string& path) {
    if (path.empty() || path == "embedded")
        return loadEmbeddedMnist();
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec))
        return loadIdxFolder(path);
    if (!fs::exists(p, ec))
        throw Error(path + ": no such file or folder");
    DatasetPair pair;
    pair.train = loadImagesWithOptionalLabels(p, guessLabels(p));
    pair.test = emptyLike(pair.train, pair.train.name + " (no test set)");
    return pair;
}

// ---------------------------------------------------------------------------------------------
// Binarization and batches

const char* toString(Binarization b) {
    switch (b) {
    case Binarization::None: return "none";
    case Binarization::Threshold: return "threshold";
    case Binarization::Stochastic: return "stochastic";
    }
    return "none";
}

Binarization binarizationFromString(const std::string& s) {
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (lower == "none")
        return Binarization::None;
    if (lower == "threshold")
        return Binarization::Threshold;
    if (lower == "stochastic")
        return Binarization::Stochastic;
    throw Error("unknown binarization '" + s + "' (expected none, threshold or stochastic)");
}

Dataset binarized(const Dataset& d, Binarization mode, int threshold, std::uint64_t seed) {
    Dataset out = d;
    switch (mode) {
    case Binarization::None:
        return out;
    case Binarization::Threshold:
        for (std::uint8_t& p : out.pixels)
            p = int(p) > threshold ? 255 : 0;
        out.name += ", binarized (pixel > " + std::to_string(threshold) + ")";
        return out;
    case Binarization::Stochastic: {
        // P(on) = pixel/255 exactly up to 2^-32: compare a 32-bit uniform with pixel * 2^32 / 255.
        std::array<std::uint64_t, 256> cut{};
        for (int v = 0; v < 256; ++v)
            cut[std::size_t(v)] = std::uint64_t((double(v) * 4294967296.0) / 255.0 + 0.5);
        Random rng(seed);
        std::uint8_t* px = out.pixels.data();
        const std::size_t n = out.pixels.size();
        std::size_t i = 0;
        for (; i + 1 < n; i += 2) {
            const std::uint64_t r = rng.next();
            px[i] = (r & 0xffffffffu) < cut[px[i]] ? 255 : 0;
            px[i + 1] = (r >> 32) < cut[px[i + 1]] ? 255 : 0;
        }
        if (i < n)
            px[i] = (rng.next() & 0xffffffffu) < cut[px[i]] ? 255 : 0;
        out.name += ", binarized (stochastic, seed " + std::to_string(seed) + ")";
        return out;
    }
    }
    return out;
}

namespace {

const std::array<float, 256>& byteToUnit() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int v = 0; v < 256; ++v)
            t[std::size_t(v)] = float(v) / 255.0f;
        return t;
    }();
    return table;
}

/// Rows [0, n) of `out` from images `indices[0..n)`: column by column, so writes are
/// contiguous in the column-major matrix and each image is read front to back.
void fillRows(const Dataset& d, const int* indices, float* out, Eigen::Index outerStride, int n) {
    const std::array<float, 256>& unit = byteToUnit();
    constexpr int kChunk = 64;
    const std::uint8_t* src[kChunk];
    const int pixels = d.pixelsPerImage();
    for (int r0 = 0; r0 < n; r0 += kChunk) {
        const int m = std::min(kChunk, n - r0);
        for (int r = 0; r < m; ++r)
            src[r] = d.image(std::size_t(indices[r0 + r]));
        for (int j = 0; j < pixels; ++j) {
            float* col = out + Eigen::Index(j) * outerStride + r0;
            for (int r = 0; r < m; ++r)
                col[r] = unit[src[r][j]];
        }
    }
}

}  // namespace

void fillBatch(const Dataset& d, const int* indices, MatrixRef out) {
    const int n = int(out.rows());
    if (out.cols() != d.pixelsPerImage())
        throw Error("fillBatch: the batch has " + std::to_string(out.cols()) + " columns but images of " +
                    d.name + " have " + std::to_string(d.pixelsPerImage()) + " pixels");
    for (int r = 0; r < n; ++r)
        if (indices[r] < 0 || std::size_t(indices[r]) >= d.count)
            throw Error("fillBatch: image index " + std::to_string(indices[r]) + " is outside " + d.name + " (" +
                        std::to_string(d.count) + " images)");
    fillRows(d, indices, out.data(), out.outerStride(), n);
}

Matrix toMatrix(const Dataset& d, std::size_t limit) {
    const std::size_t n = limit == 0 ? d.count : std::min(limit, d.count);
    Matrix m(Eigen::Index(n), Eigen::Index(d.pixelsPerImage()));
    constexpr int kChunk = 256;
    int idx[kChunk];
    for (std::size_t r0 = 0; r0 < n; r0 += kChunk) {
        const int k = int(std::min<std::size_t>(kChunk, n - r0));
        for (int r = 0; r < k; ++r)
            idx[r] = int(r0) + r;
        fillRows(d, idx, m.data() + r0, m.outerStride(), k);
    }
    return m;
}

}  // namespace rbm
