#include "rbm/gzip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>

#include "rbm/types.h"

namespace rbm {
namespace {

// Deflate cannot expand by more than about 1032:1, so a size hint above that is a lie.
constexpr std::uint64_t kMaxDeflateRatio = 1032;
// After the wanted prefix, how much more output is inflated (and dropped) looking for the end
// of the stream, where the CRC is checked.
constexpr std::size_t kTailBudget = 1 << 16;

struct InflateGuard {
    z_stream* zs;
    ~InflateGuard() { inflateEnd(zs); }
};

/// Inflates into at most `limit` bytes. Past the limit, `refuse` throws; otherwise up to
/// kTailBudget more bytes are inflated into a scratch buffer and dropped.
std::vector<std::uint8_t> inflateBounded(const std::uint8_t* data, std::size_t size, const std::string& name,
                                         std::size_t maxOutput, bool refuse) {
    // The trailer's ISIZE (uncompressed size mod 2^32) is only a hint: it comes from the file,
    // so it is capped by what deflate can possibly expand this input to, and by maxOutput.
    std::uint64_t hint = 1 << 16;
    if (size >= 18) {
        const std::uint8_t* t = data + size - 4;
        hint = std::uint64_t(t[0]) | (std::uint64_t(t[1]) << 8) | (std::uint64_t(t[2]) << 16) |
               (std::uint64_t(t[3]) << 24);
    }
    hint = std::min<std::uint64_t>({hint, std::uint64_t(size) * kMaxDeflateRatio + 1024, std::uint64_t(maxOutput)});
    // Refusing: one byte more than allowed, to tell "exactly maxOutput" from "more".
    const std::uint64_t limit = refuse ? std::uint64_t(maxOutput) + 1 : std::uint64_t(maxOutput);

    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error(name + ": cannot start the gzip decoder");
    InflateGuard guard{&zs};

    std::vector<std::uint8_t> out(std::size_t(std::max<std::uint64_t>(hint, 1)));
    std::array<std::uint8_t, 4096> scratch;
    std::size_t inPos = 0, outPos = 0, dropped = 0;
    for (;;) {
        const bool full = outPos == out.size() && out.size() >= limit;
        if (full && refuse)
            throw Error(name + ": decompresses to more than " + std::to_string(maxOutput) +
                        " bytes, more than this loader accepts");
        if (full && dropped >= kTailBudget) break;  // more than wanted: the rest is ignored
        if (outPos == out.size() && !full) {
            const std::uint64_t grown =
                std::min<std::uint64_t>(std::max<std::uint64_t>(std::uint64_t(out.size()) * 2, 1 << 16), limit);
            out.resize(std::size_t(grown));
        }
        const std::size_t inChunk = std::min<std::size_t>(size - inPos, UINT_MAX);
        std::uint8_t* target = full ? scratch.data() : out.data() + outPos;
        const std::size_t outChunk = full ? scratch.size() : std::min<std::size_t>(out.size() - outPos, UINT_MAX);
        zs.next_in = const_cast<Bytef*>(data + inPos);
        zs.avail_in = uInt(inChunk);
        zs.next_out = target;
        zs.avail_out = uInt(outChunk);
        const int ret = inflate(&zs, Z_NO_FLUSH);
        inPos += inChunk - zs.avail_in;
        (full ? dropped : outPos) += outChunk - zs.avail_out;
        if (ret == Z_STREAM_END) break;  // a second concatenated member or trailing bytes are ignored
        if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_STREAM_ERROR)
            throw Error(name + ": the gzip data is corrupt (" + (zs.msg ? zs.msg : "invalid deflate stream") + ")");
        if (ret == Z_MEM_ERROR) throw Error(name + ": out of memory while decompressing");
        // Z_OK or Z_BUF_ERROR: either the output is full (grow it) or the input ran out.
        if (zs.avail_out > 0 && inPos == size) {
            if (full) break;  // the wanted bytes are all there; only the unchecked tail is cut
            throw Error(name + ": the gzip data is truncated (the stream ends after " + std::to_string(size) +
                        " compressed bytes, " + std::to_string(outPos) + " bytes decompressed)");
        }
    }
    if (refuse && outPos > maxOutput)
        throw Error(name + ": decompresses to more than " + std::to_string(maxOutput) +
                    " bytes, more than this loader accepts");
    out.resize(outPos);
    out.shrink_to_fit();
    return out;
}

}  // namespace

bool isGzip(const std::uint8_t* data, std::size_t size) { return size >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

std::vector<std::uint8_t> maybeGunzip(const std::uint8_t* data, std::size_t size, const std::string& name,
                                      std::size_t maxOutput) {
    if (!isGzip(data, size)) return std::vector<std::uint8_t>(data, data + size);
    return inflateBounded(data, size, name, maxOutput, true);
}

std::vector<std::uint8_t> gunzipPrefix(const std::uint8_t* data, std::size_t size, const std::string& name,
                                       std::size_t wanted) {
    return inflateBounded(data, size, name, wanted, false);
}

}  // namespace rbm
