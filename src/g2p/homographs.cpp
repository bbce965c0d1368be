// SPDX-License-Identifier: GPL-3.0-or-later
#include "g2p/homographs.h"

#include <algorithm>

namespace warta::g2p {
namespace {

bool listed(const std::vector<std::string>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

}  // namespace

Homographs::Homographs(HomographRules rules) : rules_(std::move(rules)) {}

bool Homographs::contains(std::string_view letters) const { return rules_.words.count(std::string(letters)) > 0; }

const Spelling* Homographs::choose(const std::vector<WordInContext>& words, std::size_t index) const {
  const auto it = rules_.words.find(words[index].letters);
  if (it == rules_.words.end()) return nullptr;
  const auto word = [&](std::ptrdiff_t at) -> std::string_view {
    if (at < 0 || at >= static_cast<std::ptrdiff_t>(words.size())) return {};
    return words[static_cast<std::size_t>(at)].letters;
  };
  const auto i = static_cast<std::ptrdiff_t>(index);
  for (const HomographReading& r : it->second.readings) {
    const bool any = !r.previous.empty() || !r.next.empty() || !r.near.empty() || r.capitalized.has_value();
    if (!any) continue;
    if (!r.previous.empty() && !listed(r.previous, word(i - 1))) continue;
    if (!r.next.empty() && !listed(r.next, word(i + 1))) continue;
    if (r.capitalized && *r.capitalized != words[index].capitalized) continue;
    if (!r.near.empty()) {
      bool found = false;
      const auto w = static_cast<std::ptrdiff_t>(rules_.window);
      for (std::ptrdiff_t k = i - w; k <= i + w && !found; ++k)
        if (k != i && listed(r.near, word(k))) found = true;
      if (!found) continue;
    }
    return &r.says;
  }
  return &it->second.fallback;
}

std::vector<std::string> Homographs::names() const {
  std::vector<std::string> out;
  for (const auto& [w, h] : rules_.words) out.push_back(w);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace warta::g2p
