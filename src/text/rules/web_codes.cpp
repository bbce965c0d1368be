// SPDX-License-Identifier: GPL-3.0-or-later
// Web and codes: addresses, e-mail, symbols between letters and digits, and
// the codes of military and police units ("Koramil 1407-21/Palakka").
#include "text/rules/rules.h"

namespace warta::text::rules {

using namespace detail;

// mitratoday.com, www.site.co.id, https://site.id/path, redaksi@site.id
std::optional<SaidPart> NormalizerImpl::domain(std::string_view core) const {
  std::string_view s = core;
  bool url = false, scheme = false;
  if (const auto at = s.find("://"); at != std::string_view::npos) {
    s.remove_prefix(at + 3);
    url = scheme = true;
  }
  if (const auto slash = s.find('/'); slash != std::string_view::npos) {
    if (!url && s.substr(0, slash).find('.') == std::string_view::npos) return std::nullopt;
    s = s.substr(0, slash);  // the path is an address, not something to read
    url = true;
  }
  if (const auto colon = s.find(':'); colon != std::string_view::npos) s = s.substr(0, colon);  // a port
  std::string_view user;
  if (const auto at = s.find('@'); at != std::string_view::npos) {
    user = s.substr(0, at);
    s.remove_prefix(at + 1);
  }
  const std::vector<std::string_view> labels = split(s, '.');
  if (labels.size() < 2) return std::nullopt;
  for (auto l : labels)
    if (l.empty() || (!hasLetter(l) && !allDigits(l))) return std::nullopt;
  // Without a scheme only a known ending makes a name an address ("RT.003/RW.005" is not one).
  if (!scheme && !in(domain_suffixes_, labels.back())) return std::nullopt;
  SaidPart out = rule({}, user.empty() ? (url ? reason::kWebAddress : reason::kDomain) : reason::kEmail);
  if (!user.empty()) {
    for (auto part : split(user, '.')) {
      if (!out.spoken.empty()) add(out.spoken, symbol("."));
      join(out, word(utf8::toLower(part)));
    }
    add(out.spoken, symbol("@"));
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) add(out.spoken, symbol("."));
    // Lower case: "KOMPAS.com" is a name, not letters to spell; a label
    // without a vowel is letters: www, bnpb.
    const std::string label = utf8::toLower(labels[i]);
    if (!lexicon_.find(label) && label.find_first_of("aeiou") == std::string::npos && allLetters(label))
      join(out, spell(label));
    else join(out, word(label));
  }
  out.source = Source::Rule;
  out.why = user.empty() ? (url ? reason::kWebAddress : reason::kDomain) : reason::kEmail;
  return out;
}

// Letters and digits with symbols between them: each symbol by its name, if
// it has one; the runs as words.
SaidPart NormalizerImpl::symbols(std::string_view core) const {
  SaidPart out;
  std::string run;
  auto flush = [&] {
    // A run that is the whole token has no symbol to split at: read as written.
    if (run.size() == core.size()) join(out, {run, Source::Plain, nullptr});
    else if (!run.empty()) join(out, word(run));
    run.clear();
  };
  for (std::size_t pos = 0; pos < core.size();) {
    const std::size_t at = pos;
    const char32_t cp = utf8::next(core, pos);
    if (utf8::isLetter(cp) || utf8::isDigit(cp)) {
      run.append(core.substr(at, pos - at));
      continue;
    }
    if (cp == '\'' && !run.empty()) continue;  // Jum'at: one word
    flush();
    const std::string name = symbol(std::string(core.substr(at, pos - at)));
    if (!name.empty()) join(out, rule(name, reason::kSymbol));
  }
  flush();
  return out;
}

// ---------------------------------------------------------------- rules

namespace web_codes {

// Koramil 1407-21/Palakka: the code in pairs of digits, then the place.
bool unitCode(Walk& w) {
  const std::string& core = w.cursor.current().core;
  if (!isAsciiDigit(core[0]) || !NormalizerImpl::in(w.n.pairs_after_, w.cursor.previousCore())) return false;
  std::string_view code = core;
  std::string_view name;
  if (const auto slash = code.find('/'); slash != std::string_view::npos) {
    name = code.substr(slash + 1);
    code = code.substr(0, slash);
  }
  SaidPart said = rule({}, reason::kUnitCode);
  for (auto group : split(code, '-')) {
    if (allDigits(group)) add(said.spoken, w.n.pairs(group));
    else join(said, w.n.word(group));
  }
  join(said, w.n.word(name));
  said.source = Source::Rule;
  said.why = reason::kUnitCode;
  w.say(core, std::move(said), w.cursor.current().trail);
  return true;
}

}  // namespace web_codes
}  // namespace warta::text::rules
