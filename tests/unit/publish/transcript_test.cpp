// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "publish/transcript.h"
#include "support/media.h"

using namespace warta::publish;
namespace fs = std::filesystem;

namespace {
Cue cue(double start, double end, std::string text, int story, std::string kind = "sentence",
        bool ends_paragraph = false, std::vector<TimedWord> words = {}) {
  Cue c;
  c.start = start;
  c.end = end;
  c.text = std::move(text);
  c.story = story;
  c.kind = std::move(kind);
  c.ends_paragraph = ends_paragraph;
  c.words = std::move(words);
  return c;
}
}  // namespace

TEST_CASE("cue times are hours, minutes, seconds and milliseconds", "[transcript]") {
  struct Case {
    double seconds;
    const char* vtt;
    const char* srt;
  };
  for (const Case c : {Case{0, "00:00:00.000", "00:00:00,000"}, Case{1.2345, "00:00:01.235", "00:00:01,235"},
                       Case{61.5, "00:01:01.500", "00:01:01,500"}, Case{3723.004, "01:02:03.004", "01:02:03,004"},
                       Case{-1, "00:00:00.000", "00:00:00,000"}}) {
    CHECK(vttTime(c.seconds) == c.vtt);
    CHECK(srtTime(c.seconds) == c.srt);
  }
}

TEST_CASE("WebVTT has one numbered cue per short sentence with its markup escaped", "[transcript]") {
  const std::vector<Cue> cues = {cue(0.5, 2.25, "Kabar Pagi, edisi Rabu.", -1, "opening"),
                                 cue(3.0, 5.5, "A & B <tiba> di kota.", 0)};
  CHECK(toWebVtt(cues) ==
        "WEBVTT\n\n"
        "1\n00:00:00.500 --> 00:00:02.250\nKabar Pagi, edisi Rabu.\n\n"
        "2\n00:00:03.000 --> 00:00:05.500\nA &amp; B &lt;tiba&gt; di kota.\n\n");
  CHECK(toSrt(cues) ==
        "1\n00:00:00,500 --> 00:00:02,250\nKabar Pagi, edisi Rabu.\n\n"
        "2\n00:00:03,000 --> 00:00:05,500\nA & B <tiba> di kota.\n\n");
}

TEST_CASE("the plain transcript keeps headlines, datelines, subheads and paragraphs on their own lines",
          "[transcript]") {
  const std::vector<Cue> cues = {cue(0, 1, "Pembuka.", -1, "opening"),
                                 cue(1, 2, "Judul Satu", 0, "headline"),
                                 cue(2, 3, "Kota Blitar", 0, "dateline"),
                                 cue(3, 4, "Kalimat satu.", 0),
                                 cue(4, 5, "Kalimat dua.", 0, "sentence", true),
                                 cue(5, 6, "Anak Judul", 0, "subhead"),
                                 cue(6, 7, "Kalimat tiga.", 0, "sentence", true),
                                 cue(7, 8, "Judul Dua", 1, "headline"),
                                 cue(8, 9, "Kalimat empat.", 1, "sentence", true),
                                 cue(9, 10, "Penutup.", -1, "closing")};
  CHECK(toPlainText(cues) ==
        "Pembuka.\n\nJudul Satu\n\nKota Blitar\n\nKalimat satu. Kalimat dua.\n\nAnak Judul\n\nKalimat tiga."
        "\n\n* * *\n\nJudul Dua\n\nKalimat empat.\n\nPenutup.\n");
}

