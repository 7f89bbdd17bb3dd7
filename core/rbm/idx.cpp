#include "rbm/idx.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "rbm/gzip_reader.h"

namespace fs = std::filesystem;

namespace rbm {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;
constexpr std::uint32_t kLabelsMagic = 0x00000801;
constexpr std::size_t kImagesHeader = 16;  // magic, count, rows, cols
constexpr std::size_t kLabelsHeader = 8;   // magic, count
constexpr std::uint32_t kMaxSide = 4096;
// The largest file read (raw or compressed): the same as maybeGunzip's default output limit.
constexpr std::size_t kMaxFileBytes = std::size_t(1) << 32;

std::uint32_t readBigEndian32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
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

}  // namespace

void attachLabels(Dataset& d, std::vector<std::uint8_t> labels, const std::string& imagesName,
                  const std::string& labelsName) {
    if (labels.size() != d.count)
        throw Error(labelsName + ": holds " + std::to_string(labels.size()) + " labels but " + imagesName +
                    " holds " + std::to_string(d.count) + " images; the counts must match");
    d.labels = std::move(labels);
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

}  // namespace rbm
