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
  std::ofstream(dir / "rundown.yaml") << "show: Kabar Pagi\n"
                                         "date: 2025-06-11\n"
                                         "voice: id\n"
                                         "lexicons: [lexicon/stasiun.pls]\n"
                                         "stories:\n"
                                         "  - articles/banjir-blitar.txt\n";
  const fs::path timeline = dir / "timeline.tsv";
  const CliResult r = runWarta({"build", (dir / "rundown.yaml").string(), "--timeline", timeline.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  std::string spoken;
  for (const auto& row : readTimeline(timeline)) spoken += row.label + "\n";
  // Timeline labels show plain words (phoneme spans as their lexicon words,
  // since d9820ee); the phonemes the <phoneme> entry gives are checked below
  // through `lexicon check`.
  CHECK(spoken.find("Sumberjati") != std::string::npos);          // <phoneme> in IPA, displayed as its word
  CHECK(spoken.find("[[") == std::string::npos);
  CHECK(spoken.find("Tanjung sari") != std::string::npos);       // <alias>

  // The same file checked before air: its entries are named with their lines.
  const CliResult check = runWarta({"lexicon", "check", (dir / "articles" / "banjir-blitar.txt").string(),
                                    "--lexicon", (dir / "lexicon" / "stasiun.pls").string()});
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
