// SPDX-License-Identifier: GPL-3.0-or-later
// A rundown's `lexicons:` may list W3C PLS files: they override the voice's lexicon.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

TEST_CASE("a rundown listing a PLS lexicon speaks its pronunciations", "[e2e][lexicon][pls]") {
  const fs::path dir = tempDir("lexicon-pls-e2e");
  fs::copy(sourceDir() / "samples", dir, fs::copy_options::recursive);
  const std::string story = "stories:\n  - articles/banjir-blitar.txt\n";
  const std::string head = "show: Kabar Pagi\ndate: 2025-06-11\nvoice: id\noutput: { file: \"{show}.wav\" }\n";
  std::ofstream(dir / "plain.yaml") << head << story;
  std::ofstream(dir / "rundown.yaml") << head << "lexicons: [lexicon/stasiun.pls]\n" << story;
  const CliResult plain =
      runWarta({"build", (dir / "plain.yaml").string(), "--timeline", (dir / "plain.tsv").string()});
  REQUIRE(plain.exit_code == 0);
  fs::rename(dir / "Kabar Pagi.wav", dir / "plain.wav");
  const fs::path timeline = dir / "timeline.tsv";
  const CliResult r = runWarta({"build", (dir / "rundown.yaml").string(), "--timeline", timeline.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto with_pls = readTimeline(timeline);
  std::string spoken;
  for (const auto& row : with_pls) spoken += row.label + "\n";
  CHECK(spoken.find("Tanjung sari") != std::string::npos);  // <alias>: a respelling, shown as said
  CHECK(spoken.find("Sumberjati") != std::string::npos);    // <phoneme>: shown as the word...
  // ...but spoken with the PLS phonemes: the headline, which names
  // Sumberjati, sounds different from the build without the lexicon.
  const auto without = readTimeline(dir / "plain.tsv");
  const auto headline = [](const std::vector<TimelineRow>& rows) {
    for (const auto& row : rows)
      if (row.kind == "speech") return row;
    return TimelineRow{};
  };
  const TimelineRow a = headline(without), b = headline(with_pls);
  REQUIRE(a.label.find("Sumberjati") != std::string::npos);
  const auto audio_a = decodeFile(dir / "plain.wav").audio;
  const auto audio_b = decodeFile(dir / "Kabar Pagi.wav").audio;
  double difference = std::abs((a.end - a.start) - (b.end - b.start));
  if (difference < 0.001) {  // same length: compare the samples
    double sum = 0;
    const auto first = static_cast<std::size_t>(a.start * audio_a.sample_rate) * 2;
    const auto count = static_cast<std::size_t>((a.end - a.start) * audio_a.sample_rate) * 2;
    for (std::size_t i = first; i < first + count; ++i) sum += std::abs(audio_a.samples[i] - audio_b.samples[i]);
    difference = sum;
  }
  CHECK(difference > 0.001);

  // The same file checked before air: its entries are named with their lines.
  const CliResult check = runWarta({"lexicon", "check", (dir / "articles" / "banjir-blitar.txt").string(), "--lexicon",
                                    (dir / "lexicon" / "stasiun.pls").string()});
  INFO(check.out << check.err);
  REQUIRE(check.exit_code == 0);
  const auto at = check.out.find(" Sumberjati ");
  REQUIRE(at != std::string::npos);
  const std::string row = check.out.substr(at, check.out.find('\n', at) - at);
  CHECK(row.find("->  [[sumb@R2dZ'ati]]") != std::string::npos);
  CHECK(check.out.find("stasiun.pls:") != std::string::npos);

  // A broken PLS is a configuration error at its line.
  std::ofstream(dir / "lexicon" / "stasiun.pls") << "<?xml version=\"1.0\"?>\n<lexicon>\n  <lexeme>\n</lexicon>\n";
  const CliResult bad = runWarta({"build", (dir / "rundown.yaml").string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("stasiun.pls:4: not well-formed XML") != std::string::npos);
}
