// SPDX-License-Identifier: GPL-3.0-or-later
// Filling "{name}" placeholders: the output file name ("{show}-{date}.mp3")
// and the opening and close phrases ("{show}, edisi {weekday}, {date}.")
// are filled here and nowhere else.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warta::text {

// `templ` with every placeholder in `values` (key with braces, e.g. "{show}")
// replaced by its value, in one pass from left to right: a value is never
// searched again, so a show named "A {date}" stays "A {date}". Text that
// matches no key (a lone '{', "{other}") is kept as written.
std::string fillTemplate(std::string_view templ, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace warta::text
