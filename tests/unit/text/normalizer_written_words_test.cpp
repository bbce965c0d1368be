// SPDX-License-Identifier: GPL-3.0-or-later
// The written units of a segment: what captions and page words show, each
// with how many words of the spoken form it became.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "text/normalizer.h"
#include "text_fixture.h"

using warta::test::indonesian;
using warta::text::Segment;

namespace {

// (written unit, spoken words) of `written` as one sentence.
std::vector<std::pair<std::string, std::size_t>> units(const std::string& written) {
  std::vector<Segment> segments(1);
  segments[0].text = written;
  indonesian().normalize(segments);
  std::vector<std::pair<std::string, std::size_t>> out;
  for (const auto& w : segments[0].words) out.emplace_back(w.text, w.spoken_words);
  return out;
}

using Units = std::vector<std::pair<std::string, std::size_t>>;

}  // namespace

TEST_CASE("shows a date in brackets as written and times it over its spoken words", "[text][written]") {
  CHECK(
      units("Banjir terjadi Rabu (11/6/2025).") ==
      Units{{"Banjir", 1}, {"terjadi", 1}, {"Rabu", 1}, {"(11/6/2025).", 7}});  // sebelas Juni dua ribu dua puluh lima
}

TEST_CASE("shows Rp 1,5 miliar as one written unit said as five words", "[text][written]") {
  CHECK(units("Dana Rp 1,5 miliar cair.") ==
        Units{{"Dana", 1}, {"Rp 1,5 miliar", 5}, {"cair.", 1}});  // satu koma lima miliar rupiah
}

TEST_CASE("shows TNI as written, said as three letters", "[text][written]") {
  CHECK(units("Personel TNI siaga.") == Units{{"Personel", 1}, {"TNI", 3}, {"siaga.", 1}});
}

TEST_CASE("keeps degrees that are not read as written units said as nothing", "[text][written]") {
  CHECK(units("Budi, S.H., M.Si., mengatakan hal itu.") ==
        Units{{"Budi,", 1}, {"S.H.,", 0}, {"M.Si.,", 0}, {"mengatakan", 1}, {"hal", 1}, {"itu.", 1}});
}

TEST_CASE("keeps an acronym repeated after its expansion, said as nothing", "[text][written]") {
  const Units u = units("Badan Penanggulangan Bencana Daerah (BPBD) bergerak.");
  REQUIRE(u.size() == 6);
  CHECK(u[4] == std::make_pair(std::string("(BPBD)"), std::size_t{0}));
}

TEST_CASE("a dash between clauses is shown, said as a pause", "[text][written]") {
  CHECK(units("Hujan deras - sungai meluap.") ==
        Units{{"Hujan", 1}, {"deras", 1}, {"-", 0}, {"sungai", 1}, {"meluap.", 1}});
}

TEST_CASE("the written units cover every spoken word of every sample sentence", "[text][written]") {
  for (const char* text : {"Sebanyak 312 jiwa kini mengungsi di gedung SDN Sumberjati 3 dan balai kelurahan.",
                           "Curah hujan tercatat naik 12,5 persen dibanding periode yang sama tahun lalu.",
                           "Ia menambahkan, pukul 02.30 WIB air masuk ke-3 kalinya; suhu 38,5°C.",
                           "Harga cabai Rp45.000/kg, naik dari Rp 30 ribu pekan lalu."}) {
    INFO(text);
    std::vector<Segment> segments(1);
    segments[0].text = text;
    indonesian().normalize(segments);
    std::size_t words = 0, spoken = 0;
    bool in_word = false;
    for (char c : segments[0].spoken) {
      if (c != ' ' && !in_word) ++spoken;
      in_word = c != ' ';
    }
    std::string shown;
    for (const auto& w : segments[0].words) {
      words += w.spoken_words;
      shown += (shown.empty() ? "" : " ") + w.text;
    }
    CHECK(!segments[0].words.empty());
    CHECK(words == spoken);
    CHECK(shown == text);
  }
}
