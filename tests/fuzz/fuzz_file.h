// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the loader fuzz targets: the loaders read files, so each input is
// written to one scratch file (in /dev/shm when there is one: thousands of
// runs a second) under a fixed name with the extension the loader expects.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace warta::fuzz {

inline std::filesystem::path scratchFile(const std::string& name) {
  static const std::filesystem::path dir = [] {
    std::string templ =
        (std::filesystem::exists("/dev/shm") ? std::string("/dev/shm") : std::string("/tmp")) + "/warta-fuzz-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    // Removed at exit; a crash leaves it, which a crash report makes plain.
    static const std::string keep = templ;
    std::atexit([] { std::filesystem::remove_all(keep); });
    return std::filesystem::path(templ);
  }();
  return dir / name;
}

inline std::filesystem::path writeInput(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path file = scratchFile(name);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) std::abort();
  return file;
}

}  // namespace warta::fuzz
