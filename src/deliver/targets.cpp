// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliver/targets.h"

#include <cstdio>

#include "text/date.h"

namespace warta::deliver {

std::string describe(const Target& target) {
  if (const auto* f = std::get_if<FolderTarget>(&target.kind)) return "folder " + (f->folder / f->name).string();
  if (const auto* a = std::get_if<AzuraCastTarget>(&target.kind))
    return "azuracast " + a->url + " station " + std::to_string(a->station);
  if (const auto* l = std::get_if<LibreTimeTarget>(&target.kind)) return "libretime " + l->url;
  const auto& r = std::get<RivendellTarget>(target.kind);
  return "rivendell cart " + std::to_string(r.cart) + " in " + r.folder.string();
}

std::optional<int> parseClockTime(const std::string& text) {
  int h = 0, m = 0, s = 0;
  char end = 0;
  const bool with_seconds = text.size() == 8 && std::sscanf(text.c_str(), "%2d:%2d:%2d%c", &h, &m, &s, &end) == 3;
  const bool without = text.size() == 5 && std::sscanf(text.c_str(), "%2d:%2d%c", &h, &m, &end) == 2;
  for (std::size_t i : {0, 1, 3, 4})
    if (i < text.size() && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  if (!with_seconds && !without) return std::nullopt;
  if (h > 23 || m > 59 || s > 59) return std::nullopt;
  return h * 3600 + m * 60 + s;
}

std::time_t localTimeOn(const std::string& date, int seconds) {
  const std::optional<text::CalendarDate> d = text::parseIsoDate(date);
  std::tm tm{};
  tm.tm_year = (d ? d->year : 1970) - 1900;
  tm.tm_mon = (d ? d->month : 1) - 1;
  tm.tm_mday = d ? d->day : 1;
  tm.tm_hour = seconds / 3600;
  tm.tm_min = seconds / 60 % 60;
  tm.tm_sec = seconds % 60;
  tm.tm_isdst = -1;  // the zone's rule for that day
  return std::mktime(&tm);
}

std::string formatLocal(std::time_t t, const char* format) {
  std::tm local{};
  localtime_r(&t, &local);
  char text[64];
  std::strftime(text, sizeof text, format, &local);
  return text;
}

std::string isoLocal(std::time_t t) {
  std::string zone = formatLocal(t, "%z");  // "+0700"
  if (zone.size() == 5) zone.insert(3, ":");
  return formatLocal(t, "%Y-%m-%dT%H:%M:%S") + zone;
}

std::optional<std::time_t> parseIsoLocal(const std::string& text) {
  int y, mo, d, h, mi, s, zh, zm;
  char sign = 0;
  if (text.size() != 25 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &s, &sign, &zh, &zm) != 9 ||
      (sign != '+' && sign != '-'))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const std::time_t utc = timegm(&tm);
  const std::time_t offset = (zh * 3600 + zm * 60) * (sign == '+' ? 1 : -1);
  return utc - offset;
}

}  // namespace warta::deliver
