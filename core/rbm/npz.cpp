#include "rbm/npz.h"
#include "rbm/utf8.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <set>

#include "rbm/types.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "npz.cpp copies little-endian .npy payloads with memcpy");

namespace rbm {

namespace {

/// A reason without the file name; the public functions turn it into a sentence.
struct Problem {
    std::string reason;
};
[[noreturn]] void problem(std::string reason) { throw Problem{std::move(reason)}; }

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;
constexpr std::size_t kMaxHeaderLen = 65536;
constexpr std::size_t kMaxDims = 32;

/// Item size of a supported dtype, 0 if unsupported. "<U<n>" is 4n bytes (UTF-32).
std::size_t dtypeItemSize(const std::string& d) {
    if (d == "<f4" || d == "<i4") return 4;
    if (d == "<f8" || d == "<i8" || d == "<u8") return 8;
    if (d == "|u1") return 1;
    if (d.size() > 2 && d[0] == '<' && d[1] == 'U') {
        if (d.size() > 12) return 0;
        std::size_t n = 0;
        for (std::size_t i = 2; i < d.size(); ++i) {
            if (d[i] < '0' || d[i] > '9') return 0;
            n = n * 10 + static_cast<std::size_t>(d[i] - '0');
        }
        if (n == 0 || n > (std::size_t(1) << 28)) return 0;
        return 4 * n;
    }
    return 0;
}

/// elementCount with overflow detection: false if the product does not fit.
bool checkedCount(const std::vector<std::size_t>& shape, std::size_t& count) {
    std::size_t c = 1;
    for (const std::size_t d : shape) {
        if (d != 0 && c > std::numeric_limits<std::size_t>::max() / d) return false;
        c *= d;
    }
    count = c;
    return true;
}

template <typename T>
NpyArray makeArray(std::string name, const char* dtype, const T* data, std::vector<std::size_t> shape) {
    NpyArray a;
    a.name = std::move(name);
    a.dtype = dtype;
    a.shape = std::move(shape);
    const std::size_t n = a.elementCount();
    a.data.resize(n * sizeof(T));
    if (n) std::memcpy(a.data.data(), data, n * sizeof(T));
    return a;
}

template <typename T>
std::vector<T> toVector(const NpyArray& a, const char* dtype) {
    if (a.dtype != dtype)
        throw Error("Array '" + a.name + "' has dtype '" + a.dtype + "', expected '" + dtype + "'.");
    const std::size_t n = a.elementCount();
    if (a.data.size() != n * sizeof(T))
        throw Error("Array '" + a.name + "' has shape " + shapeText(a.shape) + " but holds " +
                    std::to_string(a.data.size()) + " bytes.");
    std::vector<T> out(n);
    if (n) std::memcpy(out.data(), a.data.data(), n * sizeof(T));
    return out;
}

// ---------------------------------------------------------------- .npy header parsing

/// The Python literal dict of a .npy header: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
class HeaderParser {
public:
    HeaderParser(const char* p, std::size_t n) : p_(p), n_(n) {}

