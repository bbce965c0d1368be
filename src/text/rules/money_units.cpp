// SPDX-License-Identifier: GPL-3.0-or-later
// Money and units: "Rp 1,5 miliar", "Rp6.500/kg", "US$10", "80 km", "per kg".
#include <cstring>

#include "text/rules/rules.h"

namespace warta::text::rules {

using namespace detail;

namespace money_units {

// The currency written before an amount, in this token ("Rp5.000", "Rp.5000")
// or with the amount in the next ("Rp 5.000"); nullptr if there is none.
static const std::string* currencyAt(const Walk& w, std::string& amount) {
  const Token& tok = w.cursor.current();
  const std::string& core = tok.core;
  for (const std::string& c : w.n.currency_order_) {
    if (c[0] != core[0] || core.compare(0, c.size(), c) != 0) continue;
    std::string_view rest = std::string_view(core).substr(c.size());
    if (!rest.empty() && rest[0] == '.') rest.remove_prefix(1);  // "Rp.5000"
    const std::string* next = w.cursor.nextCore();
    const bool amount_next = rest.empty() && (tok.trail.empty() || tok.trail == ".") && next != nullptr &&
                             !next->empty() && isAsciiDigit((*next)[0]);
    if ((!rest.empty() && isAsciiDigit(rest[0])) || amount_next) {
      amount = std::string(rest);
      return &w.n.lang_.currencies.at(c);
    }
  }
  return nullptr;
}

// Rp5.000, Rp 1,5 miliar: the amount, its scale word, then the currency.
bool money(Walk& w) {
  std::string amount;
  const std::string* currency = currencyAt(w, amount);
  if (currency == nullptr) return false;
  const NormalizerImpl& n = w.n;
  Cursor& c = w.cursor;
  std::string written = c.current().core;
  std::string trail = c.current().trail;
  if (amount.empty()) {
    const Token& next = c.consume();
    amount = next.core;
    trail = next.trail;
    written += " " + amount;
  }
  std::string per_what;  // Rp6.500/kg
  if (const auto slash = amount.find('/'); slash != std::string::npos) {
    per_what = amount.substr(slash + 1);
    amount.resize(slash);
  }
  for (const char* cents : {",00", ",-", ".-", ",--"})  // Rp2.500.000,00
    if (amount.size() > 3 && amount.compare(amount.size() - std::strlen(cents), std::string::npos, cents) == 0)
      amount.resize(amount.size() - std::strlen(cents));
  SaidPart said = amount.empty() ? SaidPart{} : n.numeric(amount);
  const std::string* scale = trail.empty() ? c.nextCore() : nullptr;
  std::string scale_word;  // "ribu" of "ribu/bulan"
  if (scale != nullptr && per_what.empty()) {
    const auto slash = scale->find('/');
    scale_word = scale->substr(0, slash);
    if (slash != std::string::npos && slash + 1 < scale->size() &&
        (NormalizerImpl::in(n.scale_words_, scale_word) || n.lang_.currency_scales.count(scale_word))) {
      per_what = scale->substr(slash + 1);  // Rp300 ribu/bulan
      scale = &scale_word;
    }
  }
  const auto short_scale = scale != nullptr ? n.lang_.currency_scales.find(*scale) : n.lang_.currency_scales.end();
  if (short_scale != n.lang_.currency_scales.end()) {
    add(said.spoken, short_scale->second);  // Rp 1,2 T -> satu koma dua triliun rupiah
    written += " " + *scale;
    trail = c.consume().trail;
  } else if (scale != nullptr && NormalizerImpl::in(n.scale_words_, *scale)) {
    add(said.spoken, utf8::toLower(*scale));
    written += " " + *scale;
    trail = c.consume().trail;
  }
  add(said.spoken, *currency);
  if (const std::string* u = n.unit(per_what)) {
    add(said.spoken, n.lang_.per);
    add(said.spoken, *u);
  } else if (!per_what.empty()) {
    add(said.spoken, n.lang_.per);
    join(said, n.word(per_what));
  }
  said.source = Source::Rule;
  said.why = reason::kMoney;
  w.say(std::move(written), std::move(said), trail);
  return true;
}

// Rp45.000 per kg: a unit right after the word "per".
bool unitAfterPer(Walk& w) {
  const std::string_view prev_core = w.cursor.previousCore();
  const std::string& per = w.n.lang_.per;
  if (prev_core.size() != per.size() || !equalsIgnoringCase(prev_core, per)) return false;
  const std::string* u = w.n.unit(w.cursor.current().core);
  if (u == nullptr) return false;
  w.say(w.cursor.current().core, rule(*u, reason::kUnitAfterPer), w.cursor.current().trail);
  return true;
}

void unitAfterNumber(Walk& w, SaidPart& said, std::string& written, std::string& trail) {
  if (!trail.empty()) return;
  const std::string* next = w.cursor.nextCore();
  if (next == nullptr) return;
  const std::string* u = w.n.unit(*next);
  if (u == nullptr) return;
  add(said.spoken, *u);
  said.why = reason::kNumberWithUnit;
  written += " " + *next;
  trail = w.cursor.consume().trail;
}

}  // namespace money_units
}  // namespace warta::text::rules
