// Written Indonesian -> the words a careful newsreader says.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text/language.h"
#include "text/lexicon.h"
#include "text/segment.h"

namespace warta::text {

class Normalizer {
 public:
  // `language`: number words, letter names, abbreviations... from voices/<lang>/.
  // `lexicon`: pronunciations that override every rule.
  Normalizer(LanguageData language, Lexicon lexicon);

  // The spoken form of one segment's written text: plain words separated by
  // single spaces, with no digits or symbols left for eSpeak to guess. Never
  // throws on valid UTF-8.
  std::string normalize(std::string_view written) const;

  // Fills Segment::spoken for each segment.
  void normalize(std::vector<Segment>& segments) const;

  // Words that end in a dot without ending a sentence ("Dr", "dll", "Jl"),
  // without the dot: what segmentArticle needs.
  const std::vector<std::string>& abbreviations() const;

  const LanguageData& language() const { return language_; }
  const Lexicon& lexicon() const { return lexicon_; }

 private:
  LanguageData language_;
  Lexicon lexicon_;
  std::vector<std::string> abbreviations_;
};

}  // namespace warta::text
