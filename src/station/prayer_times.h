// SPDX-License-Identifier: GPL-3.0-or-later
// Today's five prayer times, computed from the sun's position as the
// Indonesian Ministry of Religious Affairs (Kemenag RI) schedules them:
// Subuh at the sun 20 degrees below the eastern horizon, Isya at 18 degrees
// below the western, Asar when a shadow is its object's length plus its noon
// shadow (Shafi'i), Magrib at sunset (upper limb, refraction: -0.8333
// degrees at sea level), each plus an ihtiyat (precaution) of 2 minutes and
// rounded up to the whole minute, as their published schedules are.
#pragma once

#include <array>
#include <string>

namespace warta::station {

struct PrayerPlace {
  std::string city;
  double latitude = 0;    // degrees, north positive
  double longitude = 0;   // degrees, east positive
  double utc_offset = 7;  // hours (WIB +7, WITA +8, WIT +9)
};

// The rules; the defaults are Kemenag RI's.
struct PrayerRules {
  double fajr_angle = 20;            // degrees below the horizon
  double isha_angle = 18;            // degrees below the horizon
  double asr_shadow = 1;             // shadow length factor (1: Shafi'i)
  double sunset_altitude = -0.8333;  // degrees: refraction 34' and the sun's semidiameter 16'
  double ihtiyat_minutes = 2;        // added to each time before rounding up
};

enum class Prayer { Subuh, Zuhur, Asar, Magrib, Isya };
inline constexpr std::size_t kPrayers = 5;

// Minutes after local midnight, in Prayer order.
using PrayerTimes = std::array<int, kPrayers>;

// The times on the given calendar date at `place`. Throws std::invalid_argument
// if the sun never reaches an angle there that day (polar latitudes).
PrayerTimes prayerTimes(const PrayerPlace& place, int year, int month, int day, const PrayerRules& rules = {});

}  // namespace warta::station