    void parse(std::string& descr, bool& fortran, std::vector<std::size_t>& shape) {
        bool haveDescr = false, haveFortran = false, haveShape = false;
        skip();
        expect('{');
        for (;;) {
            skip();
            if (peek() == '}') {
                ++i_;
                break;
            }
            const std::string key = str();
            skip();
            expect(':');
            skip();
            if (key == "descr") {
                if (haveDescr) problem("bad .npy header: duplicate key 'descr'");
                descr = str();
                haveDescr = true;
            } else if (key == "fortran_order") {
                if (haveFortran) problem("bad .npy header: duplicate key 'fortran_order'");
                fortran = boolean();
                haveFortran = true;
            } else if (key == "shape") {
                if (haveShape) problem("bad .npy header: duplicate key 'shape'");
                shape = tuple();
                haveShape = true;
            } else {
                problem("bad .npy header: unexpected key '" + key + "'");
            }
            skip();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() == '}') {
                ++i_;
                break;
            }
            problem("bad .npy header: expected ',' or '}' at header byte " + std::to_string(i_));
        }
        while (i_ < n_) {
            const char c = p_[i_++];
            if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\0')
                problem("bad .npy header: unexpected characters after the dictionary");
        }
        if (!haveDescr || !haveFortran || !haveShape)
            problem("bad .npy header: it needs 'descr', 'fortran_order' and 'shape'");
    }

private:
    char peek() const {
        if (i_ >= n_) problem("bad .npy header: it ends early");
        return p_[i_];
    }
    void skip() {
        while (i_ < n_ && (p_[i_] == ' ' || p_[i_] == '\t' || p_[i_] == '\n' || p_[i_] == '\r')) ++i_;
    }
    void expect(char c) {
        if (peek() != c) problem(std::string("bad .npy header: expected '") + c + "' at header byte " + std::to_string(i_));
        ++i_;
    }
    std::string str() {
        const char q = peek();
        if (q != '\'' && q != '"') problem("bad .npy header: expected a quoted string at header byte " + std::to_string(i_));
        ++i_;
        std::string s;
        while (peek() != q) {
            const char c = p_[i_++];
            if (c == '\\' || c == '\n') problem("bad .npy header: unsupported character in a string");
            s += c;
        }
        ++i_;
        return s;
    }
    bool boolean() {
        if (n_ - i_ >= 4 && std::memcmp(p_ + i_, "True", 4) == 0) {
            i_ += 4;
            return true;
        }
        if (n_ - i_ >= 5 && std::memcmp(p_ + i_, "False", 5) == 0) {
            i_ += 5;
            return false;
        }
        problem("bad .npy header: 'fortran_order' must be True or False");
    }
    std::vector<std::size_t> tuple() {
        expect('(');
        std::vector<std::size_t> dims;
        for (;;) {
            skip();
            if (peek() == ')') {
                ++i_;
                return dims;
            }
            if (peek() < '0' || peek() > '9') problem("bad .npy header: 'shape' must be a tuple of non-negative integers");
            std::size_t v = 0;
            while (peek() >= '0' && peek() <= '9') {
                const std::size_t digit = static_cast<std::size_t>(p_[i_++] - '0');
                if (v > (std::numeric_limits<std::size_t>::max() - digit) / 10) problem("bad .npy header: a dimension is too large");
                v = v * 10 + digit;
            }
            if (peek() == 'L') ++i_;  // Python 2 long suffix
            dims.push_back(v);
            if (dims.size() > kMaxDims) problem("bad .npy header: more than " + std::to_string(kMaxDims) + " dimensions");
            skip();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() != ')') problem("bad .npy header: expected ',' or ')' in 'shape'");
            // "(3)" is not a tuple in Python; numpy never writes it
            if (dims.size() == 1) problem("bad .npy header: a 1-d shape needs a trailing comma, as in (3,)");
        }
    }

    const char* p_;
    std::size_t n_;
    std::size_t i_ = 0;
};

NpyArray decode(const std::uint8_t* data, std::size_t size, const std::string& name) {
    if (size < kMagicLen + 4 || std::memcmp(data, kMagic, kMagicLen) != 0)
        problem("array '" + name + "' is not a .npy array (bad magic)");
    const int major = data[6];
    std::size_t headerLen = 0, prefix = 0;
    if (major == 1) {
        headerLen = std::size_t(data[8]) | (std::size_t(data[9]) << 8);
        prefix = 10;
    } else if (major == 2 || major == 3) {
        if (size < 12) problem("array '" + name + "' is truncated");
        headerLen = std::size_t(data[8]) | (std::size_t(data[9]) << 8) | (std::size_t(data[10]) << 16) |
                    (std::size_t(data[11]) << 24);
        prefix = 12;
    } else {
        problem("array '" + name + "' uses .npy format version " + std::to_string(major) + ", which is not supported");
    }
    if (headerLen > kMaxHeaderLen) problem("array '" + name + "' has an oversized header");
    if (headerLen > size - prefix) problem("array '" + name + "' is truncated inside its header");

    NpyArray a;
    a.name = name;
    bool fortran = false;
    try {
        HeaderParser(reinterpret_cast<const char*>(data + prefix), headerLen).parse(a.dtype, fortran, a.shape);
    } catch (const Problem& p) {
        problem("array '" + name + "': " + p.reason);
    }
    if (fortran) problem("array '" + name + "' is stored in Fortran order, which is not supported (save np.ascontiguousarray(...) of it instead)");
    const std::size_t item = dtypeItemSize(a.dtype);
    if (item == 0) problem("array '" + name + "' has dtype '" + a.dtype + "', which is not supported");
    std::size_t count = 0;
    const std::size_t payload = size - prefix - headerLen;
    if (!checkedCount(a.shape, count) || count > std::numeric_limits<std::size_t>::max() / item ||
        count * item != payload)
        problem("array '" + name + "' has shape " + shapeText(a.shape) + " and dtype '" + a.dtype + "' but holds " +
                std::to_string(payload) + " bytes");
    a.data.assign(data + prefix + headerLen, data + size);
    return a;
}

