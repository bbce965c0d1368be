// SPDX-License-Identifier: GPL-3.0-or-later
// PLS is XML: it is read with libxml2 rather than by hand, so entities
// (&amp;, numeric references), CDATA sections, comments, namespaces and
// encodings are handled as the XML specification says, and a file that is not
// well-formed is reported with libxml2's own line and message.
#include "config/pls_loader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "config/voice_loader.h"
#include "config/yaml_util.h"
#include "publish/xml_text.h"
#include "text/utf8.h"

namespace warta::app {
namespace fs = std::filesystem;
namespace {

constexpr const char* kPlsNamespace = "http://www.w3.org/2005/01/pronunciation-lexicon";

[[noreturn]] void failAt(const fs::path& file, long line, const std::string& message) {
  throw ConfigError(file.string() + ":" + std::to_string(line > 0 ? line : 1) + ": " + message);
}

constexpr const char* kNoDoctype =
    "has a DOCTYPE (a DTD, maybe with entities); a PLS lexicon needs none and warta reads none";

// The line of the DOCTYPE in the file's prolog (its first 64 KiB), or 0 if it has none.
long doctypeLine(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (!publish::prologHasDoctype(head)) return 0;
  const std::size_t at = head.find("<!DOCTYPE");
  return 1 + static_cast<long>(std::count(head.begin(), head.begin() + static_cast<long>(at), '\n'));
}

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// Whitespace runs -> one space, trimmed.
std::string collapsed(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool isCombining(char32_t cp) { return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF); }

// ---- libxml2 handles ----
struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
struct XmlCharFree {
  void operator()(xmlChar* s) const { xmlFree(s); }
};

// Collects the first error libxml2 raises while parsing.
struct FirstError {
  bool seen = false;
  long line = 1;
  std::string message;
  static void record(void* self, xmlErrorPtr error) {
    auto* me = static_cast<FirstError*>(self);
    if (me->seen || error == nullptr || error->level < XML_ERR_ERROR) return;
    me->seen = true;
    me->line = error->line;
    me->message = error->message ? trimmed(error->message) : "parse error";
  }
};

std::string name(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

bool inPls(const xmlNode* node) {
  return node->ns == nullptr || (node->ns->href != nullptr &&
                                 std::string_view(reinterpret_cast<const char*>(node->ns->href)) == kPlsNamespace);
}

std::string text(const xmlNode* node) {
  std::unique_ptr<xmlChar, XmlCharFree> content(xmlNodeGetContent(node));
  return content ? std::string(reinterpret_cast<const char*>(content.get())) : std::string();
}

std::optional<std::string> attribute(const xmlNode* node, const char* attr, const char* ns = nullptr) {
  std::unique_ptr<xmlChar, XmlCharFree> value(
      ns ? xmlGetNsProp(node, reinterpret_cast<const xmlChar*>(attr), reinterpret_cast<const xmlChar*>(ns))
         : xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(attr)));
  if (!value) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(value.get()));
}

std::vector<const xmlNode*> elements(const xmlNode* parent) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* n = parent->children; n != nullptr; n = n->next)
    if (n->type == XML_ELEMENT_NODE) out.push_back(n);
  return out;
}

// A respelling is read by eSpeak as it stands: letters, spaces, hyphens and
// apostrophes only, nothing the normalizer would have had to read.
bool plainWords(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();) {
    const char32_t cp = text::utf8::next(s, pos);
    if (!(text::utf8::isLetter(cp) || cp == ' ' || cp == '-' || cp == '\'')) return false;
  }
  return !s.empty();
}

bool allCapitals(std::string_view s) {
  std::size_t letters = 0;
  for (std::size_t pos = 0; pos < s.size();) {
    const char32_t cp = text::utf8::next(s, pos);
    if (!text::utf8::isLetter(cp)) continue;
    if (!text::utf8::isUpper(cp)) return false;
    ++letters;
  }
  return letters >= 2;
}

}  // namespace

// ---- IPA table ----

