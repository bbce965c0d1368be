// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/pace.h"

#include <algorithm>
#include <cmath>

#include "config/yaml_util.h"
#include "text/utf8.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {
// eSpeak NG's accepted rate range (espeakRATE_MINIMUM .. espeakRATE_MAXIMUM).
constexpr int kEspeakMinRate = 80;
constexpr int kEspeakMaxRate = 450;
}  // namespace

PaceData loadPace(const fs::path& language_dir) {
  const fs::path file = language_dir / "pace.yaml";
  const YAML::Node root = loadYamlFile(file);
  requireMap(file, root, "the pace data");
  rejectUnknownKeys(file, root, {"syllable_time", "nuclei"});
  PaceData pace;
  if (!root["syllable_time"]) throw ConfigError(file.string() + ": 'syllable_time' is required");
  pace.syllable_time = asDouble(file, root["syllable_time"], "syllable_time");
  if (!(pace.syllable_time > 0)) fail(file, root["syllable_time"], "'syllable_time' must be above 0");
  const YAML::Node nuclei = root["nuclei"];
  if (!nuclei || !nuclei.IsSequence() || nuclei.size() == 0)
    throw ConfigError(file.string() + ": 'nuclei' must list the vowels (and vowel pairs) a syllable is made of");
  for (const auto& n : nuclei) pace.nuclei.push_back(text::utf8::toLower(asString(file, n, "nuclei")));
  std::stable_sort(pace.nuclei.begin(), pace.nuclei.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return pace;
}

std::size_t countSyllables(const std::string& words, const PaceData& pace) {
  const std::string lower = text::utf8::toLower(words);
  std::size_t syllables = 0;
  for (std::size_t at = 0; at < lower.size();) {
    const auto match = std::find_if(pace.nuclei.begin(), pace.nuclei.end(),
                                    [&](const std::string& n) { return lower.compare(at, n.size(), n) == 0; });
    if (match != pace.nuclei.end()) {
      ++syllables;
      at += match->size();
    } else {
      ++at;
    }
  }
  return syllables;
}

std::size_t countWords(const std::string& written) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : written) {
    const bool space = c == ' ' || c == '\t' || c == '\n';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

int espeakRate(std::size_t syllables, std::size_t written_words, double pause_seconds, int wpm, const PaceData& pace) {
  const double total = 60.0 * static_cast<double>(written_words) / wpm;
  // The speech must fit what is left after the pauses; at least a third of
  // the time, so a line of long pauses is not read at eSpeak's top speed.
  const double speech = std::max(total - pause_seconds, total / 3);
  if (syllables == 0 || !(speech > 0)) return std::clamp(wpm, kEspeakMinRate, kEspeakMaxRate);
  const long rate = std::lround(pace.syllable_time * static_cast<double>(syllables) / speech);
  return static_cast<int>(std::clamp<long>(rate, kEspeakMinRate, kEspeakMaxRate));
}

}  // namespace warta::app
