// SPDX-License-Identifier: GPL-3.0-or-later
// The reading pace: a voice's rate is real words per minute of the article's
// words, pauses included. eSpeak's own rate parameter is not (it counts
// English-sized words), so each story and line is given the eSpeak rate that
// makes it last as long as its written words take at the asked pace.
//
// eSpeak NG's speech time is close to syllables x syllable_time / rate (its
// rate parameter); the pauses are ours and do not scale. So for a story of W
// written words, S syllables and P seconds of pauses at `wpm`:
//   rate = syllable_time x S / (60 W / wpm - P).
// Part of warta_pipeline; reads voices/<lang>/pace.yaml through yaml_util.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace warta::app {

// voices/<lang>/pace.yaml
struct PaceData {
  // seconds x eSpeak rate per syllable (measured for the language's eSpeak voice)
  double syllable_time = 0;
  // What makes a syllable: its vowel letters and the pairs said as one (ai, au, oi), longest first.
  std::vector<std::string> nuclei;
};

// Reads `language_dir`/pace.yaml. Throws ConfigError with FILE:LINE:COL.
PaceData loadPace(const std::filesystem::path& language_dir);

// Syllables of plain words (lower or upper case): the nuclei found, left to right.
std::size_t countSyllables(const std::string& words, const PaceData& pace);

// Words as written: whitespace-separated tokens.
std::size_t countWords(const std::string& written);

// eSpeak's rate parameter for speech of `syllables` that must take
// 60 * written_words / wpm seconds minus `pause_seconds`, within eSpeak's 80..450.
int espeakRate(std::size_t syllables, std::size_t written_words, double pause_seconds, int wpm, const PaceData& pace);

}  // namespace warta::app
