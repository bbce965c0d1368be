// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

using warta::test::checkSpoken;

TEST_CASE("reads domains with titik and the lexicon's pieces of addresses", "[text][normalizer][web]") {
  checkSpoken({
      {"mitratoday.com", "mitratoday titik com"},
      {"detik.com", "detik titik com"},
      {"antaranews.com", "antaranews titik com"},
      {"wartasentana.id", "wartasentana titik id"},
      {"jatengprov.go.id", "jatengprov titik go titik id"},
      {"KOMPAS.com", "kompas titik com"},
      {"Kompas.com", "kompas titik com"},
      {"www.bmkg.go.id", "we we we titik be em ka ge titik go titik id"},
      {"tempo.co", "tempo titik co"},
  });
}

TEST_CASE("reads a web address's host and leaves its path out", "[text][normalizer][web]") {
  checkSpoken({
      {"https://www.detik.com/berita/123", "we we we titik detik titik com"},
      {"http://bnpb.go.id", "be en pe be titik go titik id"},
      {"https://kompas.id/baca/2025/06/11/banjir", "kompas titik id"},
      {"lihat https://lapor.go.id.", "lihat lapor titik go titik id."},
  });
}

TEST_CASE("reads e-mail addresses with et and titik", "[text][normalizer][web]") {
  checkSpoken({
      {"redaksi@site.id", "redaksi et site titik id"},
      {"humas@jatimprov.go.id", "humas et jatimprov titik go titik id"},
      {"info.desa@blitarkota.go.id", "info titik desa et blitarkota titik go titik id"},
  });
}

TEST_CASE("reads hashtags as tagar and their words", "[text][normalizer][web]") {
  checkSpoken({
      {"#HariPahlawan", "tagar hari pahlawan"},
      {"#BlitarBangkit", "tagar blitar bangkit"},
      {"#savehutan", "tagar savehutan"},
      {"#KaburAjaDulu.", "tagar kabur aja dulu."},
      {"dengan tagar #BoneTangguh", "dengan tagar bone tangguh"},
  });
}

TEST_CASE("reads mentions as et and the name", "[text][normalizer][web]") {
  checkSpoken({
      {"@jokowi", "et jokowi"},
      {"akun @humaspolri", "akun et humaspolri"},
      {"@BNPB_Indonesia", "et bnpb indonesia"},
      {"RT.003/RW.005", "er te tiga er we lima"},
  });
}
