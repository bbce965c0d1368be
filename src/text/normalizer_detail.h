// SPDX-License-Identifier: GPL-3.0-or-later
// Small string helpers shared by the normalizer's files.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.h"

namespace warta::text::detail {

inline bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool isAsciiUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
inline bool isAsciiLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
inline bool isAsciiLetter(unsigned char c) { return isAsciiUpper(c) || isAsciiLower(c); }

// Bullets and list marks that only decorate: read as a space.
inline bool isBullet(char32_t cp) {
  return cp == 0x2022 || cp == 0x00B7 || cp == 0x25AA || cp == 0x25BA || cp == 0x25A0 || cp == 0x25C6 || cp == 0x25CF ||
         cp == 0x2023 || cp == 0x2043 || cp == 0x2219 || cp == 0x25E6 || cp == 0x27A2 || cp == 0x2794 || cp == 0x25B6 ||
         cp == 0x2713 || cp == 0x2714 || cp == 0x25A1 || cp == 0x2605 || cp == 0x2606 || cp == 0x00A6 || cp == 0x007C;
}

inline bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return isAsciiDigit(c); });
}

inline bool allLetters(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t pos = 0; pos < s.size();)
    if (!utf8::isLetter(utf8::next(s, pos))) return false;
  return true;
}

inline bool allUpper(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();)
    if (!utf8::isUpper(utf8::next(s, pos))) return false;
  return !s.empty();
}

inline bool hasLetter(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();)
    if (utf8::isLetter(utf8::next(s, pos))) return true;
  return false;
}

inline bool hasLower(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();)
    if (utf8::isLower(utf8::next(s, pos))) return true;
  return false;
}

inline bool hasUpper(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();)
    if (utf8::isUpper(utf8::next(s, pos))) return true;
  return false;
}

inline bool hasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return isAsciiDigit(c); });
}

inline bool equalsIgnoringCase(std::string_view a, std::string_view b) { return utf8::toLower(a) == utf8::toLower(b); }

inline bool contains(const std::vector<std::string>& list, std::string_view word) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& w) { return equalsIgnoringCase(w, word); });
}

inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

inline void add(std::string& out, const std::string& words) {
  if (words.empty()) return;
  if (!out.empty()) out += ' ';
  out += words;
}

}  // namespace warta::text::detail
