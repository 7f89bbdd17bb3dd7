// Writes the seed corpus of the fuzz targets with the project's own writers:
//   make_fuzz_corpus fuzz/corpus
// idx/: tiny IDX images and labels, raw and gzipped. checkpoint/: a tiny checkpoint with a full
// training state and a model-only one, each as a .npz and in fuzz_checkpoint's entry form.
// session/: a session with inline images, a model and a dream, and one of the embedded digits
// without a model, each as an .rbmsession and in the entry form.
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "rbm/checkpoint.h"
#include "rbm/npz.h"
#include "rbm/session_file.h"

namespace {

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(std::uint8_t(v >> s));
}

void writeRaw(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
        std::perror(path.c_str());
        std::exit(1);
    }
    std::fclose(f);
}

void writeGz(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    gzFile f = gzopen(path.c_str(), "wb9");
    if (!f || gzwrite(f, bytes.data(), unsigned(bytes.size())) != int(bytes.size())) {
        std::perror(path.c_str());
        std::exit(1);
    }
    gzclose(f);
}


/// The entry form of a .npz (fuzz_support.h): "<name>:<npy>" joined by "|npy|".
void writeEntries(const std::string& npz, const std::string& out) {
    std::vector<std::uint8_t> bytes;
    for (const rbm::NpyArray& a : rbm::readNpz(npz)) {
        if (!bytes.empty()) bytes.insert(bytes.end(), {'|', 'n', 'p', 'y', '|'});
        bytes.insert(bytes.end(), a.name.begin(), a.name.end());
        bytes.push_back(':');
        if (a.dtype.compare(0, 2, "<U") == 0) {
            const std::string text = a.toString();  // JSON as text (see fuzz_checkpoint.cpp)
            bytes.insert(bytes.end(), text.begin(), text.end());
            continue;
        }
        const std::vector<std::uint8_t> npy = rbm::encodeNpy(a);
        bytes.insert(bytes.end(), npy.begin(), npy.end());
    }
    writeRaw(out, bytes);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fuzz_corpus CORPUS_DIR\n");
        return 2;
    }
    const std::string dir = argv[1];

    // 3 images of 4x5 and their labels.
    std::vector<std::uint8_t> images;
    put32(images, 0x00000803);
    put32(images, 3);
    put32(images, 4);
    put32(images, 5);
    for (int i = 0; i < 3 * 4 * 5; ++i) images.push_back(std::uint8_t((i * 37) & 0xff));
    std::vector<std::uint8_t> labels;
    put32(labels, 0x00000801);
    put32(labels, 3);
    labels.insert(labels.end(), {7, 2, 1});
    writeRaw(dir + "/idx/tiny-images-idx3-ubyte", images);
    writeGz(dir + "/idx/tiny-images-idx3-ubyte.gz", images);
    writeRaw(dir + "/idx/tiny-labels-idx1-ubyte", labels);
    writeGz(dir + "/idx/tiny-labels-idx1-ubyte.gz", labels);

    // A 2x3-pixel model with 3 hidden units and a full PCD + Adam training state.
    rbm::Checkpoint c;
    c.model = rbm::Rbm(6, 3);
    for (Eigen::Index i = 0; i < c.model.W.size(); ++i) c.model.W.data()[i] = 0.01f * float(i) - 0.05f;
    c.model.visibleBias.setConstant(-0.5f);
    c.model.hiddenBias.setConstant(0.25f);
    c.model.imageRows = 2;
    c.model.imageCols = 3;
    c.config.hidden = 3;
    c.config.algorithm = rbm::Algorithm::PCD;
    c.config.optimizer.kind = rbm::OptimizerKind::Adam;
    c.datasetName = "tiny";
    rbm::EpochMetrics m;
    m.epoch = 2;
    m.trainMse = 0.1;
    m.deadUnits = 1;
    m.hasTest = true;
    c.metrics = m;
    rbm::TrainerState s;
    s.counters.epoch = 2;
    s.counters.batchInEpoch = 1;
    s.counters.positionInEpoch = 2;
    s.counters.totalBatches = 9;
    s.counters.samplesSeen = 27;
    for (int g = 0; g < rbm::GroupCount; ++g) {
        const Eigen::Index n = g == rbm::GroupWeights ? 18 : (g == rbm::GroupVisibleBias ? 6 : 3);
        s.optimizer.first[g] = rbm::Vector::Constant(n, 0.01f);
        s.optimizer.second[g] = rbm::Vector::Constant(n, 0.001f);
    }
    s.optimizer.steps = 9;
    s.persistentChains = rbm::Matrix::Zero(2, 6);
    s.rng = {1, 2, 3, 4};
    s.chainRng = {5, 6, 7, 8};
    s.order = {2, 0, 1};
    s.hiddenActivityEstimate = rbm::Vector::Constant(3, 0.1f);
    c.state = s;
    rbm::saveCheckpoint(dir + "/checkpoint/full-state.npz", c);
    writeEntries(dir + "/checkpoint/full-state.npz", dir + "/checkpoint/full-state.entries");

    rbm::Checkpoint modelOnly = c;
    modelOnly.state.reset();
    modelOnly.metrics.reset();
    rbm::saveCheckpoint(dir + "/checkpoint/model-only.npz", modelOnly);
    writeEntries(dir + "/checkpoint/model-only.npz", dir + "/checkpoint/model-only.entries");

    // What numpy.savez(W=..., visible_bias=..., hidden_bias=...) of float64 arrays writes.
    std::vector<rbm::NpyArray> plain;
    for (const char* name : {"W", "visible_bias", "hidden_bias"}) {
        rbm::NpyArray a;
        a.name = name;
        a.dtype = "<f8";
        a.shape = std::string(name) == "W" ? std::vector<std::size_t>{4, 2}
                                           : std::vector<std::size_t>{std::string(name) == "visible_bias" ? 4u : 2u};
        std::vector<double> v(a.shape.size() == 2 ? 8 : a.shape[0]);
        std::iota(v.begin(), v.end(), -1.0);
        a.data.resize(v.size() * 8);
        std::memcpy(a.data.data(), v.data(), a.data.size());
        plain.push_back(a);
    }
    rbm::writeNpz(dir + "/checkpoint/numpy-float64.npz", plain);
    writeEntries(dir + "/checkpoint/numpy-float64.npz", dir + "/checkpoint/numpy-float64.entries");

    // Sessions on 2x3 images: 3 training images with labels and 1 held-out, inline; the
    // model-only checkpoint above to continue from; a dream with a clamp mask.
    rbm::DatasetPair pair;
    for (rbm::Dataset* d : {&pair.train, &pair.test}) {
        d->name = "tiny";
        d->rows = 2;
        d->cols = 3;
        d->count = d == &pair.train ? 3 : 1;
        for (std::size_t i = 0; i < d->count * 6; ++i) d->pixels.push_back(std::uint8_t((i * 53) & 0xff));
    }
    pair.train.labels = {7, 2, 1};
    rbm::Session session;
    session.config = c.config;
    session.config.batchSize = 3;
    session.config.evalSubset = 3;
    session.createdBy = "make_fuzz_corpus";
    session.dataset = rbm::describeDataset(pair.train, pair.test, "tiny");
    session.models.push_back({"start model", modelOnly});
    rbm::SessionDream dream;
    dream.seed = 5;
    dream.chains = 2;
    dream.rows = 2;
    dream.cols = 3;
    dream.drawing = {0, 0.5f, 1, 1, 0.5f, 0};
    dream.clampMask = {1, 1, 1, 0, 0, 0};
    session.dream = dream;
    rbm::saveSession(dir + "/session/inline.rbmsession", session);
    writeEntries(dir + "/session/inline.rbmsession", dir + "/session/inline.entries");

    rbm::Session embedded;
    embedded.config.hidden = 4;
    embedded.dataset.kind = rbm::SessionDataset::Kind::Embedded;
    embedded.dataset.name = "MNIST";
    embedded.dataset.rows = embedded.dataset.cols = 28;
    embedded.dataset.trainCount = 10000;
    embedded.dataset.fingerprint = "0123456789abcdef";
    rbm::saveSession(dir + "/session/embedded.rbmsession", embedded);
    writeEntries(dir + "/session/embedded.rbmsession", dir + "/session/embedded.entries");
    return 0;
}
