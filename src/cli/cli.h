// SPDX-License-Identifier: GPL-3.0-or-later
// The warta command line: parses arguments and runs a command over libwarta.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace warta::cli {

// Runs `warta ARGS...` (args exclude the program name), printing results to
// `out`. Returns the exit status of a run that finished (0, or 1 when some
// articles of `say --each` failed); every failure is a warta::Error, which
// main maps to an exit code.
int runCli(const std::vector<std::string>& args, std::ostream& out);

}  // namespace warta::cli
