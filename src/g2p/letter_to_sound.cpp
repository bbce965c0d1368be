// SPDX-License-Identifier: GPL-3.0-or-later
#include "g2p/letter_to_sound.h"

#include "g2p/phonemizer.h"
#include "text/utf8.h"

namespace warta::g2p {

const char* decidedByName(DecidedBy by) {
  switch (by) {
    case DecidedBy::Respelling:
      return "respelling";
    case DecidedBy::Homograph:
      return "homograph";
    case DecidedBy::Lexicon:
      return "lexicon";
    case DecidedBy::Morphology:
      return "morphology";
    case DecidedBy::Fallback:
      return "fallback";
    case DecidedBy::Espeak:
      return "espeak";
  }
  return "fallback";
}

LetterToSound::LetterToSound(G2pData data)
    : data_(std::move(data)), morphology_(data_.morphology), homographs_(data_.homographs), fallback_(data_.fallback) {}

std::vector<LetterToSound::Token> LetterToSound::tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t at = 0;
  std::size_t plain = 0;  // start of the pending non-word text
  auto flush = [&](std::size_t end) {
    if (end > plain) out.push_back({s.substr(plain, end - plain), false});
  };
  while (at < s.size()) {
    if (s.compare(at, 2, "[[") == 0) {  // a phoneme span: kept whole
      const std::size_t close = s.find("]]", at + 2);
      at = close == std::string_view::npos ? s.size() : close + 2;
      continue;
    }
    std::size_t pos = at;
    if (!text::utf8::isLetter(text::utf8::next(s, pos))) {
      at = pos;
      continue;
    }
    flush(at);
    std::size_t end = pos;
    while (end < s.size()) {
      std::size_t p = end;
      char32_t cp = text::utf8::next(s, p);
      // A reduplicated word (anak-anak) is one word; so is one with an
      // apostrophe (Jum'at), which readMarked leaves to eSpeak whole.
      if ((cp == '-' || cp == '\'' || cp == U'\u2019') && p < s.size()) {
        std::size_t q = p;
        if (!text::utf8::isLetter(text::utf8::next(s, q))) break;
        cp = 'a';
      }
      if (!text::utf8::isLetter(cp)) break;
      end = p;
    }
    out.push_back({s.substr(at, end - at), true});
    at = plain = end;
  }
  flush(s.size());
  return out;
}

Reading LetterToSound::decide(std::string_view written, Spelling s) const {
  Reading r;
  r.written = written;
  const bool marked = s.e.find_first_of("TP") != std::string::npos;
  const Spelling given = s;
  if (const WordEntry* entry = data_.words.find(s.letters)) {
    s = entry->spelling;
    r.by = DecidedBy::Lexicon;
    r.why = entry->origin;
  } else if (auto a = morphology_.analyze(s.letters, [&](std::string_view root) -> const Spelling* {
               const WordEntry* e = data_.words.find(root);
               return e ? &e->spelling : nullptr;
             })) {
    s = a->spelling;
    r.by = DecidedBy::Morphology;
    r.why = a->parts;
  } else if (!marked && respelled_.count(s.letters)) {
    r.spelling = std::move(s);
    r.by = DecidedBy::Espeak;
    r.why = "lexicon respelling";
    return r;
  } else {
    bool foreign = false;
    for (const auto& mark : data_.foreign_marks)
      if (s.letters.find(mark) != std::string::npos) foreign = true;
    if (foreign && !marked) {
      r.spelling = std::move(s);
      r.by = DecidedBy::Espeak;
      r.why = "not Indonesian-looking";
      return r;
    }
    Guess g = fallback_.guess(std::move(s));
    s = std::move(g.spelling);
    r.by = DecidedBy::Fallback;
    for (const auto& rule : g.rules) r.why += (r.why.empty() ? "" : ", ") + rule;
  }
  // Marks written in the text win over every source.
  if (marked) {
    for (std::size_t i = 0; i < s.letters.size(); ++i)
      if (given.eAt(i) != EValue::Unknown && given.letters[i] == 'e') s.setE(i, given.eAt(i));
    if (given.decided()) r.by = DecidedBy::Respelling, r.why = "marked";
  }
  // Whatever decided the rest, an e still open is said the fallback's way.
  if (!s.decided()) s = fallback_.guess(std::move(s)).spelling;
  r.phonemes = toPhonemes(s);
  r.spelling = std::move(s);
  return r;
}

