// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

using warta::test::checkSpoken;

TEST_CASE("reads cardinals of every size up to the trillions", "[text][normalizer][numbers]") {
  checkSpoken({
      {"1", "satu"},
      {"12", "dua belas"},
      {"19", "sembilan belas"},
      {"45", "empat puluh lima"},
      {"101", "seratus satu"},
      {"110", "seratus sepuluh"},
      {"119", "seratus sembilan belas"},
      {"999", "sembilan ratus sembilan puluh sembilan"},
      {"1001", "seribu satu"},
      {"1.100", "seribu seratus"},
      {"1.999", "seribu sembilan ratus sembilan puluh sembilan"},
      {"10.000", "sepuluh ribu"},
      {"12.500", "dua belas ribu lima ratus"},
      {"111.111", "seratus sebelas ribu seratus sebelas"},
      {"999.999", "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"},
      {"1.000.001", "satu juta satu"},
      {"1.001.000", "satu juta seribu"},
      {"11.000.000", "sebelas juta"},
      {"100.000.000", "seratus juta"},
      {"1.000.000.000", "satu miliar"},
      {"1.500.000.000", "satu miliar lima ratus juta"},
      {"1.000.000.000.000", "satu triliun"},
      {"3.000.000.000.000", "tiga triliun"},
      {"999.000.000.000.000", "sembilan ratus sembilan puluh sembilan triliun"},
      {"sebanyak 312 jiwa", "sebanyak tiga ratus dua belas jiwa"},
      {"Sedikitnya 1.250 rumah", "Sedikitnya seribu dua ratus lima puluh rumah"},
  });
}

TEST_CASE("reads numbers with a scale word after them as written", "[text][normalizer][numbers]") {
  checkSpoken({
      {"2 juta penduduk", "dua juta penduduk"},
      {"1 juta", "satu juta"},
      {"3,5 juta orang", "tiga koma lima juta orang"},
      {"1,2 miliar", "satu koma dua miliar"},
      {"6,6 triliun", "enam koma enam triliun"},
      {"10 ribu", "sepuluh ribu"},
  });
}

TEST_CASE("reads decimals with koma and the digits after it one by one", "[text][normalizer][numbers]") {
  checkSpoken({
      {"0,5", "nol koma lima"},
      {"3,14", "tiga koma satu empat"},
      {"10,05", "sepuluh koma nol lima"},
      {"inflasi 2,51 persen", "inflasi dua koma lima satu persen"},
      {"1.000,5", "seribu koma lima"},
      {"tumbuh 5,05 persen", "tumbuh lima koma nol lima persen"},
  });
}

TEST_CASE("reads negative numbers with minus", "[text][normalizer][numbers]") {
  checkSpoken({
      {"-1", "minus satu"},
      {"-12,5", "minus dua belas koma lima"},
      {"suhu -5 derajat", "suhu minus lima derajat"},
      {"-1.000", "minus seribu"},
  });
}

TEST_CASE("reads ranges of numbers and years with sampai", "[text][normalizer][numbers]") {
  checkSpoken({
      {"2019-2022", "dua ribu sembilan belas sampai dua ribu dua puluh dua"},
      {"periode 2020-2024", "periode dua ribu dua puluh sampai dua ribu dua puluh empat"},
      {"5-10 menit", "lima sampai sepuluh menit"},
      {"usia 7-12 tahun", "usia tujuh sampai dua belas tahun"},
      {"1.000-2.000 orang", "seribu sampai dua ribu orang"},
      {"10.00-12.00 WIB", "sepuluh sampai dua belas waktu Indonesia barat"},
      {"dengan 5-10 orang", "dengan lima sampai sepuluh orang"},
      {"tahun ajaran 2025/2026", "tahun ajaran dua ribu dua puluh lima dua ribu dua puluh enam"},
      {"tahun 2019 – 2022", "tahun dua ribu sembilan belas sampai dua ribu dua puluh dua"},
      {"usia 7 - 12 tahun", "usia tujuh sampai dua belas tahun"},
      {"Senin – Jumat", "Senin sampai Jumat"},
      {"Juni - Agustus 2025", "Juni sampai Agustus dua ribu dua puluh lima"},
      {"Rp 5.000 - Rp 10.000", "lima ribu rupiah sampai sepuluh ribu rupiah"},
      {"Banjir - yang parah - datang", "Banjir, yang parah, datang"},
  });
}

