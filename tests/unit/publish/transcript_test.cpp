#include <catch2/catch.hpp>

#include <filesystem>

#include "publish/transcript.h"
#include "support/media.h"

using namespace warta::publish;
namespace fs = std::filesystem;

TEST_CASE("cue times are hours, minutes, seconds and milliseconds", "[transcript]") {
  struct Case { double seconds; const char* vtt; const char* srt; };
  for (const Case c : {Case{0, "00:00:00.000", "00:00:00,000"}, Case{1.2345, "00:00:01.235", "00:00:01,235"},
                       Case{61.5, "00:01:01.500", "00:01:01,500"}, Case{3723.004, "01:02:03.004", "01:02:03,004"},
                       Case{-1, "00:00:00.000", "00:00:00,000"}}) {
    CHECK(vttTime(c.seconds) == c.vtt);
    CHECK(srtTime(c.seconds) == c.srt);
  }
}

TEST_CASE("WebVTT has one numbered cue per sentence with its markup escaped", "[transcript]") {
  const std::vector<Cue> cues = {{0.5, 2.25, "Kabar Pagi, edisi Rabu.", -1}, {3.0, 5.5, "A & B <tiba> di kota.", 0}};
  CHECK(toWebVtt(cues) ==
        "WEBVTT\n\n"
        "1\n00:00:00.500 --> 00:00:02.250\nKabar Pagi, edisi Rabu.\n\n"
        "2\n00:00:03.000 --> 00:00:05.500\nA &amp; B &lt;tiba&gt; di kota.\n\n");
  CHECK(toSrt(cues) ==
        "1\n00:00:00,500 --> 00:00:02,250\nKabar Pagi, edisi Rabu.\n\n"
        "2\n00:00:03,000 --> 00:00:05,500\nA & B <tiba> di kota.\n\n");
}

TEST_CASE("the plain transcript has a paragraph per story", "[transcript]") {
  const std::vector<Cue> cues = {{0, 1, "Pembuka.", -1}, {1, 2, "Judul satu", 0}, {2, 3, "Kalimat satu.", 0},
                                 {3, 4, "Judul dua", 1}, {4, 5, "Penutup.", -1}};
  CHECK(toPlainText(cues) == "Pembuka.\n\nJudul satu Kalimat satu.\n\nJudul dua\n\nPenutup.\n");
}

TEST_CASE("JSON chapters follow Podcasting 2.0 and escape titles", "[transcript]") {
  CHECK(toJsonChapters({{0, "Banjir \"besar\" di Blitar"}, {75.25, "Panen\\raya"}}) ==
        "{\n  \"version\": \"1.2.0\",\n  \"chapters\": [\n"
        "    {\"startTime\": 0.000, \"title\": \"Banjir \\\"besar\\\" di Blitar\"},\n"
        "    {\"startTime\": 75.250, \"title\": \"Panen\\\\raya\"}\n  ]\n}\n");
  CHECK(toJsonChapters({}) == "{\n  \"version\": \"1.2.0\",\n  \"chapters\": []\n}\n");
}

TEST_CASE("transcripts are written beside the audio", "[transcript]") {
  const auto dir = warta::test::tempDir("transcripts");
  const auto written = writeTranscripts(transcriptPathsFor(dir / "kabar.mp3"), {{0, 1, "Satu.", 0}}, {{0, "Satu"}});
  REQUIRE(written.size() == 4);
  CHECK_FALSE(fs::exists(dir / "kabar.txt"));  // the plain text is never named like an article
  CHECK(warta::test::readText(dir / "kabar.vtt").rfind("WEBVTT\n", 0) == 0);
  CHECK(warta::test::readText(dir / "kabar.srt").rfind("1\n00:00:00,000 --> 00:00:01,000\nSatu.", 0) == 0);
  CHECK(warta::test::readText(dir / "kabar.transcript.txt") == "Satu.\n");
  CHECK(warta::test::readText(dir / "kabar.chapters.json").find("\"title\": \"Satu\"") != std::string::npos);
}

TEST_CASE("transcript names sit beside the audio and the text one is never an article's name", "[transcript]") {
  const TranscriptPaths p = transcriptPathsFor("/srv/news/berita.mp3");
  CHECK(p.vtt == "/srv/news/berita.vtt");
  CHECK(p.srt == "/srv/news/berita.srt");
  CHECK(p.text == "/srv/news/berita.transcript.txt");
  CHECK(p.chapters == "/srv/news/berita.chapters.json");
  CHECK(p.page == "/srv/news/berita.html");
  CHECK(p.all().size() == 5);
  CHECK(isTranscriptText("a/berita.transcript.txt"));
  CHECK(isTranscriptText("BERITA.Transcript.TXT"));
  CHECK_FALSE(isTranscriptText("berita.txt"));
  CHECK_FALSE(isTranscriptText(".transcript.txt"));
  CHECK_FALSE(isTranscriptText("transcript.txt"));
}
