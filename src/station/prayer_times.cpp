// SPDX-License-Identifier: GPL-3.0-or-later
#include "station/prayer_times.h"

#include <cmath>
#include <stdexcept>

namespace warta::station {
namespace {

constexpr double kPi = 3.14159265358979323846;
double rad(double d) { return d * kPi / 180; }
double deg(double r) { return r * 180 / kPi; }
double wrap(double v, double m) { return v - m * std::floor(v / m); }

// Julian day of 0h UT on a Gregorian calendar date (Meeus, Astronomical Algorithms, ch. 7).
double julianDay(int year, int month, int day) {
  if (month <= 2) year -= 1, month += 12;
  const int a = year / 100, b = 2 - a + a / 4;
  return std::floor(365.25 * (year + 4716)) + std::floor(30.6001 * (month + 1)) + day + b - 1524.5;
}

// The sun's declination (degrees) and the equation of time (hours) at Julian
// day `jd` (the low-precision solar coordinates of the Astronomical Almanac, good to ~1').
struct Sun {
  double declination, equation;
};
Sun sunAt(double jd) {
  const double d = jd - 2451545.0;
  const double g = wrap(357.529 + 0.98560028 * d, 360);
  const double q = wrap(280.459 + 0.98564736 * d, 360);
  const double l = wrap(q + 1.915 * std::sin(rad(g)) + 0.020 * std::sin(rad(2 * g)), 360);
  const double e = 23.439 - 0.00000036 * d;
  const double ra = wrap(deg(std::atan2(std::cos(rad(e)) * std::sin(rad(l)), std::cos(rad(l)))) / 15, 24);
  double eqt = q / 15 - ra;
  eqt -= 24 * std::round(eqt / 24);
  return {deg(std::asin(std::sin(rad(e)) * std::sin(rad(l)))), eqt};
}

}  // namespace

PrayerTimes prayerTimes(const PrayerPlace& place, int year, int month, int day, const PrayerRules& rules) {
  const double jd0 = julianDay(year, month, day) - place.longitude / 360;  // local noon's day
  const double lat = rad(place.latitude);
  // Local clock hours of solar noon and of the sun at `altitude` before (-1) or after (+1) noon,
  // the sun's place taken at the time itself (two refinements from an estimate).
  auto noonAt = [&](double hours) {
    return 12 + place.utc_offset - place.longitude / 15 - sunAt(jd0 + (hours - place.utc_offset) / 24).equation;
  };
  auto timeAt = [&](auto altitudeFor, int side, double estimate, const char* what) {
    double t = estimate;
    for (int i = 0; i < 3; ++i) {
      const Sun sun = sunAt(jd0 + (t - place.utc_offset) / 24);
      const double dec = rad(sun.declination);
      const double alt = rad(altitudeFor(sun.declination));
      const double c = (std::sin(alt) - std::sin(lat) * std::sin(dec)) / (std::cos(lat) * std::cos(dec));
      if (c < -1 || c > 1)
        throw std::invalid_argument(place.city + ": the sun does not reach the " + what + " angle there on this day");
      t = noonAt(t) + side * deg(std::acos(c)) / 15;
    }
    return t;
  };
  const double noon = noonAt(12);
  auto fixed = [](double a) { return [a](double) { return a; }; };
  // Asar: the altitude where a shadow is `asr_shadow` times its object plus the noon shadow.
  auto asr = [&](double dec) { return deg(std::atan(1 / (rules.asr_shadow + std::tan(std::abs(lat - rad(dec)))))); };
  const double hours[kPrayers] = {
      timeAt(fixed(-rules.fajr_angle), -1, 5, "Subuh"),
      noon,
      timeAt(asr, +1, 15, "Asar"),
      timeAt(fixed(rules.sunset_altitude), +1, 18, "Magrib"),
      timeAt(fixed(-rules.isha_angle), +1, 19, "Isya"),
  };
  PrayerTimes out{};
  for (std::size_t i = 0; i < kPrayers; ++i) {
    // Rounded up: a schedule never says a time before it has come.
    const double minutes = hours[i] * 60 + rules.ihtiyat_minutes;
    out[i] = static_cast<int>(std::ceil(minutes - 1e-9));
  }
  return out;
}

}  // namespace warta::station
