// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

#include <chrono>

#include "text/segment.h"

using warta::test::checkSpoken;
using warta::test::indonesian;
using warta::test::rules;
using warta::test::indonesianWith;

TEST_CASE("reads curly quotes, apostrophes and dashes as plain text", "[text][normalizer][typography]") {
  checkSpoken({
      {"“Kami siap,” ujarnya.", "Kami siap, ujarnya."},
      {"‘Ini rumah kami’", "Ini rumah kami"},
      {"«Merdeka!»", "Merdeka!"},
      {"Jum’at", "Jumat"},
      {"Blitar — Hujan", "Blitar, Hujan"},
      {"2019–2022", "dua ribu sembilan belas sampai dua ribu dua puluh dua"},
      {"pukul 09.00–16.00 WIB", "pukul sembilan sampai enam belas waktu Indonesia barat"},
      {"kata – kata", "kata, kata"},
  });
}

TEST_CASE("reads ellipses as a pause and a sentence end", "[text][normalizer][typography]") {
  checkSpoken({
      {"Airnya naik cepat sekali… dalam 15 menit", "Airnya naik cepat sekali, dalam lima belas menit"},
      {"Airnya naik... dalam", "Airnya naik, dalam"},
      {"dan seterusnya…", "dan seterusnya."},
      {"segera datang...bantuan", "segera datang, bantuan"},
      {"segera datang... Bantuan tiba", "segera datang. Bantuan tiba"},
      {"segera datang...Bantuan tiba", "segera datang. Bantuan tiba"},
  });
}

TEST_CASE("drops bullets, odd spaces and zero-width characters", "[text][normalizer][typography]") {
  checkSpoken({
      {"• beras 5 kg", "beras lima kilogram"},
      {"▪ minyak", "minyak"},
      {"Rp\xC2\xA0"
       "5.000",
       "lima ribu rupiah"},
      {"10\xE2\x80\xAF"
       "km",
       "sepuluh kilometer"},
      {"ka\xE2\x80\x8Bta", "kata"},
      {"kata\xC2\xAD"
       "nya",
       "katanya"},
      {"\xEF\xBB\xBFJudul", "Judul"},
      {"satu\tdua", "satu dua"},
  });
}

TEST_CASE("puts back a missing space after a comma or a full stop", "[text][normalizer][typography]") {
  checkSpoken({
      {"kata,lalu", "kata, lalu"},
      {"selesai.Kemudian", "selesai. Kemudian"},
      {"hujan,angin,dan petir", "hujan, angin, dan petir"},
      {"2,5", "dua koma lima"},
      {"S.Pd", "es pe de"},
      {"detik.com", "detik titik com"},
      {"Ya?Tidak", "Ya? Tidak"},
  });
}

TEST_CASE("keeps commas and sentence ends and nothing else", "[text][normalizer][typography]") {
  checkSpoken({
      {"(Foto: Istimewa)", "Foto, Istimewa"},
      {"Apa benar?!", "Apa benar?"},
      {"Ya, ya, ya.", "Ya, ya, ya."},
      {"harga naik; warga resah", "harga naik, warga resah"},
      {"A & B", "a dan be"},
      {"a + b = c", "a plus b sama dengan c"},
      {"[Baca juga]", "Baca juga"},
      {"*Penting*", "Penting"},
      {"± 100 orang", "kurang lebih seratus orang"},
      {"±100 orang", "kurang lebih seratus orang"},
      {"½ kilo", "setengah kilo"},
      {"3 × 4", "tiga kali empat"},
  });
}

TEST_CASE("reads the dateline's site only when the voice asks for it", "[text][normalizer][typography]") {
  warta::text::Article article;
  article.headline = "Judul";
  article.dateline_place = "Kota Blitar";
  article.dateline_source = "mitratoday.com";
  warta::text::Block block;
  block.text = "Hujan turun.";
  article.blocks.push_back(block);
  warta::text::NormalizerOptions options;
  options.read_dateline_source = true;
  const warta::text::Normalizer reader = indonesianWith(options);
  std::vector<warta::text::Segment> with =
      warta::text::segmentArticle(article, {}, reader.abbreviations(), reader.options().read_dateline_source);
  reader.normalize(with);
  CHECK(with.at(1).spoken == "Kota Blitar, mitratoday titik com");
  std::vector<warta::text::Segment> without = warta::text::segmentArticle(article, {}, indonesian().abbreviations(),
                                                                          indonesian().options().read_dateline_source);
  indonesian().normalize(without);
  CHECK(without.at(1).spoken == "Kota Blitar");
}

