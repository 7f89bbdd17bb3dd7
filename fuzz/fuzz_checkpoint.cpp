// libFuzzer target: .npz checkpoints as a downloaded or damaged file reaches the loader.
//
// Two input forms, so that mutations reach past the zip CRC into the arrays and the
// checkpoint validation:
//   - bytes starting with "PK": a whole .npz archive, read by rbm::readNpzFromMemory; if it
//     reads, the same bytes are loaded from a file with loadCheckpoint / readCheckpointInfo;
//   - anything else: entries "<name>:<.npy bytes>" separated by "|npy|", zipped here with
//     correct CRCs (libzip, stored like numpy.savez) and loaded with loadCheckpoint. An entry
//     whose bytes do not start with the .npy magic is UTF-8 text, stored as a 0-d unicode
//     array like 'meta' and 'config', so the fuzzer mutates their JSON directly.
// Every input must load or throw rbm::Error. Whatever loads must be internally consistent
// and must save and load again unchanged (anything the app opens, it can also save).
#include <unistd.h>
#include <zip.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/npz.h"

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_checkpoint: invariant broken: %s\n", what.c_str());
    std::abort();
}

std::string scratchPath(const char* tag) {
    static const std::string dir = [] {
        if (::access("/dev/shm", W_OK) == 0) return std::string("/dev/shm");
        const char* t = std::getenv("TMPDIR");
        return std::string(t && *t ? t : "/tmp");
    }();
    return dir + "/rbm-fuzz-" + std::to_string(::getpid()) + "-" + tag + ".npz";
}

void writeFile(const std::string& path, const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) fail("cannot create " + path);
    if (size && std::fwrite(data, 1, size, f) != size) fail("cannot write " + path);
    std::fclose(f);
}

/// Splits "<name>:<npy>|npy|<name>:<npy>..." and zips the entries into `path`.
/// False if the input holds no entry at all.
bool zipEntries(const std::uint8_t* data, std::size_t size, const std::string& path) {
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

template <typename M>
bool finite(const M& m) {
    for (Eigen::Index i = 0; i < m.size(); ++i)
        if (!std::isfinite(m.data()[i])) return false;
    return true;
}

void checkLoaded(const rbm::Checkpoint& c, const std::string& path) {
    const rbm::Rbm& m = c.model;
    if (m.nVisible() < 1 || m.nHidden() < 1) fail("a model without units loaded");
    if (m.visibleBias.size() != m.W.rows() || m.hiddenBias.size() != m.W.cols()) fail("bias sizes disagree with W");
    if (!finite(m.W) || !finite(m.visibleBias) || !finite(m.hiddenBias)) fail("non-finite parameters loaded");
    if (c.config.hidden != m.nHidden()) fail("config.hidden disagrees with W");
    if (c.state) {
        if (c.state->persistentChains.size() && c.state->persistentChains.cols() != m.nVisible())
            fail("persistent chains of the wrong width loaded");
        for (int g = 0; g < rbm::GroupCount; ++g) {
            const Eigen::Index n = g == rbm::GroupWeights ? m.W.size() : (g == rbm::GroupVisibleBias ? m.W.rows() : m.W.cols());
            if (c.state->optimizer.first[g].size() && c.state->optimizer.first[g].size() != n) fail("moment size");
            if (c.state->optimizer.second[g].size() && c.state->optimizer.second[g].size() != n) fail("moment size");
        }
    }
    // Anything that loads saves and loads back to the same parameters.
    const std::string again = scratchPath("resaved");
    try {
        rbm::saveCheckpoint(again, c);
    } catch (const rbm::Error& e) {
        fail(std::string("a loaded checkpoint cannot be saved: ") + e.what());
    }
    rbm::Checkpoint back;
    try {
        back = rbm::loadCheckpoint(again);
    } catch (const rbm::Error& e) {
        fail(std::string("a re-saved checkpoint does not load: ") + e.what());
    }
    ::unlink(again.c_str());
    if (back.model.W != m.W || back.model.visibleBias != m.visibleBias || back.model.hiddenBias != m.hiddenBias ||
        back.state.has_value() != c.state.has_value())
        fail("a re-saved checkpoint differs from " + path);
}

void loadFile(const std::string& path) {
    try {
        checkLoaded(rbm::loadCheckpoint(path), path);
    } catch (const rbm::Error&) {
    }
    try {
        const rbm::CheckpointInfo info = rbm::readCheckpointInfo(path);
        if (info.nVisible < 0 || info.nHidden < 0 || info.epoch < 0) fail("negative sizes in CheckpointInfo");
    } catch (const rbm::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = scratchPath("input");
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        try {
            const std::vector<rbm::NpyArray> arrays = rbm::readNpzFromMemory(data, size, "fuzz-input");
            for (const rbm::NpyArray& a : arrays) {
                const std::size_t item = a.itemSize();
                if (item == 0 || a.data.size() != a.elementCount() * item) fail("array size disagrees with its header");
            }
        } catch (const rbm::Error&) {
            return 0;
        }
        writeFile(path, data, size);
    } else if (!zipEntries(data, size, path)) {
        return 0;
    }
    loadFile(path);
    ::unlink(path.c_str());
    return 0;
}
