// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/utf8.h"

namespace warta::text::utf8 {

std::optional<InvalidByte> findInvalid(std::string_view s) {
  std::size_t line = 1, column = 1;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b < 0x80) len = 1, cp = b;
    else if ((b & 0xE0) == 0xC0) len = 2, cp = b & 0x1F, min = 0x80;
    else if ((b & 0xF0) == 0xE0) len = 3, cp = b & 0x0F, min = 0x800;
    else if ((b & 0xF8) == 0xF0) len = 4, cp = b & 0x07, min = 0x10000;
    else return InvalidByte{i, line, column, b};
    if (i + len > s.size()) return InvalidByte{i, line, column, b};
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return InvalidByte{i, line, column, b};
      cp = (cp << 6) | (c & 0x3F);
    }
    if (len > 1 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
      return InvalidByte{i, line, column, b};
    if (b == '\n') ++line, column = 1;
    else ++column;
    i += len;
  }
  return std::nullopt;
}

char32_t next(std::string_view s, std::size_t& pos) {
  const auto b = static_cast<unsigned char>(s[pos]);
  std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || pos + len > s.size()) {
    ++pos;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[pos + k]);
    if ((c & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  pos += len;
  return cp;
}

char32_t previous(std::string_view s, std::size_t& pos) {
  std::size_t start = pos;
  do --start;
  while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80);
  std::size_t p = start;
  const char32_t cp = next(s, p);
  pos = start;
  return cp;
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t pos = 0; pos < s.size(); ++n) next(s, pos);
  return n;
}

bool isLetter(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp == 0xD7 || cp == 0xF7) return false;      // multiplication and division signs
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols, arrows, math, boxes
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;  // variation selectors
  if (cp >= 0xFF00 && cp <= 0xFF20) return false;  // fullwidth punctuation
  if (cp >= 0x1F000) return false;                 // emoji and pictographs
  if (cp == 0xFEFF || cp == 0xFFFD) return false;
  return true;
}

bool isDigit(char32_t cp) { return cp >= '0' && cp <= '9'; }

// Latin-1 and Latin Extended-A: capitals at 0xC0-0xDE (not 0xD7); in
// Extended-A (0x100-0x17F) capitals are mostly even code points.
bool isUpper(char32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  if (cp >= 0xC0 && cp <= 0xDE) return cp != 0xD7;
  if (cp >= 0x100 && cp <= 0x137) return cp % 2 == 0;
  if (cp >= 0x139 && cp <= 0x148) return cp % 2 == 1;
  if (cp >= 0x14A && cp <= 0x177) return cp % 2 == 0;
  return cp == 0x178 || cp == 0x179 || cp == 0x17B || cp == 0x17D;
}

bool isLower(char32_t cp) { return isLetter(cp) && !isUpper(cp) && toUpper(cp) != cp; }

bool isSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

bool isZeroWidth(char32_t cp) {
  return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}

bool isDash(char32_t cp) { return cp == 0x2012 || cp == 0x2013 || cp == 0x2014 || cp == 0x2015 || cp == 0x2212; }

bool isOpeningQuote(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x2018 || cp == 0x201E || cp == 0x201A || cp == 0xAB ||
         cp == 0x2039;
}

bool isClosingQuote(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == 0x201D || cp == 0x2019 || cp == 0xBB || cp == 0x203A;
}

char32_t toLower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x100 && cp <= 0x17F && isUpper(cp)) return cp == 0x178 ? 0xFF : cp + 1;
  return cp;
}

char32_t toUpper(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 32;
  if (cp == 0xFF) return 0x178;
  if (cp >= 0x100 && cp <= 0x17F && cp != 0x138 && cp != 0x149 && cp != 0x17F && !isUpper(cp)) return cp - 1;
  return cp;
}

std::string toLower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t pos = 0; pos < s.size();) append(out, toLower(next(s, pos)));
  return out;
}

std::string plainTypography(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (std::size_t pos = 0; pos < s.size();) {
    const char32_t cp = next(s, pos);
    if (isZeroWidth(cp)) continue;
    if (isSpace(cp)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ', space = false;
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0xAB || cp == 0xBB) out += '"';
    else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x2039 || cp == 0x203A) out += '\'';
    else if (isDash(cp)) out += '-';
    else if (cp == 0x2026) out += "...";
    else append(out, cp);
  }
  return out;
}

}  // namespace warta::text::utf8
