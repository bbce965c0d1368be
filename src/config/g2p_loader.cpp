// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/g2p_loader.h"

#include <algorithm>
#include <fstream>

#include "config/yaml_util.h"
#include "g2p/g2p_error.h"

namespace warta::app {
namespace fs = std::filesystem;
namespace {

g2p::Spelling marked(const fs::path& file, const YAML::Node& node, const std::string& key) {
  const std::string s = asString(file, node, key);
  try {
    std::optional<g2p::Spelling> sp = g2p::readMarked(s, false);
    if (!sp) fail(file, node, "'" + s + "' is not a word of letters a-z, é and ê");
    return *sp;
  } catch (const g2p::G2pError& e) {
    fail(file, node, e.what());
  }
}

std::vector<std::string> words(const fs::path& file, const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence()) fail(file, node, "'" + key + "' must be a list");
  std::vector<std::string> out;
  for (const auto& item : node) {
    const std::string w = asString(file, item, key);
    if (w.empty()) fail(file, item, "'" + key + "' must not list an empty word");
    out.push_back(w);
  }
  return out;
}

g2p::EValue eValue(const fs::path& file, const YAML::Node& node, const std::string& key) {
  const std::string v = asString(file, node, key);
  if (v == "taling") return g2p::EValue::Taling;
  if (v == "pepet") return g2p::EValue::Pepet;
  fail(file, node, "'" + key + "' must be taling or pepet, not '" + v + "'");
}

YAML::Node loadRoot(const fs::path& file, std::initializer_list<const char*> keys) {
  const YAML::Node root = loadYamlFile(file);
  requireMap(file, root, "a letter-to-sound file");
  rejectUnknownKeys(file, root, keys);
  return root;
}

void readMorphology(const fs::path& file, g2p::MorphologyRules& m) {
  const YAML::Node root = loadRoot(file, {"prefixes", "suffixes", "infixes", "max_prefixes", "max_suffixes",
                                          "min_root_letters", "min_unknown_root_vowels", "root_onsets"});
  if (root["root_onsets"]) m.root_onsets = words(file, root["root_onsets"], "root_onsets");
  if (const YAML::Node n = root["prefixes"]) {
    if (!n.IsSequence()) fail(file, n, "'prefixes' must be a list");
    for (const auto& item : n) {
      g2p::Affix a;
      if (item.IsMap()) {
        rejectUnknownKeys(file, item, {"says", "restores", "short_roots", "guesses_roots"});
        if (!item["says"]) fail(file, item, "a prefix needs 'says'");
        a.says = marked(file, item["says"], "says");
        if (item["restores"]) {
          a.restores.clear();
          if (!item["restores"].IsSequence()) fail(file, item["restores"], "'restores' must be a list");
          for (const auto& r : item["restores"]) a.restores.push_back(asString(file, r, "restores"));
        }
        if (item["short_roots"]) a.short_roots = asBool(file, item["short_roots"], "short_roots");
        if (item["guesses_roots"]) a.guesses_roots = asBool(file, item["guesses_roots"], "guesses_roots");
      } else {
        a.says = marked(file, item, "prefixes");
      }
      m.prefixes.push_back(std::move(a));
    }
  }
  for (const char* key : {"suffixes", "infixes"}) {
    const YAML::Node n = root[key];
    if (!n) continue;
    if (!n.IsSequence()) fail(file, n, std::string("'") + key + "' must be a list");
    for (const auto& item : n)
      (std::string(key) == "suffixes" ? m.suffixes : m.infixes).push_back({marked(file, item, key)});
  }
  if (root["max_prefixes"]) m.max_prefixes = asInt(file, root["max_prefixes"], "max_prefixes");
  if (root["max_suffixes"]) m.max_suffixes = asInt(file, root["max_suffixes"], "max_suffixes");
  if (root["min_root_letters"])
    m.min_root_letters =
        static_cast<std::size_t>(std::max(1, asInt(file, root["min_root_letters"], "min_root_letters")));
  if (root["min_unknown_root_vowels"])
    m.min_unknown_root_vowels =
        static_cast<std::size_t>(std::max(0, asInt(file, root["min_unknown_root_vowels"], "min_unknown_root_vowels")));
}

void readHomographs(const fs::path& file, g2p::HomographRules& h) {
  const YAML::Node root = loadRoot(file, {"window", "words"});
  if (root["window"]) h.window = static_cast<std::size_t>(std::max(1, asInt(file, root["window"], "window")));
  const YAML::Node ws = root["words"];
  if (!ws) return;
  requireMap(file, ws, "'words'");
  for (const auto& item : ws) {
    const std::string name = asString(file, item.first, "words");
    const YAML::Node body = item.second;
    requireMap(file, body, "homograph '" + name + "'");
    rejectUnknownKeys(file, body, {"default", "readings"});
    if (!body["default"]) fail(file, body, "homograph '" + name + "' needs a 'default' reading");
    g2p::Homograph hg;
    hg.fallback = marked(file, body["default"], "default");
    const auto same = [&](const g2p::Spelling& s, const YAML::Node& at) {
      if (s.letters != name) fail(file, at, "'" + s.marked() + "' is not a reading of '" + name + "'");
    };
    same(hg.fallback, body["default"]);
    if (const YAML::Node rs = body["readings"]) {
      if (!rs.IsSequence()) fail(file, rs, "'readings' must be a list");
      for (const auto& r : rs) {
        requireMap(file, r, "a reading");
        rejectUnknownKeys(file, r, {"says", "previous", "next", "near", "capitalized"});
        if (!r["says"]) fail(file, r, "a reading needs 'says'");
        g2p::HomographReading reading;
        reading.says = marked(file, r["says"], "says");
        same(reading.says, r["says"]);
        if (r["previous"]) reading.previous = words(file, r["previous"], "previous");
        if (r["next"]) reading.next = words(file, r["next"], "next");
        if (r["near"]) reading.near = words(file, r["near"], "near");
        if (r["capitalized"]) reading.capitalized = asBool(file, r["capitalized"], "capitalized");
        if (reading.previous.empty() && reading.next.empty() && reading.near.empty() && !reading.capitalized)
          fail(file, r, "a reading needs a context: previous, next, near or capitalized");
        reading.origin = where(file, r);
        hg.readings.push_back(std::move(reading));
      }
    }
    if (!h.words.emplace(name, std::move(hg)).second) fail(file, item.first, "'" + name + "' is listed twice");
  }
}

std::vector<g2p::ContextRule> contextRules(const fs::path& file, const YAML::Node& n, const std::string& key,
                                           bool says_needed) {
  std::vector<g2p::ContextRule> out;
  if (!n.IsSequence()) fail(file, n, "'" + key + "' must be a list");
  for (const auto& item : n) {
    requireMap(file, item, "a rule");
    rejectUnknownKeys(file, item, {"name", "origin", "before", "after", "next_e", "says"});
    g2p::ContextRule r;
    if (!item["name"]) fail(file, item, "a rule needs a 'name'");
    r.name = asString(file, item["name"], "name");
    if (item["origin"]) {
      const std::string o = asString(file, item["origin"], "origin");
      if (o == "loan") r.origin = g2p::Origin::Loan;
      else if (o == "native") r.origin = g2p::Origin::Native;
      else if (o != "any") fail(file, item["origin"], "'origin' must be loan, native or any, not '" + o + "'");
    }
    if (item["before"]) r.before = words(file, item["before"], "before");
    if (item["after"]) r.after = words(file, item["after"], "after");
    if (item["next_e"]) r.next_e = eValue(file, item["next_e"], "next_e");
    if (says_needed) {
      if (!item["says"]) fail(file, item, "rule '" + r.name + "' needs 'says' (taling or pepet)");
      r.says = eValue(file, item["says"], "says");
    } else if (item["says"]) {
      fail(file, item["says"], "a keep_k rule keeps k: it takes no 'says'");
    }
    out.push_back(std::move(r));
  }
  return out;
}

void readFallback(const fs::path& file, g2p::G2pData& d) {
  const YAML::Node root =
      loadRoot(file, {"loan_endings", "loan_marks", "foreign_marks", "default_e", "e_rules", "keep_k"});
  g2p::FallbackRules& f = d.fallback;
  if (root["loan_endings"]) f.loan_endings = words(file, root["loan_endings"], "loan_endings");
  if (root["loan_marks"]) f.loan_marks = words(file, root["loan_marks"], "loan_marks");
  if (root["foreign_marks"]) d.foreign_marks = words(file, root["foreign_marks"], "foreign_marks");
  if (root["default_e"]) f.default_e = eValue(file, root["default_e"], "default_e");
  if (root["e_rules"]) f.e_rules = contextRules(file, root["e_rules"], "e_rules", true);
  if (root["keep_k"]) f.keep_k = contextRules(file, root["keep_k"], "keep_k", false);
}

}  // namespace

void loadWordLists(const fs::path& folder, g2p::WordList& list) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  if (ec) throw ConfigError(folder.string() + ": cannot read the word lists: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError(file.string() + ": cannot open file");
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      const std::string origin = file.string() + ":" + std::to_string(number);
      try {
        list.addLine(line, origin);
      } catch (const g2p::G2pError& e) {
        throw ConfigError(origin + ": " + e.what());
      }
    }
  }
}

std::optional<g2p::G2pData> loadLetterToSound(const fs::path& dir) {
  const fs::path folder = dir / "words";
  const fs::path morphology = dir / "morphology.yaml";
  if (!fs::is_directory(folder) && !fs::exists(morphology)) return std::nullopt;
  g2p::G2pData data;
  if (fs::is_directory(folder)) loadWordLists(folder, data.words);
  readMorphology(morphology, data.morphology);
  readHomographs(dir / "homographs.yaml", data.homographs);
  readFallback(dir / "fallback.yaml", data);
  return data;
}

}  // namespace warta::app