IpaTable IpaTable::load(const fs::path& file) {
  const YAML::Node root = loadYamlFile(file);
  requireMap(file, root, "an IPA table");
  rejectUnknownKeys(file, root, {"symbols", "vowels"});
  const YAML::Node symbols = root["symbols"];
  if (!symbols) fail(file, root, "missing key 'symbols'");
  requireMap(file, symbols, "'symbols'");
  IpaTable table;
  table.file_ = file;
  std::set<std::string> seen;
  for (const auto& item : symbols) {
    const std::string ipa = asString(file, item.first, "symbols");
    if (ipa.empty()) fail(file, item.first, "an IPA symbol must not be empty");
    if (!seen.insert(ipa).second) fail(file, item.first, "'" + ipa + "' is listed twice");
    table.symbols_.emplace_back(ipa, asString(file, item.second, "symbols: " + ipa));
  }
  std::stable_sort(table.symbols_.begin(), table.symbols_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  if (const YAML::Node vowels = root["vowels"]) {
    if (!vowels.IsSequence()) fail(file, vowels, "'vowels' must be a list of eSpeak mnemonics");
    for (const auto& v : vowels) table.vowels_.insert(asString(file, v, "vowels"));
  }
  return table;
}

std::optional<std::string> IpaTable::convert(std::string_view ipa, std::string& unknown) const {
  // Mnemonics of each word, kept apart so stress can be placed.
  std::vector<std::vector<std::string>> words(1);
  for (std::size_t pos = 0; pos < ipa.size();) {
    const char c = ipa[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!words.back().empty()) words.emplace_back();
      ++pos;
      continue;
    }
    const auto match = std::find_if(symbols_.begin(), symbols_.end(),
                                    [&](const auto& s) { return ipa.compare(pos, s.first.size(), s.first) == 0; });
    if (match == symbols_.end()) {
      // The symbol as written: one code point with its combining marks.
      std::size_t end = pos;
      text::utf8::next(ipa, end);
      for (std::size_t p = end; p < ipa.size(); p = end) {
        if (!isCombining(text::utf8::next(ipa, p))) break;
        end = p;
      }
      unknown = std::string(ipa.substr(pos, end - pos));
      return std::nullopt;
    }
    pos += match->first.size();
    if (match->second == " ") {
      if (!words.back().empty()) words.emplace_back();
    } else if (!match->second.empty()) {
      words.back().push_back(match->second);
    }
  }
  std::string out;
  for (auto& word : words) {
    if (word.empty()) continue;
    // IPA marks stress before the syllable, eSpeak before its vowel (as its
    // own output writes it): "ˈbaɲak" -> "b'an^ak".
    if (!vowels_.empty()) {
      std::vector<std::string> moved;
      std::string pending;
      for (const std::string& m : word) {
        if (m == "'" || m == ",") {
          pending = m;
          continue;
        }
        if (!pending.empty() && vowels_.count(m)) {
          moved.push_back(pending);
          pending.clear();
        }
        moved.push_back(m);
      }
      if (!pending.empty()) moved.push_back(pending);
      word = std::move(moved);
    }
    const bool stressed = std::any_of(word.begin(), word.end(), [](const std::string& m) { return m == "'"; });
    if (!stressed && !vowels_.empty()) {
      std::vector<std::size_t> vowel_at;
      for (std::size_t i = 0; i < word.size(); ++i)
        if (vowels_.count(word[i])) vowel_at.push_back(i);
      if (vowel_at.size() >= 2) {
        std::size_t target = vowel_at[vowel_at.size() - 2];
        if (word[target] == "@") target = vowel_at.back();
        word.insert(word.begin() + static_cast<std::ptrdiff_t>(target), "'");
      } else if (vowel_at.size() == 1) {
        word.insert(word.begin() + static_cast<std::ptrdiff_t>(vowel_at[0]), "'");
      }
    }
    if (!out.empty()) out += ' ';
    for (const auto& m : word) out += m;
  }
  return out;
}

const IpaTable& defaultIpaTable() {
  static std::once_flag once;
  static std::unique_ptr<IpaTable> table;
  std::call_once(once, [] {
    fs::path file = voicesDir() / "ipa-espeak.yaml";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) file = fs::path(WARTA_VOICES_DIR) / "ipa-espeak.yaml";
    table = std::make_unique<IpaTable>(IpaTable::load(file));
  });
  return *table;
}

