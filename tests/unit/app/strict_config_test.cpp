// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 14, strict config: YAML that parses but is wrong (duplicate keys,
// aliases), lexicon phonemes, lexicon file types and PLS line numbers, and
// how `say --each` shares a batch among shards.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "render/batch.h"
#include "warta/error.h"
#include "config/language_loader.h"
#include "config/pls_loader.h"
#include "config/yaml_util.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::app::ConfigError;

namespace {

fs::path writeFile(const std::string& name, const std::string& bytes) {
  const fs::path file = warta::test::tempDir("strict-config-test") / name;
  warta::test::writeBytes(file, bytes);
  return file;
}

template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("duplicate keys are found in any YAML file, and an alias bomb is walked once", "[app][strict]") {
  const fs::path dup = writeFile("dup.yaml", "a: 1\nb:\n  - { x: 1, y: 2, x: 3 }\n");
  const std::string message = errorOf([&] { warta::app::loadYamlFile(dup); });
  CHECK(message.find("dup.yaml:3:19: duplicate key 'x' (first given at line 3, column 7)") != std::string::npos);
  // Ten levels of ten aliases: 10^10 nodes if followed, each map visited once here.
  std::string bomb = "l0: &l0 [a, b, c, d, e, f, g, h, i, j]\n";
  for (int i = 1; i <= 10; ++i) {
    const std::string p = "*l" + std::to_string(i - 1);
    bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [" + p;
    for (int k = 1; k < 10; ++k) bomb += ", " + p;
    bomb += "]\n";
  }
  const fs::path file = writeFile("bomb.yaml", bomb);
  const auto started = std::chrono::steady_clock::now();
  CHECK(errorOf([&] { warta::app::loadYamlFile(file); }) == "accepted");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("YAML lexicon phonemes are checked like PLS ones", "[app][strict][lexicon]") {
  const auto lexiconError = [](const std::string& phonemes) {
    const fs::path file = writeFile("lexicon.yaml", "entries:\n  Sekar: { phonemes: \"" + phonemes + "\" }\n");
    return errorOf([&] { warta::app::loadLexicon(file); });
  };
  CHECK(lexiconError("s@k'aR") == "accepted");
  for (const std::string bad : {"s@k]]<b>x</b>[[", "s@k'aR]]", "<audio src=x>", "s\xc9\x99kar", "a&amp;b"}) {
    const std::string message = lexiconError(bad);
    INFO(bad << " -> " << message);
    CHECK(message.find("lexicon.yaml:2:22: eSpeak phonemes '") != std::string::npos);
  }
  // The same rule holds in PLS.
  const fs::path pls =
      writeFile("markup.pls",
                "<?xml version=\"1.0\"?>\n<lexicon version=\"1.0\" "
                "xmlns=\"http://www.w3.org/2005/01/pronunciation-lexicon\" alphabet=\"x-espeak\">\n"
                "<lexeme><grapheme>Sekar</grapheme><phoneme>s@k&lt;b&gt;</phoneme></lexeme>\n</lexicon>\n");
  CHECK(errorOf([&] {
          warta::app::loadLexicon(pls);
        }).find("markup.pls:3: eSpeak phonemes 's@k<b>' must not contain '<'") != std::string::npos);
}

TEST_CASE("a UTF-16 .xml lexicon is read as PLS, and PLS lines past 65535 are counted right",
          "[app][strict][lexicon]") {
  const std::string utf8 =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<lexicon version=\"1.0\" "
      "xmlns=\"http://www.w3.org/2005/01/pronunciation-lexicon\" alphabet=\"x-espeak\">\n"
      "<lexeme><grapheme>Sekar</grapheme><alias>sekar wangi</alias></lexeme>\n</lexicon>\n";
  std::string utf16 = "\xFF\xFE";
  for (const char c : utf8) utf16 += std::string{c, '\0'};
  const fs::path file = writeFile("wide.xml", utf16);
  CHECK(warta::app::isPlsFile(file));
  CHECK(warta::app::loadLexicon(file).lookup("Sekar").value_or("") == "sekar wangi");

  const std::string blank(70000, '\n');
  const fs::path far = writeFile("far.pls",
                                 "<?xml version=\"1.0\"?>\n<lexicon version=\"1.0\" "
                                 "xmlns=\"http://www.w3.org/2005/01/pronunciation-lexicon\">" +
                                     blank + "<lexeme><grapheme>Sekar</grapheme></lexeme>\n</lexicon>\n");
  CHECK(errorOf([&] { warta::app::loadLexicon(far); }).find("far.pls:70002: <lexeme> for 'Sekar' has no <alias>") !=
        std::string::npos);
}

TEST_CASE("shards: by a hash of the relative path, stable when articles are added", "[app][strict][batch]") {
  using warta::app::Shard;
  const fs::path dir = "/site";
  std::vector<fs::path> all;
  for (int i = 0; i < 40; ++i) all.push_back(dir / ("berita-" + std::to_string(i) + ".txt"));
  std::map<fs::path, int> where;
  std::size_t total = 0;
  for (int i = 1; i <= 4; ++i) {
    const auto mine = warta::app::shareOf(all, dir, Shard{i, 4});
    CHECK(!mine.empty());  // 40 paths over 4 shards: none is empty
    total += mine.size();
    for (const auto& a : mine) CHECK(where.emplace(a, i).second);  // no article in two shards
  }
  CHECK(total == all.size());
  // Ten more articles, some sorting before the others: nobody moves.
  auto more = all;
  for (int i = 0; i < 10; ++i) more.push_back(dir / ("a-" + std::to_string(i) + ".txt"));
  std::sort(more.begin(), more.end());
  for (int i = 1; i <= 4; ++i)
    for (const auto& a : warta::app::shareOf(more, dir, Shard{i, 4}))
      if (where.count(a)) CHECK(where[a] == i);
  // The hash is of the path under DIR, so another checkout of the site agrees.
  CHECK(warta::app::shardOf("news/a.txt", 7) ==
        warta::app::shardOf(fs::path("/x/news/a.txt").lexically_relative("/x"), 7));
}

TEST_CASE("the --shard auto/N form takes the index from Kubernetes or Slurm", "[app][strict][batch]") {
  std::map<std::string, std::string> env;
  const auto get = [&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  env["JOB_COMPLETION_INDEX"] = "0";
  CHECK(warta::app::parseShard("auto/3", get).index == 1);
  env["JOB_COMPLETION_INDEX"] = "2";
  CHECK(warta::app::parseShard("auto/3", get).index == 3);
  env.clear();
  env["SLURM_ARRAY_TASK_ID"] = "3";  // an array numbered 1..3: 3 mod 3 is shard 1 of 3
  const auto s = warta::app::parseShard("auto/3", get);
  CHECK(s.index == 1);
  CHECK(s.count == 3);
  env.clear();
  CHECK_THROWS_WITH(warta::app::parseShard("auto/3", get),
                    Catch::Contains("neither JOB_COMPLETION_INDEX") && Catch::Contains("SLURM_ARRAY_TASK_ID"));
  env["SLURM_ARRAY_TASK_ID"] = "x1";
  CHECK_THROWS_WITH(warta::app::parseShard("auto/3", get), Catch::Contains("must be a whole number"));
  CHECK(warta::app::parseShard("2/4", get).index == 2);
  // Usage errors (exit 2 in the CLI), told by their kind.
  auto usage = [&](const char* spec) {
    try {
      warta::app::parseShard(spec, get);
    } catch (const warta::Error& e) {
      return e.kind() == warta::ErrorKind::Usage;
    }
    return false;
  };
  CHECK(usage("5/4"));
  CHECK(usage("auto/0"));
}
