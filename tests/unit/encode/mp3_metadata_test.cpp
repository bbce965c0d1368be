// SPDX-License-Identifier: GPL-3.0-or-later
// Chapters, cover art and ID3v2.4 tags in MP3, read back two ways: through
// libavformat and through the strict ID3v2 walker in tests/support.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>

#include "encode/id3_tag.h"
#include "encode/writer.h"
#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::Audio;
using warta::audio::AudioError;
using warta::encode::Chapter;
using warta::encode::Mp3Writer;
using warta::encode::OutputSettings;
using namespace warta::test;

namespace {

OutputSettings settings(int rate = 44100, int channels = 2, int kbps = 128) {
  OutputSettings s;
  s.sample_rate = rate;
  s.channels = channels;
  s.bitrate_kbps = kbps;
  s.tags = {"Kabar Pagi 2025-06-11", "Radio Komunitas", "Kabar Pagi", "2025-06-11", "News", "dibuat oleh warta"};
  return s;
}

const std::vector<Chapter> kStories = {
    {"Pembukaan", 0.0, 2.5},
    {"Harga beras naik di Blitar", 2.5, 6.25},
    {"Cuaca \xe2\x80\x93 hujan sore", 6.25, 9.0},  // en dash: UTF-8 survives
};

// Writes a 9 s tone with kStories and `cover` (may be empty) to dir/name.
Audio writeBulletin(const fs::path& file, const fs::path& cover, std::vector<Chapter> chapters = kStories) {
  OutputSettings s = settings();
  s.cover_image = cover;
  const Audio in = tone(440.0, 9.0, 44100, 2, 0.4);
  Mp3Writer writer(file, s);
  writer.write(in);
  writer.setChapters(std::move(chapters));  // after the audio, before finish: as the pipeline does
  writer.finish();
  return in;
}

}  // namespace

