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