void LetterToSound::leaveToEspeak(const std::vector<std::string>& respelling_words) {
  for (const std::string& w : respelling_words) respelled_.insert(text::utf8::toLower(w));
  memo_.clear();
}

Reading LetterToSound::readLetters(std::string_view written) const {
  const std::string key(written);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  Reading r;
  if (const std::size_t hyphen = written.find('-'); hyphen != std::string_view::npos) {
    // Reduplication (anak-anak, berbeda-beda, tembak-menembak): each part on its own.
    r = readLetters(written.substr(0, hyphen));
    const Reading rest = readLetters(written.substr(hyphen + 1));
    r.written = written;
    if (r.by == DecidedBy::Espeak || rest.by == DecidedBy::Espeak) {
      r.by = DecidedBy::Espeak;
      r.phonemes.clear();
    } else {
      // The repeated part is said as it is in the first (bêrsêri-sêri, bêrbéda-béda).
      Spelling tail = rest.spelling;
      const Spelling& head = r.spelling;
      if (head.letters.size() > tail.letters.size() && head.letters.ends_with(tail.letters))
        tail.e = head.e.substr(head.letters.size() - tail.letters.size());
      r.spelling.letters += "-" + tail.letters;
      r.spelling.e += " " + tail.e;
      r.phonemes += "-" + toPhonemes(tail);  // one word to eSpeak, as it is said (and as the transcript times it)
      if (rest.by > r.by) r.by = rest.by, r.why = rest.why;  // the weaker source names the whole
    }
    memo_.emplace(key, r);
    return r;
  }
  std::optional<Spelling> s = readMarked(written, true);
  if (!s) {
    r.written = written;
    r.by = DecidedBy::Espeak;
    r.why = "letters outside a-z";
  } else {
    r = decide(written, std::move(*s));
  }
  memo_.emplace(key, r);
  return r;
}

Reading LetterToSound::readWord(std::string_view word) const { return readLetters(word); }

std::vector<Reading> LetterToSound::read(std::string_view spoken) const {
  const std::vector<Token> tokens = tokenize(spoken);
  std::vector<WordInContext> context;
  std::vector<const Token*> words;
  for (const Token& t : tokens) {
    if (!t.word) continue;
    std::size_t pos = 0;
    const bool upper = text::utf8::isUpper(text::utf8::next(t.text, pos));
    std::optional<Spelling> s = readMarked(t.text, true);
    context.push_back({s ? s->letters : text::utf8::toLower(t.text), upper && !words.empty()});
    words.push_back(&t);
  }
  std::vector<Reading> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    Reading r = readLetters(words[i]->text);
    if (r.by != DecidedBy::Respelling && homographs_.contains(context[i].letters)) {
      if (const Spelling* says = homographs_.choose(context, i)) {
        r.spelling = *says;
        r.phonemes = toPhonemes(*says);
        r.by = DecidedBy::Homograph;
        r.why = "context";
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string LetterToSound::transcribe(std::string_view spoken) const {
  const std::vector<Token> tokens = tokenize(spoken);
  const std::vector<Reading> readings = read(spoken);
  std::string out;
  out.reserve(spoken.size() * 2);
  std::size_t w = 0;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    const Token& tok = tokens[t];
    if (!tok.word) {
      out += tok.text;
      continue;
    }
    const Reading& r = readings[w++];
    if (r.by == DecidedBy::Espeak) out += tok.text;
    else out += "[[" + r.phonemes + "]]";
  }
  return out;
}

}  // namespace warta::g2p