TEST_CASE("a long sentence becomes captions of at most 2 lines of 42 characters, cut where its words start",
          "[transcript]") {
  // 12 words of 9 characters: 4 to a line, 2 lines to a caption.
  std::vector<TimedWord> words;
  std::string text;
  for (int i = 0; i < 12; ++i) {
    const std::string w = "kata" + std::string(4, static_cast<char>('a' + i)) + (i == 11 ? "." : "");
    words.push_back({10.0 + i * 0.5, 10.5 + i * 0.5, w});
    text += (i ? " " : "") + w;
  }
  const std::vector<Caption> captions = captionsFor({cue(10.0, 16.0, text, 0, "sentence", true, words)});
  REQUIRE(captions.size() == 2);
  CHECK(captions[0].lines ==
        std::vector<std::string>{"kataaaaa katabbbb katacccc katadddd", "kataeeee kataffff katagggg katahhhh"});
  CHECK(captions[0].start == 10.0);
  CHECK(captions[0].end == 14.0);  // where the next caption's first word starts
  CHECK(captions[1].lines == std::vector<std::string>{"kataiiii katajjjj katakkkk katallll."});
  CHECK(captions[1].start == 14.0);
  CHECK(captions[1].end == 16.0);
}

TEST_CASE("every caption stays at least 1 s and none overlaps the next", "[transcript]") {
  const std::vector<Caption> captions =
      captionsFor({cue(0.0, 0.3, "Ya.", 0), cue(0.4, 0.8, "Tidak.", 0), cue(5.0, 7.0, "Kalimat panjang.", 0)});
  REQUIRE(captions.size() == 3);
  CHECK(captions[0].start == 0.0);
  CHECK(captions[0].end == Approx(1.0));
  CHECK(captions[1].start == Approx(1.0));  // waits for the one before
  CHECK(captions[1].end == Approx(2.0));
  CHECK(captions[2].start == 5.0);
  CHECK(captions[2].end == 7.0);
}

TEST_CASE("a cue without word times is cut by the length of its words", "[transcript]") {
  std::string text;
  for (int i = 0; i < 20; ++i) text += (i ? " " : "") + std::string("sembilan");
  const std::vector<Caption> captions = captionsFor({cue(0, 20, text, 0)});
  // 4 words of 8 characters to a line, 8 to a caption: 3 captions, timed by their share of the text.
  REQUIRE(captions.size() == 3);
  CHECK(captions[0].start == Approx(0.0));
  CHECK(captions[1].start == Approx(8.0));
  CHECK(captions[2].start == Approx(16.0));
  CHECK(captions[2].end == Approx(20.0));
  CHECK(captions[2].lines == std::vector<std::string>{"sembilan sembilan sembilan sembilan"});
}

TEST_CASE("the JSON transcript has a segment per cue with its written words and times", "[transcript]") {
  const std::string json = toJsonTranscript({cue(1.0, 2.5, "Rp 1,5 miliar \"cair\".", 0, "sentence", true,
                                                 {{1.0, 2.0, "Rp 1,5 miliar"}, {2.0, 2.5, "\"cair\"."}})});
  // Keys in the Podcasting 2.0 order, two-space indent, seconds as JSON numbers.
  CHECK(json ==
        "{\n  \"version\": \"1.0.0\",\n  \"segments\": [\n"
        "    {\n      \"startTime\": 1.0,\n      \"endTime\": 2.5,\n      \"body\": \"Rp 1,5 miliar \\\"cair\\\".\",\n"
        "      \"words\": [\n"
        "        {\n          \"startTime\": 1.0,\n          \"endTime\": 2.0,\n          \"body\": \"Rp 1,5 "
        "miliar\"\n        },\n"
        "        {\n          \"startTime\": 2.0,\n          \"endTime\": 2.5,\n          \"body\": "
        "\"\\\"cair\\\".\"\n        }\n"
        "      ]\n    }\n  ]\n}\n");
  // A cue without word times has no "words" at all (not an empty list).
  CHECK(toJsonTranscript({cue(0, 1, "Satu.", 0)}) ==
        "{\n  \"version\": \"1.0.0\",\n  \"segments\": [\n"
        "    {\n      \"startTime\": 0.0,\n      \"endTime\": 1.0,\n      \"body\": \"Satu.\"\n    }\n  ]\n}\n");
  CHECK(toJsonTranscript({}) == "{\n  \"version\": \"1.0.0\",\n  \"segments\": []\n}\n");
}

