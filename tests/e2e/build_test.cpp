// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: run the warta binary on the samples, then decode and measure
// what it wrote with FFmpeg (independently of warta's own readers).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

double dbfs(double linear) { return 20.0 * std::log10(std::max(linear, 1e-9)); }

// The sample bulletin, built once for all the checks below.
struct SampleBuild {
  fs::path dir, mp3, timeline;
  CliResult result;
  SampleBuild() {
    dir = tempDir("e2e-sample-build");
    timeline = dir / "timeline.tsv";
    result = runWarta({"build", "samples/rundown.yaml", "-o", dir.string(), "--timeline", timeline.string()});
    mp3 = dir / "Kabar Pagi-2025-06-11.mp3";
  }
};
const SampleBuild& sampleBuild() {
  static const SampleBuild build;
  return build;
}

}  // namespace

TEST_CASE("building the sample rundown writes the MP3 and prints its path", "[e2e][build]") {
  const auto& b = sampleBuild();
  INFO(b.result.err);
  REQUIRE(b.result.exit_code == 0);
  CHECK(b.result.out == b.mp3.string() + "\n");
  REQUIRE(fs::is_regular_file(b.mp3));
  CHECK(leftoverTemps(b.dir).empty());
}

TEST_CASE("the bulletin's duration is jingles plus speech plus pauses", "[e2e][build]") {
  const auto& b = sampleBuild();
  REQUIRE(b.result.exit_code == 0);
  const Decoded decoded = decodeFile(b.mp3);  // throws on any decode error
  CHECK(decoded.audio.sample_rate == 44100);
  CHECK(decoded.audio.channels == 2);

  const auto rows = readTimeline(b.timeline);
  REQUIRE_FALSE(rows.empty());
  // Jingle lengths measured from the source files, not from warta's timeline.
  const fs::path jingles = sourceDir() / "samples" / "jingles";
  const double intro = decodeFile(jingles / "intro.flac").audio.seconds();
  const double outro = decodeFile(jingles / "outro.flac").audio.seconds();
  const double sting = decodeFile(jingles / "sting.flac").audio.seconds();
  double speech = 0, pauses = 0;
  int stingers = 0;
  std::vector<double> pause_lengths;
  for (const auto& r : rows) {
    if (r.kind == "speech" || r.kind == "opening" || r.kind == "closing") speech += r.end - r.start;
    if (r.kind == "pause" || r.kind == "gap") {
      pauses += r.end - r.start;
      pause_lengths.push_back(r.end - r.start);
    }
    if (r.kind == "stinger") ++stingers;
  }
  CHECK(stingers == 3);  // between four stories
  // Every pause is one the voice profiles or the bulletin frame define; a
  // pause the programme was cut in for parallel encoding may be up to one
  // MP3 frame (1152 samples, 26 ms) longer, so the cut falls on a frame.
  const double allowed[] = {0.4, 0.5, 0.6, 0.8, 0.9, 1.0, 1.2};  // voices/id.yaml and id-f.yaml
  const double frame = 1152.0 / 44100;
  for (double p : pause_lengths) {
    INFO("pause of " << p << " s");
    CHECK(std::any_of(std::begin(allowed), std::end(allowed),
                      [&](double a) { return p > a - 0.002 && p < a + frame + 0.002; }));
  }
  const double expected = intro + outro + stingers * sting + speech + pauses;
  INFO("decoded " << decoded.audio.seconds() << " s, expected " << expected << " s");
  CHECK(std::abs(decoded.audio.seconds() - expected) < 0.100);
  CHECK(speech > 60.0);  // four stories of 150+ words
}

TEST_CASE("the bulletin carries ID3 title, artist, album and date", "[e2e][build]") {
  const auto& b = sampleBuild();
  REQUIRE(b.result.exit_code == 0);
  const auto tags = readTags(b.mp3);
  CHECK(tags.at("title") == "Kabar Pagi 2025-06-11");
  CHECK(tags.at("artist") == "Kabar Pagi");
  CHECK(tags.at("album") == "Kabar Pagi");
  CHECK(tags.at("date").rfind("2025-06-11", 0) == 0);
}

TEST_CASE("every story's speech is audible and every pause is quiet", "[e2e][build]") {
  const auto& b = sampleBuild();
  REQUIRE(b.result.exit_code == 0);
  const Decoded decoded = decodeFile(b.mp3);
  const auto rows = readTimeline(b.timeline);
  std::set<int> stories_heard;
  for (const auto& r : rows) {
    const double length = r.end - r.start;
    if (r.kind == "speech") {
      // Well above silence: speech at eSpeak's level sits around -20 dBFS RMS.
      INFO("story " << r.story << " at " << r.start << " s: " << r.label);
      CHECK(dbfs(windowRms(decoded.audio, r.start, r.end)) > -35.0);
      stories_heard.insert(r.story);
    } else if (r.kind == "pause" || r.kind == "gap") {
      // The middle of each pause (codec ringing at the edges aside) is near digital silence.
      INFO("pause at " << r.start << " s");
      CHECK(dbfs(windowRms(decoded.audio, r.start + 0.1 * length, r.end - 0.1 * length)) < -60.0);
    }
  }
  CHECK(stories_heard == std::set<int>{0, 1, 2, 3});
}

