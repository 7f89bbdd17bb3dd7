#pragma once
/// The subcommands of `rbm`. app/cli/main.cpp dispatches `rbm <name> args...` to these;
/// each receives the arguments after its name and returns the process exit code:
/// 0 ok, 2 usage error (message on stderr), 1 any other failure.
#include <string>
#include <vector>

/// `rbm eval --model CKPT [--data DIR] [--exact | --ais RUNS BETAS] [--reverse-ais] [--json]`:
/// log Z (exact or AIS with error, ESS and the rigorous lower bound) and the average
/// log-likelihood of training and held-out digits in nats (app/cli/eval_command.cpp).
int runEval(const std::vector<std::string>& args);

/// `rbm train [--data DIR] [--hidden N] [--cd K | --pcd K] ... --out RUN_DIR` (train_command.cpp).
int runTrain(const std::vector<std::string>& args);
/// `rbm dream --model CKPT (--from-test I | --from-image PNG | --from-noise) ... --out strip.png`.
int runDream(const std::vector<std::string>& args);
/// `rbm info CKPT`: shapes, configuration, counters, metrics (info_command.cpp).
int runInfo(const std::vector<std::string>& args);
