// `rbm`: the command-line front end of RBM Studio's core library.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "commands.h"
#include "options.h"

namespace {

const char* const kFooter =
    "--data takes an IDX folder (MNIST, Fashion-MNIST, EMNIST names), a folder of PNG/JPEG\n"
    "pictures (one subfolder per class), a .csv, .npy or .npz file, bars-and-stripes:RxC or\n"
    "'embedded' (default: the 9,000 / 1,000 MNIST digits built in). A new run starts from the Default preset (500\n"
    "hidden, CD-10, learning rate 0.005, 20 epochs, pixels > 127 as 1); options override it.\n"
    "'rbm COMMAND --help' lists a command's options.\n"
    "Exit status: 0 ok, 2 a malformed command line, 1 any other failure (a file that cannot be\n"
    "read or written is named).";

/// What CLI11 does not recognise stays in the command's leftovers (allow_extras), so that it
/// can be named the way `rbm` always named it instead of "arguments were not expected".
void rejectLeftovers(const CLI::App& command) {
    const std::vector<std::string> left = command.remaining();
    if (left.empty()) return;
    const std::string& first = left.front();
    if (first.size() > 1 && first[0] == '-') throw cli::UsageError("unknown option " + first.substr(0, first.find('=')));
    throw cli::UsageError("unexpected argument '" + first + "'");
}

int usageError(const std::string& who, const std::string& message, const std::string& usage) {
    std::fprintf(stderr, "%s: %s\n%s(run '%s --help' for the options)\n", who.c_str(), message.c_str(), usage.c_str(),
                 who.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("rbm: trains Restricted Boltzmann Machines on digit images, dreams with them, evaluates them.",
                 "rbm");
    const auto format = std::make_shared<CLI::Formatter>();
    format->label("Usage", "usage");
    format->column_width(26);
    app.formatter(format);
    const std::map<std::string, Command> commands = {{"train", addTrainCommand(app)},
                                                     {"dream", addDreamCommand(app)},
                                                     {"eval", addEvalCommand(app)},
                                                     {"info", addInfoCommand(app)}};
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) sub->allow_extras();
    // Set after the subcommands: they would inherit the footer and the subcommand count.
    app.footer(kFooter);
    app.require_subcommand(1);
    app.set_version_flag("--version", "rbm " RBM_VERSION " (RBM Studio)");

    const std::string first = argc > 1 ? argv[1] : "";
    if (first.empty()) {
        std::fputs(app.help().c_str(), stderr);
        return 2;
    }
    if (first == "help") {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    }
    if (first[0] != '-' && !commands.count(first)) {
        std::fprintf(stderr, "rbm: unknown command '%s'\n(run 'rbm --help' for the commands)\n", first.c_str());
        return 2;
    }
    const std::string who = commands.count(first) ? "rbm " + first : "rbm";
    const CLI::App* command = commands.count(first) ? app.get_subcommand(first) : &app;
    try {
        try {
            app.parse(argc, argv);
            command = app.get_subcommands().front();  // require_subcommand(1): exactly one
            rejectLeftovers(*command);
        } catch (const CLI::ParseError& e) {
            if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version: on stdout, exit 0
            // A mistyped option (`--ot x`) is the cause of the "--out is required" after it.
            rejectLeftovers(*command);
            return usageError(who, e.what(), format->make_usage(command, who));
        }
        return commands.at(command->get_name())();
    } catch (const cli::UsageError& e) {
        return usageError(who, e.what(), "");
    } catch (const std::bad_alloc&) {
        // Shapes are checked before allocating (memory_limits.h); this is the last resort.
        const std::string& doing = cli::activity();
        std::fprintf(stderr, "%s: out of memory%s%s\n", who.c_str(), doing.empty() ? "" : " while ", doing.c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 1;
    }
}
