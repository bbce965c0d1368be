// SPDX-License-Identifier: GPL-3.0-or-later
// Hand-off to playout (issue 17): cue and fade TXXX frames and a Liquidsoap
// annotation for every bulletin, drop-folder and Rivendell delivery after a
// verified build, a full drop folder that keeps the old edition, and expiry.
// Read back by tools other than warta: mutagen (TXXX), ffmpeg/ffprobe (audio),
// and an AES46 cart chunk reader written from the specification.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "deliver/deliver.h"
#include "support/cli.h"
#include "support/ffmpeg.h"
#include "support/media.h"
#include "warta/error.h"

namespace fs = std::filesystem;
using namespace warta::test;
using nlohmann::json;

namespace {

const char* kArticle = "Jembatan Baru Dibuka\n\nWarga Desa Sukamaju kini bisa menyeberang sungai tanpa perahu.\n";

// Runs a shell command, its stdout.
std::string shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

std::string fixture(const std::string& name) { return (sourceDir() / "tests/e2e/fixtures" / name).string(); }

json txxx(const fs::path& mp3) {
  return json::parse(shell("/usr/bin/python3 " + shellQuote(fixture("id3_txxx.py")) + " " + shellQuote(mp3.string())));
}
json cart(const fs::path& wav) {
  return json::parse(
      shell("/usr/bin/python3 " + shellQuote(fixture("aes46_cart.py")) + " " + shellQuote(wav.string())));
}

fs::path studio(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("warta-deliver-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "out");
  fs::create_directories(dir / "drop");
  fs::create_directories(dir / "dropbox");
  writeBytes(dir / "satu.txt", kArticle);
  fs::copy_file(sourceDir() / "samples/jingles/intro.flac", dir / "intro.flac");
  fs::copy_file(sourceDir() / "samples/jingles/outro.flac", dir / "outro.flac");
  return dir;
}

std::string rundown(const std::string& date, const std::string& air, const std::string& expires,
                    const std::string& deliver) {
  return "show: Kabar\nstation: Radio Warta\ndate: " + date + "\nair_time: \"" + air + "\"\nexpires: " + expires +
         "\nintro: intro.flac\noutro: outro.flac\noutput: { channels: 1, bitrate: 64, file: kabar.mp3 }\n"
         "stories: [satu.txt]\ndeliver:\n" +
         deliver;
}

const char* kBothTargets =
    "  - { folder: drop, name: berita.mp3, keep_dated: true }\n"
    "  - rivendell: { cart: 1001, folder: dropbox }\n";

double number(const json& j, const std::string& key) { return std::stod(j.at(key).get<std::string>()); }

std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> n;
  for (const auto& e : fs::directory_iterator(dir)) n.push_back(e.path().filename().string());
  std::sort(n.begin(), n.end());
  return n;
}

// Times are local; the tests fix the zone so the expected strings are known.
struct Utc {
  Utc() { ::setenv("TZ", "UTC", 1), ::tzset(); }
};

}  // namespace

