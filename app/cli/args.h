#pragma once
// A small command-line option reader for the `rbm` subcommands: `--name value` and `--flag`,
// every option declared up front so unknown or malformed ones are usage errors (exit 2).
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

/// Thrown for anything the user typed wrongly; main() prints it with the usage and exits 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    /// `valued`: options that take one value; `flags`: options without a value.
    Args(const std::vector<std::string>& args, const std::set<std::string>& valued,
         const std::set<std::string>& flags);

    bool has(const std::string& name) const;
    std::string text(const std::string& name, const std::string& fallback = {}) const;
    std::string required(const std::string& name) const;
    int integer(const std::string& name, int fallback) const;
    long long integer64(const std::string& name, long long fallback) const;
    double number(const std::string& name, double fallback) const;
    /// At most one of `names` may be given; returns it ("" if none).
    std::string oneOf(const std::vector<std::string>& names) const;

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
};

/// True when stderr is a terminal (progress bars) rather than a file or pipe (one line per epoch).
bool stderrIsTerminal();
/// "1:02:03" or "2:03".
std::string formatDuration(double seconds);

}  // namespace cli
