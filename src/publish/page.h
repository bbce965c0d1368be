// SPDX-License-Identifier: GPL-3.0-or-later
// The episode page: one static, self-contained HTML file (inline CSS and JS,
// no external assets) with an audio player for the rendered file, a download
// link beside it, the chapters as buttons that play from their start, and the
// transcript laid out like the article: each story a <section> under its
// headline (h2), subheads h3, sentences of a paragraph in one <p>. Every
// sentence is one tab stop that plays from its start (Enter, Space or a
// click, also when paused); its words are reached with the arrow keys (or
// clicked) and play from theirs. The sentence and the word being heard are
// highlighted. Usable with the keyboard and a screen reader alone: landmarks,
// lang, a skip link, visible focus, the keys explained on the page, reduced
// motion respected; axe-core finds nothing (tests/e2e/page_test.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "publish/transcript.h"

namespace warta::publish {

struct EpisodeInfo {
  // The page's <title> and <h1>. Empty: show and date, e.g. "Kabar Pagi, 11
  // Juni 2025" (a bulletin), else the audio's file name.
  std::string title;
  std::string audio_file;  // the audio's file name, relative to the page (e.g. "a.mp3")
  double duration = 0;     // seconds; shown until the player reports its own
  // Added last so {title, audio_file, duration} still initializes one.
  std::string show;             // e.g. "Kabar Pagi"
  std::string date;             // as a listener reads it, e.g. "11 Juni 2025"
  std::string language = "id";  // BCP 47: the page's lang
};

// "1:02" or "1:02:03" (hours only when needed), rounded down to the second.
std::string clockTime(double seconds);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string htmlEscape(const std::string& text);

// The title the page shows for `info` (see EpisodeInfo::title).
std::string pageTitle(const EpisodeInfo& info);

std::string episodePage(const EpisodeInfo& info, const std::vector<Cue>& cues,
                        const std::vector<ChapterMark>& chapters);

// Writes episodePage() to `file` atomically (temporary file, then rename).
// Throws std::runtime_error naming the file if it cannot be written.
void writeEpisodePage(const std::filesystem::path& file, const EpisodeInfo& info, const std::vector<Cue>& cues,
                      const std::vector<ChapterMark>& chapters);

}  // namespace warta::publish
