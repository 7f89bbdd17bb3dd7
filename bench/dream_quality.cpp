// dream-quality: are a model's dreams digits, and do they wander between classes? The
// measurement of issue 11, so anyone can rerun it on any checkpoint:
//
//   - an INDEPENDENT judge: multinomial logistic regression on the raw pixels of the training
//     digits (not on the model's features, which would judge the model by itself);
//   - starts: held-out digits, the first few of each class in turn (3 of each for 30 starts),
//     each run as several chains ("seeds"; all drawn from one stream seeded by --seed):
//     30 x 3 = 90 chains by default, all in one 90 x 784 batch;
//   - the chain is the dream panel's: block Gibbs with sampled hidden AND visible states
//     (core's GibbsSampler), started from the grey-level digit; a frame is p(v|h), the image
//     `rbm dream` writes;
//   - frames are judged at steps 20, 50, 200 and the last step (1,000 by default).
//
//   dream-quality --model CKPT [--data DIR|embedded] [--starts 30] [--seeds 3] [--steps 1000]
//                 [--seed 1] [--beta 1] [--ladder K --beta-min B] [--threads 1] [--json]
//                 [--frames OUT.pgm]
//
// --ladder K measures a tempered dream (a lever of issue 11 the panel does not have yet): K
// replicas of every chain at betas spaced linearly from --beta down to --beta-min, a Gibbs
// sweep of each, then replica swaps between neighbours (even pairs on even steps, odd pairs on
// odd steps) accepted with min(1, exp((beta_k - beta_k+1)(E_k - E_k+1))) on the joint energy.
// The frames judged are those of the beta = --beta replica; the swap rates are printed.
//
// Figures and the targets of issue 11 they are printed beside:
//   digit-like(t)  chains whose frame the judge gives top probability > 0.9   (>= 0.75 at 200, last)
//   classes        distinct judged classes (arg-max) among all chains at the last step (>= 8)
//   biggest class  share of the chains in the most common class at the last step (<= 0.30)
//   keeps start    chains whose judged class at step 20 (50) is the start digit's label (>= 0.7 at 20)
//   ink ratio      mean pixel of the frames / mean pixel of the real held-out digits (0.8 .. 1.2)
//   judge on real  the judge's own digit-like rate on the real held-out digits (issue 11: 0.79)
// Deterministic for a given --seed (and --threads 1).
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dream_judge.h"
#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/feature_classifier.h"
#include "rbm/sampler.h"

using namespace rbm;

namespace {

constexpr float kDigitLike = 0.9f;  // the threshold on the judge's top probability

struct Options {
    std::string model;
    std::string data;  // empty = the embedded digits
    int starts = 30;
    int seeds = 3;
    int steps = 1000;
    std::uint64_t seed = 1;
    float beta = 1.0f;
    int threads = 1;
    int ladder = 1;        // replicas of a tempered dream (1 = the plain Gibbs chain)
    float betaMin = 0.8f;  // the hottest replica's beta; the ladder is linear in beta
    bool json = false;
    std::string frames;  // optional PGM contact sheet: one row per chain, one column per judged step
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "%s\nusage: dream-quality --model CKPT [--data DIR|embedded] [--starts N] [--seeds S] [--steps T]\n"
                 "                     [--seed X] [--beta B] [--ladder K --beta-min B] [--threads N] [--json]\n"
                 "                     [--frames OUT.pgm]\n",
                 why);
    std::exit(2);
}

