// SPDX-License-Identifier: GPL-3.0-or-later
// A word as warta says it, in letters: every e marked taling or pepet, and
// whether a syllable-closing k stays /k/. The word lists write it "dêngan",
// "séktor keep-k"; the test tables write glottal k as ʔ ("tidaʔ").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace warta::g2p {

// What an e is said as. Unknown: not decided yet.
enum class EValue : char { Unknown = '?', Taling = 'T', Pepet = 'P' };

struct Spelling {
  std::string letters;  // lower-case ASCII letters, e unmarked: "dengan" ('-' joins reduplicated parts)
  std::string e;        // one char per letter: an EValue under each e, ' ' elsewhere
  bool keep_k = false;  // syllable-closing k said /k/ (European loans), not a glottal stop

  // `letters` with every e Unknown.
  static Spelling plain(std::string_view letters);

  EValue eAt(std::size_t i) const { return static_cast<EValue>(e[i]); }
  void setE(std::size_t i, EValue v) { e[i] = static_cast<char>(v); }
  bool decided() const { return e.find(static_cast<char>(EValue::Unknown)) == std::string::npos; }
  bool hasE() const { return letters.find('e') != std::string::npos; }

  // Whether the k at `i` is a glottal stop: it closes a syllable after a
  // vowel (word end, a hyphen or a consonant follows; "kh" is /x/, not a k)
  // and keep_k is off.
  bool glottalK(std::size_t i) const;

  // "dêngan" (é taling, ê pepet, e undecided); with `glottal`, ʔ for each glottal k.
  std::string marked(bool glottal = false) const;

  Spelling& operator+=(const Spelling& more);
};

// Reads a marked word: é and è taling, ê and ə pepet, other letters a-z (any
// case). A bare e is an error unless `bare_e_allowed` (then it is Unknown).
// nullopt when the word has a letter outside those (ñ, ß, a digit...).
// Throws G2pError for a bare e that is not allowed.
std::optional<Spelling> readMarked(std::string_view word, bool bare_e_allowed);

// Whether `c` is a, e, i, o or u.
inline bool isVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace warta::g2p
