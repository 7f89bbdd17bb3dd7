#include "rbm/npy.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "rbm/utf8.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "npy.cpp copies little-endian .npy payloads with memcpy");

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

/// `size` is the whole array's size; only the header needs to be among the `available` bytes.
NpyHeader decodeHeader(const std::uint8_t* data, std::size_t available, std::size_t size, const std::string& name) {
    if (available < kMagicLen + 4 || std::memcmp(data, kMagic, kMagicLen) != 0)
        problem("array '" + name + "' is not a .npy array (bad magic)");
    const int major = data[6];
    std::size_t headerLen = 0, prefix = 0;
    if (major == 1) {
        headerLen = std::size_t(data[8]) | (std::size_t(data[9]) << 8);
        prefix = 10;
    } else if (major == 2 || major == 3) {
        if (available < 12) problem("array '" + name + "' is truncated");
        headerLen = std::size_t(data[8]) | (std::size_t(data[9]) << 8) | (std::size_t(data[10]) << 16) |
                    (std::size_t(data[11]) << 24);
        prefix = 12;
    } else {
        problem("array '" + name + "' uses .npy format version " + std::to_string(major) + ", which is not supported");
    }
    if (headerLen > kMaxHeaderLen) problem("array '" + name + "' has an oversized header");
    if (headerLen > available - prefix || headerLen > size - prefix)
        problem("array '" + name + "' is truncated inside its header");

    NpyHeader h;
    bool fortran = false;
    try {
        HeaderParser(reinterpret_cast<const char*>(data + prefix), headerLen).parse(h.dtype, fortran, h.shape);
    } catch (const Problem& p) {
        problem("array '" + name + "': " + p.reason);
    }
    if (fortran) problem("array '" + name + "' is stored in Fortran order, which is not supported (save np.ascontiguousarray(...) of it instead)");
    const std::size_t item = dtypeItemSize(h.dtype);
    if (item == 0) problem("array '" + name + "' has dtype '" + h.dtype + "', which is not supported");
    std::size_t count = 0;
    const std::size_t payload = size - prefix - headerLen;
    if (!checkedCount(h.shape, count) || count > std::numeric_limits<std::size_t>::max() / item ||
        count * item != payload)
        problem("array '" + name + "' has shape " + shapeText(h.shape) + " and dtype '" + h.dtype + "' but holds " +
                std::to_string(payload) + " bytes");
    h.headerBytes = prefix + headerLen;
    h.payloadBytes = payload;
    return h;
}

NpyArray decode(const std::uint8_t* data, std::size_t size, const std::string& name) {
    NpyHeader h = decodeHeader(data, size, size, name);
    NpyArray a;
    a.name = name;
    a.dtype = std::move(h.dtype);
    a.shape = std::move(h.shape);
    a.data.assign(data + h.headerBytes, data + size);
    return a;
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
    std::vector<std::uint32_t> cps = decodeUtf8(utf8);
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

NpyHeader parseNpyHeader(const std::uint8_t* data, std::size_t available, std::size_t totalSize,
                         const std::string& name) {
    try {
        return decodeHeader(data, std::min(available, totalSize), totalSize, name);
    } catch (const Problem& p) {
        throw Error(p.reason);
    }
}

NpyArray parseNpy(const std::uint8_t* data, std::size_t size, const std::string& name) {
    try {
        return decode(data, size, name);
    } catch (const Problem& p) {
        throw Error(p.reason);
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