// ---------------------------------------------------------------- files

std::string errnoText(int e) { return std::strerror(e); }

std::string tempNameFor(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

std::string parentDir(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

void fsyncPath(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
    if (fd < 0) problem("cannot open " + std::string(directory ? "its folder" : "the temporary file") + " to flush it (" + errnoText(errno) + ")");
    const int rc = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    // Some file systems cannot fsync a directory (EINVAL); the data itself is safe then.
    if (rc != 0 && !(directory && (e == EINVAL || e == EROFS))) problem("cannot flush it to disk (" + errnoText(e) + ")");
}

/// fsync(temp), rename(temp, path), fsync(folder). Removes temp on failure.
void commitTemp(const std::string& temp, const std::string& path) {
    try {
        fsyncPath(temp, false);
        if (::rename(temp.c_str(), path.c_str()) != 0) problem("cannot move the new file into place (" + errnoText(errno) + ")");
    } catch (const Problem&) {
        ::unlink(temp.c_str());
        throw;
    }
    try {
        fsyncPath(parentDir(path), true);
    } catch (const Problem&) {
        // The file is complete and in place; only the durability of the rename is in doubt.
    }
}

void writeAllTo(const std::string& temp, const char* data, std::size_t size) {
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) problem("cannot create a temporary file beside it (" + errnoText(errno) + ")");
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            problem("cannot write (" + errnoText(e) + ")");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(temp.c_str());
        problem("cannot write (" + errnoText(e) + ")");
    }
}

std::string zipErrorText(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string s = zip_error_strerror(&e);
    zip_error_fini(&e);
    return s;
}

