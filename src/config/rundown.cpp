// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/rundown.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <regex>

#include "config/voice_loader.h"
#include "config/yaml_util.h"
#include "publish/artwork.h"
#include "encode/cover_image.h"
#include "text/date.h"
#include "text/template.h"

namespace warta::app {
namespace fs = std::filesystem;

std::string todayIso() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
  return buf;
}

// A value as part of a file name: '/', '\\', NUL and other control characters
// become '-', and a value of dots alone ("..", ".") becomes dashes, so a
// filled-in {show} or {date} can never leave the output folder or name a
// different file than the one shown.
std::string fileNamePart(std::string value) {
  for (char& c : value)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '-';
  if (!value.empty() && value.find_first_not_of('.') == std::string::npos) value.assign(value.size(), '-');
  return value;
}

std::string Rundown::outputName() const {
  return text::fillTemplate(output_file, {{"{show}", fileNamePart(show)}, {"{date}", fileNamePart(date)}});
}

std::string describeFileType(const fs::file_status& status) {
  switch (status.type()) {
    case fs::file_type::directory:
      return "a folder";
    case fs::file_type::fifo:
      return "a named pipe (FIFO)";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::regular:
      return "a regular file";
    default:
      return "not a regular file";
  }
}

namespace {

// Digits only, at most `max_digits` of them.
std::optional<int> digits(const std::string& text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::vector<std::string> splitColons(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1)
    parts.push_back(text.substr(start, colon - start));
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

std::optional<double> parseSlotLength(const std::string& text) {
  const std::vector<std::string> p = splitColons(text);
  if (p.size() == 1) {  // plain seconds
    try {
      std::size_t used = 0;
      const double v = std::stod(text, &used);
      if (used == text.size() && v > 0 && v < 86400) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
  }
  if (p.size() > 3) return std::nullopt;
  const std::optional<int> s = digits(p.back(), 2), m = digits(p[p.size() - 2], p.size() == 3 ? 2 : 4);
  const std::optional<int> h = p.size() == 3 ? digits(p[0], 2) : std::optional<int>(0);
  if (!s || !m || !h || *s > 59 || (p.size() == 3 && *m > 59) || (p.size() == 3 && p[1].size() != 2) ||
      p.back().size() != 2)
    return std::nullopt;
  const int total = *h * 3600 + *m * 60 + *s;
  if (total <= 0) return std::nullopt;
  return total;
}

std::optional<double> parsePercent(const std::string& text) {
  std::string t = text;
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  try {
    std::size_t used = 0;
    const double v = std::stod(t, &used);
    if (used != t.size() || !std::isfinite(v)) return std::nullopt;
    return percent ? v / 100 : v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

namespace {

fs::path existingFile(const fs::path& rundown, const YAML::Node& node, const std::string& key) {
  const fs::path relative = asString(rundown, node, key);
  const fs::path full = relative.is_absolute() ? relative : rundown.parent_path() / relative;
  std::error_code ec;
  const fs::file_status status = fs::status(full, ec);
  if (!fs::exists(status))
    fail(rundown, node,
         "'" + key + "': file " + full.string() + " does not exist; check the path (it is relative to the rundown)");
  if (!fs::is_regular_file(status))
    fail(rundown, node, "'" + key + "': " + full.string() + " is " + describeFileType(status) + ", not a regular file");
  return full;
}

// A cover is decoded now, so a bad one is a mistake at its line, not a failure
// after rendering (or a file that breaks players).
fs::path existingCover(const fs::path& rundown, const YAML::Node& node, const std::string& key) {
  const fs::path full = existingFile(rundown, node, key);
  try {
    encode::loadCoverImage(full);
  } catch (const audio::AudioError& e) {
    fail(rundown, node, "'" + key + "': " + e.what());
  }
  return full;
}

speech::VoiceProfile voiceFor(const fs::path& rundown, const YAML::Node& node) {
  const std::string name = asString(rundown, node, "voice");
  const fs::path profile = findVoiceProfile(name, rundown.parent_path());
  if (profile.empty())
    fail(rundown, node, "unknown voice '" + name + "': no profile " + name + ".yaml in " + voicesDir().string());
  return loadVoiceProfile(profile);
}

// `{ feed: URL-or-file, take:, since:, match: }`, `{ wordpress: URL, take:,
// category:, search:, since:, match: }` or `{ url: URL }`.
sources::SourceSpec sourceSpec(const fs::path& rundown, const YAML::Node& item) {
  sources::SourceSpec spec;
  spec.where = where(rundown, item);
  const char* kind = item["feed"] ? "feed" : item["wordpress"] ? "wordpress" : "url";
  int kinds = (item["feed"] ? 1 : 0) + (item["wordpress"] ? 1 : 0) + (item["url"] ? 1 : 0);
  if (kinds > 1) fail(rundown, item, "a story is one of 'feed', 'wordpress' or 'url', not several");
  if (std::string(kind) == "url") {
    rejectUnknownKeys(rundown, item, {"url", "voice", "priority"});
    spec.kind = sources::SourceSpec::Kind::Page;
  } else if (std::string(kind) == "feed") {
    rejectUnknownKeys(rundown, item, {"feed", "take", "since", "match", "voice", "priority"});
    spec.kind = sources::SourceSpec::Kind::Feed;
  } else {
    rejectUnknownKeys(rundown, item,
                      {"wordpress", "take", "since", "match", "category", "search", "voice", "priority"});
    spec.kind = sources::SourceSpec::Kind::WordPress;
  }
  const YAML::Node location = item[kind];
  spec.location = asString(rundown, location, kind);
  const std::string scheme = spec.location.substr(0, spec.location.find("://") + 1);
  if (spec.location.find("://") != std::string::npos) {
    if (scheme != "http:" && scheme != "https:")
      fail(rundown, location,
           "'" + std::string(kind) + "' must be an http:// or https:// address, not '" + spec.location + "'");
  } else if (spec.kind == sources::SourceSpec::Kind::Feed) {
    spec.location = existingFile(rundown, location, kind).string();  // a feed saved on disk
  } else {
    fail(rundown, location,
         "'" + std::string(kind) + "' must be an http:// or https:// address, not '" + spec.location + "'");
  }
  if (item["take"]) {
    spec.take = asInt(rundown, item["take"], "take");
    if (spec.take < 1 || spec.take > 50) fail(rundown, item["take"], "'take' must be a number of stories from 1 to 50");
  }
  if (item["since"]) {
    const std::string since = asString(rundown, item["since"], "since");
    spec.since_seconds = text::parseDuration(since);
    if (!spec.since_seconds)
      fail(rundown, item["since"], "'since' must be an age such as 24h, 90m or 2d, not '" + since + "'");
  }
  if (item["match"]) {
    spec.match = asString(rundown, item["match"], "match");
    try {
      std::regex check(spec.match, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      fail(rundown, item["match"], "'match' is not a valid pattern (" + std::string(e.what()) + "): " + spec.match);
    }
  }
  if (item["category"]) spec.category = asString(rundown, item["category"], "category");
  if (item["search"]) spec.search = asString(rundown, item["search"], "search");
  return spec;
}

// `air_time:`, `length:`, `hard_out:` and `rate_range:`.
void readSlot(const fs::path& file, const YAML::Node& root, Rundown& r) {
  auto clock = [&](const char* key) {
    const std::string text = asString(file, root[key], key);
    const std::optional<int> t = deliver::parseClockTime(text);  // the one clock-time reader
    if (!t)
      fail(file, root[key],
           std::string("'") + key + "' must be a time of day written \"HH:MM:SS\" (24-hour), not '" + text + "'");
    return *t;
  };
  if (root["air_time"]) r.air_time = clock("air_time");
  std::optional<double> length;
  if (root["length"]) {
    const std::string text = asString(file, root["length"], "length");
    length = parseSlotLength(text);
    if (!length)
      fail(file, root["length"],
           "'length' must be m:ss or h:mm:ss (\"10:00\", \"1:00:00\") or seconds, not '" + text + "'");
  }
  if (root["hard_out"]) {
    const int out = clock("hard_out");
    if (!r.air_time)
      fail(file, root["hard_out"], "'hard_out' needs 'air_time' (the bulletin lasts from air_time to hard_out)");
    const int span = (out - *r.air_time + 86400) % 86400;  // across midnight too
    if (span == 0)
      fail(file, root["hard_out"], "'hard_out' is the same as 'air_time': the bulletin would last nothing");
    if (length && std::abs(*length - span) > 1e-9)
      fail(file, root["length"],
           "'length' disagrees with 'hard_out' less 'air_time' (" + std::to_string(span) + " s); give one of them");
    length = span;
  }
  if (root["rate_range"] && !length)
    fail(file, root["rate_range"],
         "'rate_range' needs 'length' or 'hard_out': it is the band the bulletin is fitted in");
  if (!length) return;
  SlotFit fit;
  fit.length = *length;
  if (const YAML::Node band = root["rate_range"]) {
    if (!band.IsSequence() || band.size() != 2)
      fail(file, band, "'rate_range' must be a list of two percentages of the voice's rate, like [-8%, +8%]");
    double v[2];
    for (std::size_t i = 0; i < 2; ++i) {
      const std::string text = asString(file, band[i], "rate_range");
      const std::optional<double> f = parsePercent(text);
      if (!f || *f <= -0.5 || *f > 1.0)
        fail(file, band[i], "'rate_range': '" + text + "' is not a percentage from -50% to +100%");
      v[i] = *f;
    }
    if (v[0] > v[1]) fail(file, band, "'rate_range' must list the slower rate first ([-8%, +8%])");
    fit.rate_min = v[0];
    fit.rate_max = v[1];
  }
  r.fit = fit;
}

// A station segment in `stories:`, or nullopt for an article. Exactly one of
// its keys: time_check, prayer_times, text, weather (besides voice and priority).
std::optional<station::StationItem> stationItem(const fs::path& file, const YAML::Node& item, const Rundown& r) {
  const char* kinds[] = {"time_check", "prayer_times", "text", "weather", "file"};
  int given = 0;
  for (const char* k : kinds) given += item[k] ? 1 : 0;
  if (given > 1)
    fail(file, item, "a story is one of: file, time_check, prayer_times, text, weather (this one has several)");
  station::StationItem s;
  if (const YAML::Node t = item["time_check"]) {
    if (!asBool(file, t, "time_check")) fail(file, t, "'time_check' is written 'time_check: true'");
    if (!r.air_time) fail(file, t, "'time_check' needs the rundown's 'air_time' (the time it says)");
    s.kind = station::StationItem::Kind::TimeCheck;
  } else if (const YAML::Node p = item["prayer_times"]) {
    requireMap(file, p, "'prayer_times'");
    rejectUnknownKeys(file, p, {"city", "lat", "lon", "tz"});
    for (const char* k : {"city", "lat", "lon"})
      if (!p[k]) fail(file, p, std::string("'prayer_times' needs '") + k + "' (city, lat, lon; tz defaults to +7)");
    s.kind = station::StationItem::Kind::PrayerTimes;
    s.place.city = asString(file, p["city"], "city");
    s.place.latitude = asDouble(file, p["lat"], "lat");
    s.place.longitude = asDouble(file, p["lon"], "lon");
    if (!(std::abs(s.place.latitude) <= 60))
      fail(file, p["lat"], "'lat' must be degrees from -60 to 60 (south negative)");
    if (!(std::abs(s.place.longitude) <= 180))
      fail(file, p["lon"], "'lon' must be degrees from -180 to 180 (east positive)");
    if (p["tz"]) {
      const std::string tz = asString(file, p["tz"], "tz");
      const std::optional<double> hours = parsePercent(tz);  // a plain signed number
      if (!hours || tz.back() == '%' || std::abs(*hours) > 14)
        fail(file, p["tz"], "'tz' must be hours from UTC, like +7 (WIB), +8 (WITA) or +9 (WIT), not '" + tz + "'");
      s.place.utc_offset = *hours;
    }
  } else if (const YAML::Node t = item["text"]) {
    s.kind = station::StationItem::Kind::Text;
    s.text = asString(file, t, "text");
    if (s.text.find_first_not_of(" \t\r\n") == std::string::npos) fail(file, t, "'text' is empty");
  } else if (const YAML::Node w = item["weather"]) {
    s.kind = station::StationItem::Kind::Weather;
    const std::string where = asString(file, w, "weather");
    s.weather = station::isForecastUrl(where) ? where : existingFile(file, w, "weather").string();
  } else {
    return std::nullopt;
  }
  return s;
}

fs::path existingFolder(const fs::path& rundown, const YAML::Node& node, const std::string& key) {
  const fs::path relative = asString(rundown, node, key);
  const fs::path full = relative.is_absolute() ? relative : rundown.parent_path() / relative;
  std::error_code ec;
  if (!fs::is_directory(full, ec))
    fail(rundown, node, "'" + key + "': folder " + full.string() + " does not exist (it is relative to the rundown)");
  return full;
}

std::string httpUrl(const fs::path& file, const YAML::Node& node, const std::string& key) {
  const std::string url = asString(file, node, key);
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    fail(file, node, "'" + key + "' must be the site's http:// or https:// address, not '" + url + "'");
  return url;
}

// The key itself never goes in a rundown: only the name of the variable holding it.
std::string apiKeyEnv(const fs::path& file, const YAML::Node& item) {
  if (!item["api_key_env"]) fail(file, item, "missing 'api_key_env' (the environment variable holding the API key)");
  const std::string name = asString(file, item["api_key_env"], "api_key_env");
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_') || name.empty())
      fail(file, item["api_key_env"], "'api_key_env' must be an environment variable name such as AZURACAST_KEY");
  return name;
}

// One entry of `deliver:`. The bulletin's own output name is known: r.output_file is read first.
deliver::Target deliverTarget(const fs::path& file, const YAML::Node& item, const Rundown& r) {
  requireMap(file, item, "a 'deliver' target");
  if (item["api_key"])  // said before the unknown-key check: this one has a reason
    fail(file, item["api_key"],
         "the API key must not be in the rundown: set 'api_key_env' to the name of an environment variable holding it");
  deliver::Target t;
  t.where = where(file, item);
  if (item["folder"]) {
    rejectUnknownKeys(file, item, {"folder", "name", "keep_dated"});
    deliver::FolderTarget f;
    f.folder = existingFolder(file, item["folder"], "folder");
    f.name = item["name"] ? asString(file, item["name"], "name") : fs::path(r.outputName()).filename().string();
    const fs::path name(f.name);
    if (f.name.empty() || name.has_parent_path() || f.name == "." || f.name == "..")
      fail(file, item["name"], "'name' must be a file name without a folder, e.g. berita.mp3");
    if (encode::outputFormatProblem(name, encode::Container::Auto, true) != "" ||
        (name.extension() == ".mp3") != (fs::path(r.outputName()).extension() == ".mp3"))
      fail(file, item["name"] ? item["name"] : item,
           "'name' must end as the bulletin does (" + fs::path(r.outputName()).extension().string() + "), not '" +
               f.name + "'");
    if (item["keep_dated"]) f.keep_dated = asBool(file, item["keep_dated"], "keep_dated");
    t.kind = f;
  } else if (const YAML::Node rd = item["rivendell"]) {
    rejectUnknownKeys(file, item, {"rivendell"});
    requireMap(file, rd, "'rivendell'");
    rejectUnknownKeys(file, rd, {"cart", "folder"});
    deliver::RivendellTarget v;
    if (!rd["cart"]) fail(file, rd, "'rivendell' needs 'cart' (the news cart number, 1-999999)");
    if (!rd["folder"]) fail(file, rd, "'rivendell' needs 'folder' (the rdimport drop box)");
    v.cart = asInt(file, rd["cart"], "cart");
    if (v.cart < 1 || v.cart > 999999) fail(file, rd["cart"], "'cart' must be a Rivendell cart number 1-999999");
    v.folder = existingFolder(file, rd["folder"], "folder");
    t.kind = v;
  } else if (item["azuracast"]) {
    rejectUnknownKeys(file, item, {"azuracast", "station", "api_key_env", "path", "playlist"});
    deliver::AzuraCastTarget a;
    a.url = httpUrl(file, item["azuracast"], "azuracast");
    if (item["station"]) a.station = asInt(file, item["station"], "station");
    if (a.station < 1) fail(file, item["station"], "'station' must be a station id, 1 or more");
    a.api_key_env = apiKeyEnv(file, item);
    if (!item["path"])
      fail(file, item, "'azuracast' needs 'path' (where in the station's media, e.g. news/berita.mp3)");
    a.path = asString(file, item["path"], "path");
    if (a.path.empty() || a.path.front() == '/' || a.path.find("..") != std::string::npos)
      fail(file, item["path"], "'path' must be a relative path in the station's media without '..'");
    if (item["playlist"]) a.playlist = asInt(file, item["playlist"], "playlist");
    t.kind = a;
  } else if (item["libretime"]) {
    rejectUnknownKeys(file, item, {"libretime", "api_key_env"});
    deliver::LibreTimeTarget l;
    l.url = httpUrl(file, item["libretime"], "libretime");
    l.api_key_env = apiKeyEnv(file, item);
    t.kind = l;
  } else {
    fail(file, item, "a 'deliver' target needs 'folder', 'rivendell', 'azuracast' or 'libretime'");
  }
  return t;
}

// output: { file, bitrate, channels, sample_rate, format }
void readOutput(const fs::path& file, const YAML::Node& out, Rundown& r) {
  requireMap(file, out, "'output'");
  rejectUnknownKeys(file, out, {"file", "bitrate", "channels", "sample_rate", "format"});
  if (out["format"]) {
    const std::string format = asString(file, out["format"], "format");
    const std::optional<encode::Container> container = encode::containerNamed(format);
    if (!container) fail(file, out["format"], "'format' must be mp3, wav or bwf (Broadcast WAV), not '" + format + "'");
    r.output.container = *container;
  }
  if (out["file"]) {
    r.output_file = asString(file, out["file"], "file");
    // The bulletin goes into the output folder and nowhere else.
    for (char c : r.output_file)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        fail(file, out["file"], "'file' must not contain NUL or control characters");
    if (fs::path(r.output_file).is_absolute())
      fail(file, out["file"], "'file' must be a name inside the output folder, not an absolute path");
    for (const auto& part : fs::path(r.output_file))
      if (part == "..")
        fail(file, out["file"], "'file' must not contain '..': the bulletin stays in the output folder");
    // The extension as the file will be named ({show} and {date} filled in), by the writer's own rule.
    if (const std::string problem = encode::outputFormatProblem(r.outputName(), encode::Container::Auto, true);
        !problem.empty())
      fail(file, out["file"], "'file' must end in .mp3, .wav or .bwf: '" + r.outputName() + "' " + problem);
  }
  if (out["bitrate"]) {
    r.output.bitrate_kbps = asInt(file, out["bitrate"], "bitrate");
    static const int kRates[] = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    if (std::find(std::begin(kRates), std::end(kRates), r.output.bitrate_kbps) == std::end(kRates))
      fail(file, out["bitrate"],
           "'bitrate' must be an MP3 bit rate in kb/s: 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256 or "
           "320");
  }
  if (out["channels"]) {
    r.output.channels = asInt(file, out["channels"], "channels");
    if (r.output.channels != 1 && r.output.channels != 2) fail(file, out["channels"], "'channels' must be 1 or 2");
  }
  if (out["sample_rate"]) {
    r.output.sample_rate = asInt(file, out["sample_rate"], "sample_rate");
    if (r.output.sample_rate != 44100 && r.output.sample_rate != 48000 && r.output.sample_rate != 32000 &&
        r.output.sample_rate != 22050 && r.output.sample_rate != 24000)
      fail(file, out["sample_rate"], "'sample_rate' must be 44100 or 48000 (or 32000, 24000, 22050)");
  }
}

// loudness: podcast | broadcast | { integrated, true_peak }
void readLoudness(const fs::path& file, const YAML::Node& loud, Rundown& r) {
  if (loud.IsScalar()) {
    const std::string preset = loud.Scalar();
    if (preset == "podcast") r.loudness = {"podcast", -16.0, -1.0};
    else if (preset == "broadcast") r.loudness = {"broadcast", -23.0, -1.0};
    else
      fail(file, loud,
           "'loudness' must be podcast, broadcast or { integrated: LUFS, true_peak: dBTP }, not '" + preset + "'");
  } else {
    requireMap(file, loud, "'loudness'");
    rejectUnknownKeys(file, loud, {"integrated", "true_peak"});
    r.loudness.name = "custom";
    if (loud["integrated"]) r.loudness.integrated = asDouble(file, loud["integrated"], "integrated");
    if (loud["true_peak"]) r.loudness.true_peak = asDouble(file, loud["true_peak"], "true_peak");
    if (r.loudness.integrated < -40 || r.loudness.integrated > -5)
      fail(file, loud["integrated"] ? loud["integrated"] : loud, "'integrated' must be between -40 and -5 LUFS");
    if (r.loudness.true_peak < -9 || r.loudness.true_peak > 0)
      fail(file, loud["true_peak"] ? loud["true_peak"] : loud, "'true_peak' must be between -9 and 0 dBTP");
  }
}

// levels: { jingles, bed } in LU relative to the loudness target
void readLevels(const fs::path& file, const YAML::Node& levels, Rundown& r) {
  requireMap(file, levels, "'levels'");
  rejectUnknownKeys(file, levels, {"jingles", "bed"});
  if (levels["jingles"]) r.jingle_level = asDouble(file, levels["jingles"], "jingles");
  if (levels["bed"]) r.bed_level = asDouble(file, levels["bed"], "bed");
  for (const char* key : {"jingles", "bed"})
    if (levels[key] && (asDouble(file, levels[key], key) < -40 || asDouble(file, levels[key], key) > 6))
      fail(file, levels[key],
           std::string("'") + key + "' must be between -40 and 6 LU relative to the loudness target");
}

// bed: FILE | { file, stories, duck, attack, release }
void readBed(const fs::path& file, const YAML::Node& bed, Rundown& r) {
  Bed b;
  if (bed.IsMap()) {
    rejectUnknownKeys(file, bed, {"file", "stories", "duck", "attack", "release"});
    if (!bed["file"]) fail(file, bed, "'bed' needs 'file'");
    b.file = existingFile(file, bed["file"], "file");
    if (bed["duck"]) b.mix.duck_db = asDouble(file, bed["duck"], "duck");
    if (bed["attack"]) b.mix.attack = asDouble(file, bed["attack"], "attack");
    if (bed["release"]) b.mix.release = asDouble(file, bed["release"], "release");
    if (b.mix.duck_db < 0 || b.mix.duck_db > 60) fail(file, bed["duck"], "'duck' must be between 0 and 60 dB");
    if (b.mix.attack < 0.01 || b.mix.attack > 3)
      fail(file, bed["attack"], "'attack' must be between 0.01 and 3 seconds");
    if (b.mix.release < 0.01 || b.mix.release > 10)
      fail(file, bed["release"], "'release' must be between 0.01 and 10 seconds");
    if (const YAML::Node which = bed["stories"]) {
      if (!which.IsSequence()) fail(file, which, "'stories' must be a list of story numbers (1 = the first story)");
      for (const auto& n : which) b.stories.push_back(asInt(file, n, "stories") - 1);
    }
  } else {
    b.file = existingFile(file, bed, "bed");
  }
  r.bed = b;
}

// publish: the podcast feed's channel (base_url, keep, image ...)
void readPublish(const fs::path& file, const YAML::Node& pub, Rundown& r) {
  requireMap(file, pub, "'publish'");
  rejectUnknownKeys(file, pub,
                    {"base_url", "keep", "description", "author", "email", "category", "image", "feed", "explicit"});
  Publish p;
  if (!pub["base_url"]) fail(file, pub, "'publish' needs 'base_url' (where the episodes are served from)");
  p.base_url = asString(file, pub["base_url"], "base_url");
  if (p.base_url.empty()) fail(file, pub["base_url"], "'base_url' must not be empty");
  if (pub["keep"]) {
    p.keep = asInt(file, pub["keep"], "keep");
    if (p.keep < 1) fail(file, pub["keep"], "'keep' must be at least 1 episode");
  }
  p.description = pub["description"] ? asString(file, pub["description"], "description") : r.show;
  p.author = pub["author"] ? asString(file, pub["author"], "author") : r.station;
  if (pub["email"]) p.email = asString(file, pub["email"], "email");
  if (pub["category"]) p.category = asString(file, pub["category"], "category");
  if (pub["image"]) {
    p.image = existingFile(file, pub["image"], "image");
    // Checked here, before any rendering: directories refuse a feed whose artwork they cannot use.
    if (const std::string problem = publish::artworkProblem(*p.image); !problem.empty())
      fail(file, pub["image"], "'image' " + p.image->string() + ": " + problem);
    if (r.output.cover_image.empty()) r.output.cover_image = existingCover(file, pub["image"], "image");
  }
  if (pub["feed"]) {
    const fs::path feed = asString(file, pub["feed"], "feed");
    if (feed.empty() || !feed.has_filename()) fail(file, pub["feed"], "'feed' must name a file, e.g. feed.xml");
    p.feed = feed.is_absolute() ? feed : file.parent_path() / feed;
  }
  if (pub["explicit"]) p.explicit_content = asBool(file, pub["explicit"], "explicit");
  r.publish = p;
}

// stories: article files, source items (feed, wordpress, url) and the station's segments.
void readStories(const fs::path& file, const YAML::Node& root, Rundown& r) {
  const YAML::Node stories = root["stories"];
  if (!stories) fail(file, root, "missing required key 'stories' (a list of article files)");
  if (!stories.IsSequence() || stories.size() == 0)
    fail(file, stories, "'stories' must be a non-empty list of article files");
  for (const auto& item : stories) {
    Story s;
    s.where = where(file, item);
    if (item.IsMap() && (item["feed"] || item["wordpress"] || item["url"])) {
      s.source = sourceSpec(file, item);
    } else if (item.IsMap()) {
      rejectUnknownKeys(file, item, {"file", "voice", "priority", "time_check", "prayer_times", "text", "weather"});
      s.station = stationItem(file, item, r);
      if (!s.station && !item["file"])
        fail(file, item,
             "a story needs 'file' (or 'feed', 'wordpress' or 'url', or is one of the station's segments: "
             "time_check, prayer_times, text, weather)");
      if (!s.station) s.file = existingFile(file, item["file"], "file");
    }
    if (item.IsMap()) {
      s.voice = item["voice"] ? voiceFor(file, item["voice"]) : r.voice;
      if (item["priority"]) {  // a source's stories share its priority
        s.priority = asInt(file, item["priority"], "priority");
        if (s.priority < 1) fail(file, item["priority"], "'priority' must be 1 (the most important) or more");
      }
    } else {
      s.file = existingFile(file, item, "stories");
      s.voice = r.voice;
    }
    if (s.priority == 0) s.priority = static_cast<int>(r.stories.size()) + 1;
    r.stories.push_back(std::move(s));
  }
  // One CTOC lists every chapter and holds 255; the show's own chapter takes
  // one. Checked here so 300 stories fail now, not after rendering them all.
  if (r.stories.size() > kMaxStories)
    fail(file, stories,
         "'stories' lists " + std::to_string(r.stories.size()) + " stories; at most " + std::to_string(kMaxStories) +
             " fit in one file (the MP3's chapter table holds 255)");
  if (r.bed)
    for (std::size_t i = 0; i < r.bed->stories.size(); ++i)
      if (r.bed->stories[i] < 0 || r.bed->stories[i] >= static_cast<int>(r.stories.size()))
        fail(file, root["bed"]["stories"][i],
             "story " + std::to_string(r.bed->stories[i] + 1) + " does not exist (the rundown has " +
                 std::to_string(r.stories.size()) + ")");
}

// The bulletin's file name as it will be written: its format, its length.
void checkOutputName(const fs::path& file, const YAML::Node& root, const Rundown& r) {
  if (!encode::outputFormatProblem(r.outputName(), r.output.container).empty())
    fail(file, root["output"]["format"],
         "'format: " + root["output"]["format"].Scalar() + "' needs a file name ending in " +
             (r.output.container == encode::Container::Mp3 ? ".mp3" : ".wav or .bwf") + ", not '" + r.outputName() +
             "'");
  // A file name holds 255 bytes, and warta writes siblings with longer names
  // (NAME.transcript.json, hidden temporaries); a long show would otherwise
  // fail with ENAMETOOLONG after the whole render.
  if (const std::string name = fs::path(r.outputName()).filename().string(); name.size() > kMaxOutputNameBytes) {
    const bool from_show = r.output_file.find("{show}") != std::string::npos;
    const YAML::Node at =
        from_show || !root["output"] || !root["output"]["file"] ? root["show"] : root["output"]["file"];
    fail(file, at,
         "the output file name is " + std::to_string(name.size()) +
             " bytes with {show} and {date} filled in; at most " + std::to_string(kMaxOutputNameBytes) +
             " fit (a name holds 255 and warta adds up to " + std::to_string(255 - kMaxOutputNameBytes) +
             " for its transcripts and temporary files)" + (from_show ? ": shorten 'show' or set output: file" : ""));
  }
  if (r.publish && encode::outputFormat(r.outputName(), r.output.container) != encode::OutputFormat::Mp3)
    fail(file, root["publish"], "'publish' needs MP3 output: a podcast episode cannot be a WAV file");
}

}  // namespace

deliver::Schedule scheduleOf(const Rundown& r, std::time_t build_time) {
  deliver::Schedule s;
  s.air = r.air_time ? deliver::localTimeOn(r.date, *r.air_time) : build_time;
  if (r.expires) s.kill = s.air + static_cast<std::time_t>(*r.expires);
  return s;
}

Rundown loadRundown(const fs::path& file) { return rundownFromYaml(loadYamlFile(file), file); }

Rundown rundownFromYaml(const YAML::Node& root, const fs::path& file) {
  requireMap(file, root, "a rundown");
  rejectUnknownKeys(
      file, root,
      {"show",       "station",  "date",       "voice",    "intro",         "outro",   "stinger", "output",  "stories",
       "lexicons",   "loudness", "levels",     "bed",      "intro_overlap", "cover",   "genre",   "comment", "publish",
       "skip_aired", "length",   "rate_range", "air_time", "hard_out",      "expires", "deliver"});
  Rundown r;
  r.path = file;
  if (!root["show"]) fail(file, root, "missing required key 'show' (the programme's name)");
  r.show = asString(file, root["show"], "show");
  r.station = root["station"] ? asString(file, root["station"], "station") : r.show;
  r.date = todayIso();
  if (root["date"]) {
    r.date = asString(file, root["date"], "date");
    if (!text::parseIsoDate(r.date))
      fail(file, root["date"], "'date' must be a real date written YYYY-MM-DD, not '" + r.date + "'");
  }
  r.voice = root["voice"] ? voiceFor(file, root["voice"]) : loadVoiceProfile(findVoiceProfile("id"));
  if (root["intro"]) r.intro = existingFile(file, root["intro"], "intro");
  if (root["outro"]) r.outro = existingFile(file, root["outro"], "outro");
  if (root["stinger"]) r.stinger = existingFile(file, root["stinger"], "stinger");

  if (const YAML::Node out = root["output"]) readOutput(file, out, r);

  if (const YAML::Node lex = root["lexicons"]) {
    if (!lex.IsSequence()) fail(file, lex, "'lexicons' must be a list of lexicon files");
    for (const auto& item : lex) r.lexicons.push_back(existingFile(file, item, "lexicons"));
  }

  if (const YAML::Node loud = root["loudness"]) readLoudness(file, loud, r);
  if (const YAML::Node levels = root["levels"]) readLevels(file, levels, r);
  if (const YAML::Node bed = root["bed"]) readBed(file, bed, r);
  if (root["intro_overlap"]) {
    r.intro_overlap = asDouble(file, root["intro_overlap"], "intro_overlap");
    if (r.intro_overlap < 0 || r.intro_overlap > 4)
      fail(file, root["intro_overlap"], "'intro_overlap' must be between 0 and 4 seconds");
  }
  if (root["cover"]) r.output.cover_image = existingCover(file, root["cover"], "cover");

  if (const YAML::Node pub = root["publish"]) readPublish(file, pub, r);

  if (root["skip_aired"]) {
    r.skip_aired = asInt(file, root["skip_aired"], "skip_aired");
    if (r.skip_aired < 0 || r.skip_aired > 50)
      fail(file, root["skip_aired"], "'skip_aired' must be a number of bulletins from 0 to 50");
  }
  readSlot(file, root, r);  // before the stories: a time check needs air_time
  if (root["expires"]) {
    const std::string text = asString(file, root["expires"], "expires");
    r.expires = text::parseDuration(text);
    if (!r.expires)
      fail(file, root["expires"],
           "'expires' must be a duration after the air time such as 59m, 2h or 1h30m, not '" + text + "'");
  }
  if (const YAML::Node targets = root["deliver"]) {
    if (!targets.IsSequence())
      fail(file, targets, "'deliver' must be a list of targets ({ folder: ... } or { rivendell: ... })");
    for (const auto& item : targets) r.deliver.push_back(deliverTarget(file, item, r));
  }

  readStories(file, root, r);
  r.output.tags.title = r.show + " " + r.date;
  r.output.tags.artist = r.station;
  r.output.tags.album = r.show;
  r.output.tags.date = r.date;
  r.output.tags.genre = root["genre"] ? asString(file, root["genre"], "genre") : "News";
  if (root["comment"]) r.output.tags.comment = asString(file, root["comment"], "comment");
  r.output.broadcast.description = r.show + " " + r.date;
  r.output.broadcast.originator = r.station;
  r.output.broadcast.origination_date = r.date;
  checkOutputName(file, root, r);
  return r;
}

}  // namespace warta::app
