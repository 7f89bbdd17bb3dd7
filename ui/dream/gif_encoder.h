#pragma once
/// An animated GIF of grey frames, encoded in memory with giflib: one global palette of 256
/// greys, a delay per frame, the NETSCAPE2.0 loop extension (0 = repeat forever). Writing the
/// bytes to a file is saveFileAtomically's job (save_file.h).
#include <QByteArray>
#include <QString>
#include <cstdint>
#include <vector>

struct GifFileType;  // giflib's handle; gif_lib.h stays out of this header

namespace studio {

class GifEncoder {
public:
    GifEncoder(int width, int height, int loops = 0);
    ~GifEncoder();
    GifEncoder(const GifEncoder&) = delete;
    GifEncoder& operator=(const GifEncoder&) = delete;

    /// `gray` holds width*height bytes, row-major (0 black .. 255 white); delay in 1/100 s.
    /// False (and every later call too) if giflib failed; errorString() says why.
    bool addFrame(const std::uint8_t* gray, int delayCentiseconds);
    int frames() const { return frames_; }
    /// Ends the animation and returns the whole file; empty if anything failed.
    QByteArray finish();
    const QString& errorString() const { return error_; }

private:
    bool fail(int gifError);
    static int append(GifFileType* gif, const unsigned char* bytes, int length);

    GifFileType* gif_ = nullptr;
    int width_, height_;
    int frames_ = 0;
    QByteArray bytes_;
    std::vector<unsigned char> line_;  ///< giflib's EGifPutLine takes a writable row
    QString error_;
};

}  // namespace studio
