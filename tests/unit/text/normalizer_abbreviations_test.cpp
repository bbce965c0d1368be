// SPDX-License-Identifier: GPL-3.0-or-later
#include "normalizer_cases.h"

using warta::test::checkSpoken;
using warta::test::indonesianWith;

TEST_CASE("reads common abbreviations in full", "[text][normalizer][abbreviations]") {
  checkSpoken({
      {"beras, gula, dll.", "beras, gula, dan lain-lain."},
      {"beras, gula, dll. yang dibagikan", "beras, gula, dan lain-lain yang dibagikan"},
      {"sandang, pangan, dsb.", "sandang, pangan, dan sebagainya."},
      {"Budi dkk.", "Budi dan kawan-kawan."},
      {"warga yg terdampak", "warga yang terdampak"},
      {"lokasi tsb.", "lokasi tersebut."},
      {"Jl. Sudirman", "jalan Sudirman"},
      {"Jl Sudirman No. 12", "jalan Sudirman nomor dua belas"},
      {"Kab. Malang", "kabupaten Malang"},
      {"Kec. Sukorejo", "kecamatan Sukorejo"},
      {"Kel. Sumberjati", "kelurahan Sumberjati"},
      {"Prov. Jawa Timur", "provinsi Jawa Timur"},
      {"UU Cipta Kerja", "undang-undang Cipta Kerja"},
      {"revisi UU ITE", "revisi undang-undang i te e"},
      {"dgn warga", "dengan warga"},
      {"utk anak", "untuk anak"},
      {"Gg. Mawar", "gang Mawar"},
      {"s.d. Juni", "sampai dengan Juni"},
      {"1 Januari s/d 31 Maret", "satu Januari sampai dengan tiga puluh satu Maret"},
      {"PT. Maju Jaya Tbk.", "pe te Maju Jaya te be ka."},
      {"CV. Sinar Abadi", "ce fe Sinar Abadi"},
      {"usia 5 thn", "usia lima tahun"},
      {"Pasal 351 jo Pasal 55 KUHP", "Pasal tiga ratus lima puluh satu juncto Pasal lima puluh lima ka u ha pe"},
      {"bertemu PM Jepang", "bertemu perdana menteri Jepang"},
  });
}

TEST_CASE("reads titles before a name in full", "[text][normalizer][abbreviations]") {
  checkSpoken({
      {"H. Ahmad", "haji Ahmad"},
      {"Hj. Siti", "hajah Siti"},
      {"KH. Ma'ruf Amin", "kiai haji Maruf Amin"},
      {"Dr. Ir. Soekarno", "doktor insinyur Soekarno"},
      {"Drs. Budi", "doktorandus Budi"},
      {"Prof. Dr. Mahfud", "profesor doktor Mahfud"},
      {"Moh. Hatta", "mohammad Hatta"},
      {"Muh. Yusuf", "muhammad Yusuf"},
      {"Ny. Ani", "nyonya Ani"},
      {"Ust. Abdul Somad", "ustaz Abdul Somad"},
  });
}

TEST_CASE("drops academic degrees after a name by default", "[text][normalizer][abbreviations]") {
  checkSpoken({
      {"Budi Santoso, S.H., M.Si., mengatakan", "Budi Santoso, mengatakan"},
      {"Budi Santoso, S.H., M.Si. mengatakan", "Budi Santoso mengatakan"},
      {"Ahmad, S.H.I.", "Ahmad."},
      {"Rina, SH.,MH mengatakan", "Rina mengatakan"},
      {"Dedi, SE., ME, menjelaskan", "Dedi, menjelaskan"},
      {"Siti, S.Pd.", "Siti."},
      {"Joko, M.M.", "Joko."},
      {"kata Ani, S.Sos., M.AP.", "kata Ani."},
      {"dr. Rudi, Sp.PD, menyebut", "dokter Rudi, menyebut"},
      {"Wahyu, S.Kom", "Wahyu"},
      {"dikuatkan Kejaksaan, MA, dan KY", "dikuatkan Kejaksaan, em a, dan ka ye"},
      {"kata Budi, SH mengatakan", "kata Budi, es ha mengatakan"},
      {"Rektor, Prof. Dr. Budi, M.A., Ph.D.", "Rektor, profesor doktor Budi."},
      {"kata Andi Saleh, M.Si. Ia menambahkan", "kata Andi Saleh. Ia menambahkan"},
      {"Andi Saleh, S.H., M.Si. Dia hadir", "Andi Saleh. Dia hadir"},
  });
}

TEST_CASE("reads academic degrees when the voice asks for them", "[text][normalizer][abbreviations]") {
  warta::text::NormalizerOptions options;
  options.read_degrees = true;
  checkSpoken(indonesianWith(options),
              {
                  {"Budi, S.H.", "Budi, sarjana hukum."},
                  {"Budi, S.H., M.Si., mengatakan", "Budi, sarjana hukum, magister sains, mengatakan"},
                  {"Rina, SH.,MH mengatakan", "Rina, sarjana hukum, magister hukum mengatakan"},
                  {"Siti, S.Pd.", "Siti, sarjana pendidikan."},
              });
}

TEST_CASE("reads military and police ranks in full", "[text][normalizer][abbreviations]") {
  checkSpoken({
      {"AKBP Budi Santoso", "ajun komisaris besar polisi Budi Santoso"},
      {"Kapolres AKBP Budi", "Kapolres ajun komisaris besar polisi Budi"},
      {"Letkol Inf. Andi", "letnan kolonel infanteri Andi"},
      {"Lettu Inf. Sugeng", "letnan satu infanteri Sugeng"},
      {"Kompol Hendra", "komisaris polisi Hendra"},
      {"AKP Dedi", "ajun komisaris polisi Dedi"},
      {"Brigjen TNI Ahmad", "brigadir jenderal te en i Ahmad"},
      {"Mayjen TNI Rudi", "mayor jenderal te en i Rudi"},
      {"Serda Joko", "sersan dua Joko"},
      {"Bripka Agus", "brigadir polisi kepala Agus"},
      {"Kombes Pol. Yusri", "komisaris besar polisi Yusri"},
      {"Iptu Rahmat", "inspektur polisi satu Rahmat"},
      {"Irjen Pol Nana", "inspektur jenderal polisi Nana"},
      {"Kolonel (Purn) Sutrisno", "kolonel purnawirawan Sutrisno"},
      {"Praka Sahrul", "prajurit kepala Sahrul"},
      {"Bharada E", "bhayangkara dua e"},
  });
}
