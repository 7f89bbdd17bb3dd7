#include "dream/gif_writer.h"

#include <fstream>

namespace studio {

namespace {

void put16(std::vector<std::uint8_t>& out, int v) {
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
    out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xff));
}

/// Codes are packed least-significant bit first.
class BitSink {
public:
    explicit BitSink(std::vector<std::uint8_t>& out) : out_(out) {}
    void write(int code, int bits) {
        acc_ |= static_cast<std::uint32_t>(code) << nbits_;
        nbits_ += bits;
        while (nbits_ >= 8) {
            out_.push_back(static_cast<std::uint8_t>(acc_ & 0xff));
            acc_ >>= 8;
            nbits_ -= 8;
        }
    }
    void flush() {
        if (nbits_ > 0) out_.push_back(static_cast<std::uint8_t>(acc_ & 0xff));
        acc_ = 0;
        nbits_ = 0;
    }

private:
    std::vector<std::uint8_t>& out_;
    std::uint32_t acc_ = 0;
    int nbits_ = 0;
};

}  // namespace

GifWriter::GifWriter(int width, int height, int loops) : width_(width), height_(height), loops_(loops) {}

std::vector<std::uint8_t> GifWriter::lzwEncode(const std::uint8_t* indices, std::size_t count, int minCodeSize) {
    std::vector<std::uint8_t> out;
    const int clearCode = 1 << minCodeSize;
    const int alphabet = clearCode;
    // next[code * alphabet + symbol] = code of (string(code) + symbol), or 0 if absent
    // (0 is never a valid extension code since extensions start at clearCode + 2).
    std::vector<std::uint16_t> next(static_cast<std::size_t>(4096) * static_cast<std::size_t>(alphabet), 0);
    BitSink sink(out);
    int codeSize = minCodeSize + 1;
    int maxCode = clearCode + 1;  // the end-of-information code; extensions follow
    sink.write(clearCode, codeSize);
    if (count == 0) {
        sink.write(clearCode + 1, codeSize);
        sink.flush();
        return out;
    }
    int cur = indices[0];
    for (std::size_t i = 1; i < count; ++i) {
        const int k = indices[i];
        const std::size_t slot = static_cast<std::size_t>(cur) * static_cast<std::size_t>(alphabet) + static_cast<std::size_t>(k);
        if (next[slot] != 0) {
            cur = next[slot];
            continue;
        }
        sink.write(cur, codeSize);
        ++maxCode;
        next[slot] = static_cast<std::uint16_t>(maxCode);
        // The decoder adds this entry one code later and widens its codes as soon as its next
        // free code no longer fits; widen here at the same moment.
        if (maxCode >= (1 << codeSize)) ++codeSize;
        if (maxCode >= 4095) {
            // Table full: the decoder's width is 12 bits now; reset both sides.
            sink.write(clearCode, codeSize);
            std::fill(next.begin(), next.end(), 0);
            codeSize = minCodeSize + 1;
            maxCode = clearCode + 1;
        }
        cur = k;
    }
    sink.write(cur, codeSize);
    // The decoder will add one more entry after reading `cur` (unless it just saw a clear) and
    // may widen before reading the end code.
    if (maxCode > clearCode + 1 && maxCode + 1 >= (1 << codeSize) && codeSize < 12) ++codeSize;
    sink.write(clearCode + 1, codeSize);
    sink.flush();
    return out;
}

void GifWriter::addFrame(const std::uint8_t* gray, int delayCentiseconds) {
    // Graphic control extension: disposal "do not dispose", the delay, no transparency.
    body_.insert(body_.end(), {0x21, 0xF9, 0x04, 0x04});
    put16(body_, delayCentiseconds);
    body_.insert(body_.end(), {0x00, 0x00});
    // Image descriptor: whole screen, no local colour table, not interlaced.
    body_.push_back(0x2C);
    put16(body_, 0);
    put16(body_, 0);
    put16(body_, width_);
    put16(body_, height_);
    body_.push_back(0x00);
    body_.push_back(8);  // LZW minimum code size
    const std::vector<std::uint8_t> data =
        lzwEncode(gray, static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), 8);
    for (std::size_t i = 0; i < data.size(); i += 255) {
        const std::size_t n = std::min<std::size_t>(255, data.size() - i);
        body_.push_back(static_cast<std::uint8_t>(n));
        body_.insert(body_.end(), data.begin() + static_cast<std::ptrdiff_t>(i), data.begin() + static_cast<std::ptrdiff_t>(i + n));
    }
    body_.push_back(0x00);
    ++frames_;
}

std::vector<std::uint8_t> GifWriter::bytes() const {
    std::vector<std::uint8_t> out = {'G', 'I', 'F', '8', '9', 'a'};
    put16(out, width_);
    put16(out, height_);
    out.insert(out.end(), {0xF7, 0x00, 0x00});  // global 256-entry table, 8-bit colour resolution
    for (int i = 0; i < 256; ++i) out.insert(out.end(), {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i)});
    out.insert(out.end(), {0x21, 0xFF, 0x0B, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0', 0x03, 0x01});
    put16(out, loops_);
    out.push_back(0x00);
    out.insert(out.end(), body_.begin(), body_.end());
    out.push_back(0x3B);
    return out;
}

bool GifWriter::save(const std::string& path) const {
    const std::vector<std::uint8_t> b = bytes();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return false;
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return static_cast<bool>(f);
}

}  // namespace studio
