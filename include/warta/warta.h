// SPDX-License-Identifier: GPL-3.0-or-later
// libwarta: Indonesian news articles to finished spoken audio, as a C++20
// library. This is its one public header; it names no internal or
// third-party type.
//
//   #include <warta/warta.h>
//   warta::Studio studio;
//   warta::SayOptions o;
//   o.output = "berita.mp3";
//   studio.render({"berita.txt"}, o);
//
// Units: seconds for times, LUFS / dBTP / dB for levels, words per minute
// for pace, kb/s for bit rates. Strings are UTF-8. Paths are as the caller
// gives them (relative ones against the current folder, unless said).
//
// Ownership: everything returned is a value the caller owns. Studio and
// Rundown own their internals (pimpl) and are movable, not copyable.
//
// Errors: every failure is thrown as warta::Error (warta/error.h) with a
// kind; what() is a complete message, "FILE:LINE:COL: ..." where a file and
// place are known. Nothing else is thrown but std::bad_alloc.
//
// Threads and processes: a Studio is used from one thread at a time; many
// Studios may run in many threads. The speech engine (eSpeak NG keeps global
// state) runs only in `warta-worker` processes the library starts with
// posix_spawn, never in the caller's process, and libwarta never forks: a
// threaded program (a web server) may call everything. The worker is found
// as $WARTA_WORKER (an absolute path), beside the running program, or under
// the prefix that holds libwarta (PREFIX/libexec/warta/warta-worker); for a
// program linked with libwarta.a and moved, `pkg-config --variable=worker
// warta` names it.
//
// Voices: a voice is a profile name ("id") in the voices folder, or a path
// to a .yaml profile. The voices folder is $WARTA_VOICES if set, else an
// installed warta's PREFIX/share/warta/voices, else the source tree's.
#pragma once

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <iosfwd>  // std::ostream, by pointer and reference only
#include <utility>
#include <string>
#include <vector>

#include "warta/error.h"