// ---- PLS ----

std::string espeakPhonemeProblem(const std::string& phonemes) {
  if (phonemes.find_first_not_of(" \t") == std::string::npos) return "are empty";
  if (phonemes.find("[[") != std::string::npos || phonemes.find("]]") != std::string::npos)
    return "must not contain '[[' or ']]'";
  for (const char c : phonemes) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return "must be eSpeak mnemonics (printable ASCII), not IPA or other characters";
    if (c == '<' || c == '>' || c == '&' || c == '"') return std::string("must not contain '") + c + "' (markup)";
  }
  return "";
}

bool isPlsFile(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".pls") return true;
  std::ifstream in(file, std::ios::binary);
  std::string head(256, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  // UTF-16 or UTF-32 text (a byte order mark, or "<" beside a zero byte) is
  // XML, whatever the name: YAML would read it as garbage.
  if (head.rfind("\xFF\xFE", 0) == 0 || head.rfind("\xFE\xFF", 0) == 0) return true;
  if (head.size() >= 2 && ((head[0] == '<' && head[1] == '\0') || (head[0] == '\0' && head[1] == '<'))) return true;
  if (head.rfind("\xEF\xBB\xBF", 0) == 0) head.erase(0, 3);
  const auto first = head.find_first_not_of(" \t\r\n");
  return first != std::string::npos && head[first] == '<';
}

