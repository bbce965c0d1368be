// SPDX-License-Identifier: GPL-3.0-or-later
// Written Indonesian -> the words a careful newsreader says.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/language.h"
#include "text/lexicon.h"
#include "text/segment.h"

namespace warta::text {

namespace rules {
class NormalizerImpl;
}

// Choices a voice profile makes (voices/<name>.yaml, `normalization:`).
struct NormalizerOptions {
  bool read_degrees = false;            // read "S.H., M.Si." after a name (dropped by default)
  bool read_repeated_acronyms = false;  // read "(BPBD)" right after its own expansion
  bool read_dateline_source = false;    // read the site name of a dateline ("mitratoday titik com")
};

// How one written token is said, and why: what `warta lexicon check` lists.
struct TokenReport {
  enum class Source {
    Lexicon,  // an entry of the lexicon said it
    Rule,     // a normalization rule (number, date, abbreviation, known acronym...)
    Guess,    // no data about it: a rule guessed (unknown acronym spelled or said, unknown mixed token)
    Plain     // an ordinary word read as written
  };
  std::string written;  // the token as written, e.g. "DPRD"
  // The article's text this token covers, with its brackets and punctuation,
  // e.g. "(11/6/2025)." or "Rp 1,5 miliar": what captions show. Empty for a
  // pause made by the punctuation of a token already shown.
  std::string shown;
  std::string spoken;  // what is said, e.g. "de pe er de"
  Source source = Source::Plain;
  std::string why;  // short reason, one of text/reasons.h: "lexicon", "acronym spelled: listed", "date" ...
};

class Normalizer {
 public:
  // `language`: number words, letter names, abbreviations... from voices/<lang>/.
  // `lexicon`: pronunciations that override every rule.
  Normalizer(LanguageData language, Lexicon lexicon, NormalizerOptions options = {});

  // The spoken form of one segment's written text: plain words separated by
  // single spaces, with no digits or symbols left for eSpeak to guess. Never
  // throws on valid UTF-8.
  std::string normalize(std::string_view written) const;

  // Fills Segment::spoken and Segment::words for each segment.
  void normalize(std::vector<Segment>& segments) const;

  // Every token of `written` with how it is said and why, in order. The
  // concatenated `spoken` parts equal normalize(written) up to spacing.
  std::vector<TokenReport> explain(std::string_view written) const;

  const NormalizerOptions& options() const;

  // Words that end in a dot without ending a sentence ("Dr", "dll", "Jl"),
  // without the dot: what segmentArticle needs.
  const std::vector<std::string>& abbreviations() const;

  const LanguageData& language() const;
  const Lexicon& lexicon() const;

 private:
  // The data and the tables folded from it, built once here: every call reads
  // them and none changes them, so copies share them and threads may too.
  std::shared_ptr<const rules::NormalizerImpl> impl_;
  std::vector<std::string> abbreviations_;
};

}  // namespace warta::text
