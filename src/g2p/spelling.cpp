// SPDX-License-Identifier: GPL-3.0-or-later
#include "g2p/spelling.h"

#include "g2p/g2p_error.h"
#include "text/utf8.h"

namespace warta::g2p {

Spelling Spelling::plain(std::string_view letters) {
  Spelling s;
  s.letters = letters;
  s.e.assign(letters.size(), ' ');
  for (std::size_t i = 0; i < letters.size(); ++i)
    if (letters[i] == 'e') s.e[i] = static_cast<char>(EValue::Unknown);
  return s;
}

bool Spelling::glottalK(std::size_t i) const {
  if (keep_k || letters[i] != 'k') return false;
  if (i == 0 || !isVowel(letters[i - 1])) return false;  // an onset (kredit, klaim, mengklaim) or bank
  if (i + 1 == letters.size()) return true;
  const char next = letters[i + 1];
  return !isVowel(next) && next != 'h';
}

std::string Spelling::marked(bool glottal) const {
  std::string out;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (letters[i] == 'e') out += eAt(i) == EValue::Taling ? "é" : eAt(i) == EValue::Pepet ? "ê" : "e";
    else if (glottal && glottalK(i)) out += "ʔ";
    else out += letters[i];
  }
  return out;
}

Spelling& Spelling::operator+=(const Spelling& more) {
  letters += more.letters;
  e += more.e;
  return *this;
}

std::optional<Spelling> readMarked(std::string_view word, bool bare_e_allowed) {
  Spelling s;
  for (std::size_t pos = 0; pos < word.size();) {
    const char32_t cp = text::utf8::toLower(text::utf8::next(word, pos));
    if (cp == U'é' || cp == U'è') s.letters += 'e', s.e += static_cast<char>(EValue::Taling);
    else if (cp == U'ê' || cp == U'ə') s.letters += 'e', s.e += static_cast<char>(EValue::Pepet);
    else if (cp == U'e') {
      if (!bare_e_allowed) throw G2pError("bare e in '" + std::string(word) + "': write é (taling) or ê (pepet)");
      s.letters += 'e', s.e += static_cast<char>(EValue::Unknown);
    } else if (cp >= U'a' && cp <= U'z') s.letters += static_cast<char>(cp), s.e += ' ';
    else return std::nullopt;
  }
  if (s.letters.empty()) return std::nullopt;
  return s;
}

}  // namespace warta::g2p
