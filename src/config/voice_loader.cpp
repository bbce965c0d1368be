// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/voice_loader.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "config/yaml_util.h"

namespace warta::app {

namespace {

// An installed warta keeps its voices in PREFIX/share/warta/voices, its
// program in PREFIX/bin and its library in PREFIX/lib (or lib/<multiarch>):
// looked for from the file holding this code (libwarta.so, or the program
// it is linked into), one or two folders up.
std::filesystem::path installedVoicesDir() {
  namespace fs = std::filesystem;
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(&installedVoicesDir)), &info) == 0 ||
      info.dli_fname == nullptr)
    return {};
  std::error_code ec;
  const fs::path self = fs::weakly_canonical(info.dli_fname, ec);
  if (ec || !self.is_absolute()) return {};
  for (const char* up : {"..", "../.."}) {
    const fs::path candidate = (self.parent_path() / up / "share/warta/voices").lexically_normal();
    if (fs::is_regular_file(candidate / "id.yaml", ec)) return candidate;
  }
  return {};
}

}  // namespace

std::filesystem::path voicesDir() {
  if (const char* env = std::getenv("WARTA_VOICES"); env != nullptr && *env != '\0') return env;
  static const std::filesystem::path installed = installedVoicesDir();
  if (!installed.empty()) return installed;
  return WARTA_VOICES_DIR;
}

std::filesystem::path findVoiceProfile(const std::string& name_or_path, const std::filesystem::path& base_dir) {
  namespace fs = std::filesystem;
  const bool is_path = name_or_path.find('/') != std::string::npos || fs::path(name_or_path).extension() == ".yaml";
  fs::path candidate = is_path ? fs::path(name_or_path) : voicesDir() / (name_or_path + ".yaml");
  if (is_path && candidate.is_relative() && !base_dir.empty()) candidate = base_dir / candidate;
  std::error_code ec;
  return fs::is_regular_file(candidate, ec) ? candidate : fs::path();
}

speech::VoiceProfile loadVoiceProfile(const std::filesystem::path& file) {
  const YAML::Node root = loadYamlFile(file);
  requireMap(file, root, "a voice profile");
  rejectUnknownKeys(file, root,
                    {"name", "description", "espeak_voice", "variant", "rate", "pitch", "pitch_range", "volume",
                     "language", "pauses", "story_gap", "normalization", "fades"});
  speech::VoiceProfile p;
  p.file = file;
  p.name = file.stem().string();
  std::string language = "id";
  for (const auto& item : root) {
    const std::string key = item.first.Scalar();
    const YAML::Node& v = item.second;
    if (key == "name") p.name = asString(file, v, key);
    else if (key == "espeak_voice") p.espeak_voice = asString(file, v, key);
    else if (key == "variant") p.variant = v.IsNull() ? "" : asString(file, v, key);
    else if (key == "rate") p.rate_wpm = asInt(file, v, key);
    else if (key == "pitch") p.pitch = asInt(file, v, key);
    else if (key == "pitch_range") p.pitch_range = asInt(file, v, key);
    else if (key == "volume") p.volume = asInt(file, v, key);
    else if (key == "language") language = asString(file, v, key);
    else if (key == "story_gap") p.story_gap = asDouble(file, v, key);
    else if (key == "fades") {
      requireMap(file, v, "'fades'");
      rejectUnknownKeys(file, v, {"join", "bed_out"});
      if (v["join"]) p.join_fade = asDouble(file, v["join"], "join");
      if (v["bed_out"]) p.bed_fade_out = asDouble(file, v["bed_out"], "bed_out");
    } else if (key == "normalization") {
      requireMap(file, v, "'normalization'");
      rejectUnknownKeys(file, v, {"read_degrees", "read_repeated_acronyms", "read_dateline_source"});
      for (const auto& option : v) {
        const std::string name = option.first.Scalar();
        const bool on = asBool(file, option.second, name);
        if (name == "read_degrees") p.normalization.read_degrees = on;
        else if (name == "read_repeated_acronyms") p.normalization.read_repeated_acronyms = on;
        else p.normalization.read_dateline_source = on;
      }
    } else if (key == "pauses") {
      requireMap(file, v, "'pauses'");
      rejectUnknownKeys(file, v, {"headline", "dateline", "subhead", "sentence", "paragraph", "jingle"});
      for (const auto& pause : v) {
        const std::string kind = pause.first.Scalar();
        const double seconds = asDouble(file, pause.second, kind);
        if (kind == "headline") p.pauses.headline = seconds;
        else if (kind == "dateline") p.pauses.dateline = seconds;
        else if (kind == "subhead") p.pauses.subhead = seconds;
        else if (kind == "sentence") p.pauses.sentence = seconds;
        else if (kind == "jingle") p.jingle_pause = seconds;
        else p.pauses.paragraph = seconds;
      }
    }
  }
  p.language_dir = (language.find('/') != std::string::npos) ? file.parent_path() / language : voicesDir() / language;
  try {
    p.validate();
  } catch (const std::invalid_argument& e) {
    // The message starts with the field: point at it when it is a top-level key.
    const std::string message = e.what();
    const std::string field = message.substr(0, message.find(' '));
    fail(file, root[field] ? root[field] : root, std::string("invalid voice profile: ") + message);
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(p.language_dir, ec))
    fail(file, root["language"] ? root["language"] : root,
         "language folder " + p.language_dir.string() + " does not exist");
  return p;
}

}  // namespace warta::app

namespace warta::app {

Phrases loadPhrases(const std::filesystem::path& language_dir) {
  const std::filesystem::path file = language_dir / "phrases.yaml";
  const YAML::Node root = loadYamlFile(file);
  requireMap(file, root, "a phrases file");
  rejectUnknownKeys(file, root, {"opening", "closing"});
  Phrases p;
  for (const char* key : {"opening", "closing"})
    if (!root[key]) fail(file, root, std::string("missing key '") + key + "'");
  p.opening = asString(file, root["opening"], "opening");
  p.closing = asString(file, root["closing"], "closing");
  return p;
}

}  // namespace warta::app
