// SPDX-License-Identifier: GPL-3.0-or-later
// The one calendar date of warta: a rundown's `date:`, an article's front
// matter `date:`, the ID3 TDRC and RIFF date, a Broadcast WAV's origination
// date and the feed's episode date are all read by parseIsoDate, so
// 2025-02-31 is refused everywhere alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace warta::text {

// A day of the proleptic Gregorian calendar.
struct CalendarDate {
  int year = 0;   // 0001..9999 (four digits)
  int month = 0;  // 1..12
  int day = 0;    // 1..the month's length (29 February only in a leap year)

  friend bool operator==(const CalendarDate&, const CalendarDate&) = default;
};

// The number of days in `month` (1..12) of `year`.
int daysInMonth(int year, int month);

// A real date written exactly YYYY-MM-DD (ISO 8601 calendar date, four-digit
// year from 0001); nullopt for anything else: another shape ("2025-6-1",
// "11/06/2025", trailing text), month 13, day 0, 31 April, 29 February 2023.
std::optional<CalendarDate> parseIsoDate(std::string_view text);

// The leading YYYY-MM-DD of a date-time ("2025-06-11T06:00:00+07:00",
// "2025-06-11 06:00"): nullopt if `text` does not start with one followed by
// the end, 'T' or a space. What front matter written by other tools holds.
std::optional<CalendarDate> parseIsoDatePrefix(std::string_view text);

// True if `text` starts with the shape of an ISO date, real or not
// (DDDD-D{1,2}-D{1,2}): text that means to be a date, so a wrong one is an error.
bool looksLikeIsoDate(std::string_view text);

// "YYYY-MM-DD".
std::string isoDate(const CalendarDate& date);

// Day of the week, 0 = Sunday .. 6 = Saturday.
int weekday(const CalendarDate& date);

// Days since 1970-01-01 (negative before).
long long daysSinceEpoch(const CalendarDate& date);

// A duration as producers write one in a rundown (`since: 24h`, `expires:
// 1h30m`): a whole number and a unit (s, m, h, d), repeated; each number at
// most 6 digits. Seconds, or nullopt if not that shape or not positive.
std::optional<long long> parseDuration(std::string_view text);

}  // namespace warta::text
