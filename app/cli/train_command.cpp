// `rbm train`: trains on any dataset --data names (imaging/open_dataset.h) into a run folder, with a
// progress bar on a terminal and one line per epoch otherwise. Ctrl+C stops after the current
// batch and saves latest.npz, so `--resume RUN/latest.npz` continues exactly.
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

#include "commands.h"
#include "options.h"
#include "terminal.h"
#include "train_checks.h"
#include "train_options.h"
#include "rbm/checkpoint.h"
#include "imaging/open_dataset.h"
#include "rbm/dataset.h"
#include "rbm/dataset_summary.h"
#include "rbm/memory_limits.h"
#include "rbm/presets.h"
#include "rbm/training_session.h"

namespace {

std::atomic<bool> g_interrupted{false};

std::string whyInvalid(const rbm::TrainingConfig& c) {
    try {
        c.validate();
        return {};
    } catch (const rbm::Error& e) {
        return e.what();
    }
}
extern "C" void onInterrupt(int) { g_interrupted.store(true); }

class Progress {
public:
    Progress(bool terminal, std::int64_t totalEpochs) : terminal_(terminal), totalEpochs_(totalEpochs) {}

    void batch(const rbm::BatchReport& r) {
        if (!terminal_) return;
        const auto now = Clock::now();
        if (now - lastDraw_ < std::chrono::milliseconds(100)) return;
        lastDraw_ = now;
        const double elapsed = std::chrono::duration<double>(now - start_).count();
        const double rate = elapsed > 0 ? static_cast<double>(r.counters.samplesSeen - startSamples_) / elapsed : 0;
        const double batchesLeft =
            static_cast<double>((totalEpochs_ - r.counters.epoch) * r.batchesPerEpoch - r.counters.batchInEpoch);
        const double batchesDone = static_cast<double>(r.counters.totalBatches - startBatches_);
        const double eta = batchesDone > 0 ? elapsed / batchesDone * batchesLeft : -1;
        const double fraction =
            r.batchesPerEpoch > 0 ? static_cast<double>(r.counters.batchInEpoch) / r.batchesPerEpoch : 0;
        const int width = 24, filled = static_cast<int>(fraction * width);
        std::string bar(static_cast<std::size_t>(filled), '=');
        bar.resize(static_cast<std::size_t>(width), ' ');
        std::fprintf(stderr, "\r  epoch %lld/%lld [%s] %5.1f%%  %7.0f samples/s  recon %.4f  ETA %s   ",
                     static_cast<long long>(r.counters.epoch + 1), static_cast<long long>(totalEpochs_), bar.c_str(),
                     100.0 * fraction, rate, r.reconstructionMse, cli::formatDuration(eta).c_str());
        std::fflush(stderr);
    }

    void start(const rbm::TrainerCounters& c) {
        start_ = Clock::now();
        startSamples_ = c.samplesSeen;
        startBatches_ = c.totalBatches;
    }

    void epoch(const rbm::EpochMetrics& m) {
        if (terminal_) std::fputs("\r\033[K", stderr);
        std::fprintf(stderr,
                     "epoch %3lld  recon MSE train %.4f held-out %.4f  free energy gap %+.2f  PLL %.2f  "
                     "dead %d saturated %d  |dW|/|W| %.1e  %.0f samples/s\n",
                     static_cast<long long>(m.epoch), m.trainMse, m.testMse,
                     m.hasTest ? m.testFreeEnergy - m.trainFreeEnergy : 0.0, m.pseudoLogLikelihood, m.deadUnits,
                     m.saturatedUnits, m.ratioWeights, m.samplesPerSecond);
    }

private:
    using Clock = std::chrono::steady_clock;
    bool terminal_;
    std::int64_t totalEpochs_;
    Clock::time_point start_ = Clock::now(), lastDraw_{};
    std::int64_t startSamples_ = 0, startBatches_ = 0;
};

}  // namespace