std::string openErrorReason(int code) {
    switch (code) {
    case ZIP_ER_NOENT: return "no such file";
    case ZIP_ER_NOZIP: return "not a zip archive (an .npz file), or truncated";
    case ZIP_ER_INCONS: return "the zip archive is inconsistent (truncated or corrupt)";
    case ZIP_ER_MEMORY: return "out of memory";
    case ZIP_ER_EXISTS: return "an array appears twice (two entries have the same name)";
    case ZIP_ER_EOF: return "the file ends early (truncated)";
    default: {
        std::string text = zipErrorText(code);  // "Multi-disk zip archives not supported"...
        if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
        return text;
    }
    }
}

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Reads the .npy entries of an open archive (only `onlyName` if given). `archiveSize` bounds
/// what each entry may claim: deflate cannot expand more than ~1032:1.
std::vector<NpyArray> readArchive(zip_t* za, std::uint64_t archiveSize, const std::string* onlyName) {
    const zip_int64_t entries = zip_get_num_entries(za, 0);
    if (entries < 0) problem("cannot list the archive");
    std::vector<NpyArray> out;
    std::set<std::string> seen;
    std::uint64_t total = 0;
    for (zip_int64_t i = 0; i < entries; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0) problem("cannot read entry " + std::to_string(i) + ": " + zip_strerror(za));
        const zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
        if ((st.valid & need) != need) problem("entry " + std::to_string(i) + " lacks its name or size");
        const std::string file = st.name;
        if (!endsWith(file, ".npy")) continue;  // numpy ignores non-array members too
        const std::string name = file.substr(0, file.size() - 4);
        if (!seen.insert(name).second) problem("array '" + name + "' appears twice");
        if (onlyName && name != *onlyName) continue;
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            problem("array '" + name + "' is encrypted");
        if (st.size > kNpzMaxEntryBytes)
            problem("array '" + name + "' claims " + std::to_string(st.size) + " bytes, more than the limit of " +
                    std::to_string(kNpzMaxEntryBytes));
        total += st.size;
        if (total > kNpzMaxTotalBytes)
            problem("the arrays claim more than the limit of " + std::to_string(kNpzMaxTotalBytes) + " bytes in total");
        if (st.comp_size > archiveSize)
            problem("array '" + name + "' claims " + std::to_string(st.comp_size) + " compressed bytes in a " +
                    std::to_string(archiveSize) + "-byte file (truncated?)");
        if (st.comp_method == ZIP_CM_STORE ? st.size != st.comp_size : st.size > st.comp_size * 1100 + 4096)
            problem("array '" + name + "' claims an impossible size (" + std::to_string(st.size) + " bytes from " +
                    std::to_string(st.comp_size) + " compressed)");

        zip_file_t* zf = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
        if (!zf) problem("cannot open array '" + name + "': " + zip_strerror(za));
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(st.size));
        std::size_t done = 0;
        bool failed = false;
        while (done < bytes.size()) {
            const zip_int64_t n = zip_fread(zf, bytes.data() + done, bytes.size() - done);
            if (n <= 0) {
                failed = true;
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        // One more read reaches the end of the entry, where libzip checks the CRC.
        std::uint8_t extra = 0;
        if (!failed && zip_fread(zf, &extra, 1) != 0) failed = true;
        std::string why;
        if (failed) {
            const zip_error_t* ze = zip_file_get_error(zf);
            const int code = ze ? zip_error_code_zip(ze) : ZIP_ER_OK;
            why = code == ZIP_ER_CRC ? "CRC error (the data is corrupt)"
                : code != ZIP_ER_OK  ? zip_file_strerror(zf)
                                     : "it is truncated";
        }
        zip_fclose(zf);
        if (failed) problem("array '" + name + "' cannot be read: " + why);
        out.push_back(decode(bytes.data(), bytes.size(), name));
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------- NpyArray

std::size_t NpyArray::elementCount() const {
    std::size_t n = 0;
    if (!checkedCount(shape, n)) throw Error("Array '" + name + "' has an impossibly large shape " + shapeText(shape) + ".");
    return n;
}

std::size_t NpyArray::itemSize() const { return dtypeItemSize(dtype); }

NpyArray NpyArray::fromFloats(std::string name, const float* data, std::vector<std::size_t> shape) {
    return makeArray(std::move(name), "<f4", data, std::move(shape));
}
NpyArray NpyArray::fromInt64(std::string name, const std::int64_t* data, std::vector<std::size_t> shape) {
    return makeArray(std::move(name), "<i8", data, std::move(shape));
}
NpyArray NpyArray::fromUint64(std::string name, const std::uint64_t* data, std::vector<std::size_t> shape) {
    return makeArray(std::move(name), "<u8", data, std::move(shape));
}
NpyArray NpyArray::fromInt32(std::string name, const std::int32_t* data, std::vector<std::size_t> shape) {
    return makeArray(std::move(name), "<i4", data, std::move(shape));
}

NpyArray NpyArray::fromString(std::string name, const std::string& utf8) {
    // UTF-8 -> code points; malformed sequences become U+FFFD so numpy can always read it.
    std::vector<std::uint32_t> cps;
    const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
    const std::size_t n = utf8.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = s[i];
        std::uint32_t cp = 0xFFFD;
        std::size_t len = 1;
        if (c < 0x80) {
            cp = c;
        } else {
            std::size_t extra = 0;
            std::uint32_t minimum = 0;
            if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1F; minimum = 0x80; }
            else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0F; minimum = 0x800; }
            else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07; minimum = 0x10000; }
            bool ok = extra > 0;
            for (std::size_t k = 1; ok && k <= extra; ++k) {
                if (i + k >= n || (s[i + k] & 0xC0) != 0x80) ok = false;
                else cp = (cp << 6) | (s[i + k] & 0x3F);
            }
            if (ok && (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
            if (ok) len = 1 + extra;
            else cp = 0xFFFD;
        }
        cps.push_back(cp);
        i += len;
    }
    const std::size_t width = cps.empty() ? 1 : cps.size();  // numpy's '' is '<U1'
    cps.resize(width, 0);
    NpyArray a;
    a.name = std::move(name);
    a.dtype = "<U" + std::to_string(width);
    a.data.resize(width * 4);
    std::memcpy(a.data.data(), cps.data(), width * 4);
    return a;
}

