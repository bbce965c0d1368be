// SPDX-License-Identifier: GPL-3.0-or-later
#include "station/station.h"

#include <cstdio>
#include <string>

#include "text/template.h"

namespace warta::station {

std::string timeCheckSentence(int seconds, const StationWords& words, const text::NumberReader& numbers) {
  const int minute_of_day = ((seconds / 60) % (24 * 60) + 24 * 60) % (24 * 60);
  const int hour24 = minute_of_day / 60, minutes = minute_of_day % 60;
  // The spoken clock is a 12-hour one: 00:30 and 12:30 are both "pukul dua belas lewat ...".
  const int hour = hour24 % 12 == 0 ? 12 : hour24 % 12;
  const std::string hour_words = numbers.cardinal(static_cast<std::uint64_t>(hour));
  if (minutes == 0) return text::fillTemplate(words.time_exact, {{"{hour}", hour_words}});
  return text::fillTemplate(
      words.time_past, {{"{hour}", hour_words}, {"{minutes}", numbers.cardinal(static_cast<std::uint64_t>(minutes))}});
}

std::string prayerSentence(const PrayerTimes& times, const StationWords& words) {
  std::string list;
  for (std::size_t i = 0; i < kPrayers; ++i) {
    char clock[16];
    std::snprintf(clock, sizeof clock, "%02d.%02d", (times[i] / 60) % 24, times[i] % 60);
    if (i > 0) list += i + 1 == kPrayers ? words.prayer_last_separator : words.prayer_separator;
    list += text::fillTemplate(words.prayer_item, {{"{name}", words.prayer_names[i]}, {"{time}", clock}});
  }
  return list + ".";
}

text::Article stationArticle(const StationItem& item, const StationContext& c, const std::string& weather_content) {
  text::Article a;
  a.path = c.where;
  auto paragraph = [&](const std::string& t) {
    text::Block b;
    b.text = t;
    b.line = 1;
    a.blocks.push_back(std::move(b));
  };
  switch (item.kind) {
    case StationItem::Kind::TimeCheck:
      if (c.air_time < 0)
        throw text::TextError(c.where + ": 'time_check' needs the rundown's 'air_time' (the time it speaks)");
      a.headline = c.words.time_title;
      paragraph(timeCheckSentence(c.air_time, c.words, c.numbers));
      break;
    case StationItem::Kind::PrayerTimes: {
      const PrayerTimes times = prayerTimes(item.place, c.date.year, c.date.month, c.date.day);
      a.headline = text::fillTemplate(c.words.prayer_title, {{"{city}", item.place.city}});
      paragraph(text::fillTemplate(c.words.prayer_intro, {{"{city}", item.place.city}}));
      paragraph(prayerSentence(times, c.words));
      break;
    }
    case StationItem::Kind::Text: {
      // Written as an article's body would be: paragraphs apart by blank lines.
      a.headline = c.words.announcement_title;
      const text::Article parsed = text::parseArticle(c.words.announcement_title + "\n\n" + item.text, c.where);
      a.blocks = parsed.blocks;
      break;
    }
    case StationItem::Kind::Weather: {
      a.headline = c.words.weather_title;
      const std::vector<std::string> lines = weatherSentences(parseBmkgForecast(weather_content, item.weather), c);
      if (lines.empty())
        throw text::TextError(item.weather + ": the forecast has no entry for " + std::to_string(c.date.year) + "-" +
                              (c.date.month < 10 ? "0" : "") + std::to_string(c.date.month) + "-" +
                              (c.date.day < 10 ? "0" : "") + std::to_string(c.date.day) +
                              (c.air_time >= 0 ? " from the air time on" : "") + " (the rundown's date)");
      for (const auto& line : lines) paragraph(line);
      break;
    }
  }
  return a;
}

}  // namespace warta::station