TEST_CASE("JSON chapters follow Podcasting 2.0 and escape titles", "[transcript]") {
  CHECK(toJsonChapters({{0, "Banjir \"besar\" di Blitar"}, {75.25, "Panen\\raya"}}) ==
        "{\n  \"version\": \"1.2.0\",\n  \"chapters\": [\n"
        "    {\n      \"startTime\": 0.0,\n      \"title\": \"Banjir \\\"besar\\\" di Blitar\"\n    },\n"
        "    {\n      \"startTime\": 75.25,\n      \"title\": \"Panen\\\\raya\"\n    }\n  ]\n}\n");
  CHECK(toJsonChapters({}) == "{\n  \"version\": \"1.2.0\",\n  \"chapters\": []\n}\n");
}

TEST_CASE("JSON times are whole milliseconds, written in their shortest form", "[transcript]") {
  // 0.1 + 0.2 is 0.30000000000000004 as a double; the timeline's precision is a millisecond.
  const std::string chapters = toJsonChapters({{0.1 + 0.2, "a"}, {12.3456, "b"}, {3723.0004, "c"}, {-0.0004, "d"}});
  CHECK(chapters.find("\"startTime\": 0.3,") != std::string::npos);
  CHECK(chapters.find("\"startTime\": 12.346,") != std::string::npos);
  CHECK(chapters.find("\"startTime\": 3723.0,") != std::string::npos);
  CHECK(chapters.find("\"startTime\": 0.0,") != std::string::npos);  // never "-0.0"
  const auto parsed = nlohmann::json::parse(chapters);
  CHECK(parsed["chapters"][1]["startTime"].get<double>() == 12.346);
  const auto transcript = nlohmann::json::parse(
      toJsonTranscript({cue(61.0005, 62.25049, "x", 0, "sentence", false, {{61.0005, 62.25049, "x"}})}));
  CHECK(transcript["segments"][0]["startTime"].get<double>() == 61.001);
  CHECK(transcript["segments"][0]["endTime"].get<double>() == 62.25);
  CHECK(transcript["segments"][0]["words"][0]["endTime"].get<double>() == 62.25);
}

TEST_CASE("JSON keeps quotes, backslashes, control characters and non-ASCII headlines exact", "[transcript]") {
  // A headline with everything a string builder gets wrong: quotes, a backslash, a tab,
  // control characters, UTF-8 of 2, 3 and 4 bytes, and "</script>".
  const std::string headline =
      "Gempa \"M 5,6\" di Palu\\Donggala\t\x01\x1f\x7f: warga Ñoño — 避難 🌧 </script>";
  const std::string chapters = toJsonChapters({{0, headline}});
  const auto parsed = nlohmann::json::parse(chapters);
  CHECK(parsed["version"] == "1.2.0");
  CHECK(parsed["chapters"][0]["title"] == headline);
  // UTF-8 stays UTF-8, never \u escapes; control characters are escaped as JSON requires.
  CHECK(chapters.find("Ñoño — 避難 🌧") != std::string::npos);
  CHECK(chapters.find("\\u00d1") == std::string::npos);
  CHECK(chapters.find("\\t\\u0001\\u001f") != std::string::npos);
  CHECK(chapters.find("Palu\\\\Donggala") != std::string::npos);
  CHECK(chapters.find("\\\"M 5,6\\\"") != std::string::npos);
  // No raw control character but the layout's newlines.
  CHECK(std::count_if(chapters.begin(), chapters.end(), [](unsigned char c) { return c < 0x20 && c != '\n'; }) == 0);

  // A cue's body is caption text (publish/xml_text.h, as in the VTT and the
  // page): line breaks become spaces and control characters other than the
  // tab are dropped; its words are kept as written, escaped by JSON.
  const std::string transcript =
      toJsonTranscript({cue(0, 2, headline + "\nbaris\r\ndua", 0, "headline", false, {{0, 1, headline}, {1, 2, "é"}})});
  const auto t = nlohmann::json::parse(transcript);
  CHECK(t["version"] == "1.0.0");
  const std::string shown =
      "Gempa \"M 5,6\" di Palu\\Donggala\t\x7f: warga Ñoño — 避難 🌧 </script>";  // DEL is allowed in XML
  CHECK(t["segments"][0]["body"] == shown + " baris  dua");
  CHECK(t["segments"][0]["words"][0]["body"] == headline);
  CHECK(t["segments"][0]["words"][1]["body"] == "\xC3\xA9");
}

