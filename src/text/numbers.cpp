// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/numbers.h"

#include <vector>

namespace warta::text {
namespace {

std::uint64_t power10(int p) {
  std::uint64_t r = 1;
  for (int i = 0; i < p; ++i) r *= 10;
  return r;
}

void add(std::string& out, const std::string& words) {
  if (words.empty()) return;
  if (!out.empty()) out += ' ';
  out += words;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

}  // namespace

std::optional<std::uint64_t> parseInteger(std::string_view s) {
  if (!allDigits(s) || s.size() > 18) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : s) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return n;
}

NumberReader::NumberReader(const NumberWords& words) : w_(words) {
  if (!w_.scales.empty()) limit_ = power10(w_.scales.back().power) * 1000 - 1;
}

std::string NumberReader::belowThousand(unsigned n) const {
  std::string out;
  const unsigned h = n / 100, r = n % 100;
  if (h == 1) add(out, w_.one_hundred);
  else if (h > 1) add(out, w_.digits[h] + " " + w_.hundred);
  if (r == 0) return out;
  if (r < 10) add(out, w_.digits[r]);
  else if (r == 10) add(out, w_.one_ten);
  else if (r == 11) add(out, w_.one_teen);
  else if (r < 20) add(out, w_.digits[r - 10] + " " + w_.teen);
  else {
    add(out, w_.digits[r / 10] + " " + w_.ten);
    if (r % 10) add(out, w_.digits[r % 10]);
  }
  return out;
}

std::string NumberReader::cardinal(std::uint64_t n) const {
  if (n == 0) return w_.digits[0];
  if (n > limit_) return digits(std::to_string(n));
  std::string out;
  for (auto it = w_.scales.rbegin(); it != w_.scales.rend(); ++it) {
    const std::uint64_t unit = power10(it->power);
    const auto count = static_cast<unsigned>(n / unit);
    n %= unit;
    if (count == 0) continue;
    if (count == 1 && !it->one.empty()) add(out, it->one);
    else add(out, belowThousand(count) + " " + it->word);
  }
  add(out, belowThousand(static_cast<unsigned>(n)));
  return out;
}

std::string NumberReader::digits(std::string_view s) const {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') add(out, w_.digits[static_cast<std::size_t>(c - '0')]);
  return out;
}

std::string NumberReader::ordinal(std::uint64_t n) const {
  if (n == 1) return w_.ordinal_one;
  return w_.ordinal_prefix + cardinal(n);
}

std::optional<std::string> NumberReader::written(std::string_view s, const std::string& dot_word) const {
  if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  std::string_view whole = s, fraction;
  if (const auto comma = s.find(','); comma != std::string_view::npos) {
    whole = s.substr(0, comma);
    fraction = s.substr(comma + 1);
    if (!allDigits(fraction)) return std::nullopt;
  }
  std::string out;
  const std::vector<std::string_view> groups = split(whole, '.');
  bool thousands = groups.size() > 1 && groups[0].size() <= 3 && groups[0][0] != '0';
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!allDigits(groups[i])) return std::nullopt;
    if (i > 0 && groups[i].size() != 3) thousands = false;
  }
  if (groups.size() == 1 || thousands) {
    std::string joined;
    for (auto g : groups) joined += g;
    const auto n = parseInteger(joined);
    const bool by_digit = !n || *n > limit_ || (joined.size() > 1 && joined[0] == '0');
    out = by_digit ? digits(joined) : cardinal(*n);
  } else {
    // "2.5" or a version "3.0.1": not Indonesian thousands, so read the parts.
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (i > 0) add(out, dot_word);
      const auto n = parseInteger(groups[i]);
      add(out, (n && (groups[i].size() == 1 || groups[i][0] != '0')) ? cardinal(*n) : digits(groups[i]));
    }
  }
  if (!fraction.empty()) {
    add(out, w_.decimal_point);
    add(out, digits(fraction));
  }
  return out;
}

}  // namespace warta::text
