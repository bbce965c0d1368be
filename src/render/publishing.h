// What a render leaves beside its audio, shared by the CLI (`say`, `build`)
// and libwarta: transcripts and the episode page, the talking book, the
// podcast feed's update, and the all-or-nothing staging of those outputs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/rundown.h"
#include "encode/atomic_file.h"
#include "publish/epub.h"
#include "publish/transcript.h"
#include "render/pipeline.h"

namespace warta::app {

// The transcript a person reads: the article's text, or the spoken form (`--transcript spoken`, for editors).
enum class TranscriptText { Written, Spoken };

// The cues a person reads, from the render's timeline: what was said, where.
std::vector<publish::Cue> cuesOf(const RenderReport& r, TranscriptText as);

// OUT.vtt, OUT.srt, OUT.transcript.txt, OUT.transcript.json, OUT.chapters.json
// and the page OUT.html beside OUT.mp3. `title` heads the page (the show and
// date for a bulletin; else the first headline).
void writeTranscriptFiles(const RenderReport& r, TranscriptText as, const std::string& title = {});

// OUT.epub beside OUT.mp3 (publish/epub.h), from the cues the transcripts are made of.
// `info` has what the caller knows (show, station, date); the title defaults to the first headline.
void writeTalkingBookFile(const RenderReport& r, publish::BookInfo info);

// The podcast feed a rundown's `publish:` block keeps: its own `feed:` or feed.xml in the output folder.
std::filesystem::path feedPath(const Publish& pub, const std::filesystem::path& out_dir);

// Adds (or replaces) this episode in the rundown's podcast feed (rundown.publish must be set).
void publishEpisode(const Rundown& rundown, const RenderReport& r, const std::filesystem::path& out_dir);

// Holds the audio and the files written beside it in their temporaries
// until publication.commitAll() (see publishing.cpp).
void stageOutputs(encode::Publication& publication, const std::filesystem::path& audio, bool transcripts,
                  bool talking_book, const std::optional<std::string>& timeline);

}  // namespace warta::app
