// SPDX-License-Identifier: GPL-3.0-or-later
// warta's own Indonesian letter-to-sound: every plain word of a segment's
// spoken text -> eSpeak NG phonemes, fed to eSpeak as "[[...]]" spans.
//
// Each e is decided by, in order: a mark in the text itself (a lexicon
// respelling "kêdiri"), a homograph's context rule, the word lists, the
// morphology (affixes around a listed root), the fallback rules. Reading
// records which one it was, so `warta lexicon check` can show the guesses.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "g2p/fallback.h"
#include "g2p/homographs.h"
#include "g2p/morphology.h"
#include "g2p/spelling.h"
#include "g2p/word_list.h"

namespace warta::g2p {

// Everything voices/<lang>/ says about letter-to-sound (app::loadLetterToSound).
struct G2pData {
  WordList words;
  MorphologyRules morphology;
  HomographRules homographs;
  FallbackRules fallback;
  // Words no list knows that contain one of these are not Indonesian-looking
  // and are left to eSpeak's own rules ("th", "q", "sh"...).
  std::vector<std::string> foreign_marks;
};

enum class DecidedBy {
  Respelling,  // every e was marked in the text (a lexicon respelling)
  Homograph,   // a context rule of homographs.yaml
  Lexicon,     // the word lists
  Morphology,  // affixes around a listed root (or an e-less one)
  Fallback,    // fallback.yaml's guess
  Espeak,      // not Indonesian-looking, or a lexicon respelling: left to eSpeak as text
};
const char* decidedByName(DecidedBy by);  // "respelling", "homograph", "lexicon" ...

struct Reading {
  std::string written;   // as in the spoken text: "Pemerintahan"
  Spelling spelling;     // decided
  std::string phonemes;  // eSpeak mnemonics; empty for DecidedBy::Espeak
  DecidedBy by = DecidedBy::Fallback;
  std::string why;  // the entry's FILE:LINE, the affixes ("pê-merintah-an"), the rules used
};

class LetterToSound {
 public:
  explicit LetterToSound(G2pData data);

  // Every word of one segment's spoken text, read in context, in order
  // (existing "[[...]]" spans, digits and punctuation are not words).
  std::vector<Reading> read(std::string_view spoken) const;

  // `spoken` with each word read here replaced by its "[[...]]" span; spans
  // already there, punctuation and spacing stay as they are. A reduplicated
  // word (anak-anak) is one span of two phoneme words.
  std::string transcribe(std::string_view spoken) const;

  // One word out of context (a homograph gets its default reading).
  Reading readWord(std::string_view word) const;

  // Words of lexicon respellings ("fesbuk", "gopei"): written for eSpeak's
  // own rules, so unless a word list knows them or they mark their e's, they
  // are left to eSpeak as before. Call before reading anything.
  void leaveToEspeak(const std::vector<std::string>& respelling_words);

  const WordList& words() const { return data_.words; }
  const Homographs& homographs() const { return homographs_; }

 private:
  struct Token {
    std::string_view text;
    bool word = false;
  };
  static std::vector<Token> tokenize(std::string_view spoken);
  Reading readLetters(std::string_view written) const;
  Reading decide(std::string_view written, Spelling spelling) const;

  G2pData data_;
  Morphology morphology_;
  Homographs homographs_;
  Fallback fallback_;
  // Out-of-context readings by written word: news repeats its words, and a
  // long article must stay fast. Not thread safe (warta plans in one thread).
  mutable std::unordered_map<std::string, Reading> memo_;
  std::unordered_set<std::string> respelled_;  // lower-case words of lexicon respellings
};

}  // namespace warta::g2p
