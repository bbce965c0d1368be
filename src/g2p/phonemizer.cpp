// SPDX-License-Identifier: GPL-3.0-or-later
#include "g2p/phonemizer.h"

#include <string_view>
#include <vector>

namespace warta::g2p {
namespace {

struct Phone {
  std::string symbol;
  bool vowel = false;
  bool pepet = false;
};

// Letters said by one eSpeak phoneme of another name; the rest are said as written.
struct Grapheme {
  std::string_view letters;
  std::string_view phoneme;
  bool before_vowel_only;  // "ny", "sy": digraphs only in front of a vowel
};
constexpr Grapheme kGraphemes[] = {
    {"ng", "N", false}, {"ny", "n^", true}, {"sy", "S", true}, {"kh", "x", false}, {"c", "tS", false},
    {"j", "dZ", false}, {"y", "j", false},  {"q", "k", false}, {"x", "ks", false},
};
// Vowel pairs said as one gliding syllable at the end of a word (pantai, pulau).
constexpr std::string_view kFinalDiphthongs[][2] = {{"ai", "aI"}, {"au", "aU"}};

}  // namespace

std::string toPhonemes(const Spelling& s) {
  // Reduplicated words (anak-anak): each part is a word of its own, with its own stress.
  if (const std::size_t hyphen = s.letters.find('-'); hyphen != std::string::npos) {
    Spelling first, rest;
    first.letters = s.letters.substr(0, hyphen), first.e = s.e.substr(0, hyphen), first.keep_k = s.keep_k;
    rest.letters = s.letters.substr(hyphen + 1), rest.e = s.e.substr(hyphen + 1), rest.keep_k = s.keep_k;
    return toPhonemes(first) + " " + toPhonemes(rest);
  }
  const std::string& w = s.letters;
  std::vector<Phone> phones;
  for (std::size_t i = 0; i < w.size();) {
    const char c = w[i];
    if (isVowel(c)) {
      bool diphthong = false;
      for (const auto& [pair, phoneme] : kFinalDiphthongs)
        if (i + 2 == w.size() && w.compare(i, 2, pair) == 0) {
          phones.push_back({std::string(phoneme), true, false});
          diphthong = true;
        }
      if (diphthong) break;
      // Two a's meet (saat, maaf, keadaan): a glottal stop between them.
      if (c == 'a' && !phones.empty() && phones.back().symbol == "a") phones.push_back({"?", false, false});
      if (c != 'e') phones.push_back({std::string(1, c), true, false});
      else phones.push_back({s.eAt(i) == EValue::Taling ? "e" : "@", true, s.eAt(i) != EValue::Taling});
      ++i;
      continue;
    }
    if (c == 'k' && s.glottalK(i)) {
      phones.push_back({"?", false, false});
      ++i;
      continue;
    }
    if (c == 'r') {  // eSpeak's own Indonesian uses the tap R2 before a vowel, R elsewhere
      phones.push_back({i + 1 < w.size() && isVowel(w[i + 1]) ? "R2" : "R", false, false});
      ++i;
      continue;
    }
    bool matched = false;
    for (const auto& g : kGraphemes) {
      if (w.compare(i, g.letters.size(), g.letters) != 0) continue;
      const std::size_t after = i + g.letters.size();
      if (g.before_vowel_only && !(after < w.size() && isVowel(w[after]))) continue;
      phones.push_back({std::string(g.phoneme), false, false});
      i = after;
      matched = true;
      break;
    }
    if (!matched) phones.push_back({std::string(1, c), false, false}), ++i;
  }
  // Taling is open [E] in a closed syllable (oléh, séktor), close-mid [e] in an open one (saté, désa).
  for (std::size_t p = 0; p < phones.size(); ++p) {
    if (phones[p].symbol != "e") continue;
    const bool closed =
        p + 1 < phones.size() && !phones[p + 1].vowel && (p + 2 == phones.size() || !phones[p + 2].vowel);
    if (closed) phones[p].symbol = "E";
  }
  std::vector<std::size_t> nuclei;
  for (std::size_t p = 0; p < phones.size(); ++p)
    if (phones[p].vowel) nuclei.push_back(p);
  std::size_t stressed = phones.size();
  // A lone pepet (ke, se) is left unstressed: a clitic, and no schwa is stressed.
  if (nuclei.size() == 1 && !phones[nuclei[0]].pepet) stressed = nuclei[0];
  else if (nuclei.size() > 1) {
    // The second-last; after a pepet the last; when both are pepets, the
    // nearest vowel before them that is not (zakêrbêrg: z'ak@Rb@Rg).
    const std::size_t penult = nuclei[nuclei.size() - 2];
    stressed = penult;
    if (phones[penult].pepet) {
      stressed = nuclei.back();
      if (phones[stressed].pepet)
        for (std::size_t k = nuclei.size() - 2; k-- > 0;)
          if (!phones[nuclei[k]].pepet) {
            stressed = nuclei[k];
            break;
          }
      if (phones[stressed].pepet) stressed = penult;
    }
  }
  std::string out;
  for (std::size_t p = 0; p < phones.size(); ++p) {
    if (p == stressed) out += '\'';
    out += phones[p].symbol;
  }
  return out;
}

}  // namespace warta::g2p
