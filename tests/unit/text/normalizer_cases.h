// SPDX-License-Identifier: GPL-3.0-or-later
// Table-driven normalizer checks: each case a written phrase and exactly what
// a careful Indonesian newsreader says.
#pragma once

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>

#include "text/normalizer.h"
#include "text_fixture.h"

namespace warta::test {

struct SpokenCase {
  const char* written;
  const char* spoken;
};

inline void checkSpoken(const text::Normalizer& normalizer, std::initializer_list<SpokenCase> cases) {
  for (const SpokenCase& c : cases) {
    INFO("written: " << c.written);
    CHECK(normalizer.normalize(c.written) == c.spoken);
  }
}

// The rules alone: the shipped language data with an empty lexicon, so that
// these tests say what the rules do whatever the lexicon grows to hold.
inline text::Normalizer indonesianWith(const text::NormalizerOptions& options) {
  return text::Normalizer(app::loadLanguage(languageDir()), text::Lexicon{}, options);
}

inline const text::Normalizer& rules() {
  static const text::Normalizer normalizer = indonesianWith({});
  return normalizer;
}

inline void checkSpoken(std::initializer_list<SpokenCase> cases) { checkSpoken(rules(), cases); }

}  // namespace warta::test
