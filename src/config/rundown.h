// The producer's rundown YAML: what goes into one bulletin.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audio/mixer.h"
#include "encode/writer.h"
#include "speech/voice_profile.h"

namespace YAML {
class Node;
}

namespace warta::app {

// At most this many stories in one rundown: the ID3 chapter table (CTOC)
// holds 255 entries and the show's own chapter from 0 takes one.
inline constexpr std::size_t kMaxStories = 254;
// The longest output file name (bytes, {show} and {date} filled in): 255 less
// what the longest sibling adds (".transcript.json" for ".mp3": 12) and its
// hidden temporary ("." + ".tmp-PID-" + 16 hex digits: at most 30).
inline constexpr std::size_t kMaxOutputNameBytes = 255 - 12 - 30;

// "a folder", "a named pipe (FIFO)", ... for a message about what a path is.
std::string describeFileType(const std::filesystem::file_status& status);

struct Story {
  std::filesystem::path file;   // resolved against the rundown's folder; exists
  speech::VoiceProfile voice;   // the story's own voice, or the rundown's
  std::string where;            // "RUNDOWN:LINE:COL" of the entry, for later errors
};

// Loudness the bulletin is mastered to (EBU R128 / ITU-R BS.1770-4).
struct LoudnessTarget {
  std::string name = "podcast";  // podcast, broadcast or custom
  double integrated = -16.0;     // LUFS
  double true_peak = -1.0;       // dBTP ceiling
};

// A music bed under the voice.
struct Bed {
  std::filesystem::path file;     // exists
  std::vector<int> stories;       // 0-based story indexes; empty = under the whole bulletin
  audio::BedSettings mix;         // ducking depth, attack, release
};

// `publish:` a podcast feed `warta build` keeps up to date (publish/feed.h).
struct Publish {
  std::string base_url;          // required: where the MP3s and transcripts are served from
  int keep = 30;                 // newest episodes kept in the feed
  std::string description;       // channel description (default: the show)
  std::string author;            // itunes:author and owner name (default: the station)
  std::string email;             // itunes:owner email (optional)
  std::string category = "News"; // itunes:category
  std::optional<std::filesystem::path> image;  // channel artwork (existing file); also the MP3 cover unless `cover:`
  std::filesystem::path feed;    // resolved; empty = feed.xml in the output folder
  bool explicit_content = false; // `explicit:`
};

struct Rundown {
  std::filesystem::path path;   // the rundown file itself
  std::string show;             // required
  std::string station;          // ID3 artist; defaults to `show`
  std::string date;             // YYYY-MM-DD, a real calendar date; default today (local time)
  speech::VoiceProfile voice;   // default voice for opening, close and stories
  std::optional<std::filesystem::path> intro, outro, stinger;  // existing files
  std::string output_file = "{show}-{date}.mp3";  // template: {show}, {date}
  encode::OutputSettings output;                  // rate, channels, bitrate, tags (genre, comment), cover
  std::vector<std::filesystem::path> lexicons;    // extra lexicons, later ones win
  std::vector<Story> stories;                     // at least one
  LoudnessTarget loudness;                        // `loudness:` preset or values
  double jingle_level = 0.0;    // LU relative to the loudness target (`levels: { jingles }`)
  double bed_level = -6.0;      // LU relative to the target, bed not ducked (`levels: { bed }`)
  std::optional<Bed> bed;
  double intro_overlap = 0.0;   // seconds the opening voice starts before the intro ends
  std::optional<Publish> publish;  // `publish:` block

  // output_file with {show} and {date} filled in: '/', '\\', NUL and control
  // characters in them become '-', and a value of dots alone becomes dashes.
  std::string outputName() const;
};

// Reads and checks a rundown: unknown keys, wrong types, missing files and
// unknown voices are ConfigError with RUNDOWN:LINE:COL. Paths are relative to
// the rundown's folder.
Rundown loadRundown(const std::filesystem::path& file);

// The same checks on a rundown already in YAML form (libwarta builds one in
// code): `file` names it in errors (nodes made in code have no line) and its
// folder is where relative paths are resolved.
Rundown rundownFromYaml(const YAML::Node& root, const std::filesystem::path& file);

// "YYYY-MM-DD" for today in local time.
std::string todayIso();

// True for a real calendar date written as YYYY-MM-DD.
bool isIsoDate(const std::string& text);

}  // namespace warta::app