TEST_CASE("never leaves a digit or symbol and never throws on any bytes", "[text][normalizer][robustness]") {
  const std::string inputs[] = {
      std::string("\xFF\xFE kata \x80\x81 lain"),
      std::string("\xC3"),
      std::string("Rp\xE2\x82"),
      std::string("12\xF0\x9F\x98\x80"
                  "34"),
      std::string("\x00kata", 5),
      std::string("kondkm\xC0\xB2pompa dan"),
      std::string("a\xE0\x80\xB1"
                  "b \xED\xA0\x80 \xF4\x90\x80\x80"),
      std::string(1000, '('),
      std::string(1000, '9'),
      std::string(500, '.') + "5",
      "(((((BPBD)))))",
      "ke-99999999999999999999",
      "Rp Rp Rp",
      "US$",
      "1/0",
      "0/0",
      "99/99/9999",
      "-",
      "--5",
      "5--",
      "1.2.3.4.5.6.7.8",
      "@",
      "#",
      "#123",
      "@.com",
      "a@b",
      "http://",
      "://",
      "(39)",
      "(S.H.)",
      ", S.H.",
      "RT",
      "RT 0",
      "Koramil -/",
      "Kodim 1/2/3/4",
      "pukul 99.99",
      "24:00",
      "XIV",
      "Dunia MMMMM",
      "IIII",
      "ᾹᾹ ÆØÅ 北京 Москва",
      "Rp1.000.000.000.000.000.000",
      "50% 50 %",
      "x\xE2\x80\x8B\xE2\x80\x8B",
  };
  for (const std::string& input : inputs) {
    INFO(input);
    std::string spoken;
    REQUIRE_NOTHROW(spoken = indonesian().normalize(input));
    CHECK(spoken.find_first_of("0123456789/%$^+=()\"#@&*[]{}<>_~|\\") == std::string::npos);
    CHECK(spoken.find("  ") == std::string::npos);
    REQUIRE_NOTHROW(indonesian().explain(input));
  }
}

TEST_CASE("never drops a word of running text", "[text][normalizer][robustness]") {
  const std::string text =
      "Warga Desa Salo Pance mengungsi ke balai desa karena air sungai meluap dan merendam sawah serta kebun.";
  const std::string spoken = indonesian().normalize(text);
  CHECK(spoken == text);
}

TEST_CASE("reads long runs of odd tokens in linear time", "[text][normalizer][robustness]") {
  const auto repeat = [](const std::string& piece, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
  };
  const std::string inputs[] = {
      repeat("1/2", 60000) + "/x", repeat("1-2", 60000) + "-x", repeat("a.", 100000), repeat("(", 200000) + "BPBD)",
      repeat("A1", 100000),        repeat("ab-", 60000),        repeat("aB", 100000), repeat("9", 200000),
      repeat("RT.", 60000) + "1",  repeat("Rp", 100000),        repeat(".", 200000),  repeat("Budi, S.H., ", 20000),
  };
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& input : inputs) REQUIRE_NOTHROW(rules().normalize(input));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 30.0);  // linear: well under a second in a release build; quadratic: many minutes
}

// "[[...]]" is how the lexicon hands eSpeak phonemes: brackets written in an
// article must never open such a span, or eSpeak reads the words as phonemes
// (found by the fuzzer: "[[[[1/11 pukul" before a lexicon word's span).
TEST_CASE("reads words between doubled brackets as words, never as phonemes", "[text][normalizer][typography]") {
  checkSpoken(indonesian(),
              {
                  // with the shipped lexicon, whose phoneme spans must survive
                  {"Lihat [[Jakarta]] hari ini", "Lihat Jakarta hari ini"},
                  {"[[[1/11 pukul 08.30 WIT]]", "sepersebelas pukul delapan tiga puluh waktu Indonesia timur"},
                  {"senjata [[[[ laras panjang Kemenhan", "senjata laras panjang [[k@m@nh'an]]"},
                  {"catatan [x] dan [[y]] juga", "catatan x dan y juga"},
              });
}
