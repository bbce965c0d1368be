// Segments: the units that are spoken, each with the pause that follows it.
#pragma once

#include <cstddef>
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

struct Segment {
  SegmentKind kind = SegmentKind::Sentence;
  std::string text;             // written form, as in the article
  std::string spoken;           // spoken form: filled by the Normalizer, empty until then
  bool ends_paragraph = false;  // last sentence of its paragraph
  double pause_after = 0.0;     // seconds of silence after this segment
  std::size_t line = 0;         // 1-based source line
};

// Splits an article into headline, dateline (the place only, unless
// `keep_dateline_source`), subheads and sentences, and sets each pause from
// `pauses`. Sentence ends are '.', '!', '?' (and '…') followed by space and
// not part of a known abbreviation, a title, an initial or a number
// (`abbreviations` lists words such as "Dr", "dll", "Jl" written without the
// final dot).
std::vector<Segment> segmentArticle(const Article& article, const Pauses& pauses,
                                    const std::vector<std::string>& abbreviations,
                                    bool keep_dateline_source = false);

// The sentences of one paragraph, by the rules above, each trimmed.
std::vector<std::string> splitSentences(std::string_view paragraph, const std::vector<std::string>& abbreviations);

}  // namespace warta::text
