// SPDX-License-Identifier: GPL-3.0-or-later
// The talking book: an EPUB 3 with Media Overlays, the form in which
// organisations for the blind distribute books (DAISY's successor). Each
// story is a chapter (an XHTML document in the navigation), every spoken
// segment's text is an element with an id, and a SMIL overlay per chapter
// plays the segment's clip of the MP3 packed inside while a reading system
// highlights (media:active-class) and a braille display shows its text.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "publish/transcript.h"

namespace warta::publish {

struct BookInfo {
  std::string title;            // dc:title (required)
  std::string language = "id";  // dc:language, BCP 47
  std::string author;           // dc:creator; omitted if empty
  std::string publisher;        // dc:publisher; omitted if empty
  std::string date;             // dc:date, e.g. "2025-06-11"; omitted if empty
  std::string description;      // dc:description; omitted if empty
  // dcterms:modified, CCYY-MM-DDThh:mm:ssZ; empty = the date at midnight UTC,
  // else 2000-01-01T00:00:00Z (so the same input gives the same bytes).
  std::string modified;
};

// OUT.epub for OUT.mp3 (the audio path with the extension .epub).
std::filesystem::path talkingBookPathFor(const std::filesystem::path& audio);

// The urn:uuid: identifier of the book: a name-based (version 5, SHA-1) UUID
// of the title, language, date and every cue's text, kind and times, so the
// same input gives the same identifier and a changed bulletin a new one.
std::string talkingBookIdentifier(const BookInfo& info, const std::vector<Cue>& cues);

// Writes `epub` atomically (temporary file in its folder, then rename):
//   mimetype (first, stored), META-INF/container.xml, EPUB/package.opf,
//   EPUB/nav.xhtml (toc), EPUB/style.css, EPUB/chapter-NNN.xhtml and
//   EPUB/chapter-NNN.smil per chapter, EPUB/audio.mp3 (or .m4a) = `audio`.
// Chapters: the opening (cues with story -1 before the first story), one per
// story (its title from the ChapterMark nearest its first cue, else its
// headline), the close (story -1 after the stories). Headline cues are h1,
// subheads h2, the dateline starts the first paragraph, sentences are spans
// of paragraphs (a paragraph ends at ends_paragraph); a story without a
// headline cue gets its chapter title as an unsynchronized h1. Every cue is a
// SMIL par: text src="chapter-NNN.xhtml#cN", audio clipBegin = cue.start,
// clipEnd = cue.end (milliseconds). Throws std::invalid_argument for audio
// that is not MP3 or MP4/AAC (EPUB core media types) or no cues, and
// std::runtime_error naming the file when it cannot be read or written.
void writeTalkingBook(const std::filesystem::path& epub, const BookInfo& info, const std::filesystem::path& audio,
                      const std::vector<Cue>& cues, const std::vector<ChapterMark>& chapters);

}  // namespace warta::publish
