// SPDX-License-Identifier: GPL-3.0-or-later
// Segments: the units that are spoken, each with the pause that follows it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "text/article.h"

namespace warta::text {

enum class SegmentKind { Headline, Dateline, Subhead, Sentence };

// Name used in voice profiles and in `warta normalize` output: "headline",
// "dateline", "subhead", "sentence".
const char* kindName(SegmentKind kind);

// Pause after each kind of segment, in seconds (from the voice profile).
struct Pauses {
  double headline = 0.9;
  double dateline = 0.3;
  double subhead = 0.7;
  double sentence = 0.35;
  double paragraph = 0.75;  // after the last sentence of a paragraph (replaces `sentence`)
};

// One written unit of a segment (a word, or a written group read as one:
// "Rp 1,5 miliar", "80 km") and how many words of the spoken form it became.
struct WrittenWord {
  std::string text;              // as written, with its brackets and punctuation: "(11/6/2025)."
  std::size_t spoken_words = 0;  // consecutive words of Segment::spoken; 0 = not read (a degree)
};

struct Segment {
  SegmentKind kind = SegmentKind::Sentence;
  std::string text;    // written form, as in the article
  std::string spoken;  // spoken form: filled by the Normalizer, empty until then
  // The written units in order, covering every word of `spoken` (filled by
  // the Normalizer; empty if the mapping could not be made, then the segment
  // is one unit). Their texts joined by spaces are what a person reads.
  std::vector<WrittenWord> words;
  bool ends_paragraph = false;  // last sentence of its paragraph
  double pause_after = 0.0;     // seconds of silence after this segment
  std::size_t line = 0;         // 1-based source line
};

// A sentence longer than this many characters is spoken in pieces, cut at a
// comma or else a space, with kLongSentenceBreak seconds between them.
inline constexpr std::size_t kMaxSentenceChars = 400;
inline constexpr double kLongSentenceBreak = 0.2;

// Splits an article into headline, dateline (the place only, unless
// `keep_dateline_source`), subheads and sentences, and sets each pause from
// `pauses`. Sentence ends are '.', '!', '?' (and '…') followed by space and
// not part of a known abbreviation, a title, an initial or a number
// (`abbreviations` lists words such as "Dr", "dll", "Jl" written without the
// final dot).
std::vector<Segment> segmentArticle(const Article& article, const Pauses& pauses,
                                    const std::vector<std::string>& abbreviations, bool keep_dateline_source = false);

// The same segments handed to `emit` one at a time, in order, so a tool that
// prints them never holds them all (memory stays bounded by one paragraph).
// Whatever `emit` throws propagates.
void forEachSegment(const Article& article, const Pauses& pauses, const std::vector<std::string>& abbreviations,
                    bool keep_dateline_source, const std::function<void(Segment&&)>& emit);

// The sentences of one paragraph, by the rules above, each trimmed.
std::vector<std::string> splitSentences(std::string_view paragraph, const std::vector<std::string>& abbreviations);

}  // namespace warta::text
