// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/template.h"

namespace warta::text {

std::string fillTemplate(std::string_view templ, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  out.reserve(templ.size());
  std::size_t at = 0;
  while (at < templ.size()) {
    bool filled = false;
    if (templ[at] == '{')
      for (const auto& [key, value] : values)
        if (!key.empty() && templ.substr(at, key.size()) == key) {
          out += value;
          at += key.size();
          filled = true;
          break;
        }
    if (!filled) out += templ[at++];
  }
  return out;
}

}  // namespace warta::text
