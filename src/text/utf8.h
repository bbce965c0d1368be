// SPDX-License-Identifier: GPL-3.0-or-later
// UTF-8 helpers: validation with a position, code point iteration, and the
// typography (curly quotes, dashes, odd spaces) that news sites paste in.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace warta::text::utf8 {

// Where the first byte that is not well-formed UTF-8 lies. Line and column are
// 1-based; the column counts code points, as an editor shows it.
struct InvalidByte {
  std::size_t offset = 0;
  std::size_t line = 1;
  std::size_t column = 1;
  unsigned char byte = 0;
};

// Rejects truncated sequences, stray continuation bytes, overlong forms,
// surrogates and code points above U+10FFFF. nullopt when `s` is valid.
std::optional<InvalidByte> findInvalid(std::string_view s);

// The code point starting at `pos`, advancing `pos` past it. `s` must be
// valid UTF-8; a bad byte is returned as U+FFFD and skipped (never throws).
char32_t next(std::string_view s, std::size_t& pos);

// The code point ending just before `pos`, moving `pos` to its start.
char32_t previous(std::string_view s, std::size_t& pos);

void append(std::string& out, char32_t cp);

std::size_t length(std::string_view s);  // in code points

// Character classes. Letters are ASCII letters and the alphabetic ranges of
// Latin, Greek, Cyrillic and beyond; punctuation and symbol blocks are not.
bool isLetter(char32_t cp);
bool isDigit(char32_t cp);  // ASCII 0-9 only: the normalizer reads these
bool isUpper(char32_t cp);  // ASCII and Latin-1/Latin Extended-A capitals
bool isLower(char32_t cp);
bool isSpace(char32_t cp);      // ASCII whitespace, NBSP and the Unicode space separators
bool isZeroWidth(char32_t cp);  // ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen
bool isDash(char32_t cp);       // en dash, em dash, figure dash, horizontal bar, minus sign
bool isOpeningQuote(char32_t cp);
bool isClosingQuote(char32_t cp);  // includes the straight quotes, which close as well as open

char32_t toLower(char32_t cp);
char32_t toUpper(char32_t cp);
std::string toLower(std::string_view s);

// Plain typography: NBSP and other spaces -> ' ', zero-width characters
// removed, curly quotes -> '"' / '\'', en/em dashes -> '-' (or " - " when
// spaced), the ellipsis character -> "...", runs of spaces -> one space,
// trimmed. Letters and everything else are kept as they are.
std::string plainTypography(std::string_view s);

}  // namespace warta::text::utf8
