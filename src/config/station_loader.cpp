// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/station_loader.h"

#include "config/yaml_util.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {

YAML::Node section(const fs::path& file, const YAML::Node& root, const char* key,
                   std::initializer_list<const char*> keys) {
  const YAML::Node node = root[key];
  if (!node) fail(file, root, std::string("missing key '") + key + "'");
  requireMap(file, node, std::string("'") + key + "'");
  rejectUnknownKeys(file, node, keys);
  for (const char* k : keys)
    if (!node[k]) fail(file, node, std::string("'") + key + "' needs '" + k + "'");
  return node;
}

std::string text(const fs::path& file, const YAML::Node& node, const char* key) {
  const std::string s = asString(file, node[key], key);
  if (s.empty()) fail(file, node[key], std::string("'") + key + "' must not be empty");
  return s;
}

}  // namespace

station::StationWords loadStationWords(const fs::path& language_dir) {
  const fs::path file = language_dir / "station.yaml";
  const YAML::Node root = loadYamlFile(file);
  requireMap(file, root, "a language data file");
  rejectUnknownKeys(file, root, {"time_check", "prayer_times", "announcement", "weather"});
  station::StationWords w;
  const YAML::Node time = section(file, root, "time_check", {"title", "exact", "past"});
  w.time_title = text(file, time, "title");
  w.time_exact = text(file, time, "exact");
  w.time_past = text(file, time, "past");
  const YAML::Node prayer =
      section(file, root, "prayer_times", {"title", "intro", "names", "item", "separator", "last_separator"});
  w.prayer_title = text(file, prayer, "title");
  w.prayer_intro = text(file, prayer, "intro");
  w.prayer_item = text(file, prayer, "item");
  w.prayer_separator = text(file, prayer, "separator");
  w.prayer_last_separator = text(file, prayer, "last_separator");
  const YAML::Node names = prayer["names"];
  if (!names.IsSequence() || names.size() != station::kPrayers)
    fail(file, names, "'names' must list the five prayers: Subuh, Zuhur, Asar, Magrib, Isya");
  for (std::size_t i = 0; i < station::kPrayers; ++i) w.prayer_names[i] = asString(file, names[i], "names");
  w.announcement_title = text(file, section(file, root, "announcement", {"title"}), "title");
  const YAML::Node weather =
      section(file, root, "weather", {"title", "sentence", "sentence_one_temperature", "periods", "codes"});
  w.weather_title = text(file, weather, "title");
  w.weather_sentence = text(file, weather, "sentence");
  w.weather_sentence_one = text(file, weather, "sentence_one_temperature");
  const YAML::Node periods = weather["periods"];
  if (!periods.IsSequence() || periods.size() == 0) fail(file, periods, "'periods' must be a list of { from, name }");
  for (const auto& p : periods) {
    requireMap(file, p, "a period");
    rejectUnknownKeys(file, p, {"from", "name"});
    if (!p["from"] || !p["name"]) fail(file, p, "a period needs 'from' (its first hour) and 'name'");
    const int from = asInt(file, p["from"], "from");
    const int before = w.weather_periods.empty() ? -1 : w.weather_periods.back().first;
    if (from <= before || from > 23 || (w.weather_periods.empty() && from != 0))
      fail(file, p["from"], "periods must start at hour 0 and go up, each 'from' an hour 0-23");
    w.weather_periods.emplace_back(from, text(file, p, "name"));
  }
  const YAML::Node codes = weather["codes"];
  requireMap(file, codes, "'codes'");
  for (const auto& c : codes) w.weather_codes[asInt(file, c.first, "codes")] = asString(file, c.second, "codes");
  return w;
}

}  // namespace warta::app
