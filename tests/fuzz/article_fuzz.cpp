// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the article reader (plain text and Markdown) either reads
// an article or refuses it with a TextError; it never crashes, hits undefined
// behaviour or throws anything else, and what it reads stays within its limits
// (no headline over kMaxHeadlineChars, no line of the body that was refused).
// The segmenter runs on what it read, as warta does next.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "text/article.h"
#include "text/segment.h"
#include "text/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  // The first byte picks the reader, so one corpus covers both.
  const char* const name = size > 0 && (data[0] & 1) ? "story.md" : "story.txt";
  try {
    const warta::text::Article article = warta::text::parseArticle(content, name);
    if (warta::text::utf8::length(article.headline) > warta::text::kMaxHeadlineChars) std::abort();
    const auto segments = warta::text::segmentArticle(article, {}, {"Dr", "dll", "Jl"});
    for (const auto& s : segments)
      if (s.kind == warta::text::SegmentKind::Sentence &&
          warta::text::utf8::length(s.text) > warta::text::kMaxSentenceChars)
        std::abort();  // a sentence must reach eSpeak in bounded pieces
  } catch (const warta::text::TextError&) {
  }
  return 0;
}
