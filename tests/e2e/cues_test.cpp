// SPDX-License-Identifier: GPL-3.0-or-later
// The cue points of a built bulletin (TXXX cue_in, cue_out,
// cross_start_next, read by mutagen) are measured chunk by chunk, in threads
// and through the cache (encode/chunk_stats.h): they must be what decoding
// the finished file whole gives (audio::decodeAndMeasure, the independent
// path) and the same whatever -j, a cold or warm cache, or a damaged cached
// measure.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "audio/decoded_check.h"
#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;
using nlohmann::json;

namespace {

const char* const kArticles[] = {
    "Warga Desa Sukamaju Memperbaiki Jembatan\n\nSukamaju - Warga Desa Sukamaju bergotong royong memperbaiki "
    "jembatan kayu yang rusak diterjang banjir, Senin (9/6/2025). Sebanyak 45 orang ikut bekerja sejak pagi.\n\n"
    "Kepala desa mengatakan perbaikan menelan biaya Rp12,5 juta dari dana desa.\n",
    "Pasar Murah Digelar di Alun-Alun\n\nMalang - Pemerintah kota menggelar pasar murah di alun-alun selama tiga "
    "hari. Harga beras dijual Rp10.500 per kilogram.\n\nPengunjung diminta membawa kartu tanda penduduk.\n",
    "Tim Sepak Bola Pelajar Juara Provinsi\n\nKediri - Tim sepak bola SMA Negeri 2 Kediri menjuarai turnamen "
    "pelajar tingkat provinsi setelah menang 2-1 di final. Pelatih memuji disiplin para pemain.\n",
};

fs::path studio(const std::string& name, bool bed) {
  const fs::path dir = tempDir(name);
  fs::create_directories(dir / "articles");
  for (std::size_t i = 0; i < std::size(kArticles); ++i)
    std::ofstream(dir / "articles" / ("a" + std::to_string(i + 1) + ".txt")) << kArticles[i];
  const fs::path jingles = sourceDir() / "samples" / "jingles";
  std::ofstream(dir / "rundown.yaml") << "show: Uji\ndate: 2025-06-11\n"
                                      << "intro: " << (jingles / "intro.flac").string() << '\n'
                                      << "outro: " << (jingles / "outro.flac").string() << '\n'
                                      << "stories: [articles/a1.txt, articles/a2.txt, articles/a3.txt]\n"
                                      << (bed ? "bed: { file: " + (jingles / "bed.flac").string() + " }\n" : "");
  return dir;
}

const fs::path kMp3 = "Uji-2025-06-11.mp3";

std::string shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

// The cue TXXX frames as mutagen reads them.
std::map<std::string, std::string> cueFrames(const fs::path& mp3) {
  const json j =
      json::parse(shell("/usr/bin/python3 " + shellQuote((sourceDir() / "tests/e2e/fixtures/id3_txxx.py").string()) +
                        " " + shellQuote(mp3.string())));
  std::map<std::string, std::string> out;
  for (const char* key : {"cue_in", "cue_out", "cross_start_next", "fade_in", "fade_out"})
    if (j.contains(key)) out[key] = j.at(key).get<std::string>();
  return out;
}

std::string s3(double v) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(3) << v;
  return o.str();
}

// The file decoded whole: the cue values warta must have written.
void checkAgainstWholeDecode(const fs::path& mp3, const std::map<std::string, std::string>& cues) {
  const warta::audio::DecodedStats whole = warta::audio::decodeAndMeasure(mp3);
  CHECK(cues.at("cue_in") == s3(whole.cue_in));
  CHECK(cues.at("cue_out") == s3(whole.cue_out));
  CHECK(cues.at("cross_start_next") == s3(whole.cross_start_next));
  CHECK(whole.cue_in > 0);
  CHECK(whole.cross_start_next < whole.cue_out);
}

