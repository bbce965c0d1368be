// SPDX-License-Identifier: GPL-3.0-or-later
// Text -> tokens: typography made plain, forgotten spaces put back, words split
// at spaces into what opens them, the word, and what closes it.
#include "text/rules/rules.h"

#include <cstddef>

namespace warta::text::rules {

using namespace detail;

// Longest word glued to a number that splitGlued looks at ("RT" of "RT.003").
constexpr std::size_t kGluedWordMaxChars = 16;

namespace {

bool isLeadChar(char c) { return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == '*' || c == '`'; }
bool isTrailChar(char c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == ',' || c == '.' || c == ';' || c == ':' ||
         c == '!' || c == '?' || c == '*' || c == '`';
}

}  // namespace

std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size()) break;
    std::size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    std::string_view raw(text.data() + i, end - i);
    Token t;
    std::size_t a = 0, b = raw.size();
    while (a < b && isLeadChar(raw[a])) ++a;
    while (b > a && isTrailChar(raw[b - 1])) --b;
    // "Rp750.000,-" keeps its ",-"; "(1/10)." its date.
    t.lead = std::string(raw.substr(0, a));
    t.core = std::string(raw.substr(a, b - a));
    t.trail = std::string(raw.substr(b));
    tokens.push_back(std::move(t));
    i = end;
  }
  return tokens;
}

// Typography to plain ASCII punctuation, invalid bytes and symbols that only
// decorate (bullets) to spaces, and the spaces that writers forget after a
// comma or a full stop put back.
std::string prepare(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  bool space = false;
  auto put = [&](std::string_view piece) {
    if (space && !out.empty()) out += ' ';
    space = false;
    out.append(piece);
  };
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t at = pos;
    const char32_t cp = utf8::next(s, pos);
    if (utf8::isZeroWidth(cp)) continue;
    // Invalid or overlong bytes ("\xC0\xB2" is no '2'), controls and bullets separate words.
    const bool well_formed = cp < 0x80 ? pos == at + 1 : [&] {
      std::string canonical;
      utf8::append(canonical, cp);
      return s.substr(at, pos - at) == canonical && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
    }();
    if (!well_formed || utf8::isSpace(cp) || cp < 0x20 || cp == 0x7F || cp == 0xFFFD || isBullet(cp)) {
      space = true;
      continue;
    }
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0xAB || cp == 0xBB) put("\"");
    else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0x2039 || cp == 0x203A ||
             cp == 0x2032 || cp == 0xB4 || cp == '`')
      put("'");
    else if (utf8::isDash(cp) || cp == 0x2010 || cp == 0x2011) put("-");
    else if (cp == 0x2026) put("...");
    else if ((cp == '[' || cp == ']') && !out.empty() && out.back() == static_cast<char>(cp)) {
      space = true;  // "[[" and "]]" belong to the lexicon's phoneme spans, never to the article
      put(s.substr(at, pos - at));
    } else put(s.substr(at, pos - at));
  }
  // Missing spaces: "kata,lalu" and "selesai.Kemudian", "SH.,MH".
  std::string fixed;
  fixed.reserve(out.size() + 16);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    fixed += c;
    if (i + 1 >= out.size() || i == 0) continue;
    const unsigned char next = static_cast<unsigned char>(out[i + 1]);
    const unsigned char prev = static_cast<unsigned char>(out[i - 1]);
    const bool next_letter = isAsciiLetter(next) || next >= 0x80;
    if (c == ',' && next_letter && prev != ' ') {
      fixed += ' ';
    } else if ((c == '?' || c == '!' || c == ';') && next_letter && prev != ' ') {
      fixed += ' ';
    } else if (c == '.' && prev == '.' && i >= 2 && out[i - 2] == '.' && next_letter) {
      fixed += ' ';  // "datang...Bantuan"
      fixed += ' ';
    } else if (c == '.' && i >= 2 && isAsciiUpper(next) && i + 2 < out.size() && isAsciiLower(out[i + 2]) &&
               isAsciiLower(prev) && isAsciiLower(out[i - 2])) {
      fixed += ' ';  // "selesai.Kemudian", not "S.Pd" or "detik.com"
    }
  }
  return fixed;
}

// "RT.003/RW.005" -> RT 003 RW 005: a neighbourhood word glued to its number
// by a dot or slash, and the next one glued by a slash, become tokens of their own.
std::vector<Token> NormalizerImpl::splitGlued(std::vector<Token> tokens) const {
  std::vector<Token> out;
  out.reserve(tokens.size());
  for (Token& t : tokens) {
    std::string_view core = t.core;
    if (core.find_first_of("./") == std::string_view::npos || zero_padded_after_.empty()) {
      out.push_back(std::move(t));
      continue;
    }
    std::vector<std::string> pieces;
    std::size_t start = 0;
    for (std::size_t i = 0; i < core.size(); ++i) {
      if (core[i] != '.' && core[i] != '/') continue;
      const std::string_view left = core.substr(start, i - start);
      if (left.size() > kGluedWordMaxChars) continue;  // no neighbourhood word is this long
      const bool next_digit = i + 1 < core.size() && isAsciiDigit(core[i + 1]);
      const bool next_word = i + 1 < core.size() && !isAsciiDigit(core[i + 1]);
      const bool glued =
          (next_digit && in(zero_padded_after_, left)) ||
          (core[i] == '/' && next_word && allDigits(left) && !pieces.empty() && in(zero_padded_after_, pieces.back()));
      if (!glued) continue;
      pieces.emplace_back(left);
      start = i + 1;
    }
    if (pieces.empty()) {
      out.push_back(std::move(t));
      continue;
    }
    pieces.emplace_back(core.substr(start));
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      Token piece;
      piece.core = pieces[k];
      if (k == 0) piece.lead = t.lead;
      if (k + 1 == pieces.size()) piece.trail = t.trail;
      out.push_back(std::move(piece));
    }
  }
  return out;
}

}  // namespace warta::text::rules
