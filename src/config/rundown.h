// SPDX-License-Identifier: GPL-3.0-or-later
// The producer's rundown YAML: what goes into one bulletin.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audio/mixer.h"
#include "deliver/targets.h"
#include "encode/writer.h"
#include "sources/sources.h"
#include "speech/voice_profile.h"
#include "station/station.h"

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
  std::filesystem::path file;  // resolved against the rundown's folder; exists (empty for a source or station segment)
  std::optional<sources::SourceSpec>
      source;  // `{ feed: }`, `{ wordpress: }`, `{ url: }`: fetched into files before a build
  // The station's own segment instead of an article file (`{ time_check: true }`,
  // `{ prayer_times: {...} }`, `{ text: ... }`, `{ weather: FILE }`); never dropped when fitting.
  std::optional<station::StationItem> station;
  speech::VoiceProfile voice;  // the story's own voice, or the rundown's
  std::string where;           // "RUNDOWN:LINE:COL" of the entry, for later errors
  // `priority:` 1 is the most important; a fitted bulletin drops the largest
  // number first (ties: the later story). Default: the story's place (1, 2, ...).
  int priority = 0;
};

// Fitting the bulletin to its slot (`length:`, or `hard_out:` less `air_time:`).
struct SlotFit {
  double length = 0;  // seconds the decoded bulletin lasts, exactly (to the sample)
  // `rate_range: [-8%, +8%]`: the band one speaking rate for all stories is
  // chosen in, as fractions of the voice's rate (-0.08, +0.08). Default [0%, 0%].
  double rate_min = 0, rate_max = 0;
};

// Loudness the bulletin is mastered to (EBU R128 / ITU-R BS.1770-4).
struct LoudnessTarget {
  std::string name = "podcast";  // podcast, broadcast or custom
  double integrated = -16.0;     // LUFS
  double true_peak = -1.0;       // dBTP ceiling
};

// A music bed under the voice.
struct Bed {
  std::filesystem::path file;  // exists
  std::vector<int> stories;    // 0-based story indexes; empty = under the whole bulletin
  audio::BedSettings mix;      // ducking depth, attack, release
};

// `publish:` a podcast feed `warta build` keeps up to date (publish/feed.h).
struct Publish {
  std::string base_url;                        // required: where the MP3s and transcripts are served from
  int keep = 30;                               // newest episodes kept in the feed
  std::string description;                     // channel description (default: the show)
  std::string author;                          // itunes:author and owner name (default: the station)
  std::string email;                           // itunes:owner email (optional)
  std::string category = "News";               // itunes:category
  std::optional<std::filesystem::path> image;  // channel artwork (existing file); also the MP3 cover unless `cover:`
  std::filesystem::path feed;                  // resolved; empty = feed.xml in the output folder
  bool explicit_content = false;               // `explicit:`
};

struct Rundown {
  std::filesystem::path path;  // the rundown file itself
  std::string show;            // required
  std::string station;         // ID3 artist; defaults to `show`
  std::string date;            // YYYY-MM-DD, a real calendar date; default today (local time)
  speech::VoiceProfile voice;  // default voice for opening, close and stories
  std::optional<std::filesystem::path> intro, outro, stinger;  // existing files
  std::string output_file = "{show}-{date}.mp3";               // template: {show}, {date}
  encode::OutputSettings output;                               // rate, channels, bitrate, tags (genre, comment), cover
  std::vector<std::filesystem::path> lexicons;                 // extra lexicons, later ones win
  std::vector<Story> stories;                                  // at least one
  LoudnessTarget loudness;                                     // `loudness:` preset or values
  double jingle_level = 0.0;  // LU relative to the loudness target (`levels: { jingles }`)
  double bed_level = -6.0;    // LU relative to the target, bed not ducked (`levels: { bed }`)
  std::optional<Bed> bed;
  double intro_overlap = 0.0;            // seconds the opening voice starts before the intro ends
  std::optional<Publish> publish;        // `publish:` block
  int skip_aired = 0;                    // `skip_aired: N`: fetched stories aired in the last N bulletins are skipped
  std::optional<int> air_time;           // `air_time: "HH:MM[:SS]"`: seconds after local midnight on `date`
  std::optional<SlotFit> fit;            // `length:` / `hard_out:`: the bulletin is fitted to its slot
  std::optional<std::int64_t> expires;   // `expires: 59m`: seconds after the air time it may play
  std::vector<deliver::Target> deliver;  // `deliver:` targets, in order

  // output_file with {show} and {date} filled in: '/', '\\', NUL and control
  // characters in them become '-', and a value of dots alone becomes dashes.
  std::string outputName() const;
};

// Reads and checks a rundown: unknown keys, wrong types, missing files and
// unknown voices are ConfigError with RUNDOWN:LINE:COL. Paths are relative to
// the rundown's folder.
Rundown loadRundown(const std::filesystem::path& file);

// "10:00" (m:ss), "1:02:03" (h:mm:ss) or a plain number: seconds; nullopt if not such a length.
std::optional<double> parseSlotLength(const std::string& text);
// "-8%", "+8%", "0%" (or a plain fraction, -0.08): the fraction; nullopt otherwise.
std::optional<double> parsePercent(const std::string& text);
// When the edition airs (air_time on the rundown's date, else `build_time`)
// and its kill time (air + expires), if it has one.
deliver::Schedule scheduleOf(const Rundown& rundown, std::time_t build_time);

// "YYYY-MM-DD" for today in local time.
std::string todayIso();

}  // namespace warta::app