TEST_CASE(
    "a built bulletin carries cue TXXX frames and a .liq line, and is delivered to a drop folder and a Rivendell drop "
    "box",
    "[e2e][deliver]") {
  Utc utc;
  const fs::path dir = studio("both");
  writeBytes(dir / "rundown.yaml", rundown("2025-06-11", "07:00", "59m", kBothTargets));
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path mp3 = dir / "out/kabar.mp3";

  // TXXX as mutagen reads them.
  const json t = txxx(mp3);
  INFO(t.dump());
  CHECK(t.at("fade_in") == "0");
  CHECK(t.at("fade_out") == "0");
  CHECK(t.at("expires") == "2025-06-11T07:59:00+00:00");
  const double cue_in = number(t, "cue_in"), cue_out = number(t, "cue_out"), cross = number(t, "cross_start_next");
  // The cues against the audio decoded by ffmpeg and scanned in Python.
  std::istringstream span(shell("ffmpeg -v error -i " + shellQuote(mp3.string()) +
                                " -f s16le -ac 1 -ar 44100 - | /usr/bin/python3 " +
                                shellQuote(fixture("audible_span.py")) + " 44100"));
  double first = 0, last = 0, length = 0;
  span >> first >> last >> length;
  CHECK(cue_in == Approx(first).margin(0.01));
  CHECK(cue_out == Approx(last).margin(0.01));
  CHECK(cue_out <= length + 0.001);
  // The outro's decay is the tail the next item may start over: before the end, after the voice.
  CHECK(cross > cue_in);
  CHECK(cross < cue_out - 0.2);

  // The Liquidsoap annotation beside the MP3 says the same.
  const std::string liq = readText(dir / "out/kabar.liq");
  std::smatch m;
  const std::string pattern =
      "annotate:liq_cue_in=\"([0-9.]+)\",liq_cue_out=\"([0-9.]+)\",liq_fade_in=\"0\\.\","
      "liq_fade_out=\"0\\.\",liq_cross_start_next=\"([0-9.]+)\",liq_cross_duration=\"([0-9.]+)\":(/.*)\n";
  const std::regex annotation(pattern);
  const bool matched = std::regex_match(liq, m, annotation);
  REQUIRE(matched);
  CHECK(std::stod(m[1]) == Approx(cue_in).margin(0.0005));
  CHECK(std::stod(m[2]) == Approx(cue_out).margin(0.0005));
  CHECK(std::stod(m[3]) == Approx(cross).margin(0.0005));
  CHECK(fs::equivalent(fs::path(m[5].str()), mp3));

  // The drop folder: the fixed name (the same bytes), the dated copy, its annotation; no temporaries.
  CHECK(names(dir / "drop") == std::vector<std::string>{"berita-2025-06-11-0700.mp3", "berita.liq", "berita.mp3"});
  CHECK(readText(dir / "drop/berita.mp3") == readText(mp3));
  CHECK(readText(dir / "drop/berita-2025-06-11-0700.mp3") == readText(mp3));
  CHECK(readText(dir / "drop/berita.liq").find(":" + fs::absolute(dir / "drop/berita.mp3").string() + "\n") !=
        std::string::npos);
  CHECK(r.err.find("deliver folder drop/berita.mp3: ok") != std::string::npos);
  CHECK(r.err.find("deliver rivendell cart 1001 in dropbox: ok") != std::string::npos);

  // The Rivendell drop box: a Broadcast WAV whose cart chunk an AES46 reader understands.
  REQUIRE(names(dir / "dropbox") == std::vector<std::string>{"warta-1001-20250611-0700.wav"});
  const fs::path wav = dir / "dropbox/warta-1001-20250611-0700.wav";
  const json c = cart(wav);
  INFO(c.dump());
  CHECK(c.at("Version") == "0101");
  CHECK(c.at("Title") == "Kabar 2025-06-11");
  CHECK(c.at("Artist") == "Radio Warta");
  CHECK(c.at("CutID") == "1001");
  CHECK(c.at("Category") == "NEWS");
  CHECK(c.at("StartDate") == "2025-06-11");
  CHECK(c.at("StartTime") == "07:00:00");
  CHECK(c.at("EndDate") == "2025-06-11");
  CHECK(c.at("EndTime") == "07:59:00");
  CHECK(c.at("ProducerAppID") == "warta");
  CHECK(!c.at("ProducerAppVersion").get<std::string>().empty());
  {  // the last words of voices/id/phrases.yaml's closing, whole words within the field's 64 bytes
    const std::string closing = "Demikian Kabar edisi Rabu, 11/6/2025. Terima kasih, sampai jumpa.";
    const std::string cue = c.at("OutCue");
    CHECK(cue.size() >= 20);
    CHECK(cue.size() <= 64);
    CHECK(closing.substr(closing.size() - std::min(cue.size(), closing.size())) == cue);
  }
  CHECK(c.at("LevelReference") == 32768);
  CHECK(!c.at("OutCue").get<std::string>().empty());
  CHECK(c.at("TagText").get<std::string>().find("Jembatan Baru Dibuka") != std::string::npos);
  CHECK(c.at("TagText").get<std::string>().substr(c.at("TagText").get<std::string>().size() - 2) == "\r\n");
  const double rate = c.at("sample_rate").get<double>();
  CHECK(rate == 44100);
  CHECK(c.at("chunks").dump().find("bext") != std::string::npos);
  const json& timers = c.at("timers");
  CHECK(timers.at("AUDs").get<double>() / rate == Approx(cue_in).margin(0.002));
  CHECK(timers.at("AUDe").get<double>() / rate == Approx(cue_out).margin(0.002));
  CHECK(timers.at("SEGs").get<double>() / rate == Approx(cross).margin(0.002));
  CHECK(timers.at("INTs").get<double>() <= timers.at("INTe").get<double>());
  CHECK(timers.at("INTe").get<double>() / rate > 1.0);  // the intro jingle runs more than a second
  // ffprobe reads the WAV as the bulletin's length.
  const double wav_seconds =
      std::stod(shell("ffprobe -v error -show_entries format=duration -of csv=p=0 " + shellQuote(wav.string())));
  CHECK(wav_seconds == Approx(length).margin(0.05));
}

