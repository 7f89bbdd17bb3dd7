#pragma once
// What every `rbm` command declares its options with (CLI11): value checks that say what was
// wrong in the option's own terms, and the error for a combination only a command can judge.
#include <CLI/CLI.hpp>
#include <climits>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cli {

/// Thrown for anything the user typed wrongly that CLI11 cannot see (a combination the core
/// refuses, an index beyond the data); main() prints it with a hint to --help and exits 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What the command is doing now, with the file it is about ("loading the data in DIR"):
/// main() names it when the process runs out of memory, the last resort behind the checks
/// that refuse an oversized shape before allocating.
void setActivity(std::string what);
const std::string& activity();

/// Refuses an empty text (`--out ""`), which would otherwise mean "here" or "nothing".
CLI::Validator nonEmpty();

/// A whole number from `lo` to `hi`, read as decimal: CLI11 on its own reads "010" as octal
/// and "0x10" as hex, which no option of `rbm` means. Rewrites the text in plain decimal so
/// CLI11's conversion afterwards reads the same number.
CLI::Validator wholeNumber(long long lo = -INT_MAX, long long hi = INT_MAX);

/// A finite number from `lo` to `hi`: "nan", "inf" and "1e400" are refused, not passed on.
CLI::Validator number(double lo = -HUGE_VAL, double hi = HUGE_VAL);

/// Accepts exactly the texts `parse` accepts; `parse` throws with the message to show. The
/// core keeps the one list of names (optimizers, presets, binarizations), not the command line.
template <typename Parse>
CLI::Validator parsedBy(Parse parse) {
    return CLI::Validator(
        [parse](std::string& text) -> std::string {
            try {
                parse(text);
                return {};
            } catch (const std::exception& e) {
                return e.what();
            }
        },
        "");
}

}  // namespace cli
