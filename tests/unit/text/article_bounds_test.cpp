// SPDX-License-Identifier: GPL-3.0-or-later
// The article reader's limits and its linear time on hostile shapes (issue 14):
// past a limit the article is refused naming FILE:LINE; within them no shape
// costs more than a straight pass over the text.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "text/article.h"
#include "text/segment.h"
#include "text/utf8.h"

using warta::text::parseArticle;
using warta::text::TextError;

namespace {

std::string errorFor(const std::string& content, const std::string& path = "berita.txt") {
  try {
    parseArticle(content, path);
  } catch (const TextError& e) {
    return e.what();
  }
  return "(no error)";
}

double secondsToParse(const std::string& content, const std::string& path) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto a = parseArticle(content, path);
  const auto segments = warta::text::segmentArticle(a, {}, {});
  (void)segments;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("a word over 100 characters is refused naming its file and line", "[text][article][bounds]") {
  const std::string e = errorFor("Judul\n\nKalimat biasa.\nAda " + std::string(101, 'x') + " di sini.\n");
  CHECK(e.rfind("berita.txt:4: a word is longer than 100 characters (xxxxxxxxxxxxxxxxxxxx...)", 0) == 0);
  CHECK(errorFor("Judul\n\nKalimat " + std::string(100, 'x') + " di sini.\n") == "(no error)");
  // In Markdown the link target is not read, so a long URL there is fine.
  CHECK(errorFor("# Judul\n\nLihat [situs](https://example.org/" + std::string(300, 'a') + ") ini.\n", "a.md") ==
        "(no error)");
}

TEST_CASE("a headline over 300 characters is refused naming its line", "[text][article][bounds]") {
  std::string headline;
  while (warta::text::utf8::length(headline) < 301) headline += "kata ";
  headline.pop_back();
  CHECK(errorFor("\n" + headline + "\n\nIsi berita.\n").rfind("berita.txt:2: headline is", 0) == 0);
  CHECK(errorFor("---\ntitle: " + headline + "\n---\nIsi berita.\n", "a.md").rfind("a.md:1: headline is", 0) == 0);
}

TEST_CASE("a line over 20,000 characters and a file over 256 KB are refused", "[text][article][bounds]") {
  std::string line;
  while (line.size() <= warta::text::kMaxLineChars) line += "kata ";
  CHECK(errorFor("Judul\n\n" + line + "\n").rfind("berita.txt:3: line is", 0) == 0);
  std::string big = "Judul\n\n";
  while (big.size() <= warta::text::kMaxArticleBytes) big += "Kalimat pendek.\n";
  CHECK(errorFor(big).rfind("berita.txt: article is 256 KB; the limit is 256 KB", 0) == 0);
}

TEST_CASE("a sentence with no full stop reaches eSpeak in pieces of at most 400 characters, cut at commas or spaces",
          "[text][segment][bounds]") {
  std::string body;
  for (int i = 0; i < 200; ++i) body += "warga desa berkumpul di balai, ";
  body += "lalu pulang";
  const auto a = parseArticle("Judul\n\n" + body + "\n", "a.txt");
  const auto segments = warta::text::segmentArticle(a, {}, {});
  REQUIRE(segments.size() > 10);
  std::string joined;
  for (std::size_t i = 1; i < segments.size(); ++i) {
    CHECK(warta::text::utf8::length(segments[i].text) <= warta::text::kMaxSentenceChars);
    if (i + 1 < segments.size()) {
      CHECK(segments[i].text.back() == ',');  // cut after a comma
      CHECK(segments[i].pause_after == warta::text::kLongSentenceBreak);
    }
    joined += (joined.empty() ? "" : " ") + segments[i].text;
  }
  CHECK(joined == body);  // nothing lost or added
  CHECK(segments.back().ends_paragraph);
}

TEST_CASE("no shape of article takes more than linear time to read", "[text][article][bounds]") {
  // Each was quadratic or worse: quote marks taken one at a time, a search
  // for ']' from every '[', one long unpunctuated run. 25 lines of 19,000
  // took seconds; linear, they take milliseconds.
  auto quotes = [](std::size_t n) {
    std::string s = "# Judul\n\n";
    for (int i = 0; i < 12; ++i) s += std::string(n, '>') + " kata\n\n";
    return s;
  };
  auto brackets = [](std::size_t n) {
    std::string s = "# Judul\n\n";
    for (int i = 0; i < 12; ++i) {
      for (std::size_t k = 0; k < n / 2; ++k) s += "[ ";
      s += "\n\n";
    }
    return s;
  };
  auto run_on = [](std::size_t n) {
    std::string s = "Judul\n\n";
    for (std::size_t k = 0; k < n / 8; ++k) s += "kata dan";
    return s + "\n";
  };
  for (const auto& [name, make, path] :
       {std::tuple{"quotes", +quotes, "a.md"}, std::tuple{"brackets", +brackets, "a.md"},
        std::tuple{"run-on", +run_on, "a.txt"}}) {
    INFO(name);
    const double small = secondsToParse(make(9000), path);
    const double large = secondsToParse(make(18000), path);
    INFO("9,000: " << small << " s; 18,000: " << large << " s");
    CHECK(large < 0.5);
    CHECK(large < 3 * small + 0.02);  // the 20 ms absorbs timer noise on a busy machine
  }
}
