// SPDX-License-Identifier: GPL-3.0-or-later
// The station's own segments (issue 16), items in a rundown's `stories:`
// beside articles: the time check, today's prayer times, an announcement and
// BMKG's weather forecast. Each becomes an article (text/article.h) that goes
// through the same text pipeline as a story; its headline is the chapter's
// title and is not spoken. The words and sentence templates are language
// data (voices/<lang>/station.yaml, read by config/station_loader.h).
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "station/prayer_times.h"
#include "text/article.h"
#include "text/date.h"
#include "text/numbers.h"

namespace warta::station {

// voices/<lang>/station.yaml. Templates use {name} placeholders (text/template.h).
struct StationWords {
  // Time check: {hour} (12-hour clock, in words), {minutes} (in words).
  std::string time_title, time_exact, time_past;
  // Prayer times: {city}; an item is {name} and {time} ("04.19", read by the normalizer).
  std::string prayer_title, prayer_intro, prayer_item, prayer_separator, prayer_last_separator;
  std::array<std::string, kPrayers> prayer_names;
  std::string announcement_title;
  // Weather: {place}, {period}, {weather}, {low}, {high} (degrees Celsius, digits).
  std::string weather_title, weather_sentence, weather_sentence_one;
  std::vector<std::pair<int, std::string>> weather_periods;  // (first hour, name), ascending from 0
  std::map<int, std::string> weather_codes;                  // BMKG weather code -> words
};

struct StationItem {
  enum class Kind { TimeCheck, PrayerTimes, Text, Weather };
  Kind kind = Kind::Text;
  PrayerPlace place;    // PrayerTimes
  std::string text;     // Text: the announcement as written
  std::string weather;  // Weather: a file (resolved) or URL
};

// What a segment is made from besides itself.
struct StationContext {
  const StationWords& words;
  const text::NumberReader& numbers;
  text::CalendarDate date;  // the rundown's date
  int air_time = -1;        // seconds after midnight; -1: none given
  std::string where;        // "RUNDOWN:LINE:COL" of the item, for errors
};

// "Pukul tujuh tepat." / "Pukul enam lewat lima puluh menit." for `seconds`
// after midnight (the minute it falls in; 12-hour clock).
std::string timeCheckSentence(int seconds, const StationWords& words, const text::NumberReader& numbers);

// "Subuh pukul 04.19, ..., dan Isya pukul 19.00."
std::string prayerSentence(const PrayerTimes& times, const StationWords& words);

// One place's forecast entry (BMKG public API).
struct ForecastEntry {
  text::CalendarDate date;
  int hour = 0;             // local time
  int code = -1;            // BMKG weather code
  std::string description;  // weather_desc as BMKG wrote it
  double temperature = 0;   // degrees Celsius
};
struct ForecastPlace {
  std::string name;
  std::vector<ForecastEntry> entries;
};

// Parses BMKG's public forecast JSON (api.bmkg.go.id/publik/prakiraan-cuaca?adm4=...:
// `lokasi` and `data`[].`cuaca`[][] entries with local_datetime, t, weather,
// weather_desc). `name` names the source in errors. Throws text::TextError
// saying which format it expects (also for the older DigitalForecast XML).
std::vector<ForecastPlace> parseBmkgForecast(const std::string& content, const std::string& name);

// The largest forecast file read: a province's 3-day forecast is ~1 MB.
inline constexpr std::size_t kMaxForecastBytes = 4 * 1024 * 1024;
// Reads a forecast file whole. Throws text::TextError naming it if unreadable or too large.
std::string readForecastFile(const std::string& file);

// GETs a forecast URL (net/http.h; BMKG's API at
// api.bmkg.go.id/publik/prakiraan-cuaca?adm4=CODE), at most kMaxForecastBytes.
// Throws warta::Error(Io) naming the URL for a transport failure or a status other than 200.
std::string fetchForecast(const std::string& url);

// Whether a `weather:` value is a URL (http:// or https://) rather than a file.
bool isForecastUrl(const std::string& where);

// One sentence per place and period of `date` (the periods from `air_time`
// on, when given): "Blitar, pagi: cerah berawan, suhu 24 sampai 29 derajat Celsius."
std::vector<std::string> weatherSentences(const std::vector<ForecastPlace>& places, const StationContext& context);

// The segment as an article: headline = the chapter's title, blocks = what is said.
// `weather_content` is the forecast's text for a Weather item (read or fetched by the caller).
// Throws text::TextError (e.g. a time check without air_time).
text::Article stationArticle(const StationItem& item, const StationContext& context,
                             const std::string& weather_content = {});

}  // namespace warta::station
