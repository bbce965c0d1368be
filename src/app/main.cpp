// warta's entry point: the only place that catches errors and picks exit codes
// (0 success, 2 usage or configuration, 1 anything else).
#include <iostream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/yaml_util.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return warta::app::runCli(args, std::cout);
  } catch (const warta::app::UsageError& e) {
    std::cerr << "warta: error: " << e.what() << "\n(see 'warta --help')\n";
    return 2;
  } catch (const warta::app::ConfigError& e) {
    std::cerr << "warta: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "warta: error: " << e.what() << '\n';
    return 1;
  }
}