namespace warta {

// "0.1.0": the version of the library linked in.
WARTA_API const char* version();

// What this libwarta runs with (`warta --version`).
struct Versions {
  std::string warta;       // "0.1.0"
  std::string revision;    // `git describe` of the build, "unknown" outside git
  std::string espeak_ng;   // "1.51"
  std::string lame;        // "3.100"
  std::string ffmpeg;      // "5.1.6-0+deb12u1"
  std::string libavcodec;  // "59.37.100"
};
WARTA_API Versions versions();

// What is wrong with `path` as a file to read: "" for a regular file, else
// "no such file" or "is a folder, not a regular file" (a FIFO would block a
// read forever). Never throws.
WARTA_API std::string inputFileProblem(const std::filesystem::path& path);

// For a program whose renders should end cleanly on SIGINT, SIGTERM or
// SIGHUP (a command line): installs handlers that stop the workers, remove
// every temporary and make the running call throw Error(Interrupted) with
// the signal. Without it those signals keep their default actions.
WARTA_API void stopOnSignals();

// ---- Progress ---------------------------------------------------------------

struct Progress {
  std::string phase;      // "prepare", "render", "write" (files beside the audio), "done"
  double fraction = 0;    // 0..1 of the whole call, never decreasing
  std::size_t done = 0;   // units of this phase finished (articles or chunks)
  std::size_t total = 0;  // units of this phase (0: not counted)
  std::string message;    // for people: "chunk 2 of 3", "berita.txt"
};

// Called in the calling thread, at least once per article prepared and per
// chunk rendered. What it throws stops the call (workers are stopped, no
// output is left) and propagates.
using ProgressCallback = std::function<void(const Progress&)>;

// ---- Scripts: what will be said -----------------------------------------------

enum class SegmentKind { Headline, Dateline, Subhead, Sentence };

// "headline", "dateline", "subhead", "sentence".
WARTA_API const char* kindName(SegmentKind kind);

// Why one token is not read as a plain word (what `warta lexicon check` shows).
struct Reason {
  std::string written;  // the token as written: "DPRD", "11/6/2025"
  std::string spoken;   // what is said: "de pe er de"
  std::string why;      // "acronym spelled: listed", "date", "lexicon", "guess: ..."
  bool guess = false;   // no data covered it: a rule guessed
};

struct ScriptSegment {
  SegmentKind kind = SegmentKind::Sentence;
  std::size_t line = 0;  // 1-based line of the article
  std::string written;   // as in the article
  std::string spoken;    // what is said, in words ("dua puluh lima"), as `warta normalize` prints
  std::string phonemes;  // eSpeak NG phonemes, as `warta normalize --phonemes` prints
  // What the speech engine is given (render(Script) speaks this): `spoken`
  // with lexicon pronunciations as "[[...]]" eSpeak phoneme spans. Edit this
  // to change what is said.
  std::string said;
  double pause_after = 0;       // seconds of silence after it
  bool ends_paragraph = false;  // last sentence of its paragraph
  std::vector<Reason> reasons;  // tokens not read as plain words, in order
};

struct Script {
  std::filesystem::path article;  // where it came from (names the story in errors)
  std::string voice = "id";       // the voice it was prepared for
  std::vector<ScriptSegment> segments;
};

// How a token of `warta lexicon check` is read: the groups it prints, in order.
enum class CheckSource {
  Guess,    // no data covered it (an unknown name, acronym or mixed token): check these before air
  Rule,     // numbers, dates, money, units, acronyms listed in the language data ...
  Lexicon,  // a lexicon entry
};

// One row of `warta lexicon check`.
struct CheckRow {
  std::filesystem::path article;
  std::size_t line = 0;  // first line the token is written on
  std::string written;   // "DPRD"
  std::string spoken;    // "de pe er de" (eSpeak phonemes as "[[...]]")
  std::string why;       // "guess: acronym said: syllable shape", "lexicon (voices/id/lexicon.yaml:12)"
  bool guess = false;    // listed first: check these before air (source == Guess)
  CheckSource source = CheckSource::Rule;
};

// ---- Options ------------------------------------------------------------------

// Rendering one or more articles into one file (`warta say`).
struct WARTA_API SayOptions {
  std::filesystem::path output;     // required: .mp3 or .wav; written whole or not at all
  std::string voice = "id";         // profile name or path to a .yaml
  int rate_wpm = 0;                 // words per minute, 80..450; 0 = the voice's own
  int bitrate_kbps = 96;            // MP3 bit rate (32..320, an MP3 rate); output is mono 44.1 kHz
  int jobs = 0;                     // worker processes; 0 = one per core
  std::filesystem::path cache_dir;  // chunk cache folder (created); empty = none, nothing kept
  bool transcript = false;          // also OUT.vtt, .srt, .transcript.txt/.json, .chapters.json, .html
  bool transcript_spoken = false;   // transcripts in the spoken form instead of the article's words
  bool talking_book = false;        // also OUT.epub (EPUB 3 Media Overlays); MP3 output only
  std::filesystem::path timeline;   // also this TSV of where each element lies; empty = none
  // Throws Error(Usage) naming the first wrong field.
  void validate() const;
};

// Rendering a rundown into a bulletin (`warta build`).
struct WARTA_API BuildOptions {
  std::filesystem::path out_dir;    // empty = the rundown's folder; created if missing
  int jobs = 0;                     // worker processes; 0 = one per core
  std::filesystem::path cache_dir;  // chunk cache folder; empty = none
  bool transcript = false;          // always on when the rundown publishes
  bool transcript_spoken = false;
  bool talking_book = false;       // MP3 output only
  std::filesystem::path timeline;  // empty = none
  bool publish = true;             // update the feed of a rundown with a `publish:` block
  // The rundown's `feed:`, `wordpress:` and `url:` stories: false reads the
  // copies saved in OUT_DIR/sources/ where they exist; true fetches again.
  bool refresh = false;
  // Where notes go as they happen (a source that failed or was skipped); may be null.
  std::ostream* log = nullptr;
  void validate() const;  // throws Error(Usage)
};

// `warta say --each`: one MP3 per article (.txt, .md) under `dir`.
struct WARTA_API EachOptions {
  std::filesystem::path dir;      // required: the articles, found recursively (hidden files skipped)
  std::filesystem::path out_dir;  // required: each MP3 at the article's relative place, created
  // "I/N" (this run takes the articles whose path under dir hashes to I of N)
  // or "auto/N" (I from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID); empty = all.
  std::string shard;
  std::string voice = "id";
  int rate_wpm = 0;  // 0 = the voice's own; else 80..450
  int jobs = 0;      // 0 = one per core
  std::filesystem::path cache_dir;
  bool transcript = false;
  bool transcript_spoken = false;
  bool talking_book = false;
  std::ostream* progress_bar = nullptr;  // a terminal: a bar redrawn in place; may be null
  std::ostream* log = nullptr;           // one line per article; may be null
  void validate() const;                 // throws Error(Usage)
};

struct EachResult {
  std::size_t articles = 0;                                           // this shard's share
  int shard_index = 1, shard_count = 1;                               // I of N
  std::vector<std::filesystem::path> written;                         // made now
  std::vector<std::filesystem::path> skipped;                         // already current (same article, voice, options)
  std::vector<std::pair<std::filesystem::path, std::string>> failed;  // article, the error's text
};

// `warta fetch` (and the first step of a build): the rundown's feed,
// WordPress and web page stories saved as editable article files.
struct FetchOptions {
  std::filesystem::path out_dir;  // empty = the rundown's folder; articles go to OUT_DIR/sources/
  bool refresh = false;           // fetch again even where saved copies exist
  std::ostream* log = nullptr;    // a source that failed or was skipped, as it happens; may be null
};

struct FetchResult {
  std::vector<std::filesystem::path> articles;  // every story saved, in bulletin order
  std::vector<std::string> failed;              // "RUNDOWN:LINE:COL: feed URL: why" per source that gave nothing
};

// One target of a rundown's `deliver:` block.
struct Delivery {
  std::string target;  // "folder /srv/playout", "azuracast radio", "rivendell cart 1234" ...
  bool ok = false;
  std::string detail;  // what was written, or why it failed
};

// Where the CLI keeps its chunk cache: $WARTA_CACHE, else
// $XDG_CACHE_HOME/warta, else ~/.cache/warta; empty if none can be named.
WARTA_API std::filesystem::path defaultCacheDir();

// ---- Rundowns -----------------------------------------------------------------

struct StoryConfig {
  std::filesystem::path article;  // relative to RundownConfig::folder
  std::string voice;              // empty = the rundown's voice
};

// A rundown built in code: the keys of a rundown YAML file that most shows
// use (a YAML file has them all: bed, levels, publish, cover ...).
struct WARTA_API RundownConfig {
  std::string show;                               // required: the programme's name
  std::string station;                            // ID3 artist; empty = the show
  std::string date;                               // YYYY-MM-DD; empty = today (local time)
  std::string voice = "id";                       // the voice of the opening, close and stories
  std::vector<StoryConfig> stories;               // at least one, at most 254
  std::filesystem::path intro, outro, stinger;    // jingles; empty = none
  std::string output_file = "{show}-{date}.mp3";  // a name inside the output folder: .mp3, .wav or .bwf
  std::string loudness = "podcast";               // "podcast" (-16 LUFS, -1 dBTP) or "broadcast" (-23 LUFS, -1 dBTP)
  std::vector<std::filesystem::path> lexicons;    // extra lexicons, later ones win
  std::filesystem::path folder;                   // where relative paths are resolved; empty = the current folder
  // The checks that need no files; Rundown::build() checks the rest
  // (files exist, voices known). Throws Error(Usage).
  void validate() const;
};

class WARTA_API Rundown {
 public:
  // Reads and checks a rundown YAML file. Throws Error(Config) with
  // FILE:LINE:COL, or Error(Input) if the file cannot be read.
  static Rundown load(const std::filesystem::path& file);
  // Checks `config` as load() checks a file (errors name the rundown as
  // "FOLDER/(rundown built in code)"). Throws Error(Usage or Config).
  static Rundown build(const RundownConfig& config);

