// `rbm dream`: runs a Gibbs chain from a start image and writes the start image and every
// M-th frame side by side as a PNG strip (the visible probabilities p(v|h), white ink on black).
#include <QImage>
#include <QString>
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "dream/dream_image.h"
#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/sampler.h"

namespace {

/// The start image as one row of visible values in [0,1].
rbm::Matrix startImage(const cli::Args& a, const rbm::Rbm& model, int rows, int cols, rbm::Random& rng) {
    const std::string source = a.oneOf({"from-test", "from-image", "from-noise"});
    rbm::Matrix v(1, model.nVisible());
    if (source.empty()) throw cli::UsageError("give one of --from-test I, --from-image PNG or --from-noise");
    if (source == "from-noise") {
        rng.fillUniform(v);
        v = (v.array() < 0.5f).cast<float>().matrix();
        return v;
    }
    if (source == "from-image") {
        std::vector<float> pixels;
        QString error;
        if (!studio::loadMnistStyleDigit(QString::fromStdString(a.required("from-image")), rows, cols, pixels, &error))
            throw rbm::Error(error.toStdString());
        for (int i = 0; i < model.nVisible(); ++i) v(0, i) = pixels[static_cast<std::size_t>(i)];
        return v;
    }
    const rbm::DatasetPair data = rbm::loadDataset(a.text("data"));
    const rbm::Dataset& test = data.test.empty() ? data.train : data.test;
    if (test.pixelsPerImage() != model.nVisible())
        throw rbm::Error("the model has " + std::to_string(model.nVisible()) + " visible units but the images of " +
                         test.name + " have " + std::to_string(test.pixelsPerImage()) + " pixels");
    const long long index = a.integer64("from-test", 0);
    if (index < 0 || static_cast<std::size_t>(index) >= test.count)
        throw cli::UsageError("--from-test must be between 0 and " + std::to_string(test.count - 1));
    const int idx = static_cast<int>(index);
    rbm::fillBatch(test, &idx, v);
    return v;
}

}  // namespace

int runDream(const std::vector<std::string>& argv) {
    const cli::Args a(argv, {"model", "from-test", "from-image", "data", "steps", "every", "beta", "seed", "scale", "out"},
                      {"from-noise", "mean-field"});
    const std::string out = a.required("out");
    const std::string modelPath = a.required("model");
    const int steps = a.integer("steps", 100);
    const int every = a.integer("every", 10);
    const int scale = a.integer("scale", 2);
    const double beta = a.number("beta", 1.0);
    if (steps < 0 || steps > 1000000) throw cli::UsageError("--steps must be between 0 and 1000000");
    if (every < 1) throw cli::UsageError("--every must be at least 1");
    if (scale < 1 || scale > 32) throw cli::UsageError("--scale must be between 1 and 32");
    if (beta < 0 || beta > 100) throw cli::UsageError("--beta must be between 0 and 100");
    if (steps / every > 2000) throw cli::UsageError("too many frames: raise --every (at most 2000 frames)");
    if (a.oneOf({"from-test", "from-image", "from-noise"}).empty())
        throw cli::UsageError("give one of --from-test I, --from-image PNG or --from-noise");

    const rbm::Checkpoint ckpt = rbm::loadCheckpoint(modelPath);
    const rbm::Rbm& model = ckpt.model;
    int rows = model.imageRows, cols = model.imageCols;
    if (rows * cols != model.nVisible()) {
        rows = 1;
        cols = model.nVisible();
    }
    rbm::GibbsSampler sampler(static_cast<std::uint64_t>(a.integer64("seed", 1)));
    const rbm::Matrix start = startImage(a, model, rows, cols, sampler.rng());

    rbm::GibbsOptions options;
    options.beta = static_cast<float>(beta);
    options.sampleVisible = !a.has("mean-field");
    options.sampleHidden = !a.has("mean-field");
    rbm::GibbsState state;
    sampler.start(model, state, start, options);

    const int frames = 1 + steps / every;
    QImage strip(cols * scale * frames, rows * scale, QImage::Format_Grayscale8);
    auto paintFrame = [&](int frame, const rbm::Matrix& values) {
        for (int y = 0; y < rows * scale; ++y) {
            uchar* line = strip.scanLine(y);
            for (int x = 0; x < cols * scale; ++x) {
                const float p = values(0, (y / scale) * cols + x / scale);
                line[frame * cols * scale + x] = static_cast<uchar>(std::lround(255.0f * std::clamp(p, 0.0f, 1.0f)));
            }
        }
    };
    paintFrame(0, start);
    for (int t = 1; t <= steps; ++t) {
        sampler.step(model, state, options);
        if (t % every == 0) paintFrame(t / every, state.vProb);
    }
    if (!strip.save(QString::fromStdString(out), "PNG"))
        throw rbm::Error(out + ": cannot write the PNG (is the folder there and writable?)");
    std::fprintf(stderr, "wrote %s: %d frames (start + every %d of %d steps), %dx%d pixels\n", out.c_str(), frames, every,
                 steps, strip.width(), strip.height());
    return 0;
}