TEST_CASE("invalid UTF-8 in a title becomes U+FFFD instead of failing the write", "[transcript]") {
  // "\xC3(" is a 2-byte lead followed by an ASCII byte; "\xFF" is never UTF-8.
  std::string chapters;
  REQUIRE_NOTHROW(chapters = toJsonChapters({{1, "Berita \xC3(hari\xFF ini"}}));
  const auto parsed = nlohmann::json::parse(chapters);  // throws if the output were not valid UTF-8
  CHECK(parsed["chapters"][0]["title"] == "Berita \xEF\xBF\xBD(hari\xEF\xBF\xBD ini");
  std::string transcript;
  REQUIRE_NOTHROW(transcript = toJsonTranscript({cue(0, 1, "a\xE2\x82", 0, "sentence", false, {{0, 1, "a\xE2\x82"}})}));
  const auto t = nlohmann::json::parse(transcript);
  CHECK(t["segments"][0]["body"] == "a");  // caption text drops bytes that are not UTF-8
  CHECK(t["segments"][0]["words"][0]["body"] == "a\xEF\xBF\xBD");
}

TEST_CASE("transcripts are written beside the audio", "[transcript]") {
  const auto dir = warta::test::tempDir("transcripts");
  const auto written = writeTranscripts(transcriptPathsFor(dir / "kabar.mp3"), {cue(0, 1, "Satu.", 0)}, {{0, "Satu"}});
  REQUIRE(written.size() == 5);
  CHECK_FALSE(fs::exists(dir / "kabar.txt"));  // the plain text is never named like an article
  CHECK(warta::test::readText(dir / "kabar.vtt").rfind("WEBVTT\n", 0) == 0);
  CHECK(warta::test::readText(dir / "kabar.srt").rfind("1\n00:00:00,000 --> 00:00:01,000\nSatu.", 0) == 0);
  CHECK(warta::test::readText(dir / "kabar.transcript.txt") == "Satu.\n");
  CHECK(warta::test::readText(dir / "kabar.chapters.json").find("\"title\": \"Satu\"") != std::string::npos);
  CHECK(warta::test::readText(dir / "kabar.transcript.json").find("\"body\": \"Satu.\"") != std::string::npos);
}

TEST_CASE("transcript names sit beside the audio and the text one is never an article's name", "[transcript]") {
  const TranscriptPaths p = transcriptPathsFor("/srv/news/berita.mp3");
  CHECK(p.vtt == "/srv/news/berita.vtt");
  CHECK(p.srt == "/srv/news/berita.srt");
  CHECK(p.text == "/srv/news/berita.transcript.txt");
  CHECK(p.json == "/srv/news/berita.transcript.json");
  CHECK(p.chapters == "/srv/news/berita.chapters.json");
  CHECK(p.page == "/srv/news/berita.html");
  CHECK(p.all().size() == 6);
  CHECK(isTranscriptText("a/berita.transcript.txt"));
  CHECK(isTranscriptText("BERITA.Transcript.TXT"));
  CHECK_FALSE(isTranscriptText("berita.txt"));
  CHECK_FALSE(isTranscriptText(".transcript.txt"));
  CHECK_FALSE(isTranscriptText("transcript.txt"));
}
