// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include "g2p/g2p_error.h"
#include "g2p/phonemizer.h"
#include "g2p/spelling.h"

using namespace warta::g2p;

namespace {
Spelling marked(const char* w, bool keep_k = false) {
  Spelling s = *readMarked(w, false);
  s.keep_k = keep_k;
  return s;
}
}  // namespace

TEST_CASE("a marked word reads é and è as taling, ê and ə as pepet", "[g2p]") {
  const Spelling s = *readMarked("kêmərdékaan", false);
  CHECK(s.letters == "kemerdekaan");
  CHECK(s.marked() == "kêmêrdékaan");
  CHECK(readMarked("Kèdiri", false)->marked() == "kédiri");
}

TEST_CASE("a bare e in a marked word is an error unless allowed", "[g2p]") {
  CHECK_THROWS_AS(readMarked("dengan", false), G2pError);
  CHECK(readMarked("dengan", true)->eAt(1) == EValue::Unknown);
  CHECK_FALSE(readMarked("señor", true).has_value());
}

TEST_CASE("a k closing a syllable is glottal, before a vowel or as kh it is not", "[g2p]") {
  CHECK(marked("tidak").marked(true) == "tidaʔ");
  CHECK(marked("rakyat").marked(true) == "raʔyat");
  CHECK(marked("masukkan").marked(true) == "masuʔkan");
  CHECK(marked("masukan").marked(true) == "masukan");
  CHECK(marked("akhir").marked(true) == "akhir");
  CHECK(marked("séktor", true).marked(true) == "séktor");
}

TEST_CASE("phonemes: digraphs, glottal stop, taling open and closed, pepet", "[g2p]") {
  CHECK(toPhonemes(marked("dêngan")) == "d@N'an");
  CHECK(toPhonemes(marked("tidak")) == "t'ida?");
  CHECK(toPhonemes(marked("nyanyi")) == "n^'an^i");
  CHECK(toPhonemes(marked("syarat")) == "S'aR2at");
  CHECK(toPhonemes(marked("akhir")) == "'axiR");
  CHECK(toPhonemes(marked("oléh")) == "'olEh");
  CHECK(toPhonemes(marked("saté")) == "s'ate");
  CHECK(toPhonemes(marked("cari")) == "tS'aR2i");
  CHECK(toPhonemes(marked("jaya")) == "dZ'aja");
  CHECK(toPhonemes(marked("pantai")) == "p'antaI");
}

TEST_CASE("stresses the penultimate syllable, or the last when the penultimate is a pepet", "[g2p]") {
  CHECK(toPhonemes(marked("rumah")) == "R2'umah");
  CHECK(toPhonemes(marked("bêras")) == "b@R2'as");
  CHECK(toPhonemes(marked("sêbêlas")) == "s@b@l'as");
  CHECK(toPhonemes(marked("kêmêrdékaan")) == "k@m@Rdek'a?an");
}

TEST_CASE("two a's in a row are parted by a glottal stop", "[g2p]") {
  CHECK(toPhonemes(marked("saat")) == "s'a?at");
  CHECK(toPhonemes(marked("maaf")) == "m'a?af");
}