  Rundown(Rundown&&) noexcept;
  Rundown& operator=(Rundown&&) noexcept;
  ~Rundown();

  std::string show() const;
  std::string date() const;                            // YYYY-MM-DD
  std::vector<std::filesystem::path> stories() const;  // the article files, resolved
  std::string outputName() const;                      // the bulletin's file name inside the output folder
  std::filesystem::path path() const;                  // the rundown file (or its stand-in name)
  bool publishes() const;                              // has a `publish:` block (a podcast feed)

 private:
  struct Impl;
  explicit Rundown(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class Studio;
};

// ---- Results ------------------------------------------------------------------

struct Chapter {
  std::string title;  // the story's headline
  double start = 0;   // seconds
  double end = 0;     // seconds
};

struct RenderResult {
  std::filesystem::path output;              // the audio file
  std::vector<std::filesystem::path> files;  // every file written, the audio first
  double seconds = 0;                        // length of the audio
  double loudness_lufs = 0;                  // the integrated loudness it was mastered to
  double limiter_db = 0;                     // the most the true-peak limiter turned down
  std::size_t chunks = 0;                    // pieces rendered in
  std::size_t cached_chunks = 0;             // of those, from the cache
  std::vector<Chapter> chapters;             // one per story (a bulletin: the show's first)
  double mastering_seconds = 0;              // time measuring, leveling and limiting
  double encode_seconds = 0;                 // time inside the encoder
  std::size_t corrupt_chunks = 0;            // damaged cache entries rendered again
  // A bulletin fitted to its slot (`length:`, `hard_out:`): the rate all
  // stories were spoken at (1.0 = the voice's), what was dropped, the
  // seconds of bed or silence added.
  bool fitted = false;
  double rate = 1.0;
  std::vector<std::string> dropped;
  double fill_seconds = 0;
  std::vector<std::string> failed_sources;  // sources that gave nothing (the build went on without them)
  std::time_t started = 0;                  // when the render began (the edition's build time)
  // What deliver() needs of a bulletin: its loudness as decoded after
  // encoding (LUFS), where its intro ends (seconds; 0 = none) and its last
  // words (a Rivendell cart's OutCue).
  double measured_lufs = 0;
  double intro_seconds = 0;
  std::string last_words;
};

// ---- The studio -----------------------------------------------------------------

struct WARTA_API StudioOptions {
  // Lexicons over every voice's own (.yaml or W3C .pls), later ones winning,
  // as a rundown's `lexicons:`. Must exist.
  std::vector<std::filesystem::path> lexicons;
  void validate() const;  // throws Error(Usage)
};

// Keeps the language data, lexicons and normalizers it has read, so many
// articles are prepared and checked quickly.
class WARTA_API Studio {
 public:
  explicit Studio(StudioOptions options = {});
  Studio(Studio&&) noexcept;
  Studio& operator=(Studio&&) noexcept;
  ~Studio();

