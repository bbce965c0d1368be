// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

using warta::test::checkSpoken;

TEST_CASE("reads rupiah amounts in every way they are written", "[text][normalizer][money]") {
  checkSpoken({
      {"Rp5.000", "lima ribu rupiah"},
      {"Rp 5.000", "lima ribu rupiah"},
      {"Rp1.000", "seribu rupiah"},
      {"Rp100", "seratus rupiah"},
      {"Rp 1,5 miliar", "satu koma lima miliar rupiah"},
      {"Rp6,6 triliun", "enam koma enam triliun rupiah"},
      {"Rp 2 juta", "dua juta rupiah"},
      {"Rp1 juta", "satu juta rupiah"},
      {"Rp 500 ribu", "lima ratus ribu rupiah"},
      {"Rp2.500.000,00", "dua juta lima ratus ribu rupiah"},
      {"Rp15.000/liter", "lima belas ribu rupiah per liter"},
      {"senilai Rp 3,2 triliun,", "senilai tiga koma dua triliun rupiah,"},
      {"Rp1.234.567", "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh rupiah"},
      {"(Rp 50 ribu)", "lima puluh ribu rupiah"},
      {"Rp 10rb per orang", "sepuluh ribu rupiah per orang"},
      {"Rp2jt", "dua juta rupiah"},
      {"Rp 1,2 T", "satu koma dua triliun rupiah"},
      {"Rp5 M", "lima miliar rupiah"},
      {"Rp 300 jt", "tiga ratus juta rupiah"},
      {"Rp300 ribu/bulan", "tiga ratus ribu rupiah per bulan"},
      {"Rp 1,5 juta/orang.", "satu koma lima juta rupiah per orang."},
  });
}

TEST_CASE("reads foreign currencies after the amount", "[text][normalizer][money]") {
  checkSpoken({
      {"US$ 2 juta", "dua juta dolar Amerika Serikat"},
      {"US$2 juta", "dua juta dolar Amerika Serikat"},
      {"US$ 150", "seratus lima puluh dolar Amerika Serikat"},
      {"$5", "lima dolar"},
      {"S$ 10", "sepuluh dolar Singapura"},
      {"€20", "dua puluh euro"},
      {"RM 3.000", "tiga ribu ringgit"},
  });
}

TEST_CASE("reads units after numbers in full", "[text][normalizer][units]") {
  checkSpoken({
      {"12 km", "dua belas kilometer"},
      {"12km", "dua belas kilometer"},
      {"5 kg", "lima kilogram"},
      {"2,5 kg", "dua koma lima kilogram"},
      {"500 kWh", "lima ratus kilowatt jam"},
      {"30°C", "tiga puluh derajat selsius"},
      {"30 °C", "tiga puluh derajat selsius"},
      {"200 m2", "dua ratus meter persegi"},
      {"200 m²", "dua ratus meter persegi"},
      {"10 ha", "sepuluh hektare"},
      {"1.500 hektare", "seribu lima ratus hektare"},
      {"15 cm", "lima belas sentimeter"},
      {"100 ml", "seratus mililiter"},
      {"5,6 SR", "lima koma enam skala rikter"},
      {"3 m3", "tiga meter kubik"},
      {"60 km/jam", "enam puluh kilometer per jam"},
      {"20 persen", "dua puluh persen"},
      {"20%", "dua puluh persen"},
      {"0,5%", "nol koma lima persen"},
      {"100 MW", "seratus megawatt"},
      {"3.000 mdpl", "tiga ribu meter di atas permukaan laut"},
      {"naik 3x lipat", "naik tiga kali lipat"},
      {"100 Mbps", "seratus megabit per detik"},
      {"ditahan 1x24 jam", "ditahan satu kali dua puluh empat jam"},
  });
}

TEST_CASE("reads ha as a word where it is not a unit after a number", "[text][normalizer][units]") {
  checkSpoken({
      {"ha ha ha", "ha ha ha"},
      {"kata ha", "kata ha"},
      {"m bukan unit", "m bukan unit"},
  });
}