TEST_CASE("a delivery is refused when the file does not decode to the length and loudness that were built",
          "[e2e][deliver]") {
  Utc utc;
  const fs::path dir = studio("verify");
  writeBytes(dir / "rundown.yaml", rundown("2025-06-11", "07:00", "59m", "  - { folder: drop, name: berita.mp3 }\n"));
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path mp3 = dir / "out/kabar.mp3";
  const double seconds =
      std::stod(shell("ffprobe -v error -show_entries format=duration -of csv=p=0 " + shellQuote(mp3.string())));
  warta::deliver::Target target;
  target.kind = warta::deliver::FolderTarget{dir / "drop2", "berita.mp3", false};
  fs::create_directories(dir / "drop2");
  warta::deliver::Edition e;
  e.audio = mp3;
  e.seconds = seconds;
  e.lufs = ffmpegLoudness(mp3).integrated;  // as ffmpeg measures it
  e.target_lufs = -19.0;                    // mono podcast loudness
  CHECK(warta::deliver::deliverAll(e, {target}).at(0).ok);
  fs::remove(dir / "drop2/berita.mp3");
  fs::remove(dir / "drop2/berita.liq");

  e.seconds = seconds + 1.0;
  CHECK_THROWS_WITH(warta::deliver::deliverAll(e, {target}), Catch::Contains("not delivered"));
  e.seconds = seconds;
  e.lufs -= 1.0;  // a file that changed since it was measured
  CHECK_THROWS_WITH(warta::deliver::deliverAll(e, {target}), Catch::Contains("LUFS, built"));
  e.lufs += 1.0;
  e.target_lufs = -25.0;  // mastered far off its target
  CHECK_THROWS_WITH(warta::deliver::deliverAll(e, {target}), Catch::Contains("LU off the target"));
  e.target_lufs = -19.0;
  // A file cut short decodes short.
  const std::string bytes = readText(mp3);
  writeBytes(dir / "cut.mp3", bytes.substr(0, bytes.size() / 2));
  e.audio = dir / "cut.mp3";
  CHECK_THROWS_WITH(warta::deliver::deliverAll(e, {target}), Catch::Contains("not delivered"));
  CHECK(names(dir / "drop2").empty());
}

TEST_CASE("warta expire removes delivered editions past their kill time and nothing else", "[e2e][deliver]") {
  Utc utc;
  const fs::path dir = studio("expire");
  writeBytes(dir / "rundown.yaml", rundown("2020-01-01", "06:00", "1h", kBothTargets));
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // An edition still current (its expires set in 2099 by mutagen) and a file warta did not write.
  fs::copy_file(dir / "drop/berita.mp3", dir / "drop/berita-2099-01-01-0600.mp3");
  shell("/usr/bin/python3 " + shellQuote(fixture("id3_txxx.py")) + " " +
        shellQuote((dir / "drop/berita-2099-01-01-0600.mp3").string()) + " set expires 2099-01-01T07:00:00+00:00");
  writeBytes(dir / "drop/other.mp3", "not warta's");
  const CliResult x = runWarta({"expire", "rundown.yaml"}, dir);
  INFO(x.err);
  CHECK(x.exit_code == 0);
  CHECK(names(dir / "drop") == std::vector<std::string>{"berita-2099-01-01-0600.mp3", "other.mp3"});
  CHECK(names(dir / "dropbox").empty());
  CHECK(x.out.find("berita.mp3") != std::string::npos);
  CHECK(x.out.find("warta-1001-20200101-0600.wav") != std::string::npos);
  CHECK(fs::exists(dir / "out/kabar.mp3"));  // the build's own output is not a delivery
}

