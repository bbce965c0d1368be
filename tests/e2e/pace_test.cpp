// SPDX-License-Identifier: GPL-3.0-or-later
// The reading pace as a listener hears it: --rate is real words per minute of
// the article's words (pauses included), and the pauses between sentences and
// paragraphs are a newsreader's, measured on the decoded audio.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

// Our own article: a headline and two paragraphs of three sentences, with no
// numbers, commas or anything not read, so its words are exactly what is said.
const char* kArticle =
    "Warga Desa Sukamaju Membangun Jembatan Bambu\n\n"
    "Warga Desa Sukamaju bergotong royong membangun jembatan bambu di atas sungai kecil. "
    "Jembatan itu menghubungkan sawah warga dengan jalan desa yang baru diperbaiki. "
    "Pekerjaan dimulai pagi hari dan selesai menjelang sore.\n\n"
    "Kepala desa mengatakan jembatan lama rusak diterjang banjir bulan lalu. "
    "Anak sekolah kini tidak perlu memutar jauh untuk sampai ke kelas mereka. "
    "Warga berharap pemerintah kabupaten segera membangun jembatan beton yang lebih kuat.\n";

std::size_t wordsOf(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

struct Silence {
  double start, end;
};

// Runs of 10 ms windows below -45 dBFS lasting at least `min_seconds`, between the first and last sound.
std::vector<Silence> silences(const warta::audio::Audio& audio, double min_seconds) {
  std::vector<Silence> out;
  const double step = 0.010;
  double run_start = -1;
  bool heard = false;
  for (double t = 0; t + step <= audio.seconds(); t += step) {
    const bool quiet = rmsDb(audio, t, t + step) < -45.0;
    if (!quiet) {
      if (heard && run_start >= 0 && t - run_start >= min_seconds) out.push_back({run_start, t});
      heard = true;
      run_start = -1;
    } else if (run_start < 0) {
      run_start = t;
    }
  }
  return out;
}

// Seconds from the first sound to the last.
double soundSpan(const warta::audio::Audio& audio) {
  const double step = 0.010;
  double first = -1, last = 0;
  for (double t = 0; t + step <= audio.seconds(); t += step)
    if (rmsDb(audio, t, t + step) >= -45.0) {
      if (first < 0) first = t;
      last = t + step;
    }
  return last - first;
}

}  // namespace

TEST_CASE("the --rate option is real words per minute of the article's words, pauses included, within 5 %",
          "[e2e][pace]") {
  const fs::path dir = tempDir("e2e-pace-rate");
  writeBytes(dir / "jembatan.txt", kArticle);
  const double words = static_cast<double>(wordsOf(kArticle));
  for (int rate : {90, 120, 160}) {
    const fs::path out = dir / ("r" + std::to_string(rate) + ".wav");
    const CliResult r =
        runWarta({"say", "jembatan.txt", "-o", out.string(), "--rate", std::to_string(rate), "--no-cache"}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const double wpm = words * 60.0 / soundSpan(decodeFile(out).audio);
    INFO("--rate " << rate << ": " << wpm << " words per minute");
    CHECK(wpm == Approx(rate).epsilon(0.05));
  }
}

TEST_CASE("the default voice reads at a newsreader's pace with half-second sentence pauses and longer paragraph pauses",
          "[e2e][pace]") {
  const fs::path dir = tempDir("e2e-pace-pauses");
  writeBytes(dir / "jembatan.txt", kArticle);
  const CliResult r = runWarta({"say", "jembatan.txt", "-o", (dir / "out.wav").string(), "--no-cache"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto audio = decodeFile(dir / "out.wav").audio;
  // Radio news in Indonesian: about 100-130 of the article's words a minute.
  const double wpm = static_cast<double>(wordsOf(kArticle)) * 60.0 / soundSpan(audio);
  INFO(wpm << " words per minute");
  CHECK(wpm >= 100);
  CHECK(wpm <= 130);
  // The pauses longer than eSpeak's own between words: after the headline,
  // then between the six sentences (the third ends a paragraph).
  const std::vector<Silence> pauses = silences(audio, 0.4);
  REQUIRE(pauses.size() == 6);
  const auto length = [&](std::size_t i) { return pauses[i].end - pauses[i].start; };
  for (std::size_t i : {1, 2, 4, 5}) {
    INFO("sentence pause " << i << ": " << length(i) << " s");
    CHECK(length(i) >= 0.5);
    CHECK(length(i) <= 0.8);
  }
  INFO("paragraph pause: " << length(3) << " s, headline pause: " << length(0) << " s");
  CHECK(length(3) > length(1) + 0.2);
  CHECK(length(0) >= 0.9);
}