int runTrain(const TrainOptions& a) {
    const std::string& out = a.out;
    const int keepLast = a.keepLast;

    // A new run starts from the Default preset (about -98 nats held-out with 500 hidden units
    // on the built-in digits, see presets.h); a resumed run from its own configuration.
    std::optional<rbm::Checkpoint> resumed;
    rbm::TrainingConfig config = rbm::defaultPresetConfig();
    if (!a.resume.empty()) {
        cli::setActivity("reading the checkpoint " + a.resume);
        resumed = rbm::loadCheckpoint(a.resume);
        refuseContradictions(a, *resumed, a.resume);
        config = resumed->config;
    }
    if (!a.preset.empty()) config = rbm::applyPreset(config, rbm::trainingPreset(a.preset));
    try {
        applyTrainOptions(a, config);
    } catch (const cli::UsageError&) {
        // A bad value the options did not fix came from the file: the file's problem (exit 1).
        const std::string bad = resumed ? whyInvalid(resumed->config) : std::string();
        if (!bad.empty()) throw rbm::Error("the checkpoint " + a.resume + " holds a configuration that cannot train: " + bad);
        throw;
    }

    cli::setActivity("loading the data " + (a.data.empty() ? std::string("embedded") : a.data));
    studio::OpenedDataset opened = studio::loadAnyDataset(a.data, datasetOptions(a));
    for (const std::string& n : opened.notes) std::fprintf(stderr, "note: %s\n", n.c_str());
    rbm::DatasetPair data = std::move(opened.pair);
    const auto train = std::make_shared<const rbm::Dataset>(std::move(data.train));
    const auto test = std::make_shared<const rbm::Dataset>(std::move(data.test));
    std::fprintf(stderr, "data: %s — %zu training and %zu held-out images of %dx%d\n", train->name.c_str(), train->count,
                 test->count, train->rows, train->cols);
    std::fprintf(stderr, "      %s\n", rbm::describeDataset(*train).c_str());
    if (resumed) refuseOtherImageSize(*resumed, a.resume, *train);
    else rbm::checkTrainingFits(config, train->pixelsPerImage(), train->count, a.data.empty() ? "the embedded digits" : a.data);

    // Locked first, then looked at: a second `rbm train` on the same folder fails here.
    const std::unique_ptr<rbm::RunLock> lock = claimRunFolder(out, a.resume);
    cli::setActivity("setting up the model for " + train->source);
    std::unique_ptr<rbm::TrainingSession> session;
    if (resumed) session = std::make_unique<rbm::TrainingSession>(train, test, config, *resumed);
    else session = std::make_unique<rbm::TrainingSession>(train, test, config);
    if (resumed && session->finished()) {
        // Nothing to do, and nothing written: the run folder stays as the run left it.
        std::fprintf(stderr, "%s is finished: epoch %lld of %lld (raise --epochs to train further)\n", a.resume.c_str(),
                     static_cast<long long>(session->counters().epoch), static_cast<long long>(session->targetEpochs()));
        return 0;
    }
    const rbm::Trainer& trainer = session->trainer();
    const rbm::TrainingConfig& c = trainer.config();
    std::fprintf(stderr, "model: %d visible x %d hidden, %s-%d, batch %d, %s, lr %g / %g (%s)%s, seed %llu\n",
                 trainer.model().nVisible(), trainer.model().nHidden(), c.algorithm == rbm::Algorithm::CD ? "CD" : "PCD",
                 c.k, c.batchSize, rbm::toString(c.optimizer.kind), static_cast<double>(c.learningRateWeights),
                 static_cast<double>(c.learningRateBiases), c.lrSchedule.text().c_str(), c.centering ? ", centred" : "",
                 static_cast<unsigned long long>(c.seed));

    // A resumed run's start is already on disk (the file it resumed from).
    session->openRunFolder(out, keepLast, /*saveStart=*/!resumed);
    std::fprintf(stderr, "run folder: %s\n", session->runFolder()->dir().c_str());
    cli::setActivity("training into " + out);

    g_interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);

    Progress progress(cli::stderrIsTerminal() && !a.quiet, session->targetEpochs());
    progress.start(session->counters());
    rbm::TrainingSession::Callbacks cb;
    cb.onBatch = [&](const rbm::BatchReport& r) {
        progress.batch(r);
        return !g_interrupted.load();
    };
    cb.onEpoch = [&](const rbm::EpochMetrics& m) {
        progress.epoch(m);
        return !g_interrupted.load();
    };
    // Divergence throws rbm::Error after the session saved the last finite parameters.
    const bool completed = session->run(cb);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!completed) {
        if (cli::stderrIsTerminal()) std::fputs("\n", stderr);
        const std::string path = session->saveLatest();
        std::fprintf(stderr, "interrupted at epoch %lld, batch %lld: saved %s (continue with --resume)\n",
                     static_cast<long long>(session->counters().epoch),
                     static_cast<long long>(session->counters().batchInEpoch), path.c_str());
        return 1;
    }
    std::fprintf(stderr, "done: %s\n", session->runFolder()->latestPath().c_str());
    return 0;
}

Command addTrainCommand(CLI::App& rbm) {
    const auto options = std::make_shared<TrainOptions>();
    CLI::App* cmd = rbm.add_subcommand("train", "train a model into a run folder (Ctrl+C saves; --resume continues)");
    declareTrainOptions(*cmd, *options);
    return [options] { return runTrain(*options); };
}
