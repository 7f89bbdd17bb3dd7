// `rbm dream`: runs a Gibbs chain from a start image and writes the start image and every
// M-th frame side by side as a PNG strip (the visible probabilities p(v|h), white ink on black).
// With `--class K` on a model with label units the label group is clamped to K: the chain then
// samples p(v | y = K), the digit movie of a K.
#include <QImage>
#include <QString>
#include <climits>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "options.h"
#include "dream/dream_image.h"
#include "dream/save_file.h"
#include "rbm/checkpoint.h"
#include "imaging/open_dataset.h"
#include "rbm/dataset.h"
#include "rbm/label_units.h"
#include "rbm/sampler.h"

namespace {

/// What `rbm dream` was told; exactly one of the three start sources is given.
struct DreamOptions {
    std::string model, out, data, fromImage;
    std::optional<int> fromTest, dreamClass;
    bool fromNoise = false, meanField = false;
    int steps = 100, every = 10, scale = 2;
    double beta = 1.0;
    long long seed = 1;
};

void declareOptions(CLI::App& cmd, DreamOptions& o) {
    cmd.add_option("--model", o.model, "checkpoint (.npz) to dream with")->required()->check(cli::nonEmpty())->type_name("CKPT");
    cmd.add_option("--out", o.out, "PNG strip to write")->required()->check(cli::nonEmpty())->type_name("strip.png");
    CLI::Option_group* start = cmd.add_option_group("start image");
    start->add_option("--from-test", o.fromTest, "the I-th held-out digit of --data")
        ->transform(cli::wholeNumber(0, INT_MAX))
        ->type_name("I");
    start->add_option("--from-image", o.fromImage, "a picture, converted as the dream panel does")
        ->check(cli::nonEmpty())
        ->type_name("PNG");
    start->add_flag("--from-noise", o.fromNoise, "random pixels");
    start->require_option(1);
    cmd.add_option("--data", o.data, "dataset for --from-test, as rbm train --data takes (default: embedded)")->type_name("PATH");
    cmd.add_option("--steps", o.steps, "Gibbs steps (default 100)")
        ->transform(cli::wholeNumber(0, 1000000))
        ->type_name("N");
    cmd.add_option("--every", o.every, "keep every M-th frame (default 10)")
        ->transform(cli::wholeNumber(1, INT_MAX))
        ->type_name("M");
    cmd.add_option("--beta", o.beta, "inverse temperature, 0 to 100 (default 1)")->check(cli::number(0, 100))->type_name("X");
    cmd.add_flag("--mean-field", o.meanField, "use probabilities instead of samples");
    cmd.add_option("--class", o.dreamClass, "clamp the label units to class K (a model trained with --labels)")
        ->transform(cli::wholeNumber(0, INT_MAX))
        ->type_name("K");
    cmd.add_option("--seed", o.seed, "random seed (default 1)")
        ->transform(cli::wholeNumber(LLONG_MIN, LLONG_MAX))
        ->type_name("S");
    cmd.add_option("--scale", o.scale, "pixels per unit, 1 to 32 (default 2)")
        ->transform(cli::wholeNumber(1, 32))
        ->type_name("K");
}

/// The start image as one row of visible values in [0,1].
rbm::Matrix startImage(const DreamOptions& o, const rbm::Rbm& model, int rows, int cols, rbm::Random& rng) {
    rbm::Matrix v(1, model.nVisible());
    if (o.fromNoise) {
        rng.fillUniform(v);
        v = (v.array() < 0.5f).cast<float>().matrix();
        return v;
    }
    if (!o.fromImage.empty()) {
        std::vector<float> pixels;
        QString error;
        if (!studio::loadMnistStyleDigit(QString::fromStdString(o.fromImage), rows, cols, pixels, &error))
            throw rbm::Error(error.toStdString());
        for (int i = 0; i < model.nVisible(); ++i) v(0, i) = pixels[static_cast<std::size_t>(i)];
        return v;
    }
    const rbm::DatasetPair data = studio::loadAnyDataset(o.data).pair;
    const rbm::Dataset& test = data.test.empty() ? data.train : data.test;
    if (test.pixelsPerImage() != model.nVisible())
        throw rbm::Error("the model has " + std::to_string(model.nVisible()) + " visible units but the images of " +
                         test.name + " have " + std::to_string(test.pixelsPerImage()) + " pixels");
    const int idx = o.fromTest.value_or(0);
    if (static_cast<std::size_t>(idx) >= test.count)
        throw cli::UsageError("--from-test must be between 0 and " + std::to_string(test.count - 1));
    rbm::fillBatch(test, &idx, v);
    return v;
}

/// The class `--class K` clamps, checked against the model's label units.
int clampedClass(int k, const rbm::Rbm& model) {
    if (!model.hasLabels())
        throw cli::UsageError("--class needs a model with label units; this one has none (train it with --labels)");
    if (k >= model.nLabels())
        throw cli::UsageError("--class must be between 0 and " + std::to_string(model.nLabels() - 1));
    return k;
}

/// What the model itself says the last frame is: its exact p(label | v) from free energies.
void reportLabels(const rbm::Rbm& model, const rbm::GibbsState& state, const DreamOptions& o) {
    const Eigen::MatrixXd p = rbm::labelPosterior(model, state.vProb);
    Eigen::Index top = 0;
    p.row(0).maxCoeff(&top);
    std::fprintf(stderr, "the model's p(label | last frame): %lld at %.3f", static_cast<long long>(top), p(0, top));
    if (o.dreamClass) std::fprintf(stderr, " (clamped to %d: p = %.3f)", *o.dreamClass, p(0, *o.dreamClass));
    std::fprintf(stderr, "\n");
}

int runDream(const DreamOptions& o) {
    const std::string& out = o.out;
    const int steps = o.steps, every = o.every, scale = o.scale;
    if (steps / every > 2000) throw cli::UsageError("too many frames: raise --every (at most 2000 frames)");

    const rbm::Checkpoint ckpt = rbm::loadCheckpoint(o.model);
    const rbm::Rbm& model = ckpt.model;
    int rows = model.imageRows, cols = model.imageCols;
    if (rows * cols != model.nVisible()) {
        rows = 1;
        cols = model.nVisible();
    }
    rbm::GibbsSampler sampler(static_cast<std::uint64_t>(o.seed));
    const rbm::Matrix start = startImage(o, model, rows, cols, sampler.rng());

    rbm::GibbsOptions options;
    options.beta = static_cast<float>(o.beta);
    options.sampleVisible = !o.meanField;
    options.sampleHidden = !o.meanField;
    if (o.dreamClass) options.clampLabel = clampedClass(*o.dreamClass, model);
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
    if (model.hasLabels()) reportLabels(model, state, o);
    QString error;  // atomic and checked: a full disk keeps the previous strip (ui/dream/save_file.h)
    if (!studio::saveImageAtomically(QString::fromStdString(out), strip, "PNG", &error)) throw rbm::Error(error.toStdString());
    std::fprintf(stderr, "wrote %s: %d frames (start + every %d of %d steps), %dx%d pixels\n", out.c_str(), frames, every,
                 steps, strip.width(), strip.height());
    return 0;
}

}  // namespace

Command addDreamCommand(CLI::App& rbm) {
    const auto options = std::make_shared<DreamOptions>();
    CLI::App* cmd = rbm.add_subcommand("dream", "run a Gibbs chain from a start image and write its frames as a PNG strip");
    declareOptions(*cmd, *options);
    return [options] { return runDream(*options); };
}
