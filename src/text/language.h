// SPDX-License-Identifier: GPL-3.0-or-later
// The words of a language that the normalizer's rules put together. Loaded
// from voices/<lang>/*.yaml by app::loadLanguage; the C++ holds no words of
// its own, so every field here must be filled by the data.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace warta::text {

// numbers.yaml: how numbers are said.
struct NumberWords {
  std::vector<std::string> digits;  // exactly 10: "nol" ... "sembilan"
  std::string ten;                  // "puluh": dua puluh
  std::string teen;                 // "belas": dua belas
  std::string hundred;              // "ratus": dua ratus
  // The "one of a unit" forms that replace "satu ...".
  std::string one_ten;      // "sepuluh"
  std::string one_teen;     // "sebelas"
  std::string one_hundred;  // "seratus"
  struct Scale {
    int power = 0;     // 3 for ribu, 6 for juta ...
    std::string word;  // "ribu"
    std::string one;   // "seribu"; empty means "<digit one> <word>" ("satu juta")
  };
  std::vector<Scale> scales;   // ascending by power
  std::string decimal_point;   // "koma": 2,5 -> dua koma lima
  std::string minus;           // "minus"
  std::string range;           // "sampai": 40-80 -> empat puluh sampai delapan puluh
  std::string ordinal_prefix;  // "ke": ke-3 -> ketiga
  std::string ordinal_one;     // "pertama": ke-1
  std::string plural_suffix;   // "an": 1990-an -> ... sembilan puluhan
  // Words after which a Roman numeral is a cardinal: "Komisi IV" -> Komisi empat.
  std::vector<std::string> roman_after;
  // Words after which a Roman numeral is an ordinal: "Perang Dunia II" -> kedua.
  std::vector<std::string> roman_ordinal_after;
  // Fractions: 1/2 -> setengah, 1/3 -> sepertiga, 3/4 -> tiga perempat.
  std::string fraction_half;        // "setengah"
  std::string fraction_prefix;      // "per": tiga perempat
  std::string fraction_one_prefix;  // "se": sepertiga
  // "Yuyun (39)" -> Yuyun, tiga puluh sembilan tahun.
  std::string age_word;  // "tahun"
  // Words after which a number in parentheses is a number, not an age: "ayat (1)".
  std::vector<std::string> number_labels;
  // Words after which a number is said digit by digit: "hubungi 112".
  std::vector<std::string> digits_after;
  // Words after which a unit code is said in pairs: "Kodim 1407" -> empat belas nol tujuh.
  std::vector<std::string> pairs_after;
  // Words after which a zero-padded number keeps its zeros: "RT 011" -> nol sebelas.
  std::vector<std::string> zero_padded_after;
  bool say_padding_zeros = false;
  // Words after which "2-1" is a score (dua satu), not a range (dua sampai satu).
  std::vector<std::string> score_after;
  // Day letters whose "-N" counts days before: H-7 -> ha minus tujuh.
  std::vector<std::string> minus_before_days;  // "RT 011": nol sebelas (true) or sebelas (false)
};

// calendar.yaml
struct CalendarWords {
  std::vector<std::string> months;                // exactly 12, January first
  std::vector<std::string> weekdays;              // exactly 7, Sunday first
  std::map<std::string, std::string> time_zones;  // "WIB" -> "waktu Indonesia barat" (case-sensitive)
  // Words before which d/m is a date, not a fraction: "tanggal 1/2".
  std::vector<std::string> date_before;
};

struct LanguageData {
  NumberWords numbers;
  CalendarWords calendar;
  // letters.yaml: lower-case letter -> its name, "b" -> "be"; used to spell acronyms.
  std::map<std::string, std::string> letters;
  // abbreviations.yaml: written without the final dot -> spoken, "Dr" -> "doktor".
  // Matched case-sensitively first ("dr" dokter vs "Dr" doktor), then ignoring case.
  std::map<std::string, std::string> abbreviations;
  // Those abbreviations that often close a sentence ("dll"): there a dot
  // followed by a capital ends the sentence. The others never do.
  std::vector<std::string> sentence_final;
  // Shortened words written without a dot, matched case-sensitively: "yg" -> "yang", "UU".
  std::map<std::string, std::string> shorthand;
  // Academic degrees after a name, keyed without dots: "SH" (S.H.) -> "sarjana hukum".
  // Dropped unless NormalizerOptions::read_degrees.
  std::map<std::string, std::string> degrees;
  // ranks.yaml: military and police ranks and corps, matched ignoring case:
  // "AKBP" -> "ajun komisaris besar polisi".
  std::map<std::string, std::string> ranks;
  // acronyms.yaml: all-capital words read as a word, not letter by letter
  // ("NATO"), and long ones spelled although they look pronounceable.
  std::vector<std::string> acronym_words;
  std::vector<std::string> acronym_spelled;
  // Small words an expansion may skip: "Usaha Mikro, Kecil, dan Menengah (UMKM)".
  std::vector<std::string> acronym_expansion_skips;
  // Words after which capitals are initials, spelled before any lexicon entry: "berinisial AS".
  std::vector<std::string> acronym_spelled_after;
  // units.yaml
  std::map<std::string, std::string> currencies;  // before a number: "Rp" -> "rupiah"
  std::map<std::string, std::string> units;       // after a number: "km" -> "kilometer", "%" -> "persen"
  std::string per;                                // "per": Rp6.500/kg
  // Short scale words after a currency amount: "Rp 1,2 T" -> triliun, "Rp 5 M" -> miliar.
  std::map<std::string, std::string> currency_scales;
  // symbols.yaml
  std::map<std::string, std::string> symbols;  // "&" -> "dan", "/" -> "garis miring", "." -> "titik", "@" -> ...
  std::vector<std::string> domain_suffixes;    // "com", "id": what makes "a.b" a domain
};

}  // namespace warta::text
