// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

using warta::test::checkSpoken;

TEST_CASE("reads phone numbers and emergency codes digit by digit", "[text][normalizer][codes]") {
  checkSpoken({
      {"0812-3456-7890", "nol delapan satu dua, tiga empat lima enam, tujuh delapan sembilan nol"},
      {"081234567890", "nol delapan satu dua tiga empat lima enam tujuh delapan sembilan nol"},
      {"hubungi 112", "hubungi satu satu dua"},
      {"telepon 110", "telepon satu satu nol"},
      {"hotline 119", "hotline satu satu sembilan"},
      {"(0341) 551234", "nol tiga empat satu lima lima satu dua tiga empat"},
      {"WA 08123456789", "we a nol delapan satu dua tiga empat lima enam tujuh delapan sembilan"},
      {"kode 021", "kode nol dua satu"},
      {"call center 112", "call center satu satu dua"},
      {"layanan 119", "layanan satu satu sembilan"},
  });
}

TEST_CASE("reads laws and their articles as numbers", "[text][normalizer][codes]") {
  checkSpoken({
      {"Nomor 12 Tahun 1951", "Nomor dua belas Tahun seribu sembilan ratus lima puluh satu"},
      {"UU Nomor 1 Tahun 2023", "undang-undang Nomor satu Tahun dua ribu dua puluh tiga"},
      {"UU No. 23 Tahun 2014", "undang-undang nomor dua puluh tiga Tahun dua ribu empat belas"},
      {"pasal 2 ayat (1)", "pasal dua ayat satu"},
      {"Pasal 27 ayat (3)", "Pasal dua puluh tujuh ayat tiga"},
      {"Pasal 5 Ayat (2)", "Pasal lima Ayat dua"},
      {"Pasal 340 KUHP", "Pasal tiga ratus empat puluh ka u ha pe"},
      {"huruf (a)", "huruf a"},
  });
}

TEST_CASE("reads a number in parentheses after a name as an age", "[text][normalizer][codes]") {
  checkSpoken({
      {"Yuyun (39)", "Yuyun, tiga puluh sembilan tahun"},
      {"Yuyun (39) mengatakan", "Yuyun, tiga puluh sembilan tahun mengatakan"},
      {"korban, Siti Aminah (7),", "korban, Siti Aminah, tujuh tahun,"},
      {"Budi Santoso (45), warga", "Budi Santoso, empat puluh lima tahun, warga"},
      {"Ahmad (21).", "Ahmad, dua puluh satu tahun."},
      {"tahun (2025)", "tahun dua ribu dua puluh lima"},
  });
}

TEST_CASE("reads military unit codes in pairs as they are said", "[text][normalizer][codes]") {
  checkSpoken({
      {"Koramil 1407-21/Palakka", "Koramil empat belas nol tujuh dua puluh satu Palakka"},
      {"Kodim 0808/Blitar", "Kodim nol delapan nol delapan Blitar"},
      {"Kodim 1407/Bone", "Kodim empat belas nol tujuh Bone"},
      {"Korem 141/Toddopuli", "Korem satu empat satu Toddopuli"},
      {"Yonif 509", "Yonif lima nol sembilan"},
      {"Dandim 1407/Bone", "Dandim empat belas nol tujuh Bone"},
  });
}

TEST_CASE("reads neighbourhood numbers without their padding zeros", "[text][normalizer][codes]") {
  checkSpoken({
      {"RT 011 RW 04", "er te sebelas er we empat"},
      {"RT 02/RW 05", "er te dua er we lima"},
      {"RT 3 RW 7", "er te tiga er we tujuh"},
      {"RW 010", "er we sepuluh"},
      {"warga RT 001", "warga er te satu"},
      {"Kampung Sumber RT.003/RW.005 Desa", "Kampung Sumber er te tiga er we lima Desa"},
      {"RT.01", "er te satu"},
  });
}

TEST_CASE("reads neighbourhood numbers with their zeros when the data says so", "[text][normalizer][codes]") {
  warta::text::LanguageData lang = warta::app::loadLanguage(warta::test::languageDir());
  lang.numbers.say_padding_zeros = true;
  const warta::text::Normalizer normalizer(std::move(lang), {});
  checkSpoken(normalizer, {
                              {"RT 011 RW 04", "er te nol sebelas er we nol empat"},
                              {"RT 02/RW 05", "er te nol dua er we nol lima"},
                              {"RT 3 RW 7", "er te tiga er we tujuh"},
                          });
}
