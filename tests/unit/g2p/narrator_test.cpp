// SPDX-License-Identifier: GPL-3.0-or-later
// The letter-to-sound in the pipeline: what eSpeak is given, what people read.
#include <catch2/catch.hpp>

#include <fstream>

#include "render/lexicon_check.h"
#include "render/pipeline.h"
#include "config/voice_loader.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta;

namespace {

speech::VoiceProfile voice() { return app::loadVoiceProfile(fs::path(WARTA_SOURCE_DIR) / "voices" / "id.yaml"); }

fs::path write(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

}  // namespace

TEST_CASE("every plain word goes to eSpeak as phonemes while the segment keeps its words", "[g2p][pipeline]") {
  const fs::path dir = test::tempDir("g2p-narrator");
  app::Narrator narrator;
  const auto segments = narrator.prepare(write(dir / "a.txt", "Judul\n\nBeras dengan harga tidak naik.\n"), voice());
  REQUIRE(segments.size() == 2);
  CHECK(segments[1].spoken == "Beras dengan harga tidak naik.");
  CHECK(narrator.speakable(segments[1].spoken, voice()) == "[[b@R2'as]] [[d@N'an]] [[h'aRga]] [[t'ida?]] [[n'ai?]].");
}

TEST_CASE("a station lexicon's respelling marks é and ê as KBBI writes them", "[g2p][pipeline]") {
  const fs::path dir = test::tempDir("g2p-station");
  const fs::path lexicon = write(dir / "station.yaml", "entries:\n  Kediri: kêdiri\n  Serang: sérang\n");
  app::Narrator narrator({lexicon});
  const auto segments = narrator.prepare(write(dir / "a.txt", "Judul\n\nWarga Kediri pergi.\n"), voice());
  REQUIRE(segments.size() == 2);
  CHECK(narrator.speakable(segments[1].spoken, voice()).find("[[k@d'iR2i]]") != std::string::npos);
  CHECK(narrator.letterToSound(voice())->read("kêdiri").front().by == g2p::DecidedBy::Respelling);
}

TEST_CASE("lexicon check lists words whose e the fallback guessed", "[g2p][lexicon-check]") {
  const fs::path dir = test::tempDir("g2p-check");
  app::Narrator narrator;
  const auto rows =
      app::lexiconCheckRows(write(dir / "a.txt", "Judul\n\nwarga bempelang dengan tidak.\n"), narrator, voice());
  bool guessed = false;
  for (const auto& r : rows) {
    if (r.written == "bempelang") {
      guessed = true;
      CHECK(r.source == text::TokenReport::Source::Guess);
      CHECK(r.why.find("fallback") != std::string::npos);
    }
    CHECK(r.written != "dengan");  // a listed word is no guess
  }
  CHECK(guessed);
}

TEST_CASE("a respelling written for eSpeak's rules is still eSpeak's, and a stress never lands on a pepet pair",
          "[g2p][pipeline]") {
  const fs::path dir = test::tempDir("g2p-respelling");
  app::Narrator narrator;
  const auto segments = narrator.prepare(write(dir / "a.txt", "Judul\n\nAkun Facebook dengan laptop.\n"), voice());
  REQUIRE(segments.size() == 2);
  CHECK(segments[1].spoken == "Akun Fesbuk dengan leptop.");
  CHECK(narrator.speakable(segments[1].spoken, voice()) == "[['akun]] Fesbuk [[d@N'an]] leptop.");
  CHECK(narrator.letterToSound(voice())->readWord("zakêrbêrg").phonemes == "z'ak@Rb@Rg");
}