TEST_CASE("reads fractions that are not dates", "[text][normalizer][numbers]") {
  checkSpoken({
      {"1/2", "setengah"},
      {"1/2 kilogram", "setengah kilogram"},
      {"1/3 wilayah", "sepertiga wilayah"},
      {"1/4", "seperempat"},
      {"3/4 lahan", "tiga perempat lahan"},
      {"2/3 anggota", "dua pertiga anggota"},
      {"1/10 bagian", "sepersepuluh bagian"},
      {"2/5", "dua perlima"},
  });
}

TEST_CASE("reads ke-N as an ordinal, ke-1 as pertama", "[text][normalizer][numbers]") {
  checkSpoken({
      {"ke-3", "ketiga"},
      {"ke-4", "keempat"},
      {"ke-10", "kesepuluh"},
      {"ke-12", "kedua belas"},
      {"ke-20", "kedua puluh"},
      {"HUT RI ke-77", "ha u te er i ketujuh puluh tujuh"},
      {"ke-100", "keseratus"},
      {"ke-1.000", "keseribu"},
      {"peringkat ke-1", "peringkat pertama"},
      {"Ke-2", "kedua"},
  });
}

TEST_CASE("reads Roman numerals as a newsreader does by the word before them", "[text][normalizer][numbers]") {
  checkSpoken({
      {"semester I", "semester satu"},
      {"semester II 2025", "semester dua dua ribu dua puluh lima"},
      {"kuartal III", "kuartal tiga"},
      {"triwulan IV", "triwulan empat"},
      {"Sri Sultan Hamengku Buwono X", "Sri Sultan Hamengku Buwono kesepuluh"},
      {"Perang Dunia I", "Perang Dunia pertama"},
      {"pasca-Perang Dunia II", "pasca-Perang Dunia kedua"},
      {"Kota Bangun I", "Kota Bangun satu"},
      {"Komisi IV DPR", "Komisi empat de pe er"},
      {"Komisi III", "Komisi tiga"},
      {"abad XXI", "abad kedua puluh satu"},
      {"Abad ke-21", "Abad kedua puluh satu"},
      {"Pelita V", "Pelita lima"},
      {"Paus Yohanes Paulus II", "Paus Yohanes Paulus kedua"},
      {"Kodam V Brawijaya", "Kodam lima Brawijaya"},
      {"golongan III", "golongan tiga"},
      {"Pakubuwono XIII", "Pakubuwono ketiga belas"},
      {"Jembatan Suramadu II", "Jembatan Suramadu dua"},
      {"Kabinet Indonesia Maju III", "Kabinet Indonesia Maju tiga"},
      {"Sultan HB X", "Sultan ha be kesepuluh"},
      {"kelas XII", "kelas dua belas"},
  });
}

TEST_CASE("leaves an English I and initials alone", "[text][normalizer][numbers]") {
  checkSpoken({
      {"I Made Sudarsana", "i Made Sudarsana"},
      {"I Gusti Ayu", "i Gusti Ayu"},
      {"Joko W.", "Joko we."},
      {"kata Joko W. kemarin", "kata Joko we kemarin"},
      {"Tim V", "Tim fe"},
      {"Madrasah MI Nurul Huda", "Madrasah em i Nurul Huda"},
      {"PT CV Maju", "pe te ce fe Maju"},
  });
}

TEST_CASE("reads a score after the words that announce one", "[text][normalizer][numbers]") {
  checkSpoken({
      {"Persija vs Persib berakhir 2-2.", "Persija melawan Persib berakhir dua dua."},
      {"menang 3-1 atas Bali United", "menang tiga satu atas Bali United"},
      {"dengan skor 1-0", "dengan skor satu nol"},
      {"kalah 0-3", "kalah nol tiga"},
  });
}