std::vector<float> NpyArray::toFloats() const { return toVector<float>(*this, "<f4"); }
std::vector<std::int64_t> NpyArray::toInt64() const { return toVector<std::int64_t>(*this, "<i8"); }
std::vector<std::uint64_t> NpyArray::toUint64() const { return toVector<std::uint64_t>(*this, "<u8"); }
std::vector<std::int32_t> NpyArray::toInt32() const { return toVector<std::int32_t>(*this, "<i4"); }

std::string NpyArray::toString() const {
    const std::size_t item = itemSize();
    if (dtype.size() < 3 || dtype[0] != '<' || dtype[1] != 'U' || item == 0)
        throw Error("Array '" + name + "' has dtype '" + dtype + "', expected a unicode string ('<U').");
    if (!shape.empty()) throw Error("Array '" + name + "' has shape " + shapeText(shape) + ", expected a single string.");
    if (data.size() != item) throw Error("Array '" + name + "' holds " + std::to_string(data.size()) + " bytes, expected " + std::to_string(item) + ".");
    std::string out;
    std::size_t end = item / 4;
    auto cpAt = [&](std::size_t k) {
        std::uint32_t cp = 0;
        std::memcpy(&cp, data.data() + 4 * k, 4);
        return cp;
    };
    while (end > 0 && cpAt(end - 1) == 0) --end;  // numpy strips trailing NULs too
    for (std::size_t k = 0; k < end; ++k) {
        const std::uint32_t cp = cpAt(k);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            throw Error("Array '" + name + "' holds an invalid code point.");
        appendUtf8(out, cp);
    }
    return out;
}

// ---------------------------------------------------------------- .npy

std::vector<std::uint8_t> encodeNpy(const NpyArray& a) {
    const std::size_t item = a.itemSize();
    if (item == 0) throw Error("Cannot encode array '" + a.name + "': dtype '" + a.dtype + "' is not supported.");
    if (a.data.size() != a.elementCount() * item)
        throw Error("Cannot encode array '" + a.name + "': shape " + shapeText(a.shape) + " needs " +
                    std::to_string(a.elementCount() * item) + " bytes but it holds " + std::to_string(a.data.size()) + ".");
    std::string header = "{'descr': '" + a.dtype + "', 'fortran_order': False, 'shape': " + shapeText(a.shape) + ", }";
    // magic(6) + version(2) + length(2) + header + '\n' is a multiple of 64
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    if (header.size() > 65535) throw Error("Cannot encode array '" + a.name + "': its header is too long.");
    std::string prefix(kMagic, kMagicLen);
    prefix += '\x01';  // format version 1.0
    prefix += '\x00';
    prefix += static_cast<char>(header.size() & 0xFF);
    prefix += static_cast<char>(header.size() >> 8);
    prefix += header;
    std::vector<std::uint8_t> out(prefix.size() + a.data.size());
    std::memcpy(out.data(), prefix.data(), prefix.size());
    if (!a.data.empty()) std::memcpy(out.data() + prefix.size(), a.data.data(), a.data.size());
    return out;
}

NpyArray decodeNpy(const std::uint8_t* data, std::size_t size, const std::string& name) {
    try {
        return decode(data, size, name);
    } catch (const Problem& p) {
        throw Error("Cannot decode '" + name + "': " + p.reason + ".");
    }
}

// ---------------------------------------------------------------- .npz

void writeFileAtomically(const std::string& path, const std::string& bytes) {
    const std::string temp = tempNameFor(path);
    try {
        writeAllTo(temp, bytes.data(), bytes.size());
        commitTemp(temp, path);
    } catch (const Problem& p) {
        throw Error("Cannot save '" + path + "': " + p.reason + ".");
    }
}

