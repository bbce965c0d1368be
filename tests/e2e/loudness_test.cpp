// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 13: every output reaches its loudness target under its true-peak
// ceiling (judged by FFmpeg's ebur128 filter on the decoded file), and MP3
// readers report the exact decoded length from the LAME tag without
// complaining about the ID3 tag (ffprobe, mutagen, music-metadata).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "support/cli.h"
#include "support/ffmpeg.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

// A short invented article: about 15 s of speech, enough for integrated
// loudness (400 ms blocks) and quick at 16 outputs.
const char* const kArticle =
    "Warga Desa Sukamaju Memperbaiki Jembatan\n\nSukamaju - Warga Desa Sukamaju bergotong royong memperbaiki "
    "jembatan kayu yang rusak diterjang banjir, Senin (9/6/2025). Sebanyak 45 orang ikut bekerja sejak pagi.\n";

fs::path studio(const std::string& name) {
  const fs::path dir = tempDir(name);
  std::ofstream(dir / "a.txt") << kArticle;
  return dir;
}

// The rundown for one output; `loudness` empty for the default preset.
CliResult build(const fs::path& dir, const std::string& output, const std::string& loudness = "") {
  std::ofstream(dir / "rundown.yaml") << "show: Uji\ndate: 2025-06-11\nstories: [a.txt]\n"
                                      << (loudness.empty() ? "" : "loudness: " + loudness + "\n")
                                      << "output: " << output << '\n';
  return runWarta({"build", "rundown.yaml", "-j", "2"}, dir);
}

// Runs a shell command, returning its stdout and stderr together (so a
// reader's warnings show up in what is checked) and its exit status.
std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("cannot run: " + command);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  status = ::pclose(p);
  return out;
}

}  // namespace

TEST_CASE("every format, channel count and bit rate decodes within 0.3 LU of its target under the ceiling",
          "[e2e][mastering][loudness]") {
  const fs::path dir = studio("e2e-loudness-matrix");
  struct Case {
    std::string output;  // the rundown's output: map
    fs::path file;
    double target;
  };
  std::vector<Case> cases;
  // Mono defaults to -19 LUFS, stereo to -16 (AES TD1004 for the podcast preset).
  for (int channels : {1, 2}) {
    const double target = channels == 1 ? -19.0 : -16.0;
    const std::string ch = std::to_string(channels);
    for (int kbps : {32, 64, 96, 128, 192, 320}) {
      const std::string name = "o" + ch + "-" + std::to_string(kbps) + ".mp3";
      cases.push_back(
          {"{ file: " + name + ", channels: " + ch + ", bitrate: " + std::to_string(kbps) + " }", name, target});
    }
    cases.push_back({"{ file: o" + ch + ".wav, channels: " + ch + " }", "o" + ch + ".wav", target});
    cases.push_back({"{ file: o" + ch + ".bwf, channels: " + ch + ", format: bwf }", "o" + ch + ".bwf", target});
  }
  for (const Case& c : cases) {
    INFO(c.output);
    const CliResult r = build(dir, c.output);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const Loudness measured = ffmpegLoudness(dir / c.file);
    std::printf("loudness: %-48s target %6.1f  measured %6.2f LUFS  true peak %6.2f dBTP\n", c.output.c_str(), c.target,
                measured.integrated, measured.true_peak);
    CHECK(std::abs(measured.integrated - c.target) <= 0.3);
    CHECK(measured.true_peak <= -1.0);
  }
}

TEST_CASE("an explicit loudness wins over the mono default, and say is mono at -19 LUFS",
          "[e2e][mastering][loudness]") {
  const fs::path dir = studio("e2e-loudness-explicit");
  const CliResult r = build(dir, "{ file: m.mp3, channels: 1, bitrate: 96 }", "{ integrated: -16, true_peak: -1 }");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Loudness explicit_mono = ffmpegLoudness(dir / "m.mp3");
  CHECK(std::abs(explicit_mono.integrated - -16.0) <= 0.3);
  CHECK(explicit_mono.true_peak <= -1.0);

  const CliResult say = runWarta({"say", "a.txt", "-o", "say.mp3", "-j", "2"}, dir);
  INFO(say.err);
  REQUIRE(say.exit_code == 0);
  const Loudness said = ffmpegLoudness(dir / "say.mp3");
  CHECK(std::abs(said.integrated - -19.0) <= 0.3);
  CHECK(said.true_peak <= -1.0);
}

