// SPDX-License-Identifier: GPL-3.0-or-later
// BMKG's public forecast (api.bmkg.go.id/publik/prakiraan-cuaca?adm4=CODE,
// since 2024): {"lokasi": {...}, "data": [{"lokasi": {"desa", "kecamatan",
// "kotkab", ...}, "cuaca": [[{"local_datetime": "2025-06-11 07:00:00", "t": 24,
// "weather": 1, "weather_desc": "Cerah Berawan", ...}, ...], ...]}]}: one
// entry every 3 hours for 3 days, grouped by day. The older
// data.bmkg.go.id DigitalForecast XML (per province) is not read: its error
// says so.
#include "station/station.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "net/http.h"
#include "text/template.h"

namespace warta::station {
namespace {

using nlohmann::json;

const char* kExpected =
    "expected BMKG's public forecast JSON (api.bmkg.go.id/publik/prakiraan-cuaca?adm4=...: an object with "
    "'lokasi' and 'data', each data item with 'lokasi' and 'cuaca', lists of entries with 'local_datetime', "
    "'t' and 'weather')";

[[noreturn]] void bad(const std::string& name, const std::string& why) {
  throw text::TextError(name + ": " + why + "; " + kExpected);
}

std::string placeName(const json& lokasi) {
  if (!lokasi.is_object()) return {};
  for (const char* key : {"desa", "kecamatan", "kotkab", "kota", "provinsi"})
    if (lokasi.contains(key) && lokasi[key].is_string() && !lokasi[key].get<std::string>().empty())
      return lokasi[key].get<std::string>();
  return {};
}

ForecastEntry entryOf(const json& e, const std::string& name) {
  if (!e.is_object()) bad(name, "a forecast entry is not an object");
  ForecastEntry f;
  if (!e.contains("local_datetime") || !e["local_datetime"].is_string()) bad(name, "an entry has no 'local_datetime'");
  const std::string when = e["local_datetime"].get<std::string>();
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (std::sscanf(when.c_str(), "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi) != 5 || h > 23)
    bad(name, "'local_datetime' '" + when + "' is not \"YYYY-MM-DD HH:MM:SS\"");
  f.date = {y, mo, d};
  f.hour = h;
  if (!e.contains("t") || !e["t"].is_number()) bad(name, "the entry at " + when + " has no temperature 't'");
  f.temperature = e["t"].get<double>();
  if (e.contains("weather") && e["weather"].is_number_integer()) f.code = e["weather"].get<int>();
  if (e.contains("weather_desc") && e["weather_desc"].is_string()) f.description = e["weather_desc"].get<std::string>();
  if (f.code < 0 && f.description.empty())
    bad(name, "the entry at " + when + " has neither 'weather' nor 'weather_desc'");
  return f;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

std::string readForecastFile(const std::string& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw text::TextError(file + ": cannot read the forecast: " + ec.message());
  if (size > kMaxForecastBytes)
    throw text::TextError(file + ": the forecast is " + std::to_string(size) + " bytes; at most " +
                          std::to_string(kMaxForecastBytes) + " are read (one area's forecast is far smaller)");
  std::ifstream in(file, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw text::TextError(file + ": cannot read the forecast");
  return content;
}

bool isForecastUrl(const std::string& where) {
  return where.rfind("http://", 0) == 0 || where.rfind("https://", 0) == 0;
}

std::string fetchForecast(const std::string& url) {
  net::Request request;
  request.url = url;
  request.max_response_bytes = kMaxForecastBytes;
  request.headers.emplace_back("Accept", "application/json");
  const net::Response r = net::perform(request);
  if (r.status != 200)
    throw Error(ErrorKind::Io, url + ": the forecast server answered HTTP " + std::to_string(r.status) + " (not 200)");
  return r.body;
}

std::vector<ForecastPlace> parseBmkgForecast(const std::string& content, const std::string& name) {
  const std::size_t first = content.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && content[first] == '<')
    bad(name, "this is XML (the older data.bmkg.go.id DigitalForecast format, retired in 2024), not JSON");
  json root;
  try {
    root = json::parse(content);
  } catch (const json::parse_error& e) {
    bad(name, std::string("not JSON (") + e.what() + ")");
  }
  if (!root.is_object() || !root.contains("data") || !root["data"].is_array()) bad(name, "no 'data' list");
  const std::string top = root.contains("lokasi") ? placeName(root["lokasi"]) : std::string();
  std::vector<ForecastPlace> places;
  for (const json& item : root["data"]) {
    if (!item.is_object() || !item.contains("cuaca") || !item["cuaca"].is_array())
      bad(name, "a 'data' item has no 'cuaca' list");
    ForecastPlace p;
    p.name = item.contains("lokasi") ? placeName(item["lokasi"]) : std::string();
    if (p.name.empty()) p.name = top;
    if (p.name.empty()) bad(name, "a place has no name in 'lokasi' (desa, kecamatan or kotkab)");
    for (const json& day : item["cuaca"]) {
      if (day.is_array())  // grouped by day, as the API sends it
        for (const json& e : day) p.entries.push_back(entryOf(e, name));
      else p.entries.push_back(entryOf(day, name));
    }
    places.push_back(std::move(p));
  }
  if (places.empty()) bad(name, "'data' is empty");
  return places;
}

std::vector<std::string> weatherSentences(const std::vector<ForecastPlace>& places, const StationContext& c) {
  const StationWords& w = c.words;
  // The period an hour falls in: the last whose first hour is not after it.
  auto periodOf = [&](int hour) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < w.weather_periods.size(); ++i)
      if (w.weather_periods[i].first <= hour) k = i;
    return k;
  };
  // A period is still to come if it ends after the air time.
  auto periodEnd = [&](std::size_t k) {
    return k + 1 < w.weather_periods.size() ? w.weather_periods[k + 1].first : 24;
  };
  std::vector<std::string> out;
  for (const ForecastPlace& place : places) {
    std::vector<std::vector<const ForecastEntry*>> by_period(w.weather_periods.size());
    for (const ForecastEntry& e : place.entries)
      if (e.date.year == c.date.year && e.date.month == c.date.month && e.date.day == c.date.day)
        by_period[periodOf(e.hour)].push_back(&e);
    for (std::size_t k = 0; k < by_period.size(); ++k) {
      if (by_period[k].empty() || (c.air_time >= 0 && periodEnd(k) * 3600 <= c.air_time)) continue;
      // The period's weather: its most common code (the first among equals); its temperatures' range.
      std::map<int, int> count;
      const ForecastEntry* chosen = by_period[k].front();
      double low = chosen->temperature, high = chosen->temperature;
      for (const ForecastEntry* e : by_period[k]) {
        if (++count[e->code] > count[chosen->code]) chosen = e;
        low = std::min(low, e->temperature);
        high = std::max(high, e->temperature);
      }
      const auto known = w.weather_codes.find(chosen->code);
      if (known == w.weather_codes.end() && chosen->description.empty())
        throw text::TextError(place.name + ": BMKG weather code " + std::to_string(chosen->code) +
                              " is not in station.yaml's weather_codes and the entry has no weather_desc");
      const std::string weather = known != w.weather_codes.end() ? known->second : lower(chosen->description);
      const std::string lo = std::to_string(std::lround(low)), hi = std::to_string(std::lround(high));
      out.push_back(text::fillTemplate(lo == hi ? w.weather_sentence_one : w.weather_sentence,
                                       {{"{place}", place.name},
                                        {"{period}", w.weather_periods[k].second},
                                        {"{weather}", weather},
                                        {"{low}", lo},
                                        {"{high}", hi}}));
    }
  }
  return out;
}

}  // namespace warta::station
