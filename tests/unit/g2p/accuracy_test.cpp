// SPDX-License-Identifier: GPL-3.0-or-later
// Accuracy on the team's test tables (tests/data/g2p): every e and every k
// of words.tsv, and the homograph sentences. Rows that fail are printed; the
// held-out rows (words no list has: what morphology and fallback achieve)
// are measured on their own.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "g2p_fixture.h"
#include "text/utf8.h"

using namespace warta;

namespace {

std::filesystem::path tables() { return std::filesystem::path(WARTA_SOURCE_DIR) / "tests" / "data" / "g2p"; }

std::vector<std::vector<std::string>> readTsv(const std::filesystem::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

std::u32string codePoints(std::string_view s) {
  std::u32string out;
  for (std::size_t pos = 0; pos < s.size();) out += text::utf8::toLower(text::utf8::next(s, pos));
  return out;
}

struct Score {
  std::size_t e = 0, e_right = 0, k = 0, k_right = 0, words = 0, words_right = 0;
  void add(const Score& o) {
    e += o.e, e_right += o.e_right, k += o.k, k_right += o.k_right, words += o.words, words_right += o.words_right;
  }
  static double pct(std::size_t right, std::size_t all) { return all == 0 ? 100.0 : 100.0 * right / all; }
  std::string line() const {
    char buf[200];
    std::snprintf(buf, sizeof buf, "e %.2f%% (%zu/%zu), k %.2f%% (%zu/%zu), whole words %.2f%% (%zu/%zu)",
                  pct(e_right, e), e_right, e, pct(k_right, k), k_right, k, pct(words_right, words), words_right,
                  words);
    return buf;
  }
};

// Compares `got` with `expected` letter by letter: each e (é/ê) and each k (k/ʔ).
Score compare(const std::string& expected, const std::string& got) {
  Score s;
  const std::u32string want = codePoints(expected), have = codePoints(got);
  s.words = 1;
  s.words_right = want == have;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const char32_t w = want[i], h = i < have.size() && have.size() == want.size() ? have[i] : U'\0';
    if (w == U'é' || w == U'ê') s.e++, s.e_right += h == w;
    if (w == U'k' || w == U'ʔ') s.k++, s.k_right += h == w;
  }
  return s;
}

Score runWords(const std::filesystem::path& file, bool print_failures, Score* held_out) {
  const g2p::LetterToSound& g = test::indonesianG2p();
  Score all;
  std::size_t failures = 0;
  for (const auto& row : readTsv(file)) {
    if (row.size() < 2) continue;
    const g2p::Reading r = g.readWord(row[0]);
    const Score s = compare(row[1], r.spelling.marked(true));
    all.add(s);
    std::optional<g2p::Spelling> plain = g2p::readMarked(row[0], true);
    if (held_out && plain && g.words().find(plain->letters) == nullptr) held_out->add(s);
    if (!s.words_right && print_failures && failures++ < 400)
      std::cout << file.filename().string() << ": " << row[0] << " expected " << row[1] << " got "
                << r.spelling.marked(true) << " (" << g2p::decidedByName(r.by) << ": " << r.why << ")\n";
  }
  return all;
}

}  // namespace

TEST_CASE("the engine's own word table reads every e and k right", "[g2p][accuracy]") {
  const Score s = runWords(tables() / "engine-words.tsv", true, nullptr);
  INFO(s.line());
  CHECK(s.words_right == s.words);
}

TEST_CASE("words.tsv: at least 97% of e and 99% of k right, and held-out words measured", "[g2p][accuracy]") {
  const auto file = tables() / "words.tsv";
  if (!std::filesystem::exists(file)) {
    WARN("tests/data/g2p/words.tsv is not there yet");
    return;
  }
  Score held_out;
  const Score s = runWords(file, true, &held_out);
  std::cout << "words.tsv overall: " << s.line() << "\n";
  std::cout << "words.tsv held out (no list entry: morphology and fallback): " << held_out.line() << "\n";
  INFO("overall " << s.line());
  CHECK(Score::pct(s.e_right, s.e) >= 97.0);
  CHECK(Score::pct(s.k_right, s.k) >= 99.0);
}

TEST_CASE("homographs.tsv: at least 90% of homographs right in context", "[g2p][accuracy]") {
  const auto file = tables() / "homographs.tsv";
  if (!std::filesystem::exists(file)) {
    WARN("tests/data/g2p/homographs.tsv is not there yet");
    return;
  }
  const g2p::LetterToSound& g = test::indonesianG2p();
  std::size_t rows = 0, right = 0;
  for (const auto& row : readTsv(file)) {
    if (row.size() < 3) continue;
    ++rows;
    const std::string word = text::utf8::toLower(row[1]);
    std::string got = "(missing)";
    for (const auto& r : g.read(row[0]))
      if (r.spelling.letters == word || text::utf8::toLower(r.written) == word) {
        got = r.spelling.marked(true);
        break;
      }
    if (codePoints(got) == codePoints(row[2])) ++right;
    else
      std::cout << "homographs.tsv: " << row[0] << " [" << row[1] << "] expected " << row[2] << " got " << got << "\n";
  }
  const double pct = Score::pct(right, rows);
  std::cout << "homographs.tsv: " << right << "/" << rows << " right (" << pct << "%)\n";
  CHECK(pct >= 90.0);
}
