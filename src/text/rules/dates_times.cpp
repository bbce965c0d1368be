// SPDX-License-Identifier: GPL-3.0-or-later
// Dates and times: "11/6/2025", "2025-06-11", "08.30", "10.00 WIB".
#include <algorithm>

#include "text/rules/rules.h"

namespace warta::text::rules {

using namespace detail;

static int daysInMonth(int month, std::optional<long> year) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year) {
    const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    return leap ? 29 : 28;
  }
  return days[month - 1];
}

// d/m/yyyy, d/m/yy, d/m, d-m-yyyy, yyyy-mm-dd. Only real dates: 35/13/2025 is not one.
std::optional<std::string> NormalizerImpl::date(std::string_view core) const {
  const char sep = core.find('/') != std::string_view::npos ? '/' : '-';
  const std::vector<std::string_view> p = split(core, sep);
  if (p.size() < 2 || p.size() > 3 || !std::all_of(p.begin(), p.end(), [](auto s) { return allDigits(s); }))
    return std::nullopt;
  if (sep == '-' && p.size() == 2) return std::nullopt;  // a range: 40-80
  std::string_view d = p[0], m = p[1], y = p.size() == 3 ? p[2] : std::string_view();
  if (p.size() == 3 && p[0].size() == 4) d = p[2], y = p[0];  // ISO
  if (d.size() > 2 || m.size() > 2 || !(y.empty() || y.size() == 2 || y.size() == 4)) return std::nullopt;
  const int day = static_cast<int>(*parseInteger(d)), month = static_cast<int>(*parseInteger(m));
  std::optional<long> year;
  if (!y.empty()) {
    year = static_cast<long>(*parseInteger(y));
    if (y.size() == 2) *year += *year < 70 ? 2000 : 1900;  // 16/11/23: two thousand twenty-three
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year)) return std::nullopt;
  std::string out = numbers_.cardinal(static_cast<std::uint64_t>(day));
  add(out, lang_.calendar.months[static_cast<std::size_t>(month - 1)]);
  if (year) add(out, numbers_.cardinal(static_cast<std::uint64_t>(*year)));
  return out;
}

// 10.00 -> "sepuluh", 08.30 -> "delapan tiga puluh", 08.05 -> "delapan nol lima".
std::optional<std::string> NormalizerImpl::time(std::string_view core) const {
  const auto sep = core.find_first_of(".:");
  if (sep == std::string_view::npos || sep == 0 || sep > 2 || core.size() != sep + 3) return std::nullopt;
  const std::string_view h = core.substr(0, sep), m = core.substr(sep + 1);
  if (!allDigits(h) || !allDigits(m)) return std::nullopt;
  const auto hour = *parseInteger(h), minute = *parseInteger(m);
  if (hour > 24 || minute > 59 || (hour == 24 && minute > 0)) return std::nullopt;
  std::string out = numbers_.cardinal(hour);
  if (minute >= 10) add(out, numbers_.cardinal(minute));
  else if (minute > 0) add(out, numbers_.digits(m));
  return out;
}

namespace dates_times {

bool dateContext(const Walk& w) {
  const Token* prev = w.cursor.previous();
  return w.cursor.current().parenthesised() || NormalizerImpl::in(w.n.date_before_, w.cursor.previousCore()) ||
         (prev != nullptr && NormalizerImpl::in(w.n.date_before_, prev->core));
}

}  // namespace dates_times
}  // namespace warta::text::rules
