// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/date.h"

#include <utility>

#include <cstdio>

namespace warta::text {

namespace {
constexpr int kMonthsInYear = 12;
constexpr int kLongestMonth = 31;
constexpr std::size_t kIsoDateLength = 10;  // "YYYY-MM-DD"

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int digitsAt(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool leapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

int daysInMonth(int year, int month) {
  static constexpr int kDays[kMonthsInYear] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > kMonthsInYear) return 0;
  return month == 2 && leapYear(year) ? 29 : kDays[month - 1];
}

std::optional<CalendarDate> parseIsoDate(std::string_view text) {
  if (text.size() != kIsoDateLength || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!isDigit(text[i])) return std::nullopt;
  const CalendarDate d{digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2)};
  if (d.year < 1 || d.month < 1 || d.month > kMonthsInYear || d.day < 1 || d.day > daysInMonth(d.year, d.month))
    return std::nullopt;
  return d;
}

std::optional<CalendarDate> parseIsoDatePrefix(std::string_view text) {
  if (text.size() > kIsoDateLength && text[kIsoDateLength] != 'T' && text[kIsoDateLength] != ' ') return std::nullopt;
  return parseIsoDate(text.substr(0, kIsoDateLength));
}

bool looksLikeIsoDate(std::string_view text) {
  std::size_t i = 0;
  auto run = [&](std::size_t min, std::size_t max) {
    std::size_t n = 0;
    while (i < text.size() && isDigit(text[i]) && n < max) ++i, ++n;
    return n >= min && !(i < text.size() && isDigit(text[i]));
  };
  if (!run(4, 4) || i >= text.size() || text[i++] != '-') return false;
  if (!run(1, 2) || i >= text.size() || text[i++] != '-') return false;
  return run(1, 2);
}

std::string isoDate(const CalendarDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
  return buf;
}

// Howard Hinnant's days_from_civil (public domain): exact for every Gregorian date.
long long daysSinceEpoch(const CalendarDate& d) {
  const long long y = d.year - (d.month <= 2 ? 1 : 0);
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int weekday(const CalendarDate& d) {
  const long long days = daysSinceEpoch(d);  // 1970-01-01 was a Thursday (4)
  return static_cast<int>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

std::optional<long long> parseDuration(std::string_view text) {
  // Units as a table: a number then one of these, repeated ("1h30m").
  static constexpr std::pair<char, long long> kUnits[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
  constexpr std::size_t kMaxDigits = 6;
  long long total = 0;
  std::size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    long long n = 0;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (i - start == kMaxDigits) return std::nullopt;
      n = n * 10 + (text[i++] - '0');
    }
    if (i == start || i == text.size()) return std::nullopt;
    long long unit = 0;
    for (const auto& [c, seconds] : kUnits)
      if (text[i] == c) unit = seconds;
    if (unit == 0) return std::nullopt;
    total += n * unit;
    ++i;
  }
  if (total <= 0) return std::nullopt;
  return total;
}

}  // namespace warta::text
