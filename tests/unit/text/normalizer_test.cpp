// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <string>

#include "text/normalizer.h"
#include "text_fixture.h"

using warta::test::indonesian;

namespace {
struct Case {
  const char* written;
  const char* spoken;
};

void checkAll(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    INFO("written: " << c.written);
    CHECK(indonesian().normalize(c.written) == c.spoken);
  }
}
}  // namespace

TEST_CASE("reads cardinals with the se- forms and satu juta", "[text][normalizer]") {
  checkAll({
      {"0", "nol"},
      {"7", "tujuh"},
      {"10", "sepuluh"},
      {"11", "sebelas"},
      {"15", "lima belas"},
      {"20", "dua puluh"},
      {"21", "dua puluh satu"},
      {"99", "sembilan puluh sembilan"},
      {"100", "seratus"},
      {"111", "seratus sebelas"},
      {"200", "dua ratus"},
      {"1000", "seribu"},
      {"1.001", "seribu satu"},
      {"2.000", "dua ribu"},
      {"11.000", "sebelas ribu"},
      {"100.000", "seratus ribu"},
      {"1.000.000", "satu juta"},
      {"1.250.000", "satu juta dua ratus lima puluh ribu"},
      {"2.000.000.000", "dua miliar"},
      {"5.250.000.000.000", "lima triliun dua ratus lima puluh miliar"},
      {"2025", "dua ribu dua puluh lima"},
      {"tahun 1998", "tahun seribu sembilan ratus sembilan puluh delapan"},
      {"tahun 1990-an", "tahun seribu sembilan ratus sembilan puluhan"},
      {"-5", "minus lima"},
  });
}

TEST_CASE("reads numbers too long or with a leading zero digit by digit", "[text][normalizer]") {
  checkAll({
      {"kode 007", "kode nol nol tujuh"},
      {"hubungi 0812-3456-7890", "hubungi nol delapan satu dua, tiga empat lima enam, tujuh delapan sembilan nol"},
      {"1.000.000.000.000.000", "satu nol nol nol nol nol nol nol nol nol nol nol nol nol nol nol"},
  });
}

TEST_CASE("reads decimals digit by digit after koma", "[text][normalizer]") {
  checkAll({
      {"2,5", "dua koma lima"},
      {"0,27", "nol koma dua tujuh"},
      {"7,2 ton", "tujuh koma dua ton"},
      {"1.250,75", "seribu dua ratus lima puluh koma tujuh lima"},
      {"versi 2.5", "versi dua titik lima"},
  });
}

TEST_CASE("reads percentages written with % or persen", "[text][normalizer]") {
  checkAll({
      {"12,5%", "dua belas koma lima persen"},
      {"12,5 persen", "dua belas koma lima persen"},
      {"naik 15% dibanding", "naik lima belas persen dibanding"},
      {"71,3%.", "tujuh puluh satu koma tiga persen."},
      {"15 %", "lima belas persen"},
  });
}

TEST_CASE("reads rupiah amounts with the currency after the amount", "[text][normalizer]") {
  checkAll({
      {"Rp4.905", "empat ribu sembilan ratus lima rupiah"},
      {"Rp5.000.000", "lima juta rupiah"},
      {"Rp 1,5 miliar", "satu koma lima miliar rupiah"},
      {"sebesar Rp 3,2 miliar.", "sebesar tiga koma dua miliar rupiah."},
      {"Rp750.000,-", "tujuh ratus lima puluh ribu rupiah"},
      {"Rp. 5.000", "lima ribu rupiah"},
      {"Rp10 ribu", "sepuluh ribu rupiah"},
      {"Rp6.500/kg", "enam ribu lima ratus rupiah per kilogram"},
      {"US$1,2 juta", "satu koma dua juta dolar Amerika Serikat"},
  });
}