TEST_CASE("the opening says the show's name and the date in Indonesian", "[e2e][build]") {
  const auto& b = sampleBuild();
  REQUIRE(b.result.exit_code == 0);
  const auto rows = readTimeline(b.timeline);
  const auto opening = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.kind == "opening"; });
  REQUIRE(opening != rows.end());
  CHECK(opening->label.find("Kabar Pagi") != std::string::npos);
  CHECK(opening->label.find("Rabu") != std::string::npos);
  CHECK(opening->label.find("sebelas Juni dua ribu dua puluh lima") != std::string::npos);
  CHECK(rows.front().kind == "intro");
  CHECK(rows.back().kind == "outro");
}

TEST_CASE("say reads an article into an MP3 as long as its speech and pauses", "[e2e][say]") {
  const fs::path dir = tempDir("e2e-say");
  const fs::path mp3 = dir / "banjir.mp3";
  const fs::path timeline = dir / "banjir.tsv";
  const auto r =
      runWarta({"say", "samples/articles/banjir-blitar.txt", "-o", mp3.string(), "--timeline", timeline.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Decoded decoded = decodeFile(mp3);
  double spoken = 0;
  for (const auto& row : readTimeline(timeline)) spoken += row.end - row.start;
  INFO("decoded " << decoded.audio.seconds() << " s, speech and pauses " << spoken << " s");
  CHECK(std::abs(decoded.audio.seconds() - spoken) < 0.02 * spoken);
  CHECK(spoken > 30.0);
}

TEST_CASE("say --rate speeds the reading up and -o .wav writes WAV", "[e2e][say]") {
  const fs::path dir = tempDir("e2e-say-rate");
  const auto slow =
      runWarta({"say", "samples/articles/panen-raya.txt", "-o", (dir / "slow.wav").string(), "--rate", "130"});
  const auto fast =
      runWarta({"say", "samples/articles/panen-raya.txt", "-o", (dir / "fast.wav").string(), "--rate", "260"});
  REQUIRE(slow.exit_code == 0);
  REQUIRE(fast.exit_code == 0);
  const Decoded s = decodeFile(dir / "slow.wav");
  const Decoded f = decodeFile(dir / "fast.wav");
  CHECK(f.audio.seconds() < 0.75 * s.audio.seconds());
}

TEST_CASE("normalize prints one spoken segment per line, dates and numbers in words", "[e2e][normalize]") {
  const auto r = runWarta({"normalize", "samples/articles/banjir-blitar.txt"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    INFO(line);
    CHECK_FALSE(line.empty());
    CHECK(line.find_first_of("0123456789/%[]@#&()") == std::string::npos);  // plain words only
  }
  CHECK(count >= 8);
  CHECK(r.out.find("(ant/red)") == std::string::npos);
}

TEST_CASE("build writes next to the rundown by default, in the rundown's format", "[e2e][build]") {
  const fs::path dir = tempDir("e2e-default-outdir");
  fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
  // A one-story WAV bulletin keeps this quick.
  std::ofstream(dir / "short.yaml") << "show: Kabar Sore\ndate: 2025-08-17\nstation: Radio Warga\n"
                                       "output: { file: \"{show} {date}.wav\", channels: 1, sample_rate: 48000 }\n"
                                       "stories: [articles/panen-raya.txt]\n";
  const auto r = runWarta({"build", "short.yaml"}, dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path wav = dir / "Kabar Sore 2025-08-17.wav";
  CHECK(r.out == wav.filename().string() + "\n");
  const Decoded d = decodeFile(wav);
  CHECK(d.codec.rfind("pcm_", 0) == 0);
  CHECK(d.audio.sample_rate == 48000);
  CHECK(d.audio.channels == 1);
  CHECK(d.audio.seconds() > 20.0);
  CHECK(readTags(wav).at("artist") == "Radio Warga");
}

TEST_CASE("Python's json reads the JSON transcript and chapters of a headline full of quotes, backslashes and UTF-8",
          "[e2e][say][json]") {
  const fs::path dir = tempDir("e2e-say-json-python");
  // The headline a hand-made JSON writer gets wrong: quotes, a backslash, control characters (the article
  // reader keeps them as written), UTF-8 of 2, 3 and 4 bytes.
  const std::string headline = "Gempa\x01 \"M 5,6\" di Palu\\Donggala\x1f, Warga Ñoño di Café, 避難 🌧";
  std::ofstream(dir / "kutip.txt") << headline << "\n\nPalu - Warga mengungsi ke posko, Senin (9/6/2025).\n";
  const auto r =
      runWarta({"say", (dir / "kutip.txt").string(), "-o", (dir / "kutip.mp3").string(), "--transcript", "--no-cache"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Python's own parser (strict: a raw control character in a string is an error), key order as in the file,
  // numbers as numbers to the millisecond; the strings it decodes are printed as UTF-8, one per line.
  std::ofstream(dir / "read.py") << R"PY(import json, sys
def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
chapters, transcript = load(sys.argv[1]), load(sys.argv[2])
def ms(x):
    assert type(x) in (int, float), x
    assert abs(x * 1000 - round(x * 1000)) < 1e-6, x
    return x
out = [",".join(chapters), chapters["version"]]
for c in chapters["chapters"]:
    ms(c["startTime"])
    out += [",".join(c), c["title"]]
out += [",".join(transcript), transcript["version"]]
first = transcript["segments"][0]
for s in transcript["segments"]:
    assert ms(s["startTime"]) <= ms(s["endTime"])
    for w in s["words"]:
        assert ms(w["startTime"]) <= ms(w["endTime"])
out += [",".join(first), first["body"], " ".join(w["body"] for w in first["words"]), ",".join(first["words"][0])]
sys.stdout.buffer.write("\n".join(out).encode("utf-8") + b"\n")
)PY";
  const std::string command =
      "python3 '" + (dir / "read.py").string() + "' '" + (dir / "kutip.chapters.json").string() + "' '" +
      (dir / "kutip.transcript.json").string() + "' > '" + (dir / "read.out").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  const std::string read = readText(dir / "read.out");
  INFO(read);
  REQUIRE(status == 0);
  // The chapter keeps the headline as written; the transcript's text breaks words at control characters
  // (as its captions do), so there they are spaces, collapsed.
  const std::string cue_text = "Gempa \"M 5,6\" di Palu\\Donggala , Warga Ñoño di Café, 避難 🌧";
  CHECK(read == "version,chapters\n1.2.0\nstartTime,title\n" + headline + "\nversion,segments\n1.0.0\n" +
                    "startTime,endTime,body,words\n" + cue_text + "\n" + cue_text + "\nstartTime,endTime,body\n");
  // UTF-8 is written as UTF-8, not as \u escapes; control characters are escaped.
  const std::string chapters = readText(dir / "kutip.chapters.json");
  CHECK(
      chapters.find("\"Gempa\\u0001 \\\"M 5,6\\\" di Palu\\\\Donggala\\u001f, Warga Ñoño di Café, 避難 🌧\"") !=
      std::string::npos);
  CHECK(readText(dir / "kutip.transcript.json").find("Ñoño di Café, 避難 🌧") != std::string::npos);
}

TEST_CASE("what is synthesized is exactly what normalize shows", "[e2e][normalize]") {
  const fs::path dir = tempDir("e2e-say-equals-normalize");
  const std::string article = "samples/articles/festival-budaya.txt";
  const auto norm = runWarta({"normalize", article});
  const auto say = runWarta({"say", article, "-o", (dir / "a.wav").string(), "--timeline", (dir / "a.tsv").string()});
  REQUIRE(norm.exit_code == 0);
  REQUIRE(say.exit_code == 0);
  std::string spoken;
  for (const auto& row : readTimeline(dir / "a.tsv"))
    if (row.kind == "speech") spoken += row.label + "\n";
  CHECK(spoken == norm.out);
}

TEST_CASE("normalize --phonemes prints the eSpeak phonemes of each segment", "[e2e][normalize]") {
  const auto words = runWarta({"normalize", "samples/articles/panen-raya.txt"});
  const auto phonemes = runWarta({"normalize", "samples/articles/panen-raya.txt", "--phonemes"});
  REQUIRE(phonemes.exit_code == 0);
  const auto lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  CHECK(lines(phonemes.out) == lines(words.out));
  CHECK(phonemes.out.find("p'anEn") != std::string::npos);  // "Panen" with its taling, from warta's letter-to-sound
  CHECK(phonemes.out.find('\'') != std::string::npos);      // stress marks: phonemes, not words
}

TEST_CASE("say --transcript writes cues that start where each sentence is heard", "[e2e][say]") {
  const fs::path dir = tempDir("e2e-say-transcript");
  const auto r =
      runWarta({"say", "samples/articles/banjir-blitar.txt", "-o", (dir / "banjir.mp3").string(), "--transcript"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* suffix : {".vtt", ".srt", ".transcript.txt", ".transcript.json", ".chapters.json"})
    CHECK(fs::exists(dir / (std::string("banjir") + suffix)));
  const auto audio = decodeFile(dir / "banjir.mp3").audio;
  const auto json = nlohmann::json::parse(readText(dir / "banjir.transcript.json"));
  REQUIRE(json["segments"].size() >= 10);
  std::set<long> word_starts_ms;  // where any written word starts
  double previous_end = 0;
  for (const auto& segment : json["segments"]) {
    const double start = segment["startTime"], end = segment["endTime"];
    // Every sentence start: the audio is near silence just before it and speech just after.
    INFO("segment at " << start << " s: " << segment["body"].get<std::string>());
    CHECK(std::abs(soundOnset(audio, start - 0.3, start + 1.0) - start) <= 0.100);
    REQUIRE(segment["words"].size() > 0);
    CHECK(double(segment["words"][0]["startTime"]) == start);
    std::string body;
    for (std::size_t k = 0; k < segment["words"].size(); ++k) {
      const auto& word = segment["words"][k];
      const double ws = word["startTime"], we = word["endTime"];
      // In order, never overlapping, inside the sentence.
      CHECK(ws >= previous_end - 1e-9);
      CHECK(we >= ws);
      CHECK(we <= end + 1e-9);
      previous_end = we;
      word_starts_ms.insert(std::lround(ws * 1000));
      body += (body.empty() ? "" : " ") + word["body"].get<std::string>();
      // After a comma eSpeak pauses: the next word starts where sound comes back (within 80 ms).
      const std::string text = word["body"];
      if (!text.empty() && text.back() == ',' && k + 1 < segment["words"].size()) {
        const double next = segment["words"][k + 1]["startTime"];
        INFO("word after '" << text << "' at " << next << " s");
        CHECK(std::abs(soundOnset(audio, we - 0.05, next + 0.5, -40.0) - next) <= 0.080);
      }
    }
    CHECK(body == segment["body"].get<std::string>());  // the words are the sentence as written
  }
  // The article's own words, not the spoken respelling.
  const std::string all = json.dump();
  for (const char* written : {"(11/6/2025).", "Rp 1,5 miliar", "BPBD", "02.30 WIB.", "12,5 persen"}) {
    INFO(written);
    CHECK(all.find(written) != std::string::npos);
  }
  CHECK(all.find("dua ribu dua puluh lima") == std::string::npos);

  // Captions: at most 2 lines of at most 42 characters, at least 1 s each, never overlapping,
  // each starting where a written word starts.
  std::istringstream vtt(readText(dir / "banjir.vtt"));
  std::string line;
  int cues = 0;
  double last_end = 0;
  while (std::getline(vtt, line)) {
    if (line.find(" --> ") == std::string::npos) continue;
    const auto seconds = [](const std::string& t) {
      return std::stoi(t.substr(0, 2)) * 3600 + std::stoi(t.substr(3, 2)) * 60 + std::stod(t.substr(6));
    };
    const double start = seconds(line.substr(0, 12)), end = seconds(line.substr(17, 12));
    INFO("cue " << cues + 1 << " at " << start << " s");
    CHECK(start >= last_end - 1e-9);
    CHECK(end - start >= 1.0 - 1e-9);
    CHECK(word_starts_ms.count(std::lround(start * 1000)) == 1);
    last_end = end;
    int lines = 0;
    while (std::getline(vtt, line) && !line.empty()) {
      ++lines;
      std::size_t chars = 0;
      for (unsigned char c : line) chars += (c & 0xC0) != 0x80;
      CHECK(chars <= 42);
    }
    CHECK(lines >= 1);
    CHECK(lines <= 2);
    ++cues;
  }
  CHECK(cues > static_cast<int>(json["segments"].size()));  // long sentences became several captions

  // The W3C validator's WebVTT parser (npm webvtt-parser) finds no error and every cue.
  const fs::path parser = sourceDir() / "build" / "npm" / "node_modules" / "webvtt-parser";
  REQUIRE(fs::is_directory(parser));  // scripts/setup.sh installs it
  std::ofstream(dir / "check.js")
      << "const {WebVTTParser} = require(" << '"' << parser.string() << '"' << ");\n"
      << "const t = new WebVTTParser().parse(require('fs').readFileSync(process.argv[2], 'utf8'), 'subtitles');\n"
      << "console.log(t.errors.length + ' ' + t.cues.length + ' ' + JSON.stringify(t.errors));\n";
  const std::string command = "node '" + (dir / "check.js").string() + "' '" + (dir / "banjir.vtt").string() + "' > '" +
                              (dir / "check.out").string() + "' 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string verdict = readText(dir / "check.out");
  INFO(verdict);
  CHECK(verdict.rfind("0 " + std::to_string(cues) + " []", 0) == 0);
}
