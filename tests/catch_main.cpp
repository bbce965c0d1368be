// SPDX-License-Identifier: GPL-3.0-or-later
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char* argv[]) {
  // Renders spawn warta-worker, which lies beside warta, not beside the test
  // programs: the one built, unless the environment names another.
  ::setenv("WARTA_WORKER", WARTA_WORKER_BINARY, 0);
  return Catch::Session().run(argc, argv);
}