std::vector<fs::path> stretchEntries(const fs::path& cache) {
  std::vector<fs::path> found;
  for (const auto& e : fs::recursive_directory_iterator(cache))
    if (e.path().extension() == ".cues") found.push_back(e.path());
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

TEST_CASE("the cue TXXX frames are the whole file's decoded cues, the same cold, warm, with -j 1 and -j 2",
          "[e2e][parallel][cues]") {
  for (const bool bed : {false, true}) {
    INFO((bed ? "with a bed (cut anywhere)" : "cut in silent gaps"));
    const fs::path dir = studio(bed ? "e2e-cues-bed" : "e2e-cues", bed);
    struct Run {
      const char* label;
      std::vector<std::string> flags;
    };
    const Run runs[] = {
        {"-j 1, cold cache", {"-j", "1", "--cache", "cache-a"}},
        {"-j 2, cold cache", {"-j", "2", "--cache", "cache-b"}},
        {"-j 2, warm cache", {"-j", "2", "--cache", "cache-a"}},
        {"-j 1, warm cache", {"-j", "1", "--cache", "cache-b"}},
    };
    std::map<std::string, std::string> first;
    for (std::size_t i = 0; i < std::size(runs); ++i) {
      INFO(runs[i].label);
      std::vector<std::string> args = {"build", "rundown.yaml", "-o", "out" + std::to_string(i)};
      args.insert(args.end(), runs[i].flags.begin(), runs[i].flags.end());
      const CliResult r = runWarta(args, dir);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      const fs::path mp3 = dir / ("out" + std::to_string(i)) / kMp3;
      const auto cues = cueFrames(mp3);
      REQUIRE(cues.size() == 5);
      if (i == 0) {
        checkAgainstWholeDecode(mp3, cues);
        first = cues;
      } else {
        CHECK(cues == first);
      }
    }
    // Every chunk's measure was kept.
    CHECK(stretchEntries(dir / "cache-a").size() >= 4);

    // One story changed: the chunks after it move and are taken from the
    // cache; their measures are placed where they now lie, not measured
    // again, except where a measure's warm-up reaches back into a changed
    // chunk (2 s: the chunk just after it). Under a bed every chunk after
    // the story is new (the bed has moved under it). The cues are the new
    // file's.
    const std::size_t kept = stretchEntries(dir / "cache-a").size();
    std::ofstream(dir / "articles" / "a2.txt", std::ios::app) << "\nPasar murah akan digelar lagi bulan depan.\n";
    const CliResult warm = runWarta({"build", "rundown.yaml", "-o", "changed-warm", "--cache", "cache-a"}, dir);
    REQUIRE(warm.exit_code == 0);
    std::smatch counts;
    REQUIRE(std::regex_search(warm.err, counts, std::regex("([0-9]+) chunks, ([0-9]+) from cache")));
    const std::size_t chunks = std::stoul(counts[1]), rendered = chunks - std::stoul(counts[2]);
    INFO(warm.err);
    CHECK(rendered >= 1);
    if (!bed) CHECK(rendered + 1 < chunks);  // chunks that moved unchanged
    CHECK(stretchEntries(dir / "cache-a").size() - kept == std::min(rendered + 1, chunks));
    const CliResult cold = runWarta({"build", "rundown.yaml", "-o", "changed-cold", "--no-cache", "-j", "1"}, dir);
    REQUIRE(cold.exit_code == 0);
    const auto changed = cueFrames(dir / "changed-warm" / kMp3);
    CHECK(changed == cueFrames(dir / "changed-cold" / kMp3));
    CHECK(changed.at("cue_out") != first.at("cue_out"));
    checkAgainstWholeDecode(dir / "changed-warm" / kMp3, changed);
    CHECK(readText(dir / "changed-warm" / kMp3) == readText(dir / "changed-cold" / kMp3));
  }
}

TEST_CASE("a damaged cached cue measure is measured again, and the cues stay the same", "[e2e][parallel][cues]") {
  const fs::path dir = studio("e2e-cues-damaged", false);
  const CliResult cold = runWarta({"build", "rundown.yaml", "-o", "out1", "--cache", "cache"}, dir);
  INFO(cold.err);
  REQUIRE(cold.exit_code == 0);
  const std::string original = readText(dir / "out1" / kMp3);
  const auto entries = stretchEntries(dir / "cache");
  REQUIRE(entries.size() >= 4);
  std::vector<std::string> kept;
  for (const auto& e : entries) kept.push_back(readText(e));
  {  // A bit changed in one (a cell's energy), one cut short, one emptied, one made a folder.
    std::string bytes = kept[0];
    REQUIRE(bytes.size() > 100);  // past the 70-byte head, before the CRC: a cell
    bytes[bytes.size() * 3 / 4] ^= 0x10;
    writeBytes(entries[0], bytes);
    fs::resize_file(entries[1], kept[1].size() / 2);
    writeBytes(entries[2], "");
    fs::remove(entries[3]);
    fs::create_directories(entries[3]);
  }
  const CliResult again = runWarta({"build", "rundown.yaml", "-o", "out2", "--cache", "cache"}, dir);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(readText(dir / "out2" / kMp3) == original);
  // Measured again and kept whole: the same text as before.
  const auto now = stretchEntries(dir / "cache");
  REQUIRE(now.size() == entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    INFO(entries[i]);
    CHECK(fs::is_regular_file(entries[i]));
    CHECK(readText(entries[i]) == kept[i]);
  }
}
