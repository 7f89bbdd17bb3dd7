#include "rbm/idx.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "rbm/file_kind.h"
#include "rbm/gzip_reader.h"
#include "rbm/memory_limits.h"

namespace fs = std::filesystem;

namespace rbm {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;
constexpr std::uint32_t kLabelsMagic = 0x00000801;
constexpr std::size_t kImagesHeader = 16;  // magic, count, rows, cols
constexpr std::size_t kLabelsHeader = 8;   // magic, count
constexpr std::uint32_t kMaxSide = 4096;

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

/// A file's bytes, inflated if they were gzip; `inflated` words the error messages.
struct FileBytes {
    std::vector<std::uint8_t> bytes;
    bool inflated = false;
};

/// Appends up to `n` more bytes of `f` to `bytes`, growing it as they arrive (a header's
/// claim is never allocated before the bytes are there).
void readMore(rbm::ReadableFile& f, std::vector<std::uint8_t>& bytes, std::uint64_t n) {
    while (n > 0) {
        const std::size_t chunk = std::size_t(std::min<std::uint64_t>(n, std::uint64_t(1) << 24));
        const std::size_t at = bytes.size();
        bytes.resize(at + chunk);
        const std::size_t got = f.read(bytes.data() + at, chunk);
        bytes.resize(at + got);
        if (got < chunk) return;
        n -= got;
    }
}

/// The bytes an IDX file's header says it holds (header included), from its first bytes;
/// 0 if they are too few or not an IDX header of this kind (the parser then says why).
std::uint64_t declaredBytes(const std::vector<std::uint8_t>& head, std::uint32_t magic) {
    const std::size_t headerBytes = magic == kImagesMagic ? kImagesHeader : kLabelsHeader;
    if (head.size() < headerBytes || readBigEndian32(head.data()) != magic) return 0;
    std::uint64_t n = readBigEndian32(head.data() + 4);
    if (magic == kImagesMagic) {
        const std::uint32_t rows = readBigEndian32(head.data() + 8), cols = readBigEndian32(head.data() + 12);
        if (rows == 0 || cols == 0 || rows > kMaxSide || cols > kMaxSide) return 0;
        n *= std::uint64_t(rows) * cols;  // < 2^32 * 2^24: no overflow
    }
    return headerBytes + n;
}

/// gzip bytes of an IDX file of the kind `magic`, inflated only as far as the header (the
/// first bytes inflated) says the file reaches: a stream that inflates to far more costs
/// nothing beyond it. A header of another kind is returned alone (the parser says why).
std::vector<std::uint8_t> inflateIdx(const std::uint8_t* data, std::size_t size, const std::string& name,
                                     std::uint32_t magic) {
    const std::size_t headerBytes = magic == kImagesMagic ? kImagesHeader : kLabelsHeader;
    std::vector<std::uint8_t> head = gunzipPrefix(data, size, name, headerBytes);
    std::uint64_t declared = declaredBytes(head, magic);
    if (declared == 0) return head;
    // Deflate cannot expand more than ~1032:1: a larger claim can only be truncated, which
    // inflating what there is shows with the sizes.
    declared = std::min<std::uint64_t>(declared, std::uint64_t(size) * 1032 + 1024);
    if (declared > headerBytes + kMaxDatasetBytes)
        throw Error(name + ": the header claims " + formatBytes(declared - headerBytes) +
                    " of data, more than the limit of " + formatBytes(kMaxDatasetBytes));
    return gunzipPrefix(data, size, name, std::size_t(declared));
}

/// An IDX file of the kind `magic`, read only as far as its header says: a regular file, or a
/// pipe read with a bound (rbm::ReadableFile); a gzip file inflated only up to the size its
/// header declares. Folders, devices and sockets are refused, and nothing beyond
/// kMaxDatasetBytes is read. Errors are "<path>: <reason>".
FileBytes readIdxFile(const std::string& path, std::uint32_t magic) {
    try {
        rbm::ReadableFile f(path, /*allowPipe=*/true);
        FileBytes out;
        const std::size_t headerBytes = magic == kImagesMagic ? kImagesHeader : kLabelsHeader;
        readMore(f, out.bytes, headerBytes);
        if (!isGzip(out.bytes.data(), out.bytes.size())) {
            std::uint64_t declared = declaredBytes(out.bytes, magic);
            // A regular file holds what it holds: a longer claim is read as far as the file
            // goes, and the parser names both sizes.
            if (!f.isPipe()) declared = std::min<std::uint64_t>(declared, f.size());
            if (declared > headerBytes + kMaxDatasetBytes)
                throw Error(path + ": the header claims " + formatBytes(declared - headerBytes) +
                            " of data, more than the limit of " + formatBytes(kMaxDatasetBytes));
            if (declared > headerBytes) readMore(f, out.bytes, declared - headerBytes);
            return out;
        }
        // gzip: the compressed file is read whole (it is what the data costs on disk), then
        // the header is inflated first and bounds the rest.
        if (f.size() > kMaxDatasetBytes)
            throw Error(path + ": the file is " + formatBytes(f.size()) + ", more than the limit of " +
                        formatBytes(kMaxDatasetBytes));
        readMore(f, out.bytes, f.isPipe() ? kMaxDatasetBytes : f.size());
        out.inflated = true;
        out.bytes = inflateIdx(out.bytes.data(), out.bytes.size(), path, magic);
        return out;
    } catch (const rbm::FileError& e) {
        const FileKind kind = e.kind();
        if (kind == FileKind::CharDevice || kind == FileKind::BlockDevice || kind == FileKind::Socket)
            throw Error(path + ": it is " + describe(kind) + ", not an IDX file");
        if (kind == FileKind::Missing) throw Error(path + ": cannot open the file (No such file or directory)");
        throw Error(path + ": " + e.reason());
    }
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
    try {
        rbm::ReadableFile f(path, /*allowPipe=*/true);
        std::vector<std::uint8_t> bytes;
        readMore(f, bytes, f.isPipe() ? kMaxDatasetBytes : f.size());
        return maybeGunzip(bytes.data(), bytes.size(), path, kMaxDatasetBytes);
    } catch (const rbm::FileError& e) {
        throw Error(path + ": " + e.reason());
    }
}

// ---------------------------------------------------------------------------------------------
// IDX

Dataset parseIdxImages(const std::uint8_t* data, std::size_t size, const std::string& name) {
    Dataset d;
    if (isGzip(data, size)) {
        d = imagesFromOwned(inflateIdx(data, size, name, kImagesMagic), name, true);
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
        return labelsFromOwned(inflateIdx(data, size, name, kLabelsMagic), name, true);
    const std::size_t count = checkLabelsHeader(data, size, name, false);
    return std::vector<std::uint8_t>(data + kLabelsHeader, data + kLabelsHeader + count);
}

Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath) {
    FileBytes images = readIdxFile(imagesPath, kImagesMagic);
    Dataset d = imagesFromOwned(std::move(images.bytes), imagesPath, images.inflated);
    d.name = fileName(imagesPath);
    d.source = imagesPath;
    if (!labelsPath.empty()) {
        FileBytes labels = readIdxFile(labelsPath, kLabelsMagic);
        attachLabels(d, labelsFromOwned(std::move(labels.bytes), labelsPath, labels.inflated), imagesPath,
                     labelsPath);
    }
    return d;
}

}  // namespace rbm