text::Lexicon loadPlsLexicon(const fs::path& file, const IpaTable* ipa) {
  {
    std::ifstream probe(file, std::ios::binary);
    if (!probe) throw ConfigError(file.string() + ": cannot open file");
  }
  checkConfigSize(file, kMaxXmlConfigBytes);
  // A DOCTYPE is refused before libxml2 reads anything (publish/xml_text.h).
  if (const long line = doctypeLine(file); line > 0) failAt(file, line, kNoDoctype);
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) throw ConfigError(file.string() + ": cannot start the XML parser");
  // No network, no DTD loading, no entity expansion from outside the file;
  // errors are collected here, not printed by libxml2.
  // XML_PARSE_BIG_LINES: without it libxml2 reports every line past 65535 as 65535.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
  // The first error is the one to report: later ones follow from it.
  FirstError first;
  xmlSetStructuredErrorFunc(&first, &FirstError::record);
  std::unique_ptr<xmlDoc, DocFree> doc(xmlCtxtReadFile(ctxt.get(), file.c_str(), nullptr, options));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  // Internal entities are how an "entity bomb" makes a reader use gigabytes
  // (the parse does not substitute them, but reading a node's text would): a
  // lexicon needs no DTD, so one is refused, wherever its entities are used.
  if (doc && (doc->intSubset != nullptr || doc->extSubset != nullptr)) failAt(file, 1, kNoDoctype);
  if (!doc || !ctxt->wellFormed) {
    if (!first.seen) {
      if (const xmlError* e = xmlCtxtGetLastError(ctxt.get()); e != nullptr && e->message != nullptr) {
        first.line = e->line;
        first.message = trimmed(e->message);
      }
    }
    failAt(file, first.line, "not well-formed XML: " + (first.message.empty() ? "parse error" : first.message));
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) failAt(file, 1, "no root element");
  if (name(root) != "lexicon" || !inPls(root))
    failAt(file, xmlGetLineNo(root),
           "the root element must be <lexicon> of the PLS namespace " + std::string(kPlsNamespace) + ", not <" +
               name(root) + ">");
  if (const auto version = attribute(root, "version"); version && *version != "1.0")
    failAt(file, xmlGetLineNo(root), "PLS version '" + *version + "' is not supported (only 1.0)");
  const std::optional<std::string> lexicon_alphabet = attribute(root, "alphabet");

  text::Lexicon lexicon;
  std::set<std::string> seen;  // graphemes already given, as matched
  for (const xmlNode* lexeme : elements(root)) {
    if (!inPls(lexeme)) continue;  // foreign elements are allowed and ignored
    const std::string element = name(lexeme);
    if (element == "meta" || element == "metadata") continue;
    const long line = xmlGetLineNo(lexeme);
    if (element != "lexeme") failAt(file, line, "unexpected <" + element + "> in <lexicon> (expected <lexeme>)");
    std::vector<std::pair<std::string, long>> graphemes;
    const xmlNode* chosen = nullptr;
    bool chosen_preferred = false;
    for (const xmlNode* child : elements(lexeme)) {
      if (!inPls(child)) continue;
      const std::string kind = name(child);
      if (kind == "grapheme") {
        const std::string g = collapsed(text(child));
        if (g.empty()) failAt(file, xmlGetLineNo(child), "empty <grapheme>");
        if (g.find(' ') != std::string::npos)
          failAt(file, xmlGetLineNo(child),
                 "<grapheme> '" + g + "' is several words: warta looks words up one at a time");
        graphemes.emplace_back(g, xmlGetLineNo(child));
      } else if (kind == "alias" || kind == "phoneme") {
        const auto prefer = attribute(child, "prefer");
        const bool preferred = prefer && *prefer == "true";
        if (chosen == nullptr || (preferred && !chosen_preferred)) {
          chosen = child;
          chosen_preferred = preferred;
        }
      } else if (kind != "example") {
        failAt(file, xmlGetLineNo(child), "unexpected <" + kind + "> in <lexeme>");
      }
    }
    if (graphemes.empty()) failAt(file, line, "<lexeme> without a <grapheme>");
    if (chosen == nullptr) failAt(file, line, "<lexeme> for '" + graphemes[0].first + "' has no <alias> or <phoneme>");

    text::LexiconEntry entry;
    const long at = xmlGetLineNo(chosen);
    if (name(chosen) == "alias") {
      entry.respelling = collapsed(text(chosen));
      if (entry.respelling.empty()) failAt(file, at, "empty <alias>");
      if (!plainWords(entry.respelling))
        failAt(file, at,
               "<alias> '" + entry.respelling +
                   "' must be plain words (letters, spaces, hyphens): warta does not read it again");
    } else {
      const std::string written = trimmed(text(chosen));
      if (written.empty()) failAt(file, at, "empty <phoneme>");
      const std::optional<std::string> own = attribute(chosen, "alphabet");
      const std::optional<std::string>& alphabet = own ? own : lexicon_alphabet;
      if (!alphabet) failAt(file, at, "<phoneme> has no alphabet (set alphabet= on it or on <lexicon>)");
      if (*alphabet == "ipa") {
        const IpaTable& table = ipa ? *ipa : defaultIpaTable();
        std::string unknown;
        const auto converted = table.convert(written, unknown);
        if (!converted)
          failAt(file, at, "IPA symbol '" + unknown + "' in '" + written + "' is not in " + table.file().string());
        entry.phonemes = *converted;
      } else if (*alphabet == "x-espeak" || *alphabet == "x-espeak-ng") {
        std::string p = collapsed(written);
        if (p.rfind("[[", 0) == 0 && p.size() >= 4 && p.compare(p.size() - 2, 2, "]]") == 0)
          p = trimmed(p.substr(2, p.size() - 4));
        if (p.empty() || p.find("]]") != std::string::npos || p.find("[[") != std::string::npos)
          failAt(file, at, "eSpeak phonemes '" + written + "' must not contain '[[' or ']]'");
        if (const std::string problem = espeakPhonemeProblem(p); !problem.empty())
          failAt(file, at, "eSpeak phonemes '" + written + "' " + problem);
        entry.phonemes = p;
      } else {
        failAt(file, at, "alphabet '" + *alphabet + "' is not supported (use ipa, x-espeak or x-espeak-ng)");
      }
    }
    for (const auto& [grapheme, gline] : graphemes) {
      text::LexiconEntry e = entry;
      e.word = grapheme;
      e.case_sensitive = allCapitals(grapheme);
      e.origin = file.string() + ":" + std::to_string(gline);
      const std::string key = e.case_sensitive ? grapheme : "\x01" + text::utf8::toLower(grapheme);
      if (!seen.insert(key).second) continue;
      lexicon.add(std::move(e));
    }
  }
  return lexicon;
}

}  // namespace warta::app