long integerArg(const char* name, const char* text, long lo, long hi) {
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (!end || *end || v < lo || v > hi) {
        const std::string why = std::string("--") + name + " must be an integer between " + std::to_string(lo) +
                                " and " + std::to_string(hi) + ", got '" + text + "'";
        usage(why.c_str());
    }
    return v;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage((a + " needs a value").c_str());
            return argv[++i];
        };
        if (a == "--model") o.model = value();
        else if (a == "--data") o.data = value();
        else if (a == "--starts") o.starts = static_cast<int>(integerArg("starts", value(), 1, 1000));
        else if (a == "--seeds") o.seeds = static_cast<int>(integerArg("seeds", value(), 1, 100));
        else if (a == "--steps") o.steps = static_cast<int>(integerArg("steps", value(), 1, 1000000));
        else if (a == "--seed") o.seed = static_cast<std::uint64_t>(integerArg("seed", value(), 0, 1L << 40));
        else if (a == "--threads") o.threads = static_cast<int>(integerArg("threads", value(), 1, 64));
        else if (a == "--ladder") o.ladder = static_cast<int>(integerArg("ladder", value(), 1, 64));
        else if (a == "--beta-min") {
            const char* t = value();
            char* end = nullptr;
            o.betaMin = std::strtof(t, &end);
            if (!end || *end || !(o.betaMin > 0.0f) || o.betaMin > 1.0f) usage("--beta-min must be a number in (0, 1]");
        } else if (a == "--beta") {
            const char* t = value();
            char* end = nullptr;
            o.beta = std::strtof(t, &end);
            if (!end || *end || !(o.beta > 0.0f) || o.beta > 100.0f) usage("--beta must be a number in (0, 100]");
        } else if (a == "--json") o.json = true;
        else if (a == "--frames") o.frames = value();
        else if (a == "--help" || a == "-h") usage("dream-quality: how digit-like and how diverse a model's dreams are");
        else usage(("unknown option " + a).c_str());
    }
    if (o.model.empty()) usage("--model CKPT is required");
    return o;
}

double seconds(std::chrono::steady_clock::time_point a) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

struct Judged {
    int step = 0;
    double digitLike = 0;   ///< fraction of chains with top probability > 0.9
    double keepsStart = 0;  ///< fraction whose arg-max class is the start digit's label
    double ink = 0;         ///< mean pixel of the frames p(v|h)
    int classes = 0;        ///< distinct arg-max classes among all chains
    int classesDigitLike = 0;  ///< distinct classes among the digit-like chains only
    double biggestShare = 0;   ///< share of all chains in the most common class
    int biggestClass = -1;
    std::vector<int> perClass;  ///< chains per arg-max class
};

Judged judge(const FeatureClassifier& c, const Matrix& frames, const std::vector<int>& startLabel, int step) {
    Matrix p(frames.rows(), c.classes());
    c.predict(frames, p);
    Judged j;
    j.step = step;
    j.perClass.assign(static_cast<std::size_t>(c.classes()), 0);
    std::vector<int> digitLikePerClass(static_cast<std::size_t>(c.classes()), 0);
    const double n = static_cast<double>(frames.rows());
    // Counted, then divided once: 63 of 90 is exactly 0.7 and must meet a ">= 0.7" target.
    int digitLike = 0, keepsStart = 0;
    for (Eigen::Index r = 0; r < frames.rows(); ++r) {
        Eigen::Index k = 0;
        const float top = p.row(r).maxCoeff(&k);
        ++j.perClass[static_cast<std::size_t>(k)];
        if (top > kDigitLike) {
            ++digitLike;
            ++digitLikePerClass[static_cast<std::size_t>(k)];
        }
        if (k == startLabel[static_cast<std::size_t>(r)]) ++keepsStart;
    }
    j.digitLike = digitLike / n;
    j.keepsStart = keepsStart / n;
    for (std::size_t k = 0; k < j.perClass.size(); ++k) {
        if (j.perClass[k] > 0) ++j.classes;
        if (digitLikePerClass[k] > 0) ++j.classesDigitLike;
        if (j.biggestClass < 0 || j.perClass[k] > j.perClass[static_cast<std::size_t>(j.biggestClass)])
            j.biggestClass = static_cast<int>(k);
    }
    j.biggestShare = j.perClass[static_cast<std::size_t>(j.biggestClass)] / n;
    j.ink = static_cast<double>(frames.mean());
    return j;
}

/// A greyscale PGM: one row of frames per chain (the start, then each judged step).
void writeContactSheet(const std::string& path, const std::vector<Matrix>& sheets, int rows, int cols) {
    const int chains = static_cast<int>(sheets.front().rows());
    const int frames = static_cast<int>(sheets.size());
    const int gap = 2;
    const int width = frames * (cols + gap), height = chains * (rows + gap);
    std::vector<unsigned char> img(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 40);
    for (int f = 0; f < frames; ++f)
        for (int c = 0; c < chains; ++c)
            for (int y = 0; y < rows; ++y)
                for (int x = 0; x < cols; ++x) {
                    const float v = std::clamp(sheets[static_cast<std::size_t>(f)](c, y * cols + x), 0.0f, 1.0f);
                    const std::size_t at = static_cast<std::size_t>(c * (rows + gap) + y) * static_cast<std::size_t>(width) +
                                           static_cast<std::size_t>(f * (cols + gap) + x);
                    img[at] = static_cast<unsigned char>(std::lround(255.0f * v));
                }
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) throw Error(path + ": cannot write the contact sheet.");
    std::fprintf(out, "P5\n%d %d\n255\n", width, height);
    std::fwrite(img.data(), 1, img.size(), out);
    std::fclose(out);
}

