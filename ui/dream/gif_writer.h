#pragma once
/// A small animated-GIF (GIF89a) encoder for grayscale frames: one global 256-level grey
/// palette, LZW-compressed frames (variable code width 9..12 bits, clear code when the table is
/// full), a per-frame delay and the NETSCAPE2.0 loop extension. Plain C++; no Qt.
#include <cstdint>
#include <string>
#include <vector>

namespace studio {

class GifWriter {
public:
    /// loops = 0: repeat forever.
    GifWriter(int width, int height, int loops = 0);

    /// `gray` holds width*height bytes, row-major (0 black .. 255 white); delay in 1/100 s.
    void addFrame(const std::uint8_t* gray, int delayCentiseconds);
    int frames() const { return frames_; }

    /// The complete file (header, frames, trailer). The writer can keep adding afterwards.
    std::vector<std::uint8_t> bytes() const;
    /// Writes bytes() to `path`; returns false if the file cannot be written.
    bool save(const std::string& path) const;

    /// LZW-compress indices with GIF's variable-width codes (exposed for tests).
    static std::vector<std::uint8_t> lzwEncode(const std::uint8_t* indices, std::size_t count, int minCodeSize = 8);

private:
    int width_, height_, loops_;
    int frames_ = 0;
    std::vector<std::uint8_t> body_;  ///< everything between the header and the trailer
};

}  // namespace studio
