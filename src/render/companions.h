// SPDX-License-Identifier: GPL-3.0-or-later
// The files beside a rendered audio file that are made from its report:
// the transcripts and episode page (--transcript) and the talking book
// (--talking-book). Here, not in the CLI, because a batch worker process
// (warta-worker) writes them for its article.
#pragma once

#include <string>
#include <vector>

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

// --talking-book: OUT.epub beside OUT.mp3 (publish/epub.h), from the cues the transcripts are made of.
// `info` has what the command knows (show, station, date); the title defaults to the first headline.
void writeTalkingBookFile(const RenderReport& r, publish::BookInfo info);

}  // namespace warta::app