TEST_CASE("an MP3 with chapters and a cover reads back through libavformat", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-avformat");
  const std::string png = makePng(16, 12, 1);
  writeBytes(dir / "cover.png", png);
  const Audio in = writeBulletin(dir / "bulletin.mp3", dir / "cover.png");

  const auto chapters = readChapters(dir / "bulletin.mp3");
  REQUIRE(chapters.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("chapter " << i);
    CHECK(chapters[i].title == kStories[i].title);
    CHECK(std::abs(chapters[i].start_ms - kStories[i].start * 1000) <= 1);
    CHECK(std::abs(chapters[i].end_ms - kStories[i].end * 1000) <= 1);
  }

  const ReadCover cover = readCover(dir / "bulletin.mp3");
  REQUIRE(cover.present);
  CHECK(cover.codec == "png");
  CHECK(cover.bytes == png);
  CHECK(cover.comment == "Cover (front)");

  const auto tags = readTags(dir / "bulletin.mp3");
  CHECK(tags.at("title") == "Kabar Pagi 2025-06-11");
  CHECK(tags.at("artist") == "Radio Komunitas");
  CHECK(tags.at("album") == "Kabar Pagi");
  CHECK(tags.at("date") == "2025-06-11");
  CHECK(tags.at("genre") == "News");
  CHECK(tags.at("comment") == "dibuat oleh warta");

  const std::string bytes = readText(dir / "bulletin.mp3");
  CHECK(bytes.compare(0, 4, std::string("ID3\x04", 4)) == 0);

  // The metadata changes nothing in the audio: exact length, same samples as
  // a plain file of the same input.
  const Decoded out = decodeFile(dir / "bulletin.mp3");
  CHECK(out.audio.frames() == in.frames());
  CHECK(countDecodedFrames(dir / "bulletin.mp3") == out.audio.frames());
  {
    Mp3Writer plain(dir / "plain.mp3", settings());
    plain.write(in);
    plain.finish();
  }
  CHECK(out.audio.samples == decodeFile(dir / "plain.mp3").audio.samples);
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("the ID3v2.4 tag reads back through a strict independent parser", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-id3");
  const std::string png = makePng(40, 30, 2);  // over 128 bytes: the APIC size needs all four syncsafe bytes
  writeBytes(dir / "cover.png", png);
  writeBulletin(dir / "bulletin.mp3", dir / "cover.png");

  const Id3Tag tag = readId3v2(dir / "bulletin.mp3");
  CHECK(tag.version == 4);
  const auto text = [&](const char* id) {
    const Id3Frame* f = tag.find(id);
    INFO(id);
    REQUIRE(f);
    return id3Text(*f);
  };
  CHECK(text("TIT2") == "Kabar Pagi 2025-06-11");
  CHECK(text("TPE1") == "Radio Komunitas");
  CHECK(text("TALB") == "Kabar Pagi");
  CHECK(text("TDRC") == "2025-06-11");
  CHECK(text("TCON") == "News");

  REQUIRE(tag.find("COMM"));
  const Id3Comment comment = id3Comment(*tag.find("COMM"));
  CHECK(comment.description.empty());
  CHECK(comment.text == "dibuat oleh warta");
  CHECK(tag.find("TXXX") == nullptr);  // the comment is COMM, not TXXX:comment

  REQUIRE(tag.all("APIC").size() == 1);
  const Id3Picture picture = id3Picture(*tag.find("APIC"));
  CHECK(picture.mime == "image/png");
  CHECK(picture.type == 3);  // front cover
  CHECK(picture.data == png);

  REQUIRE(tag.all("CTOC").size() == 1);
  const Id3Toc toc = id3Toc(*tag.find("CTOC"), tag.version);
  CHECK(toc.top_level);
  CHECK(toc.ordered);
  const auto chaps = tag.all("CHAP");
  REQUIRE(chaps.size() == 3);
  REQUIRE(toc.children.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("chapter " << i);
    const Id3Chap chap = id3Chap(*chaps[i], tag.version);
    CHECK(chap.element_id == toc.children[i]);
    CHECK(chap.start_ms == std::lround(kStories[i].start * 1000));
    CHECK(chap.end_ms == std::lround(kStories[i].end * 1000));
    REQUIRE(chap.subframes.size() == 1);
    CHECK(chap.subframes[0].id == "TIT2");
    CHECK(id3Text(chap.subframes[0]) == kStories[i].title);
  }
}

TEST_CASE("long chapter titles and many chapters keep the ID3v2.4 tag valid", "[encode][mp3][metadata]") {
  // FFmpeg writes CHAP/CTOC sizes unsyncsafed (over 127 bytes that breaks
  // strict v2.4 readers unless the writer repairs them), and reads a title
  // subframe of 128 bytes or more wrongly (so the writer cuts titles to 125).
  const fs::path dir = tempDir("mp3-meta-long");
  std::vector<Chapter> chapters;
  std::string headline;
  for (int i = 0; i < 12; ++i) headline += "Berita penting \xc3\xa9 ";  // 18 bytes each, one 2-byte letter
  for (int i = 0; i < 40; ++i) chapters.push_back({std::to_string(i) + " " + headline, i * 0.2, (i + 1) * 0.2});
  chapters[1].title = std::string(125, 'x');                      // the longest kept whole
  chapters[2].title = std::string(122, 'y') + "\xc3\xa9" + "z";   // 125 bytes: kept
  chapters[3].title = std::string(122, 'y') + "\xc3\xa9" + "zz";  // 126 bytes: cut before the 2-byte letter
  writeBulletin(dir / "long.mp3", {}, chapters);

  const auto expected = [&](std::size_t i) -> std::string {
    if (i == 1 || i == 2) return chapters[i].title;
    if (i == 3) return std::string(122, 'y') + "\xe2\x80\xa6";
    return chapters[i].title.substr(0, 122) + "\xe2\x80\xa6";  // ASCII at the cut in these
  };
  REQUIRE(chapters[10].title.substr(0, 122).back() != '\xc3');

  const Id3Tag tag = readId3v2(dir / "long.mp3");  // throws if any frame size is off
  const auto chaps = tag.all("CHAP");
  REQUIRE(chaps.size() == 40);
  REQUIRE(tag.find("CTOC"));
  CHECK(id3Toc(*tag.find("CTOC"), 4).children.size() == 40);
  const auto read = readChapters(dir / "long.mp3");
  REQUIRE(read.size() == 40);
  for (std::size_t i = 0; i < 40; ++i) {
    INFO("chapter " << i);
    const Id3Chap chap = id3Chap(*chaps[i], 4);
    REQUIRE(chap.subframes.size() == 1);
    CHECK(id3Text(chap.subframes[0]) == expected(i));
    CHECK(chap.start_ms == 200 * i);
    CHECK(read[i].title == expected(i));
    CHECK(read[i].start_ms == 200 * static_cast<int64_t>(i));
    CHECK(read[i].title.size() <= warta::encode::kMaxChapterTitleBytes);
  }
  CHECK(read[39].end_ms == 8000);
  CHECK(readTags(dir / "long.mp3").at("comment") == "dibuat oleh warta");
}

TEST_CASE("a JPEG cover is written as image/jpeg", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-jpeg");
  const std::string jpeg = makeJpeg(32, 24);
  REQUIRE(jpeg.size() > 3);
  writeBytes(dir / "cover.jpg", jpeg);
  writeBulletin(dir / "j.mp3", dir / "cover.jpg", {});
  const ReadCover cover = readCover(dir / "j.mp3");
  REQUIRE(cover.present);
  CHECK(cover.codec == "mjpeg");
  CHECK(cover.bytes == jpeg);
  const Id3Tag tag = readId3v2(dir / "j.mp3");
  REQUIRE(tag.find("APIC"));
  CHECK(id3Picture(*tag.find("APIC")).mime == "image/jpeg");
  CHECK(tag.find("CHAP") == nullptr);
  CHECK(tag.find("CTOC") == nullptr);
  CHECK(readChapters(dir / "j.mp3").empty());
}

TEST_CASE("the cover is recognised by its bytes, not its name", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-magic");
  const std::string png = makePng(4, 4);
  writeBytes(dir / "cover.jpg", png);  // a PNG named .jpg
  writeBulletin(dir / "m.mp3", dir / "cover.jpg", {});
  CHECK(readCover(dir / "m.mp3").codec == "png");
  CHECK(id3Picture(*readId3v2(dir / "m.mp3").find("APIC")).mime == "image/png");
}

TEST_CASE("without chapters or cover the MP3 has neither", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-none");
  Mp3Writer writer(dir / "plain.mp3", settings());
  writer.write(tone(440.0, 1.0, 44100, 2, 0.4));
  writer.finish();
  CHECK_FALSE(readCover(dir / "plain.mp3").present);
  CHECK(readChapters(dir / "plain.mp3").empty());
  const Id3Tag tag = readId3v2(dir / "plain.mp3");
  CHECK(tag.find("APIC") == nullptr);
  CHECK(tag.find("CHAP") == nullptr);
  CHECK(id3Text(*tag.find("TIT2")) == "Kabar Pagi 2025-06-11");
}

TEST_CASE("a bad cover is an error naming it, and leaves no output", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-bad-cover");
  std::ofstream(dir / "out.mp3") << "yesterday";
  writeBytes(dir / "notes.png", "just some text, not an image");
  writeBytes(dir / "empty.jpg", "");
  writeBytes(dir / "cut.png", std::string("\x89PNG\r\n\x1a\n", 8));  // a PNG signature and nothing else
  fs::create_directory(dir / "folder.png");
  for (const char* name : {"missing.png", "notes.png", "empty.jpg", "cut.png", "folder.png"}) {
    INFO(name);
    OutputSettings s = settings();
    s.cover_image = dir / name;
    try {
      Mp3Writer writer(dir / "out.mp3", s);
      FAIL("accepted cover " << name);
    } catch (const AudioError& e) {
      CHECK(std::string(e.what()).find(name) != std::string::npos);
    }
    try {
      auto writer = warta::encode::openWriter(dir / "new.mp3", s);
      FAIL("openWriter accepted cover " << name);
    } catch (const AudioError& e) {
      CHECK(std::string(e.what()).find(name) != std::string::npos);
    }
  }
  CHECK(readText(dir / "out.mp3") == "yesterday");
  CHECK_FALSE(fs::exists(dir / "new.mp3"));
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("impossible chapters are refused with the chapter named", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-bad-chapters");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    Chapter chapter;
    const char* says;
  };
  const Case cases[] = {
      {{"Mundur", 2.0, 1.0}, "before it starts"},
      {{"Negatif", -0.5, 1.0}, "starts before"},
      {{"Kosong", nan, 1.0}, "not a number"},
  };
  for (const Case& c : cases) {
    INFO(c.chapter.title);
    Mp3Writer writer(dir / "c.mp3", settings());
    writer.write(tone(440.0, 3.0, 44100, 2, 0.4));
    try {
      writer.setChapters({{"Baik", 0.0, 1.0}, c.chapter});
      FAIL("accepted " << c.chapter.title);
    } catch (const AudioError& e) {
      const std::string message = e.what();
      CHECK(message.find("c.mp3") != std::string::npos);
      CHECK(message.find("chapter 2") != std::string::npos);
      CHECK(message.find(c.chapter.title) != std::string::npos);
      CHECK(message.find(c.says) != std::string::npos);
    }
    writer.finish();  // the refused list changed nothing
    CHECK(readChapters(dir / "c.mp3").empty());
  }

  {  // ending after the audio is found at finish(), which then writes nothing
    Mp3Writer writer(dir / "late.mp3", settings());
    writer.write(tone(440.0, 3.0, 44100, 2, 0.4));
    writer.setChapters({{"Terlambat", 1.0, 3.5}});
    try {
      writer.finish();
      FAIL("finished with a chapter past the end");
    } catch (const AudioError& e) {
      CHECK(std::string(e.what()).find("Terlambat") != std::string::npos);
    }
  }
  CHECK_FALSE(fs::exists(dir / "late.mp3"));

  {  // within a millisecond of the end is the end
    Mp3Writer writer(dir / "edge.mp3", settings());
    writer.write(tone(440.0, 3.0, 44100, 2, 0.4));
    writer.setChapters({{"Pas", 0.0, 3.0005}});
    writer.finish();
    CHECK_THROWS_AS(writer.setChapters({}), AudioError);  // after finish
  }
  REQUIRE(readChapters(dir / "edge.mp3").size() == 1);
  CHECK(readChapters(dir / "edge.mp3")[0].end_ms == 3000);
  CHECK(leftoverTemps(dir).empty());
}

TEST_CASE("openWriter's EncodedOutput takes chapters for MP3", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-open");
  std::unique_ptr<warta::encode::EncodedOutput> out = warta::encode::openWriter(dir / "o.mp3", settings());
  out->write(tone(440.0, 2.0, 44100, 2, 0.4));
  out->setChapters({{"Satu", 0, 1}, {"Dua", 1, 2}});
  out->finish();
  const auto chapters = readChapters(dir / "o.mp3");
  REQUIRE(chapters.size() == 2);
  CHECK(chapters[1].title == "Dua");
  CHECK(chapters[1].start_ms == 1000);
}

TEST_CASE("packets wait in a spool file beside the output, not in memory", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-spool");
  const Audio second = tone(440.0, 1.0, 44100, 2, 0.4);
  Mp3Writer writer(dir / "long.mp3", settings());
  const bool peak_reset = resetPeakRss();
  const long before_kb = peakRssKb();
  const int minutes = 30;
  for (int s = 0; s < minutes * 60; ++s) writer.write(second);
  const long after_kb = peakRssKb();

  // 128 kb/s for 30 minutes is 28.8 MB of packets; all of it is on disk.
  const double expected = 128000.0 / 8 * minutes * 60;
  INFO("spool " << writer.spooledBytes() << " bytes in " << writer.spooledPackets() << " packets");
  CHECK(writer.spooledBytes() > 0.98 * expected);
  CHECK(writer.spooledPackets() >= minutes * 60 * 44100 / 1152 - 4);  // LAME holds a frame or two back
  const auto spools = leftoverTemps(dir);
  REQUIRE(spools.size() == 1);
  CHECK(spools[0].filename().string().find("long.mp3.spool") != std::string::npos);
  // On disk but for what the spool's write buffer still holds.
  CHECK(static_cast<double>(fs::file_size(spools[0])) > 0.99 * static_cast<double>(writer.spooledBytes()));
  if (peak_reset && before_kb > 0) {
    INFO("peak RSS " << before_kb << " kB before, " << after_kb << " kB after writing");
    CHECK(after_kb - before_kb < 10 * 1024);
  } else {
    WARN("cannot reset the peak RSS here; memory not measured");
  }

  writer.finish();
  if (peak_reset && before_kb > 0) CHECK(peakRssKb() - before_kb < 10 * 1024);  // muxing streams from the spool too
  CHECK(writer.spooledBytes() == 0);
  CHECK(leftoverTemps(dir).empty());
  const auto size = static_cast<double>(fs::file_size(dir / "long.mp3"));
  CHECK(size > 0.98 * expected);
  CHECK(size < 1.02 * expected);
  CHECK(countDecodedFrames(dir / "long.mp3") == static_cast<std::size_t>(minutes) * 60 * 44100);  // exact length
}

TEST_CASE("an abandoned MP3 removes its spool", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-spool-abandon");
  {
    Mp3Writer writer(dir / "a.mp3", settings());
    writer.write(tone(440.0, 1.0, 44100, 2, 0.4));
    CHECK(leftoverTemps(dir).size() == 1);
    CHECK(writer.spooledPackets() > 30);
  }
  CHECK(leftoverTemps(dir).empty());
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 0);
}

