// `rbm`: the command-line front end of RBM Studio's core library.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "rbm/types.h"

namespace {

const char* const kUsage =
    "usage: rbm <command> [options]\n"
    "\n"
    "commands:\n"
    "  train  --out RUN_DIR [--data DIR] [--preset classroom|default|best] [--hidden N]\n"
    "         [--cd K | --pcd K] [--chains N]\n"
    "         [--batch B] [--epochs E] [--optimizer sgd|momentum|adam] [--lr-weights X]\n"
    "         [--lr-biases X] [--momentum X] [--no-momentum-schedule] [--weight-decay X]\n"
    "         [--sparsity-target X] [--sparsity-cost X] [--init hinton|normal]\n"
    "         [--binarize none|threshold|stochastic] [--seed S] [--keep-last N] [--resume CKPT]\n"
    "  dream  --model CKPT (--from-test I | --from-image PNG | --from-noise) --out strip.png\n"
    "         [--data DIR] [--steps N] [--every M] [--beta X] [--mean-field] [--seed S] [--scale K]\n"
    "  eval   --model CKPT [--data DIR] [--exact | --ais RUNS BETAS] [--reverse-ais] [--json]\n"
    "  info   CKPT\n"
    "\n"
    "--data takes an IDX folder (MNIST, Fashion-MNIST, EMNIST names) or 'embedded' (default:\n"
    "the 9,000 / 1,000 MNIST digits built in). A new run starts from the Default preset (500\n"
    "hidden, CD-10, learning rate 0.005, 20 epochs, pixels > 127 as 1); options override it.\n"
    "Exit status: 0 ok, 2 usage error, 1 failure.\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const std::vector<std::string> args(argv + 2, argv + argc);
    try {
        if (command == "train") return runTrain(args);
        if (command == "dream") return runDream(args);
        if (command == "eval") return runEval(args);
        if (command == "info") return runInfo(args);
        std::fprintf(stderr, "rbm: unknown command '%s'\n\n%s", command.c_str(), kUsage);
        return 2;
    } catch (const cli::UsageError& e) {
        std::fprintf(stderr, "rbm %s: %s\n(run 'rbm --help' for the options)\n", command.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "rbm %s: %s\n", command.c_str(), e.what());
        return 1;
    }
}
