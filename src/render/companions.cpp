// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/companions.h"

#include <cstdlib>
#include <ctime>

#include "publish/page.h"

namespace warta::app {

std::vector<publish::Cue> cuesOf(const RenderReport& r, TranscriptText as) {
  std::vector<publish::Cue> cues;
  for (const auto& e : r.timeline) {
    if (e.kind != "speech" && e.kind != "opening" && e.kind != "closing") continue;
    publish::Cue c;
    c.start = e.start;
    c.end = e.end;
    c.story = e.story;
    c.kind = e.part.empty() ? e.kind : e.part;
    c.ends_paragraph = e.ends_paragraph;
    if (as == TranscriptText::Spoken) {
      c.text = e.spoken;
    } else {
      c.text = e.label;
      c.words = e.words;
    }
    cues.push_back(std::move(c));
  }
  return cues;
}

// OUT.vtt, OUT.srt, OUT.transcript.txt, OUT.transcript.json, OUT.chapters.json
// and the page OUT.html beside OUT.mp3. `title` heads the page (the show and
// date for a bulletin; else the first headline).
void writeTranscriptFiles(const RenderReport& r, TranscriptText as, const std::string& title) {
  const std::vector<publish::Cue> cues = cuesOf(r, as);
  std::vector<publish::ChapterMark> chapters;
  for (const auto& c : r.chapters) chapters.push_back({c.start, c.title});
  const publish::TranscriptPaths paths = publish::transcriptPathsFor(r.output);
  publish::writeTranscripts(paths, cues, chapters);
  // The episode page beside the audio, which it plays by its file name.
  publish::EpisodeInfo info;
  info.title = !title.empty() ? title : chapters.empty() ? r.output.stem().string() : chapters.front().title;
  info.audio_file = r.output.filename().string();
  info.duration = r.seconds;
  publish::writeEpisodePage(paths.page, info, cues, chapters);
}

// --talking-book: OUT.epub beside OUT.mp3 (publish/epub.h), from the cues the transcripts are made of.
// `info` has what the command knows (show, station, date); the title defaults to the first headline.
void writeTalkingBookFile(const RenderReport& r, publish::BookInfo info) {
  const std::vector<publish::Cue> cues =
      cuesOf(r, TranscriptText::Written);  // a book is read: always the article's words
  std::vector<publish::ChapterMark> chapters;
  for (const auto& c : r.chapters) chapters.push_back({c.start, c.title});
  if (info.title.empty()) info.title = chapters.empty() ? r.output.stem().string() : chapters.front().title;
  if (info.description.empty() && chapters.size() > 1)
    for (const auto& c : chapters) info.description += (info.description.empty() ? "" : "; ") + c.title;
  // dcterms:modified: now, or SOURCE_DATE_EPOCH for a reproducible book.
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) now = static_cast<std::time_t>(std::atoll(epoch));
  std::tm tm{};
  gmtime_r(&now, &tm);
  char modified[32];
  std::strftime(modified, sizeof modified, "%Y-%m-%dT%H:%M:%SZ", &tm);
  info.modified = modified;
  publish::writeTalkingBook(publish::talkingBookPathFor(r.output), info, r.output, cues, chapters);
}

}  // namespace warta::app
