// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <string>

#include "text/normalizer.h"
#include "normalizer_cases.h"

using warta::test::indonesian;
using warta::test::rules;
using Source = warta::text::TokenReport::Source;

namespace {
const warta::text::TokenReport* find(const std::vector<warta::text::TokenReport>& reports, const std::string& written) {
  for (const auto& r : reports)
    if (r.written == written) return &r;
  return nullptr;
}
}  // namespace

TEST_CASE("explain lists every token with what is said and why", "[text][normalizer][explain]") {
  const auto reports = rules().explain("Kapolres AKBP Budi mengunjungi DPRD dan BAZNAS pada 11/6/2025.");
  REQUIRE(find(reports, "DPRD") != nullptr);
  CHECK(find(reports, "DPRD")->spoken == "de pe er de");
  CHECK(find(reports, "DPRD")->source == Source::Guess);
  CHECK(find(reports, "AKBP")->spoken == "ajun komisaris besar polisi");
  CHECK(find(reports, "AKBP")->source == Source::Rule);
  CHECK(find(reports, "AKBP")->why == "rank");
  CHECK(find(reports, "Kapolres")->source == Source::Plain);
  const auto with_lexicon = indonesian().explain("Kapolres Bone");
  CHECK(find(with_lexicon, "Kapolres")->source == Source::Lexicon);
  CHECK(find(with_lexicon, "Kapolres")->why == "lexicon");
  CHECK(find(reports, "Budi")->source == Source::Plain);
  CHECK(find(reports, "11/6/2025")->why == "date");
  CHECK(find(reports, "BAZNAS")->source == Source::Guess);
  CHECK(find(reports, "BAZNAS")->why == "acronym said: syllable shape");
}

TEST_CASE("explain marks listed acronyms as rules and unknown ones as guesses", "[text][normalizer][explain]") {
  const auto reports = rules().explain("NATO dan RAPBN serta KPK");
  CHECK(find(reports, "NATO")->why == "acronym said: listed");
  CHECK(find(reports, "RAPBN")->why == "acronym spelled: listed");
  CHECK(find(reports, "KPK")->source == Source::Guess);
}

TEST_CASE("explain and normalize make the same decisions", "[text][normalizer][explain]") {
  const char* texts[] = {"Rabu (11/6/2025), harga naik 12,5% menjadi Rp 1,5 miliar.",
                         "Kepala BPBD, H. Darmanto, S.H., M.Si., mengatakan \"siap\" pukul 10.00 WIB!",
                         "Badan Penanggulangan Bencana Daerah (BPBD) Kota Blitar", "Yuyun (39) warga RT 011 RW 04"};
  for (const char* text : texts) {
    INFO(text);
    std::string joined;
    for (const auto& r : indonesian().explain(text)) {
      if (r.spoken.empty()) continue;
      if (!joined.empty() && r.why != "pause") joined += ' ';
      joined += r.spoken;
    }
    CHECK(joined == indonesian().normalize(text));
  }
}
