// The episode page: one static, self-contained HTML file (inline CSS and JS,
// no external assets) with an audio player for the rendered file, the
// chapters as buttons that seek, and the transcript, one element per cue,
// highlighting the sentence being heard. Usable with the keyboard and a
// screen reader alone: landmarks, lang="id", labelled lists, a skip link,
// visible focus, buttons rather than clickable text, reduced motion respected.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "publish/transcript.h"

namespace warta::publish {

struct EpisodeInfo {
  std::string title;       // the page's <title> and <h1>
  std::string audio_file;  // the audio's file name, relative to the page (e.g. "a.mp3")
  double duration = 0;     // seconds; shown until the player reports its own
};

// "1:02" or "1:02:03" (hours only when needed), rounded down to the second.
std::string clockTime(double seconds);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string htmlEscape(const std::string& text);

std::string episodePage(const EpisodeInfo& info, const std::vector<Cue>& cues, const std::vector<ChapterMark>& chapters);

// Writes episodePage() to `file` atomically (temporary file, then rename).
// Throws std::runtime_error naming the file if it cannot be written.
void writeEpisodePage(const std::filesystem::path& file, const EpisodeInfo& info, const std::vector<Cue>& cues,
                      const std::vector<ChapterMark>& chapters);

}  // namespace warta::publish
