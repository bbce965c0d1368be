// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <string>

#include "text/utf8.h"

using namespace warta::text;

TEST_CASE("valid UTF-8 has no invalid byte", "[text][utf8]") {
  CHECK_FALSE(utf8::findInvalid("Warga Mataram café, “kata” – 10\xC2\xA0km").has_value());
  CHECK_FALSE(utf8::findInvalid("").has_value());
}

TEST_CASE("the first invalid byte is reported with its line and character column", "[text][utf8]") {
  struct Case {
    std::string bytes;
    std::size_t line, column;
    unsigned byte;
  };
  const Case cases[] = {
      {"Judul\n\nWarga Mataram caf\xE9 ramai.", 3, 18, 0xE9},  // Latin-1 e-acute
      {"\xFF\xFEJ\x00u", 1, 1, 0xFF},                          // UTF-16 byte order mark
      {"é\xC3", 1, 2, 0xC3},                                   // truncated at the end
      {"ab\n\x80", 2, 1, 0x80},                                // stray continuation byte
      {"\xC0\xAF", 1, 1, 0xC0},                                // overlong '/'
      {"x\xED\xA0\x80", 1, 2, 0xED},                           // UTF-16 surrogate
      {"“ok” \xF4\x90\x80\x80", 1, 6, 0xF4},                   // above U+10FFFF
  };
  for (const Case& c : cases) {
    INFO(c.bytes);
    const auto bad = utf8::findInvalid(c.bytes);
    REQUIRE(bad.has_value());
    CHECK(bad->line == c.line);
    CHECK(bad->column == c.column);
    CHECK(bad->byte == c.byte);
  }
}

TEST_CASE("code points are read forwards and backwards", "[text][utf8]") {
  const std::string s = "a–é";
  std::size_t pos = 0;
  CHECK(utf8::next(s, pos) == U'a');
  CHECK(utf8::next(s, pos) == U'\u2013');
  CHECK(utf8::next(s, pos) == U'é');
  CHECK(pos == s.size());
  CHECK(utf8::previous(s, pos) == U'é');
  CHECK(utf8::previous(s, pos) == U'\u2013');
  CHECK(pos == 1);
  CHECK(utf8::length(s) == 3);
}

TEST_CASE("typography becomes plain: curly quotes, dashes, odd spaces, zero-width characters", "[text][utf8]") {
  const std::pair<std::string, std::string> cases[] = {
      {"“Kami siap,” katanya", "\"Kami siap,\" katanya"},
      {"‘oke’", "'oke'"},
      {"Blitar – Hujan", "Blitar - Hujan"},
      {"10—12", "10-12"},
      {"10\xC2\xA0km", "10 km"},     // NBSP
      {"ka\xE2\x80\x8Bta", "kata"},  // zero-width space
      {"  dua   spasi \t ", "dua spasi"},
      {"tunggu…", "tunggu..."},
  };
  for (const auto& [in, out] : cases) CHECK(utf8::plainTypography(in) == out);
}

TEST_CASE("letters are told from symbols and cased", "[text][utf8]") {
  CHECK(utf8::isLetter(U'é'));
  CHECK(utf8::isLetter(U'Z'));
  CHECK_FALSE(utf8::isLetter(U'\u2013'));
  CHECK_FALSE(utf8::isLetter(U'%'));
  CHECK_FALSE(utf8::isLetter(U'\u00D7'));
  CHECK(utf8::isUpper(U'É'));
  CHECK(utf8::isLower(U'é'));
  CHECK(utf8::toLower("ÉCOLE Dinkes") == "école dinkes");
}
