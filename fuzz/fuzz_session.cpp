// libFuzzer target: session files (.rbmsession) as a mailed or damaged file reaches
// rbm::loadSession, and the lazy archive reader (rbm::NpzReader) beneath it.
//
// Two input forms (fuzz_support.h):
//   - bytes starting with "PK": a whole archive. NpzReader over the bytes lists the entries,
//     reads each one's header and then the array, which must agree with its header; the same
//     bytes as a file go through loadSession;
//   - anything else: entries "<name>:<content>" joined by "|npy|" ("session:" followed by the
//     settings' JSON as text, "model_0:" followed by .npy bytes...), zipped, then loadSession.
// Every input must load or throw rbm::Error. A session that loads must be consistent (the
// models and the dream fit its images, its inline images match its counts) and must save and
// load back with the same settings, dataset and models.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "rbm/npz.h"
#include "rbm/session_file.h"

const char* const fuzzing::kTarget = "fuzz_session";

namespace {

using fuzzing::fail;

/// Every entry of the archive through the lazy reader: header first, then the array.
void readLazily(const std::uint8_t* data, std::size_t size) {
    try {
        rbm::NpzReader reader(data, size, "fuzz-input");
        for (const std::string& name : reader.names()) {
            std::optional<rbm::NpyHeader> h;
            try {
                h = reader.header(name);
            } catch (const rbm::Error&) {
                continue;  // a bad entry among good ones: the others still read
            }
            if (!h) fail("a listed entry has no header: " + name);
            std::optional<rbm::NpyArray> a;
            try {
                a = reader.read(name);
            } catch (const rbm::Error&) {
                continue;  // a header that reads, with data that does not (CRC, truncation)
            }
            if (!a) fail("a listed entry does not read: " + name);
            if (a->dtype != h->dtype || a->shape != h->shape) fail("the array of '" + name + "' disagrees with its header");
            if (a->data.size() != h->payloadBytes || a->data.size() != a->elementCount() * a->itemSize())
                fail("the size of '" + name + "' disagrees with its header");
        }
    } catch (const rbm::Error&) {
    }
}

void checkLoaded(const rbm::Session& s) {
    const rbm::SessionDataset& d = s.dataset;
    if (d.rows < 1 || d.cols < 1) fail("a dataset without pixels loaded");
    const int nVisible = d.rows * d.cols;
    for (const rbm::SessionModel& m : s.models)
        if (m.checkpoint.model.nVisible() != nVisible) fail("a model that does not fit the images loaded");
    if (s.dream) {
        const std::size_t n = std::size_t(s.dream->rows) * std::size_t(s.dream->cols);
        if (s.dream->rows != d.rows || s.dream->cols != d.cols || s.dream->drawing.size() != n) fail("a dream off the images loaded");
        if (!s.dream->clampMask.empty() && s.dream->clampMask.size() != n) fail("a clamp mask off the drawing loaded");
    }
    if (d.kind == rbm::SessionDataset::Kind::Inline) {
        if (!d.data) fail("an inline dataset without images loaded");
        const rbm::Dataset& train = d.data->train;
        if (train.count != d.trainCount || train.pixels.size() != train.count * std::size_t(nVisible))
            fail("inline images that disagree with their counts loaded");
        try {
            if (rbm::resolveSessionDataset(d).train.count != d.trainCount) fail("the inline dataset resolves to other images");
        } catch (const rbm::Error& e) {
            fail(std::string("a loaded inline dataset does not resolve: ") + e.what());
        }
    }
    // What opens can be saved, and opens again the same.
    const std::string again = fuzzing::scratchPath("resaved");
    try {
        rbm::saveSession(again, s);
    } catch (const rbm::Error& e) {
        fail(std::string("a loaded session cannot be saved: ") + e.what());
    }
    rbm::Session back;
    try {
        back = rbm::loadSession(again);
    } catch (const rbm::Error& e) {
        fail(std::string("a re-saved session does not open: ") + e.what());
    }
    ::unlink(again.c_str());
    if (back.models.size() != s.models.size() || back.dataset.fingerprint != d.fingerprint || back.dataset.kind != d.kind ||
        back.config.hidden != s.config.hidden || back.config.seed != s.config.seed || back.dream.has_value() != s.dream.has_value())
        fail("a re-saved session differs");
    for (std::size_t i = 0; i < s.models.size(); ++i)
        if (back.models[i].checkpoint.model.W != s.models[i].checkpoint.model.W) fail("a re-saved model differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = fuzzing::scratchPath("session");
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        readLazily(data, size);
        fuzzing::writeFile(path, data, size);
    } else if (!fuzzing::zipEntries(data, size, path)) {
        return 0;
    }
    try {
        checkLoaded(rbm::loadSession(path));
    } catch (const rbm::Error&) {
    }
    ::unlink(path.c_str());
    return 0;
}
