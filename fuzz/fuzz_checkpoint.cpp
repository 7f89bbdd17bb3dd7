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
#include "fuzz_support.h"
#include "rbm/npz.h"

const char* const fuzzing::kTarget = "fuzz_checkpoint";

namespace {

using fuzzing::fail;
using fuzzing::scratchPath;
using fuzzing::writeFile;
using fuzzing::zipEntries;

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