TEST_CASE("the tag ends at its last frame and the LAME tag names LAME as LAME does", "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-lame");
  const Audio written = writeBulletin(dir / "bulletin.mp3", {});
  // No padding: music-metadata (npm) reads padding as frames and warns.
  const Id3Tag tag = readId3v2(dir / "bulletin.mp3");
  CHECK(tag.padding == 0);
  CHECK(tag.find("COMM"));  // the comment was repaired (shorter than the TXXX it replaced), and still no padding
  // The Info frame follows the tag: "Info" (CBR), then at its LAME tag the
  // 9-byte encoder string LAME 3.100 writes, "LAME3.100", not FFmpeg's "Lavf".
  std::ifstream in(dir / "bulletin.mp3", std::ios::binary);
  std::string head(tag.size + 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const std::size_t info = head.find("Info", tag.size);
  REQUIRE(info != std::string::npos);
  CHECK(info < tag.size + 64);  // inside the first frame (after its 4-byte header and side information)
  const std::size_t lame = head.find("LAME3.", info);
  REQUIRE(lame != std::string::npos);
  CHECK(lame - info < 200);
  CHECK(head.find("Lavf", tag.size) == std::string::npos);
  // And the duration FFmpeg decodes is the written one, to the sample.
  CHECK(decodeFile(dir / "bulletin.mp3").audio.frames() == written.frames());
}

