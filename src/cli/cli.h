// SPDX-License-Identifier: GPL-3.0-or-later
// The warta command line: parses arguments and runs a command.
#pragma once

#include "warta/error.h"

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace warta::app {

// Wrong command-line use: exit code 2, with a hint to --help.
class UsageError : public warta::Error {
 public:
  explicit UsageError(const std::string& message) : Error(ErrorKind::Usage, message) {}
};

// Runs `warta ARGS...` (args exclude the program name), printing results to
// `out`. Returns 0; every failure is an exception (UsageError, ConfigError,
// TextError, SpeechError, AudioError) that main maps to an exit code.
int runCli(const std::vector<std::string>& args, std::ostream& out);

}  // namespace warta::app