TEST_CASE("reads dates as day, month name and year, without their parentheses", "[text][normalizer]") {
  checkAll({
      {"Rabu (11/6/2025).", "Rabu sebelas Juni dua ribu dua puluh lima."},
      {"11/6", "sebelas Juni"},
      {"1/1/2000", "satu Januari dua ribu"},
      {"29/2/2024", "dua puluh sembilan Februari dua ribu dua puluh empat"},
      {"13-6-2025", "tiga belas Juni dua ribu dua puluh lima"},
      {"2025-06-10", "sepuluh Juni dua ribu dua puluh lima"},
  });
}

TEST_CASE("reads an impossible date as its numbers, never inventing one", "[text][normalizer]") {
  checkAll({
      {"35/13/2025", "tiga puluh lima garis miring tiga belas garis miring dua ribu dua puluh lima"},
      {"29/2/2025", "dua puluh sembilan garis miring dua garis miring dua ribu dua puluh lima"},
      {"31/4", "tiga puluh satu garis miring empat"},
  });
}

TEST_CASE("reads ordinals ke-N, with pertama for the first", "[text][normalizer]") {
  checkAll({
      {"ke-1", "pertama"},
      {"ke-2", "kedua"},
      {"banjir ke-3 tahun ini", "banjir ketiga tahun ini"},
      {"ke-11", "kesebelas"},
      {"HUT ke-80", "ha u te kedelapan puluh"},
  });
}

TEST_CASE("reads times as a newsreader does, and the time zones in full", "[text][normalizer]") {
  checkAll({
      {"pukul 10.00 WIB", "pukul sepuluh waktu Indonesia barat"},
      {"pukul 08.30 WITA", "pukul delapan tiga puluh waktu Indonesia tengah"},
      {"pukul 19.30 WIT.", "pukul sembilan belas tiga puluh waktu Indonesia timur."},
      {"pukul 14.05", "pukul empat belas nol lima"},
      {"pukul 02.30", "pukul dua tiga puluh"},
      {"08.00-14.00 WIB", "delapan sampai empat belas waktu Indonesia barat"},
  });
}

TEST_CASE("reads ranges and units after numbers", "[text][normalizer]") {
  checkAll({
      {"40-80 sentimeter", "empat puluh sampai delapan puluh sentimeter"},
      {"sejauh 80 km", "sejauh delapan puluh kilometer"},
      {"100km", "seratus kilometer"},
      {"80 km/jam", "delapan puluh kilometer per jam"},
      {"suhu -2°C", "suhu minus dua derajat selsius"},
      {"lahan 50 ha", "lahan lima puluh hektare"},
  });
}

TEST_CASE("spells all-capital acronyms with letter names unless said as words", "[text][normalizer]") {
  checkAll({
      {"TNI", "te en i"},
      {"DPRD", "de pe er de"},
      {"BPBD", "be pe be de"},
      {"UMKM lokal", "u em ka em lokal"},
      {"SDN Sumberjati 3", "es de en Sumberjati tiga"},
      {"Satpol PP", "Satpol pe pe"},
      {"RAPBN", "er a pe be en"},
      {"NATO", "nato"},
      {"POLRI", "polri"},
      {"JAKARTA", "jakarta"},
      {"G20", "ge dua puluh"},
      {"jaringan 4G", "jaringan empat ge"},
  });
}

TEST_CASE("reads titles and abbreviations in full", "[text][normalizer]") {
  checkAll({
      {"H. Darmanto", "haji Darmanto"},
      {"Hj. Sri Wahyuningsih", "hajah Sri Wahyuningsih"},
      {"Dr. Bambang", "doktor Bambang"},
      {"dr. Ahmad", "dokter Ahmad"},
      {"Prof. Dr. Ir. Budi", "profesor doktor insinyur Budi"},
      {"Jl. Merdeka No. 5", "jalan Merdeka nomor lima"},
      {"sayur, buah, dll.", "sayur, buah, dan lain-lain."},
      {"Jalan A. Yani", "Jalan a Yani"},
      {"Budi, S.H.", "Budi."},
      {"a.n. Budi", "atas nama Budi"},
  });
}