void writeNpz(const std::string& path, const std::vector<NpyArray>& arrays) {
    std::vector<std::vector<std::uint8_t>> encoded;
    std::set<std::string> names;
    encoded.reserve(arrays.size());
    for (const NpyArray& a : arrays) {
        if (a.name.empty()) throw Error("Cannot save '" + path + "': an array has no name.");
        if (!names.insert(a.name).second) throw Error("Cannot save '" + path + "': array '" + a.name + "' appears twice.");
        encoded.push_back(encodeNpy(a));
    }
    if (arrays.empty()) {
        // libzip writes no file at all for an empty archive; this is the 22-byte empty zip.
        writeFileAtomically(path, std::string("PK\x05\x06", 4) + std::string(18, '\0'));
        return;
    }

    const std::string temp = tempNameFor(path);
    try {
        int code = 0;
        ZipPtr za(zip_open(temp.c_str(), ZIP_CREATE | ZIP_EXCL, &code));
        if (!za) problem("cannot create a temporary file beside it (" + zipErrorText(code) + ")");
        for (std::size_t i = 0; i < arrays.size(); ++i) {
            zip_source_t* src = zip_source_buffer(za.get(), encoded[i].data(), encoded[i].size(), 0);
            if (!src) problem(std::string("cannot add array '") + arrays[i].name + "' (" + zip_strerror(za.get()) + ")");
            const std::string entry = arrays[i].name + ".npy";
            const zip_int64_t idx = zip_file_add(za.get(), entry.c_str(), src, ZIP_FL_ENC_UTF_8);
            if (idx < 0) {
                zip_source_free(src);
                problem(std::string("cannot add array '") + arrays[i].name + "' (" + zip_strerror(za.get()) + ")");
            }
            // Stored, like numpy.savez: fast, and numpy can memory-map nothing else anyway.
            zip_set_file_compression(za.get(), static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
        }
        if (zip_close(za.get()) != 0) problem(std::string("cannot write (") + zip_strerror(za.get()) + ")");
        za.release();  // zip_close freed it
        commitTemp(temp, path);
    } catch (const Problem& p) {
        ::unlink(temp.c_str());
        throw Error("Cannot save '" + path + "': " + p.reason + ".");
    }
}

namespace {

std::vector<NpyArray> readFile(const std::string& path, const std::string* onlyName) {
    try {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) problem(errno == ENOENT ? "no such file" : errnoText(errno));
        if (S_ISDIR(st.st_mode)) problem("it is a folder, not a file");
        if (st.st_size == 0) problem("the file is empty");
        int code = 0;
        ZipPtr za(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
        if (!za) problem(openErrorReason(code));
        return readArchive(za.get(), static_cast<std::uint64_t>(st.st_size), onlyName);
    } catch (const Problem& p) {
        throw Error("Cannot read '" + path + "': " + p.reason + ".");
    }
}

}  // namespace

std::vector<NpyArray> readNpz(const std::string& path) { return readFile(path, nullptr); }

std::optional<NpyArray> readNpzArray(const std::string& path, const std::string& arrayName) {
    std::vector<NpyArray> found = readFile(path, &arrayName);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<NpyArray> readNpzFromMemory(const std::uint8_t* data, std::size_t size, const std::string& name) {
    try {
        if (size == 0) problem("the data is empty");
        zip_error_t err;
        zip_error_init(&err);
        zip_source_t* src = zip_source_buffer_create(data, size, 0, &err);
        if (!src) {
            const std::string why = zip_error_strerror(&err);
            zip_error_fini(&err);
            problem(why);
        }
        ZipPtr za(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
        if (!za) {
            zip_source_free(src);
            const int code = zip_error_code_zip(&err);
            zip_error_fini(&err);
            problem(openErrorReason(code));
        }
        zip_error_fini(&err);
        return readArchive(za.get(), size, nullptr);
    } catch (const Problem& p) {
        throw Error("Cannot read '" + name + "': " + p.reason + ".");
    }
}

std::string shapeText(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

}  // namespace rbm