TEST_CASE("a drop folder too full for the new edition keeps the old one whole and the build's files stay",
          "[e2e][deliver]") {
  Utc utc;
  const fs::path dir = studio("full");
  // RLIMIT_FSIZE (prlimit; SIGXFSZ ignored so writes fail with EFBIG): room for
  // the MP3 and the chunks, not for the Rivendell WAV, several times larger.
  writeBytes(dir / "rundown.yaml", rundown("2025-06-11", "07:00", "59m",
                                           "  - rivendell: { cart: 1001, folder: dropbox }\n"
                                           "  - { folder: drop, name: berita.mp3 }\n"));
  writeBytes(dir / "dropbox/warta-1001-20250611-0700.wav", "OLD EDITION");
  const CliResult r = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);  // the size of the MP3, once
  REQUIRE(r.exit_code == 0);
  const auto mp3_size = fs::file_size(dir / "out/kabar.mp3");
  writeBytes(dir / "dropbox/warta-1001-20250611-0700.wav", "OLD EDITION");
  fs::remove(dir / "drop/berita.mp3");
  const std::string err = (dir / "err.txt").string();
  const int status = std::system(("cd " + shellQuote(dir.string()) +
                                  " && sh -c 'trap \"\" XFSZ; exec prlimit --fsize=" + std::to_string(mp3_size * 2) +
                                  " \"$0\" build rundown.yaml -o out' " + shellQuote(WARTA_BINARY) + " >/dev/null 2>" +
                                  shellQuote(err))
                                     .c_str());
  const std::string log = readText(err);
  INFO(log);
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(log.find("deliver rivendell cart 1001 in dropbox: FAILED") != std::string::npos);
  CHECK(log.find("delivery failed: rivendell cart 1001") != std::string::npos);
  CHECK(readText(dir / "dropbox/warta-1001-20250611-0700.wav") == "OLD EDITION");
  CHECK(names(dir / "dropbox") == std::vector<std::string>{"warta-1001-20250611-0700.wav"});  // no temporary left
  CHECK(readText(dir / "drop/berita.mp3") == readText(dir / "out/kabar.mp3"));  // the other target still delivered
  CHECK(fs::exists(dir / "out/kabar.liq"));

  // A real full file system, where one can be mounted (root): a 'tmpfs' just
  // bigger than the old edition, so the new one does not fit.
  if (::geteuid() == 0) {
    const fs::path small = dir / "small";
    fs::create_directories(small);
    const std::string size = "size=" + std::to_string(mp3_size / 2);
    if (::mount("tmpfs", small.c_str(), "tmpfs", 0, size.c_str()) == 0) {
      writeBytes(small / "berita.mp3", std::string(mp3_size / 4, 'O'));
      writeBytes(dir / "rundown.yaml",
                 rundown("2025-06-11", "07:00", "59m", "  - { folder: small, name: berita.mp3 }\n"));
      const CliResult full = runWarta({"build", "rundown.yaml", "-o", "out"}, dir);
      INFO(full.err);
      CHECK(full.exit_code == 1);
      CHECK(full.err.find("deliver folder small/berita.mp3: FAILED") != std::string::npos);
      CHECK(readText(small / "berita.mp3") == std::string(mp3_size / 4, 'O'));
      CHECK(names(small) == std::vector<std::string>{"berita.mp3"});
      CHECK(fs::exists(dir / "out/kabar.mp3"));
      ::umount(small.c_str());
    } else {
      WARN("tmpfs could not be mounted here; the RLIMIT_FSIZE case above stands for it");
    }
  }
}
