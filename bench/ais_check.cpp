// ais-check: how far a forward-AIS schedule is from a long reference run, and what it costs.
// The measurement behind the default AisConfig (issue 14; bench/RESULTS.md, AIS section):
//
//   ais-check --model CKPT [--data DIR|embedded] [--runs R] [--betas K] [--schedule NAME]
//             [--seeds N] [--seed S]
//
// Runs forward AIS (core's forwardAis, one thread) N times with seeds S, S+1, ... on the
// model's evaluation set (core's evaluationSet: the digits `rbm eval` and the studio use) and
// prints, per seed, log Z, its stated standard error, the ESS and the CPU seconds, then the
// mean, the spread (standard deviation over seeds) and the standard error of the mean.
// --schedule: "default" (AisConfig{}: core's default, --runs and --betas ignored),
// "paper" (the three linear segments of Salakhutdinov & Murray in their proportions, at K
// betas) or "adaptive" (core's pilot-spaced schedule at K betas).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "rbm/ais.h"
#include "rbm/checkpoint.h"
#include "rbm/dataset.h"
#include "rbm/evaluation_set.h"

using namespace rbm;

namespace {

struct Options {
    std::string model, data, schedule = "default";
    int runs = 100, betas = 3625, seeds = 3;
    std::uint64_t seed = 1;
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: ais-check --model CKPT [--data DIR] [--runs R] [--betas K] "
                 "[--schedule default|paper|adaptive] [--seeds N] [--seed S]\n");
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage();
        const std::string v = argv[++i];
        if (a == "--model") o.model = v;
        else if (a == "--data") o.data = v;
        else if (a == "--runs") o.runs = std::atoi(v.c_str());
        else if (a == "--betas") o.betas = std::atoi(v.c_str());
        else if (a == "--schedule") o.schedule = v;
        else if (a == "--seeds") o.seeds = std::atoi(v.c_str());
        else if (a == "--seed") o.seed = std::strtoull(v.c_str(), nullptr, 10);
        else usage();
    }
    if (o.model.empty() || o.seeds < 1) usage();
    return o;
}

AisConfig configFor(const Options& o) {
    if (o.schedule == "default") return AisConfig{};
    AisConfig c = AisConfig::withBetas(o.runs, o.betas);
    if (o.schedule == "adaptive") c.adaptive = true;
    else if (o.schedule == "paper") c.adaptive = false;
    else usage();
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse(argc, argv);
        const Checkpoint ckpt = loadCheckpoint(o.model);
        const DatasetPair data = loadDataset(o.data);
        const EvaluationSet eval = evaluationSet(data.train, &data.test, evaluationBinarization(ckpt.config));
        AisConfig c = configFor(o);
        c.threads = 1;
        std::printf("%s: %d x %d, schedule %s, %d runs x %d betas\n", o.model.c_str(), ckpt.model.nVisible(),
                    ckpt.model.nHidden(), o.schedule.c_str(), c.runs, c.betaCount());
        std::vector<double> z;
        double cpu = 0;
        for (int s = 0; s < o.seeds; ++s) {
            c.seed = o.seed + std::uint64_t(s);
            const std::clock_t t0 = std::clock();
            const AisResult r = forwardAis(ckpt.model, eval.train, c);
            const double sec = double(std::clock() - t0) / CLOCKS_PER_SEC;
            cpu += sec;
            z.push_back(r.logZ);
            std::printf("  seed %llu: log Z %.3f +/- %.3f  ESS %5.1f  %.1f s CPU\n", (unsigned long long)c.seed, r.logZ,
                        r.stdErr, r.ess, sec);
            std::fflush(stdout);
        }
        double mean = 0;
        for (double x : z) mean += x / double(z.size());
        double var = 0;
        for (double x : z) var += (x - mean) * (x - mean);
        const double sd = z.size() > 1 ? std::sqrt(var / double(z.size() - 1)) : 0.0;
        std::printf("  mean log Z %.3f  sd over seeds %.3f  s.e. of the mean %.3f  CPU %.1f s per estimate\n", mean,
                    sd, sd / std::sqrt(double(z.size())), cpu / double(z.size()));
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "ais-check: %s\n", e.what());
        return 1;
    }
}
