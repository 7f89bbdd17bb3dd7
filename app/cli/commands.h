#pragma once
/// The subcommands of `rbm`. Each add*Command declares its subcommand and options on the
/// top-level CLI11 app (app/cli/main.cpp) and returns what runs it once the command line has
/// parsed; that returns the exit code: 0 ok, 1 any failure. A bad command line throws (CLI11's
/// ParseError or cli::UsageError) and main() exits 2.
#include <functional>

namespace CLI {
class App;
}

using Command = std::function<int()>;

/// `rbm train [--data DIR] [--hidden N] [--cd K | --pcd K] ... --out RUN_DIR` (train_command.cpp).
Command addTrainCommand(CLI::App& rbm);
/// `rbm dream --model CKPT (--from-test I | --from-image PNG | --from-noise) ... --out strip.png`.
Command addDreamCommand(CLI::App& rbm);
/// `rbm eval --model CKPT [--data DIR] [--exact | --ais RUNS BETAS] [--reverse-ais] [--json]`:
/// log Z (exact or AIS with error, ESS and the rigorous lower bound) and the average
/// log-likelihood of training and held-out digits in nats (eval_command.cpp).
Command addEvalCommand(CLI::App& rbm);
/// `rbm info CKPT`: shapes, configuration, counters, metrics (info_command.cpp).
Command addInfoCommand(CLI::App& rbm);