TEST_CASE("the source key is a TXXX frame that reads back, and is absent where none was written",
          "[encode][mp3][metadata]") {
  const fs::path dir = tempDir("mp3-meta-source");
  OutputSettings s = settings();
  s.tags.source_key = "0123456789abcdef";
  Mp3Writer writer(dir / "keyed.mp3", s);
  writer.write(tone(440.0, 0.5, 44100, 2, 0.4));
  writer.finish();

  // The strict walker: one TXXX, UTF-8, description "warta_source", then the key.
  const Id3Tag tag = readId3v2(dir / "keyed.mp3");
  const auto txxx = tag.all("TXXX");
  REQUIRE(txxx.size() == 1);
  std::string body = txxx.front()->body;
  while (!body.empty() && body.back() == '\0') body.pop_back();  // a terminator is optional in ID3v2.4
  CHECK(body == std::string("\x03warta_source\0"
                            "0123456789abcdef",
                            30));
  // libavformat reads it as the "warta_source" tag, and so does our own reader.
  CHECK(readTags(dir / "keyed.mp3").at("warta_source") == "0123456789abcdef");
  CHECK(warta::encode::readId3UserText(dir / "keyed.mp3", warta::encode::kSourceKeyDescription) == "0123456789abcdef");
  CHECK(warta::encode::readId3UserText(dir / "keyed.mp3", "other").empty());

  writeBulletin(dir / "plain.mp3", {});  // no key
  CHECK(warta::encode::readId3UserText(dir / "plain.mp3", warta::encode::kSourceKeyDescription).empty());
  writeBytes(dir / "junk.mp3", "not an mp3 at all");
  CHECK(warta::encode::readId3UserText(dir / "junk.mp3", warta::encode::kSourceKeyDescription).empty());
  CHECK(warta::encode::readId3UserText(dir / "missing.mp3", warta::encode::kSourceKeyDescription).empty());
}
