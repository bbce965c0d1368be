// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/installed.h"

#include <dlfcn.h>

#include <cstdint>

namespace warta::app {

std::filesystem::path findInstalled(const std::filesystem::path& under_prefix) {
  namespace fs = std::filesystem;
  Dl_info info{};
  const auto* here = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(&findInstalled));
  if (::dladdr(here, &info) == 0 || info.dli_fname == nullptr) return {};
  std::error_code ec;
  const fs::path self = fs::weakly_canonical(info.dli_fname, ec);
  if (ec || !self.is_absolute()) return {};
  for (const char* up : {"..", "../.."}) {
    const fs::path candidate = (self.parent_path() / up / under_prefix).lexically_normal();
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return {};
}

}  // namespace warta::app