/// E(v,h) = -b.v - h.(c + W^T v) per row of a state's (v, h).
Eigen::VectorXd jointEnergies(const Rbm& m, const GibbsState& s) {
    Matrix pre = s.v * m.W;
    pre.rowwise() += m.hiddenBias.transpose();
    const Eigen::VectorXf e = -(s.v * m.visibleBias) - pre.cwiseProduct(s.h).rowwise().sum();
    return e.cast<double>();
}

void swapRow(GibbsState& a, GibbsState& b, Eigen::Index r) {
    a.v.row(r).swap(b.v.row(r));
    a.vProb.row(r).swap(b.vProb.row(r));
    a.h.row(r).swap(b.h.row(r));
    a.hProb.row(r).swap(b.hProb.row(r));
}

const char* verdict(bool ok) { return ok ? "yes" : "NO"; }

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    Eigen::setNbThreads(o.threads);
    try {
        const auto t0 = std::chrono::steady_clock::now();
        const Checkpoint ckpt = loadCheckpoint(o.model);
        const Rbm& model = ckpt.model;
        const DatasetPair data = loadDataset(o.data);
        const Dataset& test = data.test.empty() ? data.train : data.test;
        if (data.train.pixelsPerImage() != model.nVisible())
            throw Error("The model has " + std::to_string(model.nVisible()) + " visible units but the images of " +
                        data.train.name + " have " + std::to_string(data.train.pixelsPerImage()) + " pixels.");
        if (!test.hasLabels()) throw Error("The held-out set has no labels: the starts need them.");

        const FeatureClassifier judgeModel = bench::trainPixelJudge(data.train);
        const Matrix real = toMatrix(test);
        Matrix realP(real.rows(), judgeModel.classes());
        judgeModel.predict(real, realP);
        double realDigitLike = 0;
        for (Eigen::Index r = 0; r < realP.rows(); ++r)
            if (realP.row(r).maxCoeff() > kDigitLike) realDigitLike += 1.0;
        realDigitLike /= static_cast<double>(realP.rows());
        const double realAccuracy = classificationAccuracy(realP, test.labels);
        const double realInk = static_cast<double>(real.mean());
        const double judgeSeconds = seconds(t0);

        // Chain r * starts + s is start s under seed r: one batch, one sampler.
        const std::vector<int> starts = bench::pickStarts(test, o.starts);
        const int chains = o.starts * o.seeds;
        std::vector<int> chainStart, chainLabel;
        for (int r = 0; r < o.seeds; ++r)
            for (int s = 0; s < o.starts; ++s) {
                chainStart.push_back(starts[static_cast<std::size_t>(s)]);
                chainLabel.push_back(test.labels[static_cast<std::size_t>(starts[static_cast<std::size_t>(s)])]);
            }
        Matrix V(chains, model.nVisible());
        fillBatch(test, chainStart.data(), V);

        std::vector<int> judgedSteps;
        for (int t : {20, 50, 200})
            if (t < o.steps) judgedSteps.push_back(t);
        judgedSteps.push_back(o.steps);

        const auto t1 = std::chrono::steady_clock::now();
        GibbsSampler sampler(o.seed);
        std::vector<GibbsOptions> rung(static_cast<std::size_t>(o.ladder));
        for (int k = 0; k < o.ladder; ++k) {
            const float f = o.ladder > 1 ? static_cast<float>(k) / static_cast<float>(o.ladder - 1) : 0.0f;
            rung[static_cast<std::size_t>(k)].beta = o.beta + f * (o.betaMin * o.beta - o.beta);
            rung[static_cast<std::size_t>(k)].sampleHidden = true;
            rung[static_cast<std::size_t>(k)].sampleVisible = true;
        }
        std::vector<GibbsState> replicas(static_cast<std::size_t>(o.ladder));
        for (int k = 0; k < o.ladder; ++k)
            sampler.start(model, replicas[static_cast<std::size_t>(k)], V, rung[static_cast<std::size_t>(k)]);
        std::vector<double> swapsTried(static_cast<std::size_t>(std::max(1, o.ladder - 1)), 0.0);
        std::vector<double> swapsMade(swapsTried.size(), 0.0);
        GibbsState& state = replicas.front();
        std::vector<Judged> results;
        std::vector<Matrix> sheets{V};
        std::size_t nextJudged = 0;
        for (int t = 1; t <= o.steps; ++t) {
            for (int k = 0; k < o.ladder; ++k)
                sampler.step(model, replicas[static_cast<std::size_t>(k)], rung[static_cast<std::size_t>(k)]);
            for (int k = t % 2; k + 1 < o.ladder; k += 2) {
                GibbsState& cold = replicas[static_cast<std::size_t>(k)];
                GibbsState& hot = replicas[static_cast<std::size_t>(k + 1)];
                const Eigen::VectorXd eCold = jointEnergies(model, cold), eHot = jointEnergies(model, hot);
                const double dBeta = static_cast<double>(rung[static_cast<std::size_t>(k)].beta -
                                                         rung[static_cast<std::size_t>(k + 1)].beta);
                for (Eigen::Index r = 0; r < cold.v.rows(); ++r) {
                    swapsTried[static_cast<std::size_t>(k)] += 1.0;
                    const double logAccept = dBeta * (eCold(r) - eHot(r));
                    if (logAccept >= 0.0 || sampler.rng().uniformDouble() < std::exp(logAccept)) {
                        swapRow(cold, hot, r);
                        swapsMade[static_cast<std::size_t>(k)] += 1.0;
                    }
                }
            }
            if (t == judgedSteps[nextJudged]) {
                results.push_back(judge(judgeModel, state.vProb, chainLabel, t));
                if (!o.frames.empty()) sheets.push_back(state.vProb);
                ++nextJudged;
            }
        }
        std::vector<double> swapRate;
        for (std::size_t k = 0; k + 1 < static_cast<std::size_t>(o.ladder); ++k)
            swapRate.push_back(swapsTried[k] > 0 ? swapsMade[k] / swapsTried[k] : 0.0);
        const double chainSeconds = seconds(t1);
        if (!o.frames.empty()) {
            const bool image = model.imageRows * model.imageCols == model.nVisible();
            writeContactSheet(o.frames, sheets, image ? model.imageRows : 1, image ? model.imageCols : model.nVisible());
        }

        auto at = [&](int step) -> const Judged* {
            for (const Judged& j : results)
                if (j.step == step) return &j;
            return nullptr;
        };
        const Judged& last = results.back();
        const Judged* s20 = at(20);
        const Judged* s50 = at(50);
        const Judged* s200 = at(200);
        const double inkRatio200 = s200 ? s200->ink / realInk : last.ink / realInk;
        const double inkRatioLast = last.ink / realInk;

        const bool okDigitLike = (!s200 || s200->digitLike >= 0.75) && last.digitLike >= 0.75;
        const bool okClasses = last.classes >= 8 && last.biggestShare <= 0.30;
        const bool okStart = s20 && s20->keepsStart >= 0.7;
        const bool okInk = std::fabs(inkRatio200 - 1.0) <= 0.2 && std::fabs(inkRatioLast - 1.0) <= 0.2;
        const int targetsMet = int(okDigitLike) + int(okClasses) + int(okStart) + int(okInk);

        if (o.json) {
            std::printf("{\n  \"model\": \"%s\",\n  \"hidden\": %d,\n  \"chains\": %d,\n  \"starts\": %d,\n  \"seeds\": %d,\n"
                        "  \"steps\": %d,\n  \"seed\": %llu,\n  \"beta\": %g,\n",
                        o.model.c_str(), model.nHidden(), chains, o.starts, o.seeds, o.steps,
                        static_cast<unsigned long long>(o.seed), static_cast<double>(o.beta));
            std::printf("  \"ladder\": %d,\n  \"beta_min\": %g,\n  \"swap_rates\": [", o.ladder,
                        static_cast<double>(o.betaMin));
            for (std::size_t k = 0; k < swapRate.size(); ++k) std::printf("%s%.3f", k ? ", " : "", swapRate[k]);
            std::printf("],\n");
            std::printf("  \"judge\": {\"real_digit_like\": %.4f, \"real_accuracy\": %.4f, \"real_ink\": %.5f},\n",
                        realDigitLike, realAccuracy, realInk);
            std::printf("  \"judged\": [\n");
            for (std::size_t i = 0; i < results.size(); ++i) {
                const Judged& j = results[i];
                std::printf("    {\"step\": %d, \"digit_like\": %.4f, \"keeps_start\": %.4f, \"ink\": %.5f, "
                            "\"ink_ratio\": %.4f, \"classes\": %d, \"classes_digit_like\": %d, \"biggest_class\": %d, "
                            "\"biggest_share\": %.4f, \"per_class\": [",
                            j.step, j.digitLike, j.keepsStart, j.ink, j.ink / realInk, j.classes, j.classesDigitLike,
                            j.biggestClass, j.biggestShare);
                for (std::size_t k = 0; k < j.perClass.size(); ++k)
                    std::printf("%s%d", k ? ", " : "", j.perClass[k]);
                std::printf("]}%s\n", i + 1 < results.size() ? "," : "");
            }
            std::printf("  ],\n  \"targets\": {\"digit_like\": %s, \"classes\": %s, \"keeps_start\": %s, \"ink\": %s, "
                        "\"met\": %d},\n",
                        okDigitLike ? "true" : "false", okClasses ? "true" : "false", okStart ? "true" : "false",
                        okInk ? "true" : "false", targetsMet);
            std::printf("  \"seconds\": {\"judge\": %.2f, \"chains\": %.2f}\n}\n", judgeSeconds, chainSeconds);
            return 0;
        }

        std::printf("dream-quality: %s (%d hidden), %d chains (%d held-out starts x %d seeds), %d steps, beta %g\n",
                    o.model.c_str(), model.nHidden(), chains, o.starts, o.seeds, o.steps, static_cast<double>(o.beta));
        if (o.ladder > 1) {
            std::printf("tempered dream: %d replicas, beta %g .. %g, swap rates", o.ladder, static_cast<double>(o.beta),
                        static_cast<double>(o.beta * o.betaMin));
            for (double r : swapRate) std::printf(" %.2f", r);
            std::printf("\n");
        }
        std::printf("judge: pixel softmax regression on %zu training digits: %.1f%% right on the held-out digits, "
                    "%.0f%% of them digit-like (issue 11: 79%%)\n\n",
                    data.train.count, 100.0 * realAccuracy, 100.0 * realDigitLike);
        std::printf("%-34s %-10s %s\n", "figure", "measured", "target");
        for (const Judged& j : results) {
            const bool targeted = j.step == 200 || &j == &last;
            char label[64];
            std::snprintf(label, sizeof label, "digit-like at step %d", j.step);
            std::printf("%-34s %-10.2f %s\n", label, j.digitLike, targeted ? ">= 0.75" : "");
        }
        std::printf("%-34s %-10d %s\n", ("classes at step " + std::to_string(last.step)).c_str(), last.classes, ">= 8");
        char biggest[32];
        std::snprintf(biggest, sizeof biggest, "%.2f (\"%d\")", last.biggestShare, last.biggestClass);
        std::printf("%-34s %-10s %s\n", "biggest class", biggest, "<= 0.30");
        std::printf("%-34s %-10d %s\n", "classes among digit-like frames", last.classesDigitLike, "");
        if (s20) std::printf("%-34s %-10.2f %s\n", "keeps the start digit at step 20", s20->keepsStart, ">= 0.70");
        if (s50) std::printf("%-34s %-10.2f %s\n", "keeps the start digit at step 50", s50->keepsStart, "");
        if (s200) std::printf("%-34s %-10.2f %s\n", "ink ratio at step 200", inkRatio200, "0.80 .. 1.20");
        std::printf("%-34s %-10.2f %s\n", ("ink ratio at step " + std::to_string(last.step)).c_str(), inkRatioLast,
                    "0.80 .. 1.20");
        std::printf("\nper class at step %d:", last.step);
        for (std::size_t k = 0; k < last.perClass.size(); ++k) std::printf(" %zu:%d", k, last.perClass[k]);
        std::printf("\ntargets: digit-like %s, diversity %s, start kept %s, ink %s (%d of 4)\n", verdict(okDigitLike),
                    verdict(okClasses), verdict(okStart), verdict(okInk), targetsMet);
        std::printf("time: judge %.1f s, chains %.1f s\n", judgeSeconds, chainSeconds);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dream-quality: %s\n", e.what());
        return 1;
    }
}
