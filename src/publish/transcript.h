// SPDX-License-Identifier: GPL-3.0-or-later
// Transcripts of a render: WebVTT and SRT (one cue per spoken segment, i.e.
// per sentence, headline or subhead), plain text, and Podcasting 2.0 JSON
// chapters. Times come from the mixer's timeline, so a cue starts exactly
// where its sentence's audio starts.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace warta::publish {

// One written word of a cue and when it is heard: the article's own word
// ("TNI", "(11/6/2025)", "Rp 1,5 miliar" may be one written unit said as
// several spoken words), never the spoken respelling.
struct TimedWord {
  double start = 0;  // seconds from the start of the audio
  double end = 0;    // seconds; words are in order and never overlap
  std::string text;  // as written, markup-free
};

// One spoken segment (a headline, dateline, subhead or sentence; or the
// bulletin's opening or close) as a person reads it.
struct Cue {
  double start = 0;               // seconds
  double end = 0;                 // seconds
  std::string text;               // what the article wrote, markup-free and tidied (or the spoken form, for editors)
  int story = -1;                 // 0-based story, -1 for the opening and close
  std::string kind = "sentence";  // headline, dateline, subhead, sentence, opening, closing
  bool ends_paragraph = false;    // the last sentence of its paragraph
  std::vector<TimedWord> words;   // text's words with their times; empty if unknown
};

struct ChapterMark {
  double start = 0;  // seconds
  std::string title;
};

// "00:01:02.345" (WebVTT) and "00:01:02,345" (SRT); hours always shown.
std::string vttTime(double seconds);
std::string srtTime(double seconds);

// One caption on screen: at most 2 lines of at most 42 characters (a single
// longer word stands alone), cut at word boundaries by the words' times.
struct Caption {
  double start = 0;  // seconds
  double end = 0;    // seconds; at least 1 s after start, at most the next caption's start
  std::vector<std::string> lines;
};

// The captions of `cues`: a long sentence becomes several, each shown from
// its first word's start; cues without word times are cut by text length.
std::vector<Caption> captionsFor(const std::vector<Cue>& cues);

std::string toWebVtt(const std::vector<Cue>& cues);  // captionsFor(cues) as WebVTT
std::string toSrt(const std::vector<Cue>& cues);     // and as SRT
// The article's structure: headline, dateline and subheads on their own
// lines, a paragraph's sentences on one line, "* * *" between stories.
std::string toPlainText(const std::vector<Cue>& cues);
// Podcasting 2.0 JSON transcript: {"version": "1.0.0", "segments": [{"startTime",
// "endTime", "body", "words": [{"startTime", "endTime", "body"}]}]}, one segment per cue.
std::string toJsonTranscript(const std::vector<Cue>& cues);
// {"version": "1.2.0", "chapters": [{"startTime": 12.3, "title": "..."}]}
std::string toJsonChapters(const std::vector<ChapterMark>& chapters);

// The files a transcript run writes beside AUDIO (e.g. bulletin.mp3): the one
// place their names are made. The plain text is bulletin.transcript.txt, a
// name no one mistakes for an article (`say --each` never reads it as one).
struct TranscriptPaths {
  std::filesystem::path vtt;       // bulletin.vtt
  std::filesystem::path srt;       // bulletin.srt
  std::filesystem::path text;      // bulletin.transcript.txt
  std::filesystem::path json;      // bulletin.transcript.json (Podcasting 2.0, with word times)
  std::filesystem::path chapters;  // bulletin.chapters.json
  std::filesystem::path page;      // bulletin.html, the episode page
  std::vector<std::filesystem::path> all() const { return {vtt, srt, text, json, chapters, page}; }
};
TranscriptPaths transcriptPathsFor(const std::filesystem::path& audio);

// True for a name transcriptPathsFor gives the plain text ("x.transcript.txt").
bool isTranscriptText(const std::filesystem::path& file);

// Writes paths.vtt, .srt, .text, .json and .chapters (not the page), each
// atomically (temporary file, then rename). Returns the paths written.
// Throws std::runtime_error naming the file that could not be written.
std::vector<std::filesystem::path> writeTranscripts(const TranscriptPaths& paths, const std::vector<Cue>& cues,
                                                    const std::vector<ChapterMark>& chapters);

}  // namespace warta::publish
