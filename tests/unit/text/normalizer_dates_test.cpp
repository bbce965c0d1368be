// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

using warta::test::checkSpoken;

TEST_CASE("reads day/month/year dates with the month's name", "[text][normalizer][dates]") {
  checkSpoken({
      {"11/6/2025", "sebelas Juni dua ribu dua puluh lima"},
      {"1/10/2024", "satu Oktober dua ribu dua puluh empat"},
      {"31/12/2023", "tiga puluh satu Desember dua ribu dua puluh tiga"},
      {"17/8/1945", "tujuh belas Agustus seribu sembilan ratus empat puluh lima"},
      {"01/02/2025", "satu Februari dua ribu dua puluh lima"},
      {"5/11/2025", "lima November dua ribu dua puluh lima"},
      {"30/9/1965", "tiga puluh September seribu sembilan ratus enam puluh lima"},
      {"20-10-2024", "dua puluh Oktober dua ribu dua puluh empat"},
      {"2024-02-29", "dua puluh sembilan Februari dua ribu dua puluh empat"},
  });
}

TEST_CASE("reads a two-digit year as this century's", "[text][normalizer][dates]") {
  checkSpoken({
      {"16/11/23", "enam belas November dua ribu dua puluh tiga"},
      {"1/1/25", "satu Januari dua ribu dua puluh lima"},
      {"28/2/99", "dua puluh delapan Februari seribu sembilan ratus sembilan puluh sembilan"},
  });
}

TEST_CASE("reads a day and month in parentheses after a weekday as a date", "[text][normalizer][dates]") {
  checkSpoken({
      {"Senin (12/5)", "Senin dua belas Mei"},
      {"pada Selasa (1/10)", "pada Selasa satu Oktober"},
      {"Kamis (3/4) malam", "Kamis tiga April malam"},
      {"Jumat (13/6/2025).", "Jumat tiga belas Juni dua ribu dua puluh lima."},
      {"Minggu (1/2)", "Minggu satu Februari"},
      {"(1/10)", "satu Oktober"},
      {"tanggal 1/2", "tanggal satu Februari"},
      {"sejak 2/3", "sejak dua Maret"},
      {"Sabtu, 14/6", "Sabtu, empat belas Juni"},
  });
}

TEST_CASE("reads written-out dates and years as numbers", "[text][normalizer][dates]") {
  checkSpoken({
      {"17 Agustus 1945", "tujuh belas Agustus seribu sembilan ratus empat puluh lima"},
      {"1 Januari 2026", "satu Januari dua ribu dua puluh enam"},
      {"tahun 1998", "tahun seribu sembilan ratus sembilan puluh delapan"},
      {"tahun 2000", "tahun dua ribu"},
      {"tahun 2045", "tahun dua ribu empat puluh lima"},
      {"pada 1965", "pada seribu sembilan ratus enam puluh lima"},
      {"era 1980-an", "era seribu sembilan ratus delapan puluhan"},
  });
}

TEST_CASE("reads an impossible date as its numbers", "[text][normalizer][dates]") {
  checkSpoken({
      {"32/1/2025", "tiga puluh dua garis miring satu garis miring dua ribu dua puluh lima"},
      {"31/6/2025", "tiga puluh satu garis miring enam garis miring dua ribu dua puluh lima"},
      {"0/5/2025", "nol garis miring lima garis miring dua ribu dua puluh lima"},
      {"15/0", "lima belas garis miring nol"},
      {"Senin (30/2)", "Senin tiga puluh garis miring dua"},
  });
}

TEST_CASE("reads times with pukul and the time zones in full", "[text][normalizer][dates]") {
  checkSpoken({
      {"10.00 WIB", "sepuluh waktu Indonesia barat"},
      {"08:30 WIT", "delapan tiga puluh waktu Indonesia timur"},
      {"pukul 23.40", "pukul dua puluh tiga empat puluh"},
      {"pukul 00.00", "pukul nol"},
      {"pukul 07.15 WITA", "pukul tujuh lima belas waktu Indonesia tengah"},
      {"pukul 12.00 siang", "pukul dua belas siang"},
      {"pukul 09.09", "pukul sembilan nol sembilan"},
      {"pukul 16:45", "pukul enam belas empat puluh lima"},
      {"sekitar pukul 21.00 WIB.", "sekitar pukul dua puluh satu waktu Indonesia barat."},
      {"pukul 13.00-15.00 WITA", "pukul tiga belas sampai lima belas waktu Indonesia tengah"},
      {"pukul 10.00 - 12.00 WIB", "pukul sepuluh sampai dua belas waktu Indonesia barat"},
      {"pukul 10.00-selesai", "pukul sepuluh sampai selesai"},
  });
}
