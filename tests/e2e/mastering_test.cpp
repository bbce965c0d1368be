// SPDX-License-Identifier: GPL-3.0-or-later
// Sounding like a station: loudness targets, true peak, the ducked bed,
// chapters, ID3 and Broadcast WAV, judged by FFmpeg's own tools and by
// decoding what warta wrote.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "audio/sndfile_handle.h"
#include "encode/writer.h"
#include "support/cli.h"
#include "support/ffmpeg.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

// A studio with two short stories and jingles far louder than eSpeak's voice
// (a dense chord near full scale: about -6 LUFS against the voice's -20).
fs::path loudStudio(const std::string& name) {
  const fs::path dir = tempDir(name);
  fs::create_directories(dir / "articles");
  fs::copy(sourceDir() / "samples" / "articles" / "panen-raya.txt", dir / "articles");
  fs::copy(sourceDir() / "samples" / "articles" / "festival-budaya.txt", dir / "articles");
  warta::audio::Audio jingle = tone(220, 3.0, 44100, 2, 0.3);
  for (double f : {277.2, 329.6, 440.0}) {
    const auto t = tone(f, 3.0, 44100, 2, 0.2);
    for (std::size_t i = 0; i < jingle.samples.size(); ++i) jingle.samples[i] += t.samples[i];
  }
  warta::encode::OutputSettings wav;
  wav.channels = 2;
  warta::encode::WavWriter writer(dir / "loud.wav", wav);
  writer.write(jingle);
  writer.finish();
  return dir;
}

CliResult build(const fs::path& dir, const std::string& rundown) {
  std::ofstream(dir / "rundown.yaml") << rundown;
  return runWarta({"build", "rundown.yaml", "--timeline", "timeline.tsv"}, dir);
}

double maxAbs(const warta::audio::Audio& a) {
  float m = 0;
  for (float s : a.samples) m = std::max(m, std::abs(s));
  return m;
}

}  // namespace

TEST_CASE("both loudness presets land within 0.5 LU of target with jingles 10 dB hotter than the voice",
          "[e2e][mastering]") {
  const fs::path dir = loudStudio("e2e-loudness");
  const Loudness jingle = ffmpegLoudness(dir / "loud.wav");
  REQUIRE(jingle.integrated > -10.0);  // the voice from eSpeak sits near -20 LUFS
  struct Case {
    const char* preset;
    double target;
    double ceiling;
  };
  for (const Case c : {Case{"podcast", -16.0, -1.0}, Case{"broadcast", -23.0, -1.0},
                       Case{"{ integrated: -18, true_peak: -1.5 }", -18.0, -1.5}}) {
    INFO("loudness: " << c.preset);
    const auto r =
        build(dir, std::string("show: Uji\ndate: 2025-06-11\nintro: loud.wav\noutro: loud.wav\nstinger: loud.wav\n"
                               "loudness: ") +
                       c.preset + "\nstories: [articles/panen-raya.txt, articles/festival-budaya.txt]\n");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path mp3 = dir / "Uji-2025-06-11.mp3";
    const Loudness measured = ffmpegLoudness(mp3);
    CHECK(std::abs(measured.integrated - c.target) <= 0.5);
    CHECK(measured.true_peak <= c.ceiling);
    // No decoded sample over the ceiling either.
    CHECK(20 * std::log10(maxAbs(decodeFile(mp3).audio)) <= c.ceiling);
    // Every story, measured on its own window, reaches the target too.
    double story_start = -1, story_end = 0;
    int story = 0;
    for (const auto& row : readTimeline(dir / "timeline.tsv")) {
      if (row.kind != "speech") continue;
      if (row.story != story) {
        INFO("story " << story);
        CHECK(std::abs(ffmpegLoudness(mp3, story_start, story_end - story_start).integrated - c.target) <= 1.0);
        story = row.story;
        story_start = -1;
      }
      if (story_start < 0) story_start = row.start;
      story_end = row.end;
    }
    CHECK(std::abs(ffmpegLoudness(mp3, story_start, story_end - story_start).integrated - c.target) <= 1.0);
  }
}

