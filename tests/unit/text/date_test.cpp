// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <string>

#include "text/date.h"
#include "text/template.h"

using warta::text::CalendarDate;
using warta::text::parseIsoDate;

TEST_CASE("parseIsoDate takes real dates written YYYY-MM-DD and nothing else", "[text][date]") {
  REQUIRE(parseIsoDate("2025-06-11"));
  CHECK(*parseIsoDate("2025-06-11") == CalendarDate{2025, 6, 11});
  CHECK(parseIsoDate("2024-02-29"));  // 2024 is a leap year
  CHECK(parseIsoDate("2000-02-29"));  // divisible by 400: leap
  CHECK(parseIsoDate("2025-12-31"));
  CHECK(parseIsoDate("0001-01-01"));
  for (const char* bad :
       {"2025-02-31",       "2025-13-01", "2023-02-29", "1900-02-29", "2025-04-31", "2025-00-01",  "2025-01-00",
        "0000-01-01",       "2025-6-11",  "2025-06-1",  "25-06-11",   "2025/06/11", "2025-06-11 ", " 2025-06-11",
        "2025-06-11T06:00", "11/06/2025", "",           "yyyy-mm-dd", "+025-06-11", "2025-0x-11"}) {
    INFO(bad);
    CHECK_FALSE(parseIsoDate(bad));
  }
}

TEST_CASE("the days of each month follow the Gregorian calendar", "[text][date]") {
  const int days2025[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 1; m <= 12; ++m) CHECK(warta::text::daysInMonth(2025, m) == days2025[m - 1]);
  CHECK(warta::text::daysInMonth(2024, 2) == 29);
  CHECK(warta::text::daysInMonth(2100, 2) == 28);
}

TEST_CASE("date prefixes, shapes, weekdays and day numbers", "[text][date]") {
  CHECK(warta::text::parseIsoDatePrefix("2025-06-11T06:00:00+07:00") == CalendarDate{2025, 6, 11});
  CHECK(warta::text::parseIsoDatePrefix("2025-06-11 06:00") == CalendarDate{2025, 6, 11});
  CHECK_FALSE(warta::text::parseIsoDatePrefix("2025-02-31T06:00"));
  CHECK_FALSE(warta::text::parseIsoDatePrefix("2025-06-112"));
  CHECK(warta::text::looksLikeIsoDate("2025-02-31"));
  CHECK(warta::text::looksLikeIsoDate("2025-2-3"));
  CHECK_FALSE(warta::text::looksLikeIsoDate("11 Juni 2025"));
  CHECK_FALSE(warta::text::looksLikeIsoDate("20250-01-01"));
  CHECK(warta::text::isoDate({2025, 6, 1}) == "2025-06-01");
  // Known days of the week (0 = Sunday): 11 June 2025 was a Wednesday,
  // 1 January 1970 a Thursday, 29 February 2000 a Tuesday, 1 January 1900 a Monday.
  CHECK(warta::text::weekday({2025, 6, 11}) == 3);
  CHECK(warta::text::weekday({1970, 1, 1}) == 4);
  CHECK(warta::text::weekday({2000, 2, 29}) == 2);
  CHECK(warta::text::weekday({1900, 1, 1}) == 1);
  // Unix days: 2000-01-01 is day 10957 (946684800 s / 86400), 1969-12-31 day -1.
  CHECK(warta::text::daysSinceEpoch({2000, 1, 1}) == 10957);
  CHECK(warta::text::daysSinceEpoch({1969, 12, 31}) == -1);
  CHECK(warta::text::daysSinceEpoch({2025, 6, 11}) == 20250);
}

TEST_CASE("fillTemplate fills each placeholder once, left to right", "[text][template]") {
  using warta::text::fillTemplate;
  CHECK(fillTemplate("{show}-{date}.mp3", {{"{show}", "Kabar"}, {"{date}", "2025-06-11"}}) == "Kabar-2025-06-11.mp3");
  CHECK(fillTemplate("{show} {show}", {{"{show}", "A"}}) == "A A");
  // A value is never searched again: "{date}" inside the show stays, and a value holding its own key does not loop.
  CHECK(fillTemplate("{show}/{date}", {{"{show}", "X {date}"}, {"{date}", "D"}}) == "X {date}/D");
  CHECK(fillTemplate("{show}", {{"{show}", "{show}{show}"}}) == "{show}{show}");
  // Unknown placeholders and lone braces are kept.
  CHECK(fillTemplate("{x} { {show", {{"{show}", "S"}}) == "{x} { {show");
  CHECK(fillTemplate("", {{"{show}", "S"}}).empty());
}

TEST_CASE("a duration is whole numbers with units s, m, h, d, repeated, and positive", "[text][date]") {
  using warta::text::parseDuration;
  CHECK(parseDuration("24h") == 86400);
  CHECK(parseDuration("90m") == 5400);
  CHECK(parseDuration("2d") == 172800);
  CHECK(parseDuration("3600s") == 3600);
  CHECK(parseDuration("1h30m") == 5400);
  CHECK(parseDuration("999999s") == 999999);
  for (const char* bad : {"", "h", "24", "24 h", "-1h", "1w", "0h", "0m0s", "1000000s", "1h30", "h30m", "1H"})
    CHECK_FALSE(parseDuration(bad).has_value());
}
