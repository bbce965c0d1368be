// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/yaml_util.h"

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <utility>

namespace warta::app {

std::string where(const std::filesystem::path& file, const YAML::Node& node) {
  std::ostringstream out;
  out << file.string();
  const YAML::Mark mark = node.Mark();
  if (!mark.is_null()) out << ':' << mark.line + 1 << ':' << mark.column + 1;
  return out.str();
}

void fail(const std::filesystem::path& file, const YAML::Node& node, const std::string& message) {
  throw ConfigError(where(file, node) + ": " + message);
}

namespace {

// yaml-cpp keeps every pair of a mapping but answers a lookup with the first,
// so a second `stories:` would be dropped without a word. Containers are
// visited once each (by their position): an alias repeats a node, and
// following it again would let a small "billion laughs" file take forever.
void rejectDuplicateKeys(const std::filesystem::path& file, const YAML::Node& node,
                         std::set<std::pair<int, int>>& visited) {
  if (!node.IsMap() && !node.IsSequence()) return;
  const YAML::Mark mark = node.Mark();
  if (!mark.is_null() && !visited.emplace(mark.line, mark.column).second) return;
  if (node.IsSequence()) {
    for (const auto& item : node) rejectDuplicateKeys(file, item, visited);
    return;
  }
  std::map<std::string, YAML::Node> seen;
  for (const auto& item : node) {
    if (item.first.IsScalar()) {
      const auto [at, inserted] = seen.emplace(item.first.Scalar(), item.first);
      if (!inserted)
        fail(file, item.first,
             "duplicate key '" + item.first.Scalar() + "' (first given at line " +
                 std::to_string(at->second.Mark().line + 1) + ", column " +
                 std::to_string(at->second.Mark().column + 1) + "): a key may appear once in a mapping");
    }
    rejectDuplicateKeys(file, item.first, visited);
    rejectDuplicateKeys(file, item.second, visited);
  }
}

}  // namespace

void checkConfigSize(const std::filesystem::path& file, std::uintmax_t limit) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (!ec && size > limit)
    throw ConfigError(file.string() + ": file is " + std::to_string((size + 1023) / 1024) + " KB; the limit is " +
                      std::to_string(limit / 1024) + " KB (split a lexicon into several files)");
}

YAML::Node loadYamlFile(const std::filesystem::path& file) {
  checkConfigSize(file, kMaxYamlBytes);
  try {
    YAML::Node root = YAML::LoadFile(file.string());
    std::set<std::pair<int, int>> visited;
    rejectDuplicateKeys(file, root, visited);
    return root;
  } catch (const YAML::BadFile&) {
    throw ConfigError(file.string() + ": cannot open file");
  } catch (const YAML::ParserException& e) {
    std::ostringstream out;
    out << file.string() << ':' << e.mark.line + 1 << ':' << e.mark.column + 1 << ": " << e.msg;
    throw ConfigError(out.str());
  }
}

namespace {
template <typename T>
T as(const std::filesystem::path& file, const YAML::Node& node, const std::string& key, const char* type) {
  if (!node.IsScalar()) fail(file, node, "'" + key + "' must be " + type);
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    fail(file, node, "'" + key + "' must be " + type + ", not '" + node.Scalar() + "'");
  }
}
}  // namespace

std::string asString(const std::filesystem::path& file, const YAML::Node& node, const std::string& key) {
  return as<std::string>(file, node, key, "text");
}
int asInt(const std::filesystem::path& file, const YAML::Node& node, const std::string& key) {
  return as<int>(file, node, key, "a whole number");
}
double asDouble(const std::filesystem::path& file, const YAML::Node& node, const std::string& key) {
  const double value = as<double>(file, node, key, "a number");
  // `.nan` and `.inf` are numbers to YAML, and NaN passes every range check.
  if (!std::isfinite(value)) fail(file, node, "'" + key + "' must be a finite number, not '" + node.Scalar() + "'");
  return value;
}
bool asBool(const std::filesystem::path& file, const YAML::Node& node, const std::string& key) {
  return as<bool>(file, node, key, "true or false");
}

void requireMap(const std::filesystem::path& file, const YAML::Node& node, const std::string& what) {
  if (!node.IsMap()) fail(file, node, what + " must be a mapping of keys to values");
}

void rejectUnknownKeys(const std::filesystem::path& file, const YAML::Node& map,
                       std::initializer_list<const char*> allowed) {
  for (const auto& item : map) {
    const std::string key = item.first.Scalar();
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(file, item.first, "unknown key '" + key + "' (expected one of: " + list + ")");
    }
  }
}

}  // namespace warta::app
