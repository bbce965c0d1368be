// SPDX-License-Identifier: GPL-3.0-or-later
// `warta lexicon check`: what an editor reads before air. Every token of an
// article that is not a plain dictionary word (acronyms, numbers, dates,
// mixed tokens, lexicon words, unknown capitalized names) with how warta will
// say it and why, from Normalizer::explain().
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "render/pipeline.h"
#include "speech/voice_profile.h"
#include "text/normalizer.h"

namespace warta::app {

struct LexiconCheckRow {
  std::size_t line = 0;  // first line of the article where the token is written
  std::string written;   // as written, e.g. "DPRD"
  std::string spoken;    // what is said, e.g. "de pe er de" (eSpeak phonemes as "[[...]]")
  text::TokenReport::Source source = text::TokenReport::Source::Plain;  // Plain: an unknown name
  std::string why;  // "guess: acronym said: syllable shape", "lexicon (voices/id/lexicon.yaml:12)" ...
};

// The rows of one article: each distinct written token once, at its first
// line; guesses first (unknown names, acronyms and mixed tokens no data
// covers), then rules, then lexicon words, each group in line order. Plain
// words are left out except a capitalized word inside a sentence that no
// lexicon knows (a name read as written): it counts as a guess. Capitalized
// words of headlines and subheads count only when the body also writes them
// so; a word the article also writes in lower case is not a name. Words whose
// e (pepet or taling) warta's letter-to-sound decided by its fallback rules,
// not a word list or the morphology, are guesses too ("bêmpêlang", why:
// "guess: e by the fallback rules (...)").
// Throws TextError for an unreadable article.
std::vector<LexiconCheckRow> lexiconCheckRows(const std::filesystem::path& article, Narrator& narrator,
                                              const speech::VoiceProfile& voice);

// Prints the rows of each article as an aligned table, one group after the
// other under a "# FILE: ..." heading:
//   FILE:LINE  written  ->  spoken  (why)
// `extra_lexicons` are merged over the voice's own lexicon, later ones
// winning (as a rundown's `lexicons:` are). Returns 0, the exit status.
int lexiconCheck(const std::vector<std::string>& articles, const speech::VoiceProfile& voice, std::ostream& out,
                 const std::vector<std::filesystem::path>& extra_lexicons = {});

}  // namespace warta::app
