// `rbm eval`: log Z and the average log-likelihood of a checkpoint on binarized digits.
//
//   rbm eval --model CKPT [--data DIR] [--exact | --ais RUNS BETAS] [--reverse-ais] [--json]
//            [--seed N] [--threads N]
//
// Without --exact or --ais, models whose smaller layer has at most 25 units are evaluated
// exactly and larger ones with AIS at the default schedule (100 runs, 3,625 betas). --ais forces
// AIS (the exact value is still reported when it can be computed, for comparison). The
// rigorous lower bound on log Z is always given with AIS, and when the AIS estimate fails the
// checks (below the bound, tiny ESS, forward/reverse disagreement) the held-out log-likelihood
// is reported as an upper bound only.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "rbm/ais.h"
#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/evaluation_set.h"
#include "rbm/json.h"
#include "rbm/partition_function.h"

namespace {

const char* kUsage =
    "usage: rbm eval --model CKPT [--data DIR] [--exact | --ais RUNS BETAS] [--reverse-ais] [--json]\n"
    "                [--seed N] [--threads N]\n"
    "  --model CKPT     checkpoint (.npz) to evaluate\n"
    "  --data DIR       IDX folder or images file (default: the embedded 9,000 + 1,000 digits)\n"
    "  --exact          enumerate the smaller layer (at most 25 units)\n"
    "  --ais RUNS BETAS annealed importance sampling with RUNS runs and BETAS intermediate\n"
    "                   distributions (the paper: 100 14500); default 100 3625 when not exact\n"
    "  --reverse-ais    also run reverse AIS from the held-out digits (the estimate from the other side)\n"
    "  --json           print one JSON object instead of text\n";

struct UsageError {
    std::string message;
};

struct EvalArgs {
    std::string model;
    std::string data;
    bool exact = false;
    bool ais = false;
    int runs = 100;
    int betas = 3625;
    bool reverse = false;
    bool json = false;
    std::uint64_t seed = 1;
    int threads = 2;
};

long long parseInteger(const std::string& option, const std::string& text, long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || v < lo || v > hi) {
        throw UsageError{option + " expects a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + ", got '" + text + "'"};
    }
    return v;
}

EvalArgs parseArgs(const std::vector<std::string>& args) {
    EvalArgs a;
    auto value = [&](std::size_t& i, const std::string& option) -> const std::string& {
        if (i + 1 >= args.size()) throw UsageError{option + " needs a value"};
        return args[++i];
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& s = args[i];
        if (s == "--model") {
            a.model = value(i, s);
        } else if (s == "--data") {
            a.data = value(i, s);
        } else if (s == "--exact") {
            a.exact = true;
        } else if (s == "--ais") {
            a.ais = true;
            a.runs = int(parseInteger("--ais RUNS", value(i, s), 2, 100000));
            a.betas = int(parseInteger("--ais BETAS", value(i, "--ais RUNS BETAS"), 3, 100000000));
        } else if (s == "--reverse-ais") {
            a.reverse = true;
        } else if (s == "--json") {
            a.json = true;
        } else if (s == "--seed") {
            a.seed = std::uint64_t(parseInteger(s, value(i, s), 0, (1LL << 62)));
        } else if (s == "--threads") {
            a.threads = int(parseInteger(s, value(i, s), 1, 64));
        } else if (s == "--help" || s == "-h") {
            throw UsageError{""};
        } else {
            throw UsageError{"unknown argument '" + s + "'"};
        }
    }
    if (a.model.empty()) throw UsageError{"--model CKPT is required"};
    if (a.exact && a.ais) throw UsageError{"--exact and --ais exclude each other"};
    if (a.exact && a.reverse) throw UsageError{"--reverse-ais needs AIS (not --exact)"};
    return a;
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
    const rbm::DatasetPair data = rbm::loadDataset(a.data);
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
    o.ais = rbm::AisConfig::withBetas(a.runs, a.betas);
    o.ais.seed = a.seed;
    o.bound.seed = a.seed + 6;
    const int smaller = std::min(m.nVisible(), m.nHidden());
    if (a.exact) {
        if (smaller > 25) {
            throw rbm::Error("--exact: the model's smaller layer has " + std::to_string(smaller) +
                             " units (2^" + std::to_string(smaller) +
                             " states); exact evaluation is limited to 25, use --ais instead.");
        }
    } else if (a.ais) {
        o.forceAis = true;
    }
    const rbm::LikelihoodReport r = rbm::estimateLikelihood(m, train, test, o);

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
    std::cout << "verdict:      " << r.verdict << "\n";
    return 0;
}

}  // namespace

int runEval(const std::vector<std::string>& args) {
    EvalArgs a;
    try {
        a = parseArgs(args);
    } catch (const UsageError& e) {
        if (e.message.empty()) {  // --help
            std::cout << kUsage;
            return 0;
        }
        std::cerr << "rbm eval: " << e.message << "\n" << kUsage;
        return 2;
    }
    try {
        return evaluate(a);
    } catch (const std::exception& e) {
        std::cerr << "rbm eval: " << e.what() << "\n";
        return 1;
    }
}
