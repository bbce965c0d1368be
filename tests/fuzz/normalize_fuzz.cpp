// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the normalizer must never throw, crash or hit undefined
// behaviour on any input, must leave no digits outside "[[...]]" phoneme
// spans, and must not drop a word of running text.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "config/language_loader.h"
#include "text/normalizer.h"

namespace {

const warta::text::Normalizer& normalizer() {
  static const warta::text::Normalizer n = [] {
    const std::filesystem::path dir = std::filesystem::path(WARTA_SOURCE_DIR) / "voices" / "id";
    return warta::text::Normalizer(warta::app::loadLanguage(dir), warta::app::loadLexicon(dir / "lexicon.yaml"));
  }();
  return n;
}

[[noreturn]] void broken(const char* what, std::string_view input, const std::string& output) {
  std::fprintf(stderr, "normalizer invariant broken: %s\ninput:  %.*s\noutput: %s\n", what,
               static_cast<int>(input.size()), input.data(), output.c_str());
  std::abort();
}

// Text outside [[...]] spans.
std::string outsidePhonemes(const std::string& s) {
  std::string out;
  bool inside = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!inside && s.compare(i, 2, "[[") == 0) {
      inside = true;
      ++i;
      continue;
    }
    if (inside && s.compare(i, 2, "]]") == 0) {
      inside = false;
      ++i;
      continue;
    }
    if (!inside) out += s[i];
  }
  return out;
}

bool isLowerWord(std::string_view w) {
  if (w.size() < 3) return false;
  for (char c : w)
    if (c < 'a' || c > 'z') return false;
  return true;
}

// `word` stands in `padded` as a word: after a space, before a space or punctuation.
bool saidAsWord(const std::string& padded, std::string_view word) {
  const std::string needle = " " + std::string(word);
  for (std::size_t at = padded.find(needle); at != std::string::npos; at = padded.find(needle, at + 1)) {
    const char next = padded[at + needle.size()];
    if (next == ' ' || next == ',' || next == '.' || next == '?' || next == '!' || next == ';' || next == ':')
      return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto& n = normalizer();
  std::string spoken;
  try {
    spoken = n.normalize(input);
  } catch (const std::exception& e) {
    broken(e.what(), input, "(threw)");
  }
  const std::string plain = outsidePhonemes(spoken);
  for (char c : plain)
    if (std::isdigit(static_cast<unsigned char>(c))) broken("a digit is left", input, spoken);

  // Running text: a lowercase word standing alone between spaces is said,
  // unless the data says it another way (lexicon, abbreviation, unit, symbol word).
  const std::string padded = " " + plain + " ";
  std::size_t start = 0;
  while (start < input.size()) {
    std::size_t end = input.find(' ', start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view word = input.substr(start, end - start);
    const bool alone = (start == 0 || input[start - 1] == ' ') && (end == input.size() || input[end] == ' ');
    if (alone && isLowerWord(word) && !n.lexicon().find(word) &&
        n.language().abbreviations.count(std::string(word)) == 0 && n.language().units.count(std::string(word)) == 0 &&
        !saidAsWord(padded, word)) {
      broken(("dropped the word '" + std::string(word) + "'").c_str(), input, spoken);
    }
    start = end + 1;
  }
  return 0;
}
