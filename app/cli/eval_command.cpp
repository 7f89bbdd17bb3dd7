// `rbm eval`: log Z and the average log-likelihood of a checkpoint on binarized digits.
//
//   rbm eval --model CKPT [--data DIR] [--exact | --ais RUNS BETAS] [--reverse-ais] [--json]
//            [--seed N] [--threads N]
//
// Without --exact or --ais, models whose smaller layer has at most 25 units are evaluated
// exactly and larger ones with AIS at core's default (AisConfig{}: 100 runs, 3,625 betas, the
// studio's live estimate uses the same). --ais forces
// AIS (the exact value is still reported when it can be computed, for comparison). The
// rigorous lower bound on log Z is always given with AIS, and when the AIS estimate fails the
// checks (below the bound, tiny ESS, forward/reverse disagreement) the held-out log-likelihood
// is reported as an upper bound only.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "options.h"
#include "rbm/ais.h"
#include "rbm/checkpoint.h"
#include "imaging/open_dataset.h"
#include "rbm/dataset.h"
#include "rbm/evaluation_set.h"
#include "rbm/exact_distribution.h"
#include "rbm/json.h"
#include "rbm/memory_limits.h"
#include "rbm/partition_function.h"
#include "work_progress_bar.h"

namespace {

std::atomic<bool> g_cancel{false};
extern "C" void onEvalInterrupt(int) { g_cancel.store(true); }

/// Says what is about to be computed and how large it is, before minutes of silence.
void announce(const rbm::Rbm& m, bool exact, int runs, int betas, bool reverse) {
    const int smaller = std::min(m.nVisible(), m.nHidden());
    if (exact) {
        std::fprintf(stderr, "exact log Z: enumerating 2^%d = %s states of the smaller layer\n", smaller,
                     rbm::withThousands(std::uint64_t(1) << smaller).c_str());
    } else {
        std::fprintf(stderr, "AIS: %d runs x %d betas%s\n", runs, betas, reverse ? ", forward and reverse" : "");
    }
}

struct EvalArgs {
    std::string model;
    std::string data;
    bool exact = false;
    bool reverse = false;
    bool json = false;
    std::vector<int> ais;  // empty, or {runs, betas}
    long long seed = 1;
    int threads = 2;
};

void declareOptions(CLI::App& cmd, EvalArgs& a) {
    cmd.add_option("--model", a.model, "checkpoint (.npz) to evaluate")->required()->check(cli::nonEmpty())->type_name("CKPT");
    cmd.add_option("--data", a.data, "dataset, as rbm train --data takes (default: the embedded 9,000 + 1,000 digits)")
        ->type_name("DIR");
    CLI::Option* exact = cmd.add_flag("--exact", a.exact, "enumerate the smaller layer (at most 25 units)");
    CLI::Option* ais = cmd.add_option("--ais", a.ais,
                                      "annealed importance sampling with RUNS runs (2 to 100,000) and BETAS "
                                      "intermediate distributions (3 to 10^8; the paper: 100 14500); default 100 3625 "
                                      "when not exact")
                           ->expected(2)
                           ->transform(cli::wholeNumber(2, 100000).application_index(0))
                           ->transform(cli::wholeNumber(3, 100000000).application_index(1))
                           ->type_name("N");
    CLI::Option* reverse = cmd.add_flag("--reverse-ais", a.reverse,
                                        "also run reverse AIS from the held-out digits (the estimate from the other side)");
    exact->excludes(ais);
    ais->excludes(exact);
    exact->excludes(reverse);  // reverse AIS needs AIS
    reverse->excludes(exact);
    cmd.add_flag("--json", a.json, "print one JSON object instead of text");
    cmd.add_option("--seed", a.seed, "random seed of AIS and the bound (default 1)")
        ->transform(cli::wholeNumber(0, 1LL << 62))
        ->type_name("N");
    cmd.add_option("--threads", a.threads, "threads, 1 to 64 (default 2)")->transform(cli::wholeNumber(1, 64))->type_name("N");
}

std::string num(double x, int digits = 2) {
    if (std::isnan(x)) return "n/a";
    if (std::isinf(x)) return x > 0 ? "+inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, x);
    return buf;
}

rbm::Json jnum(double x) { return std::isfinite(x) ? rbm::Json(x) : rbm::Json(); }
rbm::Json jopt(const std::optional<double>& x) { return x ? jnum(*x) : rbm::Json(); }

int evaluate(const EvalArgs& a) {
    const rbm::Checkpoint ckpt = rbm::loadCheckpoint(a.model);
    const rbm::Rbm& m = ckpt.model;
    const rbm::DatasetPair data = studio::loadAnyDataset(a.data).pair;
    if (data.train.pixelsPerImage() != m.nVisible()) {
        throw rbm::Error("the model " + a.model + " has " + std::to_string(m.nVisible()) +
                         " visible units but the images of " + data.train.name + " have " +
                         std::to_string(data.train.pixelsPerImage()) + " pixels.");
    }
    // The digits the studio's estimator uses for this model too (core's evaluation set).
    const rbm::EvaluationBinarization bin = rbm::evaluationBinarization(ckpt.config);
    const rbm::EvaluationSet eval = rbm::evaluationSet(data.train, &data.test, bin);
    const rbm::Matrix& train = eval.train;
    const rbm::Matrix& test = eval.test;

    rbm::LikelihoodOptions o;
    o.threads = a.threads;
    o.reverseAis = a.reverse;
    // The default is core's, the one the studio's live estimate uses too.
    o.ais = a.ais.empty() ? rbm::AisConfig{} : rbm::AisConfig::withBetas(a.ais[0], a.ais[1]);
    o.ais.seed = static_cast<std::uint64_t>(a.seed);
    o.bound.seed = static_cast<std::uint64_t>(a.seed) + 6;
    const int smaller = std::min(m.nVisible(), m.nHidden());
    if (a.exact) {
        if (smaller > 25) {
            throw rbm::Error("--exact: the model's smaller layer has " + std::to_string(smaller) +
                             " units (2^" + std::to_string(smaller) +
                             " states); exact evaluation is limited to 25, use --ais instead.");
        }
    } else if (!a.ais.empty()) {
        o.forceAis = true;
    }
    const bool exact = rbm::canEnumerate(m, o.exactMaxUnits) && !o.forceAis;
    announce(m, exact, o.ais.runs, static_cast<int>(o.ais.schedule().size()), o.reverseAis);
    // Ctrl+C: the computation sees the flag within a chunk or 64 betas and throws.
    rbm::WorkProgress progress;
    o.progress = &progress;
    o.cancel = &g_cancel;
    g_cancel.store(false);
    std::signal(SIGINT, onEvalInterrupt);
    std::optional<rbm::LikelihoodReport> report;
    try {
        const cli::WorkProgressBar bar(progress, exact ? "log Z" : "AIS");
        report = rbm::estimateLikelihood(m, train, test, o);
    } catch (const rbm::Error&) {
        std::signal(SIGINT, SIG_DFL);
        if (!g_cancel.load()) throw;
        std::fprintf(stderr, "rbm eval: cancelled (Ctrl+C) after %.0f%% of the work; nothing was computed\n",
                     100.0 * progress.fraction());
        return 130;
    }
    std::signal(SIGINT, SIG_DFL);
    const rbm::LikelihoodReport& r = *report;
    // With an exact log Z, the data's distance from the model is exact too (exact_distribution.h).
    std::optional<rbm::ExactFit> fitTrain, fitTest;
    if (r.method == "exact") {
        fitTrain = rbm::exactFit(m, rbm::dataDistribution(train), r.logZ);
        if (r.hasTest) fitTest = rbm::exactFit(m, rbm::dataDistribution(test), r.logZ);
    }

    if (a.json) {
        rbm::Json j = rbm::Json::object();
        j.set("model", a.model);
        j.set("visible", m.nVisible());
        j.set("hidden", m.nHidden());
        j.set("dataset", data.train.name);
        j.set("binarization", bin.describe());
        j.set("trainCount", std::int64_t(train.rows()));
        j.set("testCount", std::int64_t(test.rows()));
        j.set("method", r.method);
        j.set("logZ", jnum(r.logZ));
        j.set("logZStdErr", jnum(r.logZStdErr));
        j.set("ess", jnum(r.ess));
        j.set("runs", r.runs);
        j.set("betas", r.betas);
        j.set("reverseLogZ", jopt(r.reverseLogZ));
        j.set("reverseLogZStdErr", jopt(r.reverseLogZStdErr));
        j.set("reverseEss", jopt(r.reverseEss));
        j.set("lowerBound", jopt(r.lowerBound));
        j.set("lowerBoundStates", std::int64_t(r.lowerBoundStates));
        j.set("exactLogZ", jopt(r.exact));
        j.set("avgLogLikTrain", jnum(r.avgLogLikTrain));
        j.set("avgLogLikTest", r.hasTest ? jnum(r.avgLogLikTest) : rbm::Json());
        j.set("avgLogLikTestReverse", jopt(r.avgLogLikTestReverse));
        j.set("upperBoundLogLikTrain", jnum(r.upperBoundLogLikTrain));
        j.set("upperBoundLogLikTest", r.hasTest ? jnum(r.upperBoundLogLikTest) : rbm::Json());
        j.set("klTrain", fitTrain ? jnum(fitTrain->kl) : rbm::Json());
        j.set("klTest", fitTest ? jnum(fitTest->kl) : rbm::Json());
        j.set("dataEntropyTrain", fitTrain ? jnum(fitTrain->dataEntropy) : rbm::Json());
        j.set("distinctTrain", fitTrain ? rbm::Json(std::int64_t(fitTrain->distinctPatterns)) : rbm::Json());
        j.set("reliable", r.reliable);
        j.set("verdict", r.verdict);
        j.set("seconds", r.seconds);
        std::cout << j.dump() << "\n";
        return 0;
    }

    std::cout << "model:        " << a.model << " (" << m.nVisible() << " visible x " << m.nHidden() << " hidden)\n";
    std::cout << "data:         " << data.train.name << ": " << train.rows() << " training, " << test.rows()
              << " held-out digits\n";
    std::cout << "binarization: " << bin.describe() << "\n";
    if (r.method == "exact") {
        std::cout << "log Z:        " << num(r.logZ, 4) << " (exact, all 2^" << smaller
                  << " states of the smaller layer)\n";
    } else {
        std::cout << "log Z:        " << num(r.logZ, 3) << " +/- " << num(r.logZStdErr, 3) << " (AIS, " << r.runs
                  << " runs, " << r.betas << " betas; ESS " << num(r.ess, 1) << " of " << r.runs << ")\n";
        if (r.reverseLogZ) {
            std::cout << "reverse AIS:  " << num(*r.reverseLogZ, 3) << " +/- " << num(*r.reverseLogZStdErr, 3)
                      << " (ESS " << num(*r.reverseEss, 1) << ")\n";
        }
        if (r.lowerBound) {
            std::cout << "lower bound:  log Z >= " << num(*r.lowerBound, 3) << " (rigorous; " << r.lowerBoundStates
                      << " distinct states)\n";
        }
        if (r.exact) std::cout << "exact log Z:  " << num(*r.exact, 4) << "\n";
    }
    std::cout << "average log-likelihood (nats per digit):\n";
    if (r.method == "exact" || r.reliable) {
        std::cout << "  training:   " << num(r.avgLogLikTrain) << "\n";
        if (r.hasTest) std::cout << "  held-out:   " << num(r.avgLogLikTest) << "\n";
        if (r.avgLogLikTestReverse)
            std::cout << "  held-out with reverse AIS's log Z: " << num(*r.avgLogLikTestReverse) << "\n";
    } else {
        std::cout << "  training:   <= " << num(r.upperBoundLogLikTrain) << " (AIS would say "
                  << num(r.avgLogLikTrain) << ")\n";
        if (r.hasTest) {
            std::cout << "  held-out:   <= " << num(r.upperBoundLogLikTest) << " (AIS would say "
                      << num(r.avgLogLikTest) << ")\n";
        }
    }
    if (r.method != "exact" && r.reliable) {
        std::cout << "  upper bound (from the lower bound on log Z): training <= " << num(r.upperBoundLogLikTrain);
        if (r.hasTest) std::cout << ", held-out <= " << num(r.upperBoundLogLikTest);
        std::cout << "\n";
    }
    if (fitTrain) {
        std::cout << "KL(data || model), exact (nats; 0 = the model is the data's distribution):\n";
        std::cout << "  training:   " << num(fitTrain->kl, 4) << " (" << fitTrain->distinctPatterns
                  << " distinct patterns, data entropy " << num(fitTrain->dataEntropy, 4) << ")\n";
        if (fitTest) std::cout << "  held-out:   " << num(fitTest->kl, 4) << "\n";
    }
    std::cout << "verdict:      " << r.verdict << "\n";
    return 0;
}

}  // namespace

Command addEvalCommand(CLI::App& rbm) {
    const auto args = std::make_shared<EvalArgs>();
    CLI::App* cmd = rbm.add_subcommand("eval", "log Z and the average log-likelihood of a checkpoint, in nats");
    declareOptions(*cmd, *args);
    return [args] { return evaluate(*args); };
}
