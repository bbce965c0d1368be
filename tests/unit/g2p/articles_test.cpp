// SPDX-License-Identifier: GPL-3.0-or-later
// The six invented articles (tests/data/articles) at phoneme level: words of
// their hand-written spoken forms, read in their sentences, come out with
// the phonemes a newsreader says.
#include <catch2/catch.hpp>

#include <fstream>

#include "g2p_fixture.h"
#include "text/utf8.h"

using namespace warta;

namespace {

struct Expected {
  const char* article;
  const char* word;
  const char* phonemes;
};

// pepet and taling, glottal k, stress after a pepet, loans keeping their k.
constexpr Expected kWords[] = {
    {"01-banjir-bone", "menerjang", "m@n@RdZ'aN"},
    {"01-banjir-bone", "Desa", "d'esa"},
    {"01-banjir-bone", "kabupaten", "kabup'atEn"},
    {"01-banjir-bone", "belas", "b@l'as"},
    {"02-ekonomi-jateng", "persen", "p@Rs'En"},
    {"02-ekonomi-jateng", "Melonjak", "m@l'ondZa?"},
    {"02-ekonomi-jateng", "Tengah", "t@N'ah"},
    {"02-ekonomi-jateng", "lebih", "l@b'ih"},
    {"03-senjata-timika", "senjata", "s@ndZ'ata"},
    {"03-senjata-timika", "telepon", "tel'epon"},
    {"03-senjata-timika", "jenis", "dZ@n'is"},
    {"03-senjata-timika", "pukul", "p'ukul"},
    {"04-pameran-yogyakarta", "Kemerdekaan", "k@m@Rdek'a?an"},
    {"04-pameran-yogyakarta", "November", "nov'Emb@R"},
    {"04-pameran-yogyakarta", "bertajuk", "b@Rt'adZu?"},
    {"05-formasi-asn-kupang", "Pemerintah", "p@m@R2'intah"},
    {"05-formasi-asn-kupang", "dengan", "d@N'an"},
    {"05-formasi-asn-kupang", "Resmi", "R2@sm'i"},
    {"06-pompa-surya-lumajang", "Petani", "p@t'ani"},
    {"06-pompa-surya-lumajang", "Sebanyak", "s@b'an^a?"},
    {"06-pompa-surya-lumajang", "sawah", "s'awah"},
};

}  // namespace

TEST_CASE("the six articles' words come out with a newsreader's phonemes", "[g2p][articles]") {
  const g2p::LetterToSound& g = test::indonesianG2p();
  for (const Expected& e : kWords) {
    const auto file = std::filesystem::path(WARTA_SOURCE_DIR) / "tests" / "data" / "articles" /
                      (std::string(e.article) + ".expected.txt");
    std::ifstream in(file);
    REQUIRE(in);
    std::string line, got = "(not in the article)";
    while (got == "(not in the article)" && std::getline(in, line))
      for (const g2p::Reading& r : g.read(line))
        if (r.written == e.word) {
          got = r.phonemes;
          break;
        }
    INFO(e.article << ": " << e.word);
    CHECK(got == e.phonemes);
  }
}
