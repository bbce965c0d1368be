// SPDX-License-Identifier: GPL-3.0-or-later
// `warta lexicon check`: the editor's list before air.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::test;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The row whose written column is `written`, or "".
std::string rowFor(const std::vector<std::string>& rows, const std::string& written) {
  const std::regex row("^(\\S+:\\d+) +(.+?) +->  (.*?) +\\((.+)\\)$");
  for (const auto& line : rows) {
    std::smatch m;
    if (std::regex_match(line, m, row) && m[2] == written) return line;
  }
  return "";
}

}  // namespace

TEST_CASE("lexicon check lists acronyms, lexicon words and guesses with line and reason", "[e2e][lexicon]") {
  const fs::path dir = tempDir("lexicon-check-e2e");
  const fs::path article = dir / "berita.txt";
  std::ofstream(article) << "Banjir di Kalijambu\n"
                            "\n"
                            "Tim BPBD dan KSPI membantu warga Kalijambu. Pemkot membuka posko.\n"
                            "\n"
                            "Warga melapor lewat WhatsApp pada pukul 10.00 WIB. Bantuan BPBD tiba.\n";
  const CliResult r = runWarta({"lexicon", "check", article.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = lines(r.out);
  const std::string file = article.string();

  // Every row: FILE:LINE  written  ->  spoken  (why)
  const std::regex row("^\\S+:\\d+ +.+  ->  .* +\\(.+\\)$");
  for (const auto& line : rows)
    if (line.rfind("#", 0) != 0) CHECK(std::regex_match(line, row));

  // A known acronym, pinned by the lexicon, at its first line only.
  const std::string bpbd = rowFor(rows, "BPBD");
  CHECK(bpbd.rfind(file + ":3 ", 0) == 0);
  CHECK(bpbd.find("->  be pe be de") != std::string::npos);
  CHECK(bpbd.find("(lexicon voices/id/lexicon.yaml:") != std::string::npos);
  CHECK(std::count_if(rows.begin(), rows.end(),
                      [](const std::string& l) { return l.find(" BPBD ") != std::string::npos; }) == 1);

  // A lexicon word said by eSpeak phonemes, and a loanword respelled.
  CHECK(rowFor(rows, "Pemkot").find("->  [[p@mk'ot]]") != std::string::npos);
  CHECK(rowFor(rows, "WhatsApp").find("->  Wotsap") != std::string::npos);

  // Guesses: an acronym no data knows, and an unknown name (first met in the headline).
  const std::string kspi = rowFor(rows, "KSPI");
  CHECK(kspi.find("(guess: acronym") != std::string::npos);
  const std::string kalijambu = rowFor(rows, "Kalijambu");
  CHECK(kalijambu.rfind(file + ":1 ", 0) == 0);
  CHECK(kalijambu.find("(guess: unknown name, read as written)") != std::string::npos);

  // Rules: times and time zones.
  CHECK(rowFor(rows, "WIB").find("(rule: ") != std::string::npos);

  // Guesses come first; plain words and sentence starts are not listed.
  CHECK(r.out.find("KSPI") < r.out.find("Pemkot"));
  CHECK(rowFor(rows, "Tim").empty());
  CHECK(rowFor(rows, "membantu").empty());
}

TEST_CASE("lexicon check on the sample article and its usage errors", "[e2e][lexicon]") {
  const CliResult r = runWarta({"lexicon", "check", "samples/articles/banjir-blitar.txt", "--voice", "id"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = lines(r.out);
  CHECK(rowFor(rows, "Polri").find("samples/articles/banjir-blitar.txt:5 ") == 0);
  CHECK(rowFor(rows, "11/6/2025").find("(rule: date)") != std::string::npos);
  CHECK(rowFor(rows, "Sumberjati").find("(guess:") != std::string::npos);

  CHECK(runWarta({"lexicon", "check"}).exit_code == 2);
  CHECK(runWarta({"lexicon", "check", "no-such-article.txt"}).exit_code == 2);
  CHECK(runWarta({"lexicon"}).exit_code == 2);
  const CliResult help = runWarta({"lexicon", "check", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("warta lexicon check ARTICLE...") != std::string::npos);
}
