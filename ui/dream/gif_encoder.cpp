#include "dream/gif_encoder.h"

#include <gif_lib.h>

#include <algorithm>

namespace studio {

GifEncoder::GifEncoder(int width, int height, int loops)
    : width_(std::max(1, width)), height_(std::max(1, height)), line_(static_cast<std::size_t>(width_)) {
    int err = 0;
    gif_ = EGifOpen(this, &GifEncoder::append, &err);
    if (!gif_) {
        fail(err);
        return;
    }
    EGifSetGifVersion(gif_, true);  // GIF89a: delays and the loop extension
    GifColorType greys[256];
    for (int i = 0; i < 256; ++i) {
        const auto g = static_cast<GifByteType>(i);
        greys[i] = GifColorType{g, g, g};
    }
    ColorMapObject* palette = GifMakeMapObject(256, greys);
    if (!palette) {
        fail(E_GIF_ERR_NOT_ENOUGH_MEM);
        return;
    }
    const int put = EGifPutScreenDesc(gif_, width_, height_, 8, 0, palette);  // copies the palette
    GifFreeMapObject(palette);
    if (put == GIF_ERROR) {
        fail(gif_->Error);
        return;
    }
    const unsigned char loop[3] = {1, static_cast<unsigned char>(loops & 0xff), static_cast<unsigned char>((loops >> 8) & 0xff)};
    if (EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(gif_, 11, "NETSCAPE2.0") == GIF_ERROR ||
        EGifPutExtensionBlock(gif_, 3, loop) == GIF_ERROR || EGifPutExtensionTrailer(gif_) == GIF_ERROR)
        fail(gif_->Error);
}

GifEncoder::~GifEncoder() {
    if (gif_) EGifCloseFile(gif_, nullptr);
}

int GifEncoder::append(GifFileType* gif, const unsigned char* bytes, int length) {
    static_cast<GifEncoder*>(gif->UserData)->bytes_.append(reinterpret_cast<const char*>(bytes), length);
    return length;
}

bool GifEncoder::fail(int gifError) {
    if (error_.isEmpty()) error_ = QStringLiteral("GIF encoding failed (%1)").arg(QString::fromUtf8(GifErrorString(gifError)));
    return false;
}

bool GifEncoder::addFrame(const std::uint8_t* gray, int delayCentiseconds) {
    if (!error_.isEmpty() || !gif_) return false;
    GraphicsControlBlock gcb{};
    gcb.DisposalMode = DISPOSE_DO_NOT;  // every frame covers the whole screen
    gcb.UserInputFlag = false;
    gcb.DelayTime = std::clamp(delayCentiseconds, 0, 65535);
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType ext[4];
    const auto extLength = static_cast<int>(EGifGCBToExtension(&gcb, ext));
    if (EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, extLength, ext) == GIF_ERROR ||
        EGifPutImageDesc(gif_, 0, 0, width_, height_, false, nullptr) == GIF_ERROR)
        return fail(gif_->Error);
    for (int y = 0; y < height_; ++y) {
        const std::uint8_t* row = gray + static_cast<std::ptrdiff_t>(y) * width_;
        std::copy(row, row + width_, line_.begin());
        if (EGifPutLine(gif_, line_.data(), width_) == GIF_ERROR) return fail(gif_->Error);
    }
    ++frames_;
    return true;
}

QByteArray GifEncoder::finish() {
    if (!gif_) return {};
    int err = 0;
    const int closed = EGifCloseFile(gif_, &err);  // writes the trailer; frees the handle either way
    gif_ = nullptr;
    if (closed == GIF_ERROR) fail(err);
    return error_.isEmpty() ? bytes_ : QByteArray();
}

}  // namespace studio
