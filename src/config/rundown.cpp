#include "config/rundown.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <regex>

#include "config/voice_loader.h"
#include "config/yaml_util.h"
#include "publish/artwork.h"
#include "encode/cover_image.h"

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

bool isIsoDate(const std::string& text) {
  static const std::regex shape(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(text, m, shape)) return false;
  const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(m[1])},
                                        std::chrono::month{static_cast<unsigned>(std::stoi(m[2]))},
                                        std::chrono::day{static_cast<unsigned>(std::stoi(m[3]))}};
  return ymd.ok();
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
  std::string name = output_file;
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"{show}", fileNamePart(show)}, {"{date}", fileNamePart(date)}}) {
    for (std::size_t at = name.find(key); at != std::string::npos; at = name.find(key, at + value.size()))
      name.replace(at, key.size(), value);
  }
  return name;
}

std::string describeFileType(const fs::file_status& status) {
  switch (status.type()) {
    case fs::file_type::directory: return "a folder";
    case fs::file_type::fifo: return "a named pipe (FIFO)";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::block: return "a block device";
    case fs::file_type::character: return "a character device";
    case fs::file_type::regular: return "a regular file";
    default: return "not a regular file";
  }
}

namespace {

fs::path existingFile(const fs::path& rundown, const YAML::Node& node, const std::string& key) {
  const fs::path relative = asString(rundown, node, key);
  const fs::path full = relative.is_absolute() ? relative : rundown.parent_path() / relative;
  std::error_code ec;
  const fs::file_status status = fs::status(full, ec);
  if (!fs::exists(status))
    fail(rundown, node, "'" + key + "': file " + full.string() + " does not exist; check the path (it is relative to the rundown)");
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

}  // namespace

Rundown loadRundown(const fs::path& file) { return rundownFromYaml(loadYamlFile(file), file); }

Rundown rundownFromYaml(const YAML::Node& root, const fs::path& file) {
  requireMap(file, root, "a rundown");
  rejectUnknownKeys(file, root,
                    {"show", "station", "date", "voice", "intro", "outro", "stinger", "output", "stories", "lexicons",
                     "loudness", "levels", "bed", "intro_overlap", "cover", "genre", "comment", "publish"});
  Rundown r;
  r.path = file;
  if (!root["show"]) fail(file, root, "missing required key 'show' (the programme's name)");
  r.show = asString(file, root["show"], "show");
  r.station = root["station"] ? asString(file, root["station"], "station") : r.show;
  r.date = todayIso();
  if (root["date"]) {
    r.date = asString(file, root["date"], "date");
    if (!isIsoDate(r.date)) fail(file, root["date"], "'date' must be a real date written YYYY-MM-DD, not '" + r.date + "'");
  }
  r.voice = root["voice"] ? voiceFor(file, root["voice"]) : loadVoiceProfile(findVoiceProfile("id"));
  if (root["intro"]) r.intro = existingFile(file, root["intro"], "intro");
  if (root["outro"]) r.outro = existingFile(file, root["outro"], "outro");
  if (root["stinger"]) r.stinger = existingFile(file, root["stinger"], "stinger");

  if (const YAML::Node out = root["output"]) {
    requireMap(file, out, "'output'");
    rejectUnknownKeys(file, out, {"file", "bitrate", "channels", "sample_rate", "format"});
    if (out["format"]) {
      const std::string format = asString(file, out["format"], "format");
      if (format == "mp3") r.output.container = encode::Container::Mp3;
      else if (format == "wav") r.output.container = encode::Container::Wav;
      else if (format == "bwf") r.output.container = encode::Container::Bwf;
      else fail(file, out["format"], "'format' must be mp3, wav or bwf (Broadcast WAV), not '" + format + "'");
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
        if (part == "..") fail(file, out["file"], "'file' must not contain '..': the bulletin stays in the output folder");
      const std::string ext = fs::path(r.output_file).extension().string();
      std::string lower = ext;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower != ".mp3" && lower != ".wav" && lower != ".bwf")
        fail(file, out["file"], "'file' must end in .mp3, .wav or .bwf");
    }
    if (out["bitrate"]) {
      r.output.bitrate_kbps = asInt(file, out["bitrate"], "bitrate");
      static const int kRates[] = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
      if (std::find(std::begin(kRates), std::end(kRates), r.output.bitrate_kbps) == std::end(kRates))
        fail(file, out["bitrate"], "'bitrate' must be an MP3 bit rate in kb/s: 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256 or 320");
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

  if (const YAML::Node lex = root["lexicons"]) {
    if (!lex.IsSequence()) fail(file, lex, "'lexicons' must be a list of lexicon files");
    for (const auto& item : lex) r.lexicons.push_back(existingFile(file, item, "lexicons"));
  }

  if (const YAML::Node loud = root["loudness"]) {
    if (loud.IsScalar()) {
      const std::string preset = loud.Scalar();
      if (preset == "podcast") r.loudness = {"podcast", -16.0, -1.0};
      else if (preset == "broadcast") r.loudness = {"broadcast", -23.0, -1.0};
      else fail(file, loud, "'loudness' must be podcast, broadcast or { integrated: LUFS, true_peak: dBTP }, not '" + preset + "'");
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
  if (const YAML::Node levels = root["levels"]) {
    requireMap(file, levels, "'levels'");
    rejectUnknownKeys(file, levels, {"jingles", "bed"});
    if (levels["jingles"]) r.jingle_level = asDouble(file, levels["jingles"], "jingles");
    if (levels["bed"]) r.bed_level = asDouble(file, levels["bed"], "bed");
    for (const char* key : {"jingles", "bed"})
      if (levels[key] && (asDouble(file, levels[key], key) < -40 || asDouble(file, levels[key], key) > 6))
        fail(file, levels[key], std::string("'") + key + "' must be between -40 and 6 LU relative to the loudness target");
  }
  if (const YAML::Node bed = root["bed"]) {
    Bed b;
    if (bed.IsMap()) {
      rejectUnknownKeys(file, bed, {"file", "stories", "duck", "attack", "release"});
      if (!bed["file"]) fail(file, bed, "'bed' needs 'file'");
      b.file = existingFile(file, bed["file"], "file");
      if (bed["duck"]) b.mix.duck_db = asDouble(file, bed["duck"], "duck");
      if (bed["attack"]) b.mix.attack = asDouble(file, bed["attack"], "attack");
      if (bed["release"]) b.mix.release = asDouble(file, bed["release"], "release");
      if (b.mix.duck_db < 0 || b.mix.duck_db > 60) fail(file, bed["duck"], "'duck' must be between 0 and 60 dB");
      if (b.mix.attack < 0.01 || b.mix.attack > 3) fail(file, bed["attack"], "'attack' must be between 0.01 and 3 seconds");
      if (b.mix.release < 0.01 || b.mix.release > 10) fail(file, bed["release"], "'release' must be between 0.01 and 10 seconds");
      if (const YAML::Node which = bed["stories"]) {
        if (!which.IsSequence()) fail(file, which, "'stories' must be a list of story numbers (1 = the first story)");
        for (const auto& n : which) b.stories.push_back(asInt(file, n, "stories") - 1);
      }
    } else {
      b.file = existingFile(file, bed, "bed");
    }
    r.bed = b;
  }
  if (root["intro_overlap"]) {
    r.intro_overlap = asDouble(file, root["intro_overlap"], "intro_overlap");
    if (r.intro_overlap < 0 || r.intro_overlap > 4) fail(file, root["intro_overlap"], "'intro_overlap' must be between 0 and 4 seconds");
  }
  if (root["cover"]) r.output.cover_image = existingCover(file, root["cover"], "cover");
  if (const YAML::Node pub = root["publish"]) {
    requireMap(file, pub, "'publish'");
    rejectUnknownKeys(file, pub, {"base_url", "keep", "description", "author", "email", "category", "image", "feed", "explicit"});
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

  const YAML::Node stories = root["stories"];
  if (!stories) fail(file, root, "missing required key 'stories' (a list of article files)");
  if (!stories.IsSequence() || stories.size() == 0) fail(file, stories, "'stories' must be a non-empty list of article files");
  for (const auto& item : stories) {
    Story s;
    s.where = where(file, item);
    if (item.IsMap()) {
      rejectUnknownKeys(file, item, {"file", "voice"});
      if (!item["file"]) fail(file, item, "a story needs 'file'");
      s.file = existingFile(file, item["file"], "file");
      s.voice = item["voice"] ? voiceFor(file, item["voice"]) : r.voice;
    } else {
      s.file = existingFile(file, item, "stories");
      s.voice = r.voice;
    }
    r.stories.push_back(std::move(s));
  }
  // One CTOC lists every chapter and holds 255; the show's own chapter takes
  // one. Checked here so 300 stories fail now, not after rendering them all.
  if (r.stories.size() > kMaxStories)
    fail(file, stories, "'stories' lists " + std::to_string(r.stories.size()) + " stories; at most " +
                            std::to_string(kMaxStories) + " fit in one file (the MP3's chapter table holds 255)");
  if (r.bed)
    for (std::size_t i = 0; i < r.bed->stories.size(); ++i)
      if (r.bed->stories[i] < 0 || r.bed->stories[i] >= static_cast<int>(r.stories.size()))
        fail(file, root["bed"]["stories"][i], "story " + std::to_string(r.bed->stories[i] + 1) + " does not exist (the rundown has " +
                                                  std::to_string(r.stories.size()) + ")");
  r.output.tags.title = r.show + " " + r.date;
  r.output.tags.artist = r.station;
  r.output.tags.album = r.show;
  r.output.tags.date = r.date;
  r.output.tags.genre = root["genre"] ? asString(file, root["genre"], "genre") : "News";
  if (root["comment"]) r.output.tags.comment = asString(file, root["comment"], "comment");
  r.output.broadcast.description = r.show + " " + r.date;
  r.output.broadcast.originator = r.station;
  r.output.broadcast.origination_date = r.date;
  if (r.output.container == encode::Container::Mp3 && fs::path(r.output_file).extension() != ".mp3")
    fail(file, root["output"]["format"], "'format: mp3' needs a file name ending in .mp3");
  if ((r.output.container == encode::Container::Wav || r.output.container == encode::Container::Bwf) &&
      fs::path(r.output_file).extension() == ".mp3")
    fail(file, root["output"]["format"], "'format' wav or bwf needs a file name ending in .wav or .bwf");
  // A file name holds 255 bytes, and warta writes siblings with longer names
  // (NAME.transcript.json, hidden temporaries); a long show would otherwise
  // fail with ENAMETOOLONG after the whole render.
  if (const std::string name = fs::path(r.outputName()).filename().string(); name.size() > kMaxOutputNameBytes) {
    const bool from_show = r.output_file.find("{show}") != std::string::npos;
    const YAML::Node at = from_show || !root["output"] || !root["output"]["file"] ? root["show"] : root["output"]["file"];
    fail(file, at, "the output file name is " + std::to_string(name.size()) + " bytes with {show} and {date} filled in; at most " +
                       std::to_string(kMaxOutputNameBytes) + " fit (a name holds 255 and warta adds up to " +
                       std::to_string(255 - kMaxOutputNameBytes) + " for its transcripts and temporary files)" +
                       (from_show ? ": shorten 'show' or set output: file" : ""));
  }
  std::string publish_ext = fs::path(r.output_file).extension().string();
  for (char& c : publish_ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (r.publish && (publish_ext != ".mp3" || r.output.container == encode::Container::Wav ||
                    r.output.container == encode::Container::Bwf))
    fail(file, root["publish"], "'publish' needs MP3 output: a podcast episode cannot be a WAV file");
  return r;
}

}  // namespace warta::app