TEST_CASE("the bed ducks under speech by the set depth, loops and fades out", "[e2e][mastering]") {
  const fs::path dir = loudStudio("e2e-bed");
  {  // A steady 5 s bed (whole cycles, so it loops seamlessly): level changes are the mixer's.
    warta::audio::Audio steady = tone(200, 5.0, 44100, 2, 0.2);
    const auto fifth = tone(300, 5.0, 44100, 2, 0.2);
    for (std::size_t i = 0; i < steady.samples.size(); ++i) steady.samples[i] += fifth.samples[i];
    warta::encode::WavWriter writer(dir / "bed.wav", warta::encode::OutputSettings{});
    writer.write(steady);
    writer.finish();
  }
  {  // A bed of digital silence: the same programme, rendered the same way, with nothing under it.
    warta::encode::WavWriter writer(dir / "silent.wav", warta::encode::OutputSettings{});
    writer.write(warta::audio::Audio::silence(5.0, 44100, 2));
    writer.finish();
  }
  // The same bulletin with the bed and with the silent one, lossless: the
  // difference is the bed alone, so its level can be read under the speech
  // as well as in the gaps. Long story gaps let it come back up fully.
  std::ofstream(dir / "lambat.yaml") << "espeak_voice: id\nstory_gap: 3.0\n";
  const std::string common =
      "show: Uji\ndate: 2025-06-11\nvoice: ./lambat.yaml\noutput: { file: \"{show}.wav\" }\n"
      "stories: [articles/panen-raya.txt, articles/festival-budaya.txt]\n";
  REQUIRE(build(dir, common + "bed: { file: silent.wav, duck: 18, attack: 0.25, release: 0.8 }\n").exit_code == 0);
  fs::rename(dir / "Uji.wav", dir / "dry.wav");
  const auto r = build(dir, common + "bed: { file: bed.wav, duck: 18, attack: 0.25, release: 0.8 }\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto dry = decodeFile(dir / "dry.wav").audio;
  auto bed = decodeFile(dir / "Uji.wav").audio;
  REQUIRE(bed.samples.size() == dry.samples.size());
  // With a bed and no outro the bulletin ends after the bed's fade-out, 1.5 s of gap.
  const auto rows = readTimeline(dir / "timeline.tsv");
  REQUIRE_FALSE(rows.empty());
  CHECK(rows.back().kind == "gap");
  CHECK(rows.back().end - rows.back().start == Approx(1.5).margin(0.001));
  CHECK(rows.back().end == Approx(bed.seconds()).margin(0.001));
  for (std::size_t i = 0; i < dry.samples.size(); ++i) bed.samples[i] -= dry.samples[i];

  double under_speech = -1000, in_gaps = 1000;
  for (const auto& row : readTimeline(dir / "timeline.tsv")) {
    if (row.kind == "speech" && row.end - row.start > 1.0)
      under_speech = std::max(under_speech, rmsDb(bed, row.start + 0.1, row.end - 0.1));
    if (row.kind == "gap" && row.end - row.start >= 3.0)
      in_gaps = std::min(in_gaps, rmsDb(bed, row.start + 1.2, row.end - 0.5));
  }
  INFO("bed under speech (loudest window) " << under_speech << " dB, in story gaps (quietest) " << in_gaps << " dB");
  REQUIRE(in_gaps > -40);  // the bed is there, audibly
  CHECK(in_gaps - under_speech >= 18.0 - 0.5);
  // The bulletin outlasts the 5 s bed many times: it looped without a gap.
  CHECK(bed.seconds() > 60);
  for (double t = 1.0; t + 0.5 < bed.seconds() - 2.0; t += 0.5) {
    INFO("bed at " << t << " s");
    CHECK(rmsDb(bed, t, t + 0.5) > -70);
  }
  // It fades out at the end instead of stopping: still sounding, but lower,
  // half a second before it ends; silent at the very end.
  double last = 0;
  for (double t = 0; t + 0.01 <= bed.seconds(); t += 0.01)
    if (rmsDb(bed, t, t + 0.01) > -70) last = t;
  INFO("the bed's last sound at " << last << " s of " << bed.seconds() << " s");
  CHECK(rmsDb(bed, last - 0.55, last - 0.45) > -70);
  CHECK(rmsDb(bed, last - 0.55, last - 0.45) < in_gaps - 3);
  CHECK(rmsDb(bed, bed.seconds() - 0.01, bed.seconds()) < -60);  // faded all the way
}

TEST_CASE(
    "chapters cover the whole file: the show from 0, then one per story from where its speech starts, and "
    "CHAP, JSON and the page agree",
    "[e2e][mastering]") {
  const fs::path dir = tempDir("e2e-chapters");
  fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
  const auto r = runWarta({"build", "rundown.yaml", "--timeline", "timeline.tsv", "--transcript"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path mp3 = dir / "Kabar Pagi-2025-06-11.mp3";
  const auto chapters = ffprobeChapters(mp3);
  REQUIRE(chapters.size() == 5);
  CHECK(chapters[0].title == "Kabar Pagi, Rabu, 11 Juni 2025");  // 2025-06-11 was a Wednesday
  CHECK(chapters[0].start == 0.0);
  CHECK(chapters[1].title == "Banjir Rendam Ratusan Rumah di Kelurahan Sumberjati, Warga Mengungsi");
  CHECK(chapters[3].title.find("Imunisasi") != std::string::npos);
  const auto audio = decodeFile(mp3).audio;
  CHECK(chapters.back().end == Approx(audio.seconds()).margin(0.001));  // the close is in the last story's
  const auto json = nlohmann::json::parse(readText(dir / "Kabar Pagi-2025-06-11.chapters.json"));
  REQUIRE(json["chapters"].size() == chapters.size());
  const std::string page = readText(dir / "Kabar Pagi-2025-06-11.html");
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    INFO("chapter " << i << " '" << chapters[i].title << "' at " << chapters[i].start << " s");
    if (i + 1 < chapters.size()) CHECK(chapters[i].end == Approx(chapters[i + 1].start).margin(0.001));
    CHECK(json["chapters"][i]["title"] == chapters[i].title);
    CHECK(double(json["chapters"][i]["startTime"]) == Approx(chapters[i].start).margin(0.001));
    CHECK(page.find(chapters[i].title.substr(0, 20)) != std::string::npos);
    if (i == 0) continue;
    // The onset: the first 10 ms window from half a second before the chapter
    // on whose level rises out of silence (the story follows a stinger and a pause).
    const double onset = soundOnset(audio, chapters[i].start - 0.35, chapters[i].start + 1.0);
    CHECK(std::abs(onset - chapters[i].start) <= 0.050);
  }
}

TEST_CASE("ID3v2.4 tags and the cover read back through ffprobe and a second reader", "[e2e][mastering]") {
  const fs::path dir = tempDir("e2e-id3");
  fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
  std::ofstream(dir / "cover.yaml") << "show: Kabar Pagi & Sore <Edisi \"Khusus\">\nstation: Radio Warga\n"
                                       "date: 2025-06-11\ncover: cover.png\nstories: [articles/panen-raya.txt]\n";
  const auto r = runWarta({"build", "cover.yaml"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path mp3 = dir / "Kabar Pagi & Sore <Edisi \"Khusus\">-2025-06-11.mp3";
  REQUIRE(fs::exists(mp3));
  CHECK(readText(mp3).substr(0, 4) == std::string("ID3\x04", 4));
  const auto tags = ffprobeTags(mp3);
  CHECK(tags.at("title") ==
        "Kabar Pagi & Sore <Edisi \\\"Khusus\\\"> 2025-06-11");  // ffprobe's flat writer escapes quotes
  CHECK(tags.at("artist") == "Radio Warga");
  CHECK(tags.at("album") == "Kabar Pagi & Sore <Edisi \\\"Khusus\\\">");
  CHECK(tags.at("date").rfind("2025-06-11", 0) == 0);
  CHECK(tags.at("genre") == "News");
  CHECK(tags.at("comment") == "Panen Raya Padi di Desa Karangwulan, Produksi Naik 8,4 Persen");
  const auto streams = ffprobeStreams(mp3);
  CHECK(std::find(streams.begin(), streams.end(), "video:png:attached_pic") != streams.end());
  // The second reader: a strict ID3v2 walker written from the specification.
  const Id3Tag tag = readId3v2(mp3);
  CHECK(tag.version == 4);
  REQUIRE(tag.find("TIT2") != nullptr);
  CHECK(id3Text(*tag.find("TIT2")) == "Kabar Pagi & Sore <Edisi \"Khusus\"> 2025-06-11");
  CHECK(id3Text(*tag.find("TPE1")) == "Radio Warga");
  CHECK(id3Text(*tag.find("TALB")) == "Kabar Pagi & Sore <Edisi \"Khusus\">");
  CHECK(id3Text(*tag.find("TDRC")) == "2025-06-11");
  CHECK(id3Text(*tag.find("TCON")) == "News");
  REQUIRE(tag.find("COMM") != nullptr);  // the episode's headlines
  CHECK(id3Comment(*tag.find("COMM")).text == "Panen Raya Padi di Desa Karangwulan, Produksi Naik 8,4 Persen");
  REQUIRE(tag.find("APIC") != nullptr);
  const Id3Picture cover = id3Picture(*tag.find("APIC"));
  CHECK(cover.mime == "image/png");
  CHECK(cover.type == 3);  // front cover
  CHECK(cover.data == readText(dir / "cover.png"));
  REQUIRE(tag.all("CHAP").size() == 2);  // the show (intro and opening), then the story
  REQUIRE(tag.find("CTOC") != nullptr);
}

TEST_CASE("a Broadcast WAV carries its bext chunk", "[e2e][mastering]") {
  const fs::path dir = tempDir("e2e-bwf");
  fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
  std::ofstream(dir / "bwf.yaml") << "show: Kabar Pagi\nstation: Radio Warga\ndate: 2025-06-11\n"
                                     "output: { file: \"{show}.wav\", format: bwf, sample_rate: 48000 }\n"
                                     "stories: [articles/panen-raya.txt]\n";
  const auto r = runWarta({"build", "bwf.yaml"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  SF_INFO info{};
  warta::audio::Sndfile file(sf_open((dir / "Kabar Pagi.wav").c_str(), SFM_READ, &info));
  REQUIRE(file);
  CHECK(info.samplerate == 48000);
  SF_BROADCAST_INFO bext{};
  REQUIRE(sf_command(file.get(), SFC_GET_BROADCAST_INFO, &bext, sizeof bext) == SF_TRUE);
  CHECK(std::string(bext.description) == "Kabar Pagi 2025-06-11");
  CHECK(std::string(bext.originator) == "Radio Warga");
  CHECK(std::string(bext.origination_date, 10) == "2025-06-11");
}

TEST_CASE("the intro crossfades into the first voice by intro_overlap seconds", "[e2e][mastering]") {
  const fs::path dir = tempDir("e2e-crossfade");
  fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
  std::ofstream(dir / "x.yaml") << "show: Kabar\ndate: 2025-06-11\nintro: jingles/intro.flac\nintro_overlap: 1.5\n"
                                   "output: { file: x.wav }\nstories: [articles/panen-raya.txt]\n";
  const auto r = runWarta({"build", "x.yaml", "--timeline", "t.tsv"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = readTimeline(dir / "t.tsv");
  REQUIRE(rows.size() > 2);
  REQUIRE(rows[0].kind == "intro");
  REQUIRE(rows[1].kind == "opening");
  CHECK(rows[0].end == Approx(4.0).margin(0.001));
  CHECK(rows[1].start == Approx(rows[0].end - 1.5).margin(0.001));
  // The voice is heard inside the jingle's last 1.5 s: the end of the intro
  // is much louder than the (fading) jingle's own end.
  const auto out = decodeFile(dir / "x.wav").audio;
  const auto jingle = decodeFile(dir / "jingles" / "intro.flac").audio;
  CHECK(rmsDb(out, 3.7, 4.0) > rmsDb(jingle, 3.7, 4.0) + 3.0);
}