  // The article as it will be said, segment by segment. The phonemes come
  // from eSpeak NG run in a child process, so this process never holds
  // eSpeak's state (renders stay identical). Throws Error(Input) for a
  // missing or unreadable article, Error(Usage) for an unknown voice.
  Script prepare(const std::filesystem::path& article, const std::string& voice = "id");

  // `warta lexicon check`: every token not read as a plain word, guesses first.
  std::vector<CheckRow> check(const std::filesystem::path& article, const std::string& voice = "id");
  // The same for each article as the aligned table `warta lexicon check` prints:
  //   # FILE: N tokens not read as plain words, G guesses
  //   FILE:LINE  written  ->  spoken  (why)
  void writeCheck(const std::vector<std::filesystem::path>& articles, const std::string& voice, std::ostream& out);

  // `warta normalize`: each segment's spoken words (or, with `phonemes`, the
  // eSpeak NG phonemes synthesized, from a worker process) handed to `line`
  // in order, one at a time, so memory does not grow with the article
  // (articles up to 8 MB). Throws Error(Input) for an unreadable article.
  void normalize(const std::filesystem::path& article, const std::string& voice, bool phonemes,
                 const std::function<void(const std::string& line)>& line);

  // `warta say`: the articles one after another into options.output, mastered
  // to -19 LUFS (mono) with true peaks under -1 dBTP. Everything is checked
  // before any work (no output may be an input); the audio and the files
  // beside it appear together when all succeeded, else none of them.
  RenderResult render(const std::vector<std::filesystem::path>& articles, const SayOptions& options,
                      const ProgressCallback& progress = {});
  // The same from scripts (prepare(), maybe edited: `said`, pauses),
  // one story each, in `options.voice` (not the scripts' own).
  RenderResult render(const std::vector<Script>& scripts, const SayOptions& options,
                      const ProgressCallback& progress = {});
  // `warta build`: the rundown's sources fetched (fetch()), then the bulletin
  // into options.out_dir / rundown.outputName() with its Liquidsoap
  // annotation (OUT.liq); a rundown that publishes also gets its
  // transcripts and the feed updated. Does not deliver: see deliver().
  RenderResult render(const Rundown& rundown, const BuildOptions& options = {}, const ProgressCallback& progress = {});

  // `warta say --each`: a failed article does not stop the others (see
  // EachResult::failed); each article's MP3 and files beside it appear
  // together or not at all. Throws Error(Usage) for an empty folder or a
  // clash of inputs and outputs, before any work.
  EachResult render(const EachOptions& options);

  // `warta fetch`. Throws Error(Input) when no story at all is left.
  FetchResult fetch(const Rundown& rundown, const FetchOptions& options = {});

  // Hands a rendered bulletin to every target of the rundown's `deliver:`
  // block, after removing the editions whose kill time passed (expire()).
  // The file is decoded again first and refused if its length or loudness
  // is not what was rendered. A failed target is reported, not thrown; the
  // others still get the file. Returns nothing for a rundown without `deliver:`.
  std::vector<Delivery> deliver(const Rundown& rundown, const RenderResult& bulletin, std::ostream* log = nullptr);

  // `warta expire`: removes from the rundown's drop folders the editions
  // warta delivered whose kill time (`expires:`) is before `now`; returns them.
  std::vector<std::filesystem::path> expire(const Rundown& rundown, std::time_t now);

  // Adds (or replaces) a rendered bulletin in the rundown's podcast feed, as
  // render(rundown) does when BuildOptions::publish is set: for a bulletin
  // rendered with publish = false (its transcripts written), published
  // later. `out_dir` is the folder it was rendered into (empty = the
  // rundown's). Throws Error(Usage) if the rundown has no `publish:` block.
  void publish(const Rundown& rundown, const RenderResult& bulletin, const std::filesystem::path& out_dir = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warta
