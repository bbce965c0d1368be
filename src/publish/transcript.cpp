// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/transcript.h"

#include <cctype>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "encode/atomic_file.h"
#include "publish/xml_text.h"

namespace warta::publish {
namespace {

std::string clock(double seconds, char decimal) {
  const long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, decimal,
                ms % 1000);
  return buf;
}

// WebVTT and SRT cue text may not hold "-->" or blank lines; '&' and '<' are markup in WebVTT.
// Controls, U+FFFE/U+FFFF and bad bytes are dropped (publish/xml_text.h).
std::string cueText(const std::string& text, bool vtt) {
  std::string out;
  for (char c : xmlChars(text)) {
    if (c == '\n' || c == '\r') out += ' ';
    else if (vtt && c == '&') out += "&amp;";
    else if (vtt && c == '<') out += "&lt;";
    else if (vtt && c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string vttTime(double seconds) { return clock(seconds, '.'); }
std::string srtTime(double seconds) { return clock(seconds, ','); }

namespace {

// A caption's lines: words packed greedily, at most kCaptionLines lines of at
// most kCaptionLineChars characters (a longer word stands alone on a line).
constexpr std::size_t kCaptionLineChars = 42;
constexpr std::size_t kCaptionLines = 2;
constexpr double kCaptionMinSeconds = 1.0;

std::size_t chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::vector<std::string> splitWords(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The cue's words with times: its own, or its text's words spread over the
// cue by their length when it has none.
std::vector<TimedWord> timedWords(const Cue& cue) {
  if (!cue.words.empty()) return cue.words;
  std::vector<TimedWord> words;
  const std::vector<std::string> texts = splitWords(cue.text);
  std::size_t total = 0;
  for (const auto& w : texts) total += chars(w) + 1;
  double at = cue.start;
  for (const auto& w : texts) {
    const double length =
        total ? (cue.end - cue.start) * static_cast<double>(chars(w) + 1) / static_cast<double>(total) : 0;
    words.push_back({at, at + length, w});
    at += length;
  }
  return words;
}

}  // namespace

std::vector<Caption> captionsFor(const std::vector<Cue>& cues) {
  std::vector<Caption> out;
  for (const Cue& cue : cues) {
    const std::vector<TimedWord> words = timedWords(cue);
    Caption current;
    std::size_t line_chars = 0;
    const auto close = [&](double end) {
      if (current.lines.empty()) return;
      current.end = end;
      out.push_back(std::move(current));
      current = Caption{};
      line_chars = 0;
    };
    for (const TimedWord& w : words) {
      if (w.text.empty()) continue;
      const std::size_t n = chars(w.text);
      const bool fits = !current.lines.empty() && line_chars + 1 + n <= kCaptionLineChars;
      if (!current.lines.empty() && !fits && current.lines.size() == kCaptionLines) close(w.start);
      if (current.lines.empty()) current.start = std::max(cue.start, w.start);
      if (!current.lines.empty() && line_chars + 1 + n <= kCaptionLineChars) {
        current.lines.back() += " " + w.text;
        line_chars += 1 + n;
      } else {
        current.lines.push_back(w.text);
        line_chars = n;
      }
    }
    close(cue.end);
  }
  // At least kCaptionMinSeconds on screen each, never overlapping: a short
  // caption stays up longer and the next one waits for it.
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) out[i].start = std::max(out[i].start, out[i - 1].end);
    out[i].end = std::max(out[i].end, out[i].start + kCaptionMinSeconds);
  }
  return out;
}

std::string toWebVtt(const std::vector<Cue>& cues) {
  std::ostringstream out;
  out << "WEBVTT\n\n";
  const std::vector<Caption> captions = captionsFor(cues);
  for (std::size_t i = 0; i < captions.size(); ++i) {
    out << i + 1 << '\n' << vttTime(captions[i].start) << " --> " << vttTime(captions[i].end) << '\n';
    for (const auto& line : captions[i].lines) out << cueText(line, true) << '\n';
    out << '\n';
  }
  return out.str();
}

std::string toSrt(const std::vector<Cue>& cues) {
  std::ostringstream out;
  const std::vector<Caption> captions = captionsFor(cues);
  for (std::size_t i = 0; i < captions.size(); ++i) {
    out << i + 1 << '\n' << srtTime(captions[i].start) << " --> " << srtTime(captions[i].end) << '\n';
    for (const auto& line : captions[i].lines) out << cueText(line, false) << '\n';
    out << '\n';
  }
  return out.str();
}

std::string toPlainText(const std::vector<Cue>& cues) {
  // Headlines, datelines and subheads on lines of their own, a paragraph's
  // sentences on one line, a blank line between blocks and "* * *" between stories.
  std::string out;
  bool open_paragraph = false;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    const Cue& c = cues[i];
    const bool own_line = c.kind != "sentence";
    if (i > 0) {
      const bool new_story = c.story != cues[i - 1].story;
      if (new_story && c.story >= 0 && cues[i - 1].story >= 0) out += "\n\n* * *\n\n";
      else if (own_line || !open_paragraph || new_story) out += "\n\n";
      else out += " ";
    }
    out += cueText(c.text, false);
    open_paragraph = !own_line && !c.ends_paragraph;
  }
  return out.empty() ? out : out + "\n";
}

namespace {

// Keys stay in the order written (ordered_json), so the files read as the
// Podcasting 2.0 examples do and diffs between builds stay small.
using Json = nlohmann::ordered_json;

// Seconds to the millisecond, the precision of our timeline; nlohmann then
// writes the shortest form that reads back as that value (1.0, 2.5, 75.25).
double milliseconds(double seconds) { return static_cast<double>(std::llround(seconds * 1000.0)) / 1000.0; }

// Two-space indent, UTF-8 kept as UTF-8 (ensure_ascii off). Article text is
// already valid UTF-8 (the reader turns a bad byte into U+FFFD), but titles
// from a rundown or tags may not be: `replace` writes U+FFFD for a bad byte
// instead of throwing while the outputs are being written.
std::string dumped(const Json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string toJsonTranscript(const std::vector<Cue>& cues) {
  Json segments = Json::array();
  for (const Cue& c : cues) {
    Json segment = {
        {"startTime", milliseconds(c.start)}, {"endTime", milliseconds(c.end)}, {"body", cueText(c.text, false)}};
    if (!c.words.empty()) {
      Json words = Json::array();
      for (const TimedWord& w : c.words)
        words.push_back({{"startTime", milliseconds(w.start)}, {"endTime", milliseconds(w.end)}, {"body", w.text}});
      segment["words"] = std::move(words);
    }
    segments.push_back(std::move(segment));
  }
  return dumped({{"version", "1.0.0"}, {"segments", std::move(segments)}});
}

std::string toJsonChapters(const std::vector<ChapterMark>& chapters) {
  Json list = Json::array();
  for (const ChapterMark& c : chapters) list.push_back({{"startTime", milliseconds(c.start)}, {"title", c.title}});
  return dumped({{"version", "1.2.0"}, {"chapters", std::move(list)}});
}

namespace {
constexpr const char* kTextSuffix = ".transcript.txt";
}

TranscriptPaths transcriptPathsFor(const std::filesystem::path& audio) {
  std::filesystem::path base = audio;
  base.replace_extension();
  const auto with = [&](const char* suffix) {
    std::filesystem::path p = base;
    p += suffix;
    return p;
  };
  return {with(".vtt"),           with(".srt"), with(kTextSuffix), with(".transcript.json"),
          with(".chapters.json"), with(".html")};
}

bool isTranscriptText(const std::filesystem::path& file) {
  std::string name = file.filename().string();  // any case, as listArticles takes .TXT too
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string suffix = kTextSuffix;
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::filesystem::path> writeTranscripts(const TranscriptPaths& paths, const std::vector<Cue>& cues,
                                                    const std::vector<ChapterMark>& chapters) {
  const std::pair<const std::filesystem::path*, std::string> files[] = {{&paths.vtt, toWebVtt(cues)},
                                                                        {&paths.srt, toSrt(cues)},
                                                                        {&paths.text, toPlainText(cues)},
                                                                        {&paths.json, toJsonTranscript(cues)},
                                                                        {&paths.chapters, toJsonChapters(chapters)}};
  std::vector<std::filesystem::path> written;
  for (const auto& [file, content] : files) {
    encode::writeFileAtomically(*file, content);
    written.push_back(*file);
  }
  return written;
}

}  // namespace warta::publish
