// SPDX-License-Identifier: GPL-3.0-or-later
// The one place warta reads YAML: helpers shared by the rundown, voice
// profile and language-data loaders, all reporting FILE:LINE:COL.
#pragma once

#include "warta/error.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace warta::app {

// A configuration mistake: exit code 2. what() is "FILE:LINE:COL: message".
class ConfigError : public warta::Error {
 public:
  explicit ConfigError(const std::string& message) : Error(ErrorKind::Config, message) {}
};

// "FILE:LINE:COL: message" for a node (yaml-cpp marks are 0-based; these are 1-based).
std::string where(const std::filesystem::path& file, const YAML::Node& node);
[[noreturn]] void fail(const std::filesystem::path& file, const YAML::Node& node, const std::string& message);

// The largest YAML file warta reads (rundowns, voice profiles, lexicons,
// language data): yaml-cpp holds a file as nodes of about 40 times its size,
// and 256 KB (a lexicon of some 6,000 entries) keeps a process under 64 MB.
// A larger lexicon is split into several files; each is read and dropped.
inline constexpr std::uintmax_t kMaxYamlBytes = 256 * 1024;

// The largest config file read into memory otherwise (PLS lexicons: libxml2's
// tree of 1 MB, some 13,000 lexemes, peaks at 48 MB).
inline constexpr std::uintmax_t kMaxXmlConfigBytes = 1024 * 1024;

// Refuses FILE if it is larger than `limit` bytes, naming the limit and the
// fix, before a byte of it is parsed. Throws ConfigError.
void checkConfigSize(const std::filesystem::path& file, std::uintmax_t limit);

// Loads a YAML file; syntax errors become ConfigError with position; a file
// over kMaxYamlBytes is refused.
YAML::Node loadYamlFile(const std::filesystem::path& file);

// Typed reads that fail with position and the expected type on mismatch.
std::string asString(const std::filesystem::path& file, const YAML::Node& node, const std::string& key);
int asInt(const std::filesystem::path& file, const YAML::Node& node, const std::string& key);
double asDouble(const std::filesystem::path& file, const YAML::Node& node, const std::string& key);
bool asBool(const std::filesystem::path& file, const YAML::Node& node, const std::string& key);

// Fails on any key of `map` not in `allowed`, naming it and listing the allowed keys.
void rejectUnknownKeys(const std::filesystem::path& file, const YAML::Node& map,
                       std::initializer_list<const char*> allowed);

// Fails unless `node` is a mapping (`what` names it in the message).
void requireMap(const std::filesystem::path& file, const YAML::Node& node, const std::string& what);

}  // namespace warta::app