TEST_CASE("reads web addresses with titik", "[text][normalizer]") {
  checkAll({
      {"mitratoday.com", "mitratoday titik kom"},
      {"Menurut kabarsehatnusa.co.id,", "Menurut kabarsehatnusa titik ko titik id,"},
      {"www.kompas.com", "we we we titik kompas titik kom"},
      {"https://www.detik.com/berita/123", "we we we titik detik titik kom"},
      {"redaksi@warta.id", "redaksi et warta titik id"},
  });
}

TEST_CASE("reads Roman numerals after the words that take them", "[text][normalizer]") {
  checkAll({
      {"Komisi IV DPRD", "Komisi empat de pe er de"},
      {"Perang Dunia II", "Perang Dunia kedua"},
      {"tim IV", "tim i fe"},
  });
}

TEST_CASE("lexicon pronunciations override the rules", "[text][normalizer]") {
  checkAll({
      {"Covid-19", "Kovid sembilan belas"},
      {"COVID-19", "kovid sembilan belas"},
      {"lewat WhatsApp dan podcast online", "lewat Wotsap dan podkas onlain"},
      {"Pemkot Blitar", "[[p@mk'ot]] Blitar"},
      {"HAM", "ham"},
      {"AS", "amerika serikat"},
      {"as roda", "as roda"},
      {"tersangka berinisial AS", "tersangka berinisial a es"},
  });
}

TEST_CASE("keeps commas and sentence ends, drops quotes, brackets and other symbols", "[text][normalizer]") {
  checkAll({
      {"“Kami siap,” katanya.", "Kami siap, katanya."},
      {"\"Benarkah?\" tanyanya!", "Benarkah? tanyanya!"},
      {"Blitar – Hujan turun; warga: siaga...", "Blitar, Hujan turun, warga, siaga."},
      {"dan/atau", "dan atau"},
      {"Jum'at", "Jumat"},
      {"5 & 6", "lima dan enam"},
      {"anak-anak dan obat-obatan", "anak-anak dan obat-obatan"},
      {"Pasca-Imunisasi", "Pasca-Imunisasi"},
      {"  spasi\xC2\xA0 ganda\xE2\x80\x8B ", "spasi ganda"},
      {"#DirumahAja", "tagar dirumah aja"},
      {"harga * naik ~ turun", "harga naik turun"},
  });
}

TEST_CASE("never leaves digits or symbols and never throws on odd input", "[text][normalizer]") {
  const char* inputs[] = {"1/2/3/4",
                          "12:30:45",
                          "x^2 + 3 = 7",
                          "Rp",
                          "$",
                          "100.000.000.000.000.000.000",
                          "1..2",
                          "3,,5",
                          "½ kilo",
                          "№ 5",
                          "(((",
                          "ke-0",
                          "2.5.1.3",
                          "10-",
                          "-",
                          "—",
                          "A-1",
                          "50/50",
                          "99999999999999999999",
                          "...",
                          "'",
                          "U+1F600 😀",
                          "B.J. Habibie",
                          "1,-"};
  for (const char* input : inputs) {
    INFO(input);
    std::string spoken;
    REQUIRE_NOTHROW(spoken = indonesian().normalize(input));
    CHECK(spoken.find_first_of("0123456789/%$^+=()\"") == std::string::npos);
    CHECK(spoken.find("  ") == std::string::npos);
  }
}

TEST_CASE("fills the spoken form of every segment", "[text][normalizer]") {
  std::vector<warta::text::Segment> segments(2);
  segments[0].text = "Banjir ke-3";
  segments[1].text = "Rp4.905.";
  indonesian().normalize(segments);
  CHECK(segments[0].spoken == "Banjir ketiga");
  CHECK(segments[1].spoken == "empat ribu sembilan ratus lima rupiah.");
}

TEST_CASE("abbreviations for the segmenter leave out those that may end a sentence", "[text][normalizer]") {
  const auto& list = indonesian().abbreviations();
  const auto has = [&](const char* w) { return std::find(list.begin(), list.end(), w) != list.end(); };
  CHECK(has("Dr"));
  CHECK(has("H"));
  CHECK(has("Jl"));
  CHECK_FALSE(has("dll"));
}
