// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

using warta::test::checkSpoken;
using warta::test::indonesianWith;

TEST_CASE("spells all-capital acronyms with Indonesian letter names", "[text][normalizer][acronyms]") {
  checkSpoken({
      {"TNI", "te en i"},
      {"ASN", "a es en"},
      {"KPK", "ka pe ka"},
      {"DPR", "de pe er"},
      {"BUMN", "be u em en"},
      {"PLN", "pe el en"},
      {"KTP", "ka te pe"},
      {"BPJS Kesehatan", "be pe je es Kesehatan"},
      {"PDAM", "pe de a em"},
      {"SMAN 1 Blitar", "es em a en satu Blitar"},
      {"UMKM", "u em ka em"},
      {"BMKG", "be em ka ge"},
      {"OJK", "o je ka"},
      {"KUHP", "ka u ha pe"},
      {"PPKM", "pe pe ka em"},
      {"WNI", "we en i"},
      {"MUI", "em u i"},
      {"DKI Jakarta", "de ka i Jakarta"},
      {"tersangka berinisial AS (45)", "tersangka berinisial a es, empat puluh lima tahun"},
      {"tersangka RS alias Bento (32) ditangkap", "tersangka er es alias Bento, tiga puluh dua tahun ditangkap"},
  });
}

TEST_CASE("says acronyms the data lists as words", "[text][normalizer][acronyms]") {
  checkSpoken({
      {"HAM", "ham"},
      {"Polri", "Polri"},
      {"POLRI", "polri"},
      {"NATO", "nato"},
      {"ASEAN", "asean"},
      {"UNESCO", "unesco"},
      {"BULOG", "bulog"},
      {"SIM", "sim"},
      {"PAUD", "paud"},
  });
}

TEST_CASE("says unknown acronyms shaped like Indonesian words and spells the rest", "[text][normalizer][acronyms]") {
  checkSpoken({
      {"BAZNAS", "baznas"},
      {"DAMRI", "damri"},
      {"BUMDES", "bumdes"},
      {"KORPRI", "korpri"},
      {"HIPMI", "hipmi"},
      {"KADIN", "kadin"},
      {"PGRI", "pe ge er i"},
      {"YLBHI", "ye el be ha i"},
      {"LPSK", "el pe es ka"},
      {"BPOM", "be pe o em"},
  });
}

TEST_CASE("says a headline written in capitals as words", "[text][normalizer][acronyms]") {
  checkSpoken({
      {"BANJIR RENDAM RATUSAN RUMAH DI BLITAR", "banjir rendam ratusan rumah di blitar"},
      {"TNI DAN POLRI SIAGA", "te en i dan polri siaga"},
      {"DPRD KOTA BLITAR GELAR RAPAT", "de pe er de kota blitar gelar rapat"},
  });
}

TEST_CASE("splits mixed-case acronyms where their case changes", "[text][normalizer][acronyms]") {
  checkSpoken({
      {"KemenkumHAM", "kemenkum ham"},
      {"WamenkumHAM", "wamenkum ham"},
      {"Kemenpan RB", "Kemenpan er be"},
      {"KemenPAN-RB", "kemen pe a en er be"},
      {"eKTP", "e ka te pe"},
      {"e-KTP", "e ka te pe"},
      {"PolitiKU", "politi ka u"},
      {"pH 7", "pe ha tujuh"},
  });
}

TEST_CASE("reads letters and digits in one token apart", "[text][normalizer][acronyms]") {
  checkSpoken({
      {"4G", "empat ge"},
      {"5G", "lima ge"},
      {"SS1", "es es satu"},
      {"AK-56", "a ka lima puluh enam"},
      {"Covid-19", "Covid sembilan belas"},
      {"G20", "ge dua puluh"},
      {"B20", "be dua puluh"},
      {"F-16", "ef enam belas"},
      {"MH370", "em ha tiga ratus tujuh puluh"},
      {"Pilkada 2024", "Pilkada dua ribu dua puluh empat"},
      {"gempa M5,2", "gempa em lima koma dua"},
      {"pada H-7 Lebaran", "pada ha minus tujuh Lebaran"},
      {"H+3 Lebaran", "ha plus tiga Lebaran"},
      {"antrean A-012", "antrean a nol satu dua"},
  });
}

TEST_CASE("leaves out an acronym repeated right after its expansion", "[text][normalizer][acronyms]") {
  checkSpoken({
      {"Badan Penanggulangan Bencana Daerah (BPBD) Kota Blitar", "Badan Penanggulangan Bencana Daerah Kota Blitar"},
      {"Dewan Perwakilan Rakyat Daerah (DPRD) setempat", "Dewan Perwakilan Rakyat Daerah setempat"},
      {"Tentara Nasional Indonesia (TNI).", "Tentara Nasional Indonesia."},
      {"Usaha Mikro, Kecil, dan Menengah (UMKM)", "Usaha Mikro, Kecil, dan Menengah"},
      {"Badan Pusat Statistik (BPS), inflasi", "Badan Pusat Statistik, inflasi"},
      {"kata pejabat (BPBD) itu", "kata pejabat be pe be de itu"},
      {"Kepala Dinas (BPBD)", "Kepala Dinas be pe be de"},
  });
}

TEST_CASE("reads the repeated acronym when the voice asks for it", "[text][normalizer][acronyms]") {
  warta::text::NormalizerOptions options;
  options.read_repeated_acronyms = true;
  checkSpoken(indonesianWith(options),
              {
                  {"Badan Penanggulangan Bencana Daerah (BPBD)", "Badan Penanggulangan Bencana Daerah be pe be de"},
              });
}
