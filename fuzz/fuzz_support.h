#pragma once
// What the fuzz targets share: scratch files (in /dev/shm when it is there) and the entry form
// of an .npz, "<name>:<content>" joined by "|npy|", zipped here with correct CRCs (libzip,
// stored like numpy.savez) so that mutations reach past the zip CRC into the arrays. Content
// that does not start with the .npy magic is UTF-8 text, stored as a 0-d unicode array (how
// 'meta', 'config' and a session's 'session' are stored), so the fuzzer mutates JSON directly.
#include <unistd.h>
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "rbm/npy.h"

namespace fuzzing {

/// The target's name, for fail()'s message (each target defines it).
extern const char* const kTarget;

[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "%s: invariant broken: %s\n", kTarget, what.c_str());
    std::abort();
}

inline std::string scratchPath(const char* tag) {
    static const std::string dir = [] {
        if (::access("/dev/shm", W_OK) == 0) return std::string("/dev/shm");
        const char* t = std::getenv("TMPDIR");
        return std::string(t && *t ? t : "/tmp");
    }();
    return dir + "/rbm-fuzz-" + std::to_string(::getpid()) + "-" + tag + ".npz";
}

inline void writeFile(const std::string& path, const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) fail("cannot create " + path);
    if (size && std::fwrite(data, 1, size, f) != size) fail("cannot write " + path);
    std::fclose(f);
}

/// Splits "<name>:<npy>|npy|<name>:<npy>..." and zips the entries into `path`.
/// False if the input holds no entry at all.
inline bool zipEntries(const std::uint8_t* data, std::size_t size, const std::string& path) {
    static const std::string sep = "|npy|";
    const std::string in(reinterpret_cast<const char*>(data), size);
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::size_t pos = 0; pos <= in.size();) {
        std::size_t end = in.find(sep, pos);
        if (end == std::string::npos) end = in.size();
        const std::string part = in.substr(pos, end - pos);
        const std::size_t colon = part.find(':');
        if (colon != std::string::npos && colon > 0 && colon < 64 && part.find('\0') > colon &&
            part.find('/') > colon)
        {
            std::string content = part.substr(colon + 1);
            // Text that is not .npy becomes a 0-d unicode array (how meta and config are
            // stored), so mutations of the JSON inside keep the array well-formed.
            if (content.compare(0, 6, "\x93NUMPY") != 0) {
                const std::vector<std::uint8_t> npy = rbm::encodeNpy(rbm::NpyArray::fromString("text", content));
                content.assign(npy.begin(), npy.end());
            }
            entries.emplace_back(part.substr(0, colon) + ".npy", std::move(content));
        }
        pos = end + sep.size();
    }
    if (entries.empty()) return false;
    ::unlink(path.c_str());
    int code = 0;
    zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!za) fail("zip_open failed for " + path);
    for (const auto& e : entries) {
        zip_source_t* src = zip_source_buffer(za, e.second.data(), e.second.size(), 0);
        if (!src) fail("zip_source_buffer failed");
        // A duplicate name is refused by libzip here; the reader's own check is fuzzed in
        // the "PK" form.
        const zip_int64_t idx = zip_file_add(za, e.first.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(src);
            continue;
        }
        zip_set_file_compression(za, zip_uint64_t(idx), ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0) {
        zip_discard(za);
        return false;  // e.g. no entry was added
    }
    return true;
}

}  // namespace fuzzing
