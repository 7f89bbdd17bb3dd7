#pragma once
/// UTF-8 <-> code points for numpy's '<U' (UTF-32) strings in .npz files. (JSON text is
/// encoded and validated by nlohmann-json.)
#include <cstdint>
#include <string>
#include <vector>

namespace rbm {

/// Appends code point `cp` (at most 0x10FFFF, not a surrogate: callers check) as UTF-8.
inline void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// The code points of `utf8`. A malformed byte (a Latin-1 file name, an overlong form, a
/// surrogate, a truncated sequence) becomes U+FFFD, so the result can always be stored.
inline std::vector<std::uint32_t> decodeUtf8(const std::string& utf8) {
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
                else cp = (cp << 6) | (s[i + k] & 0x3Fu);
            }
            if (ok && (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
            if (ok) len = 1 + extra;
            else cp = 0xFFFD;
        }
        cps.push_back(cp);
        i += len;
    }
    return cps;
}

}  // namespace rbm