TEST_CASE("MP3 readers take the length from the LAME tag to the sample and do not warn about the ID3 tag",
          "[e2e][mastering][duration]") {
  const fs::path dir = studio("e2e-duration-readers");
  // Stereo with a cover and chapters (the tag FFmpeg writes, then repaired),
  // and mono at 22.05 kHz (MPEG-2, 576-sample frames).
  fs::copy(sourceDir() / "samples" / "cover.png", dir / "cover.png", fs::copy_options::overwrite_existing);
  struct Case {
    std::string output;
    fs::path file;
  };
  for (const Case& c :
       {Case{"{ file: s.mp3, channels: 2, bitrate: 128 }\ncover: cover.png\ncomment: Berita desa", "s.mp3"},
        Case{"{ file: m.mp3, channels: 1, bitrate: 32, sample_rate: 22050 }", "m.mp3"}}) {
    INFO(c.output);
    const CliResult r = build(dir, c.output);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path mp3 = dir / c.file;
    const Decoded decoded = decodeFile(mp3);
    const double exact = decoded.audio.seconds();
    REQUIRE(exact > 5.0);
    int status = 0;

    // ffprobe: every packet's duration less the delay and padding it marks
    // as skipped ("Skip Samples" side data, read from the LAME tag).
    const std::string packets =
        run("ffprobe -v error -select_streams a:0 -show_packets -show_streams "
            "-show_entries stream=time_base:packet=duration,side_data -of compact '" +
                mp3.string() + "'",
            status);
    REQUIRE(status == 0);
    std::smatch m;
    REQUIRE(std::regex_search(packets, m, std::regex(R"(time_base=(\d+)/(\d+))")));
    const double tick = std::stod(m[1]) / std::stod(m[2]);  // seconds per unit of packet duration
    long long ticks = 0, skipped = 0;
    for (auto it = packets.cbegin(); std::regex_search(it, packets.cend(), m, std::regex(R"(\|duration=(\d+))"));
         it = m.suffix().first)
      ticks += std::stoll(m[1]);
    for (const std::regex& field : {std::regex(R"(skip_samples=(\d+))"), std::regex(R"(discard_padding=(\d+))")})
      for (auto it = packets.cbegin(); std::regex_search(it, packets.cend(), m, field); it = m.suffix().first)
        skipped += std::stoll(m[1]);
    CHECK(skipped > 0);  // the header's delay at least
    const double ffprobe_seconds =
        static_cast<double>(ticks) * tick - static_cast<double>(skipped) / decoded.audio.sample_rate;
    CHECK(std::abs(ffprobe_seconds - exact) <= 0.001);

    // mutagen (Debian python3-mutagen) reads the LAME tag only when it says LAME.
    const std::string mutagen =
        run("/usr/bin/python3 -W always -c \"import sys, mutagen.mp3; i = mutagen.mp3.MP3(sys.argv[1]).info; "
            "print('%.6f|%s' % (i.length, i.encoder_info))\" '" +
                mp3.string() + "'",
            status);
    INFO(mutagen);
    REQUIRE(status == 0);
    const auto bar = mutagen.find('|');
    REQUIRE(bar != std::string::npos);
    CHECK(std::abs(std::stod(mutagen.substr(0, bar)) - exact) <= 0.001);
    CHECK(mutagen.find("LAME 3.") != std::string::npos);

    // music-metadata (npm): the encoder it names, and no warnings at all.
    const fs::path module = fs::path(WARTA_BINARY).parent_path() / "npm" / "node_modules" / "music-metadata";
    REQUIRE(fs::exists(module));  // scripts/setup.sh installs it
    const std::string mm =
        run("node --input-type=module -e \"import { parseFile } from '" + (module / "lib" / "index.js").string() +
                "'; const m = await parseFile(process.argv[1]); "
                "console.log(JSON.stringify({tool: m.format.tool, duration: m.format.duration, "
                "warnings: m.quality.warnings.map(w => w.message)}));\" '" +
                mp3.string() + "'",
            status);
    INFO(mm);
    REQUIRE(status == 0);
    CHECK(mm.find("\"tool\":\"LAME 3.") != std::string::npos);
    CHECK(mm.find("\"warnings\":[]") != std::string::npos);
    std::printf("duration %s: decoded %.6f s, ffprobe %.6f s, mutagen %s\n  music-metadata %s\n", c.file.c_str(), exact,
                ffprobe_seconds, mutagen.c_str(), mm.c_str());
  }
}
