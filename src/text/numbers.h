// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers in words, from the language's NumberWords: the arithmetic is here,
// the words come from voices/<lang>/numbers.yaml.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "text/language.h"

namespace warta::text {

class NumberReader {
 public:
  // Keeps a reference: `words` must outlive the reader.
  explicit NumberReader(const NumberWords& words);

  // Largest number cardinal() reads as a number (999 of the largest scale);
  // larger ones are read digit by digit.
  std::uint64_t limit() const { return limit_; }

  // 11 -> "sebelas", 1000 -> "seribu", 1000000 -> "satu juta".
  std::string cardinal(std::uint64_t n) const;

  // Each digit by name: "027" -> "nol dua tujuh". Non-digits are skipped.
  std::string digits(std::string_view s) const;

  // 1 -> "pertama", 3 -> "ketiga", 20 -> "kedua puluh".
  std::string ordinal(std::uint64_t n) const;

  // A number as Indonesian writes it: "1.250.000", "2,5", "0,27",
  // "1.250,75"; a leading zero or a number past limit() is read digit by
  // digit. Dots that are not thousand groups ("2.5") are read with
  // `dot_word`. nullopt if `s` is not digits with those separators.
  std::optional<std::string> written(std::string_view s, const std::string& dot_word) const;

 private:
  std::string belowThousand(unsigned n) const;
  const NumberWords& w_;
  std::uint64_t limit_ = 999;
};

// Parses a whole non-negative integer of at most 18 digits.
std::optional<std::uint64_t> parseInteger(std::string_view s);

}  // namespace warta::text
