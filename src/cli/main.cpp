// SPDX-License-Identifier: GPL-3.0-or-later
// warta's entry point: the only place that catches errors and picks exit codes
// (0 success, 2 usage or configuration, 1 anything else, 128 + N when
// stopped by signal N: SIGINT, SIGTERM, SIGHUP).
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "warta/warta.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  // Runs that start workers and write outputs stop cleanly on a signal;
  // other commands keep the default (ending at once, nothing to clean).
  if (!args.empty() && (args[0] == "say" || args[0] == "build")) warta::stopOnSignals();
  try {
    return warta::cli::runCli(args, std::cout);
  } catch (const warta::Error& e) {
    switch (e.kind()) {
      case warta::ErrorKind::Interrupted:
        // Thrown, not exited: by now the workers are gone and every
        // destructor removed its temporaries and scratch folders.
        std::cerr << "warta: " << e.what() << '\n';
        return 128 + e.signal();
      case warta::ErrorKind::Usage:
        std::cerr << "warta: error: " << e.what() << "\n(see 'warta --help')\n";
        return 2;
      case warta::ErrorKind::Config:
        std::cerr << "warta: error: " << e.what() << '\n';
        return 2;
      default:
        std::cerr << "warta: error: " << e.what() << '\n';
        return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "warta: error: " << e.what() << '\n';
    return 1;
  }
}
