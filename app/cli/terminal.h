#pragma once
// What the `rbm` commands need to know about where their messages go.
#include <string>

namespace cli {

/// True when stderr is a terminal (progress bars) rather than a file or pipe (one line per epoch).
bool stderrIsTerminal();
/// "1:02:03" or "2:03".
std::string formatDuration(double seconds);

}  // namespace cli
