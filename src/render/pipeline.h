// SPDX-License-Identifier: GPL-3.0-or-later
// The whole path: articles -> segments -> spoken text -> speech -> mixed,
// encoded file. Used by the CLI; kept out of main so tests can call it.
//
// A render is planned here (text only), then made in two passes: every
// story's sound synthesized and leveled in worker processes (one eSpeak
// engine each), the programme laid out in frames and cut into chunks, mixed,
// limited and encoded in threads, cached by content, and joined into one file
// (render_plan.h, layout.h, workers.h, chunk_cache.h). The output is the same
// bytes whatever the number of workers and whether anything came from the
// cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/rundown.h"
#include "config/voice_loader.h"
#include "audio/audio.h"
#include "audio/decoded_check.h"
#include "encode/writer.h"
#include "publish/transcript.h"
#include "g2p/letter_to_sound.h"
#include "speech/engine.h"
#include "speech/voice_profile.h"
#include "text/article.h"
#include "text/normalizer.h"

namespace warta::app {

class EarlyWorkers;  // render/workers.h

// One element of the rendered output, in seconds from its start.
struct TimelineEntry {
  std::string kind;                       // intro, opening, speech, pause, stinger, gap, closing, outro
  int story = -1;                         // 0-based story index for story speech and pauses, -1 otherwise
  double start = 0;                       // seconds
  double end = 0;                         // seconds
  std::string label;                      // speech: the article's text as written, tidied; a jingle: its file name
  std::string spoken;                     // speech: the spoken form as words (lexicon words, not phonemes), for editors
  std::string part;                       // speech in a story: headline, dateline, subhead or sentence
  bool ends_paragraph = false;            // the last sentence of its paragraph
  std::vector<publish::TimedWord> words;  // speech: the written words and when each is heard
};

struct RenderReport {
  std::filesystem::path output;           // the finished file
  std::size_t frames = 0;                 // audio frames written
  double seconds = 0;                     // frames / sample rate
  double speech_seconds = 0;              // sum of synthesized speech
  double target_lufs = 0;                 // the loudness every element was leveled to
  double limiter_reduction_db = 0;        // the most the true-peak limiter turned down
  double encode_seconds = 0;              // time inside the encoder, summed over the chunks rendered now
  double mastering_seconds = 0;           // time measuring, leveling and limiting, likewise
  std::size_t chunks = 0;                 // pieces the programme was rendered in
  std::size_t cached_chunks = 0;          // of those, taken from the cache
  std::size_t corrupt_chunks = 0;         // cache entries found damaged and rendered again
  std::vector<std::size_t> chunk_starts;  // where each chunk begins in the output, in frames
  std::vector<TimelineEntry> timeline;
  std::vector<encode::Chapter> chapters;  // one per story, titled with its headline
  // Fitted to the rundown's slot (`length:` / `hard_out:`): the one rate all
  // stories were spoken at (times the voice's), the stories dropped ("story 4
  // (headline)") and the seconds of bed or silence before the outro.
  bool fitted = false;
  double rate = 1.0;
  std::vector<std::string> dropped;
  double fill_seconds = 0;
  // The finished file decoded end to end: its cue points (also in an MP3's
  // TXXX cue_in, cue_out, cross_start_next; audio/decoded_check.h has the rules).
  audio::DecodedStats cues;
};

// The TXXX frames every MP3 warta makes carries for playout systems, in this
// order: cue_in, cue_out (seconds, 3 decimals), fade_in "0", fade_out "0"
// (no crossfade into or out of a bulletin), cross_start_next, and expires
// (isoLocal of the kill time) when given.
std::vector<std::pair<std::string, std::string>> cueTexts(const audio::DecodedStats& cues,
                                                          const std::optional<std::time_t>& expires);

// Text for any voice profile: one Normalizer and one letter-to-sound per
// language folder (and an eSpeak engine, made on first use, for phonemes()).
//
// Segments keep their spoken *words* (what captions, labels and `warta
// normalize` show); speakable() turns them into what eSpeak is given: every
// plain word read by warta's letter-to-sound (src/g2p) as a "[[...]]" span.
class Narrator {
 public:
  // `extra_lexicons` override the language's own lexicon, later ones winning.
  explicit Narrator(std::vector<std::filesystem::path> extra_lexicons = {});

  const text::Normalizer& normalizer(const speech::VoiceProfile& voice);

  // Article file -> segments with written and spoken text and pauses. Throws TextError.
  // `max_bytes`: the largest article accepted (text::kMaxArticleBytes for
  // audio; the text-only tools take text::kMaxCheckedArticleBytes).
  std::vector<text::Segment> prepare(const std::filesystem::path& article, const speech::VoiceProfile& voice,
                                     std::size_t max_bytes = text::kMaxArticleBytes);

  // As prepare(), for an article made in memory (the station's segments).
  std::vector<text::Segment> prepareArticle(const text::Article& article, const speech::VoiceProfile& voice);

  // The article's segments, written text only (not normalized), handed to
  // `emit` one at a time, so a second pass needs no copy of them all.
  void eachSegment(const text::Article& article, const speech::VoiceProfile& voice,
                   const std::function<void(text::Segment&&)>& emit);

  // As prepare(), but each normalized segment is handed to `emit` in order and
  // then dropped, so the editors' tools print a large article in bounded memory.
  void prepareEach(const std::filesystem::path& article, const speech::VoiceProfile& voice, std::size_t max_bytes,
                   const std::function<void(const text::Segment&)>& emit);

  // The language folder's letter-to-sound; nullptr when it has no such data. Throws ConfigError.
  const g2p::LetterToSound* letterToSound(const speech::VoiceProfile& voice);

  // Spoken words -> the text eSpeak speaks: each plain word as its phonemes
  // ("[[d@N'an]]"); unchanged when the language has no letter-to-sound data.
  std::string speakable(const std::string& spoken, const speech::VoiceProfile& voice);

  // The eSpeak phonemes of spoken words, as speakable() has them said.
  // Starts eSpeak in this process. Throws SpeechError.
  std::string phonemes(const std::string& spoken, const speech::VoiceProfile& voice);

 private:
  std::vector<std::filesystem::path> extra_lexicons_;
  // One per language folder and set of options.
  std::map<std::pair<std::filesystem::path, std::string>, std::unique_ptr<text::Normalizer>> normalizers_;
  std::map<std::filesystem::path, std::unique_ptr<g2p::LetterToSound>> letter_to_sound_;  // null: none
  std::unique_ptr<speech::Engine> engine_;                                                // created on first use
};

// How to render: parallelism and the chunk cache.
struct RenderOptions {
  int jobs = 0;  // worker processes (sounds) and threads (chunks) at once; < 1 = one per core
  // Chunk cache folder (created if missing); none = chunks go to a temporary
  // folder that is removed afterwards.
  std::optional<std::filesystem::path> cache;
  // This process is a worker of a batch already (it has not used eSpeak):
  // a render of one chunk happens here, more go to one worker at a time, and
  // the cache is not pruned (the batch does that once).
  bool in_process = false;
  // Called in this process before the first chunk is rendered (done 0) and
  // as each one ends: chunks rendered so far and how many need rendering
  // (those not in the cache). Empty: not called.
  std::function<void(std::size_t done, std::size_t total)> chunk_ended;
  // A zygote buildBulletin started before reading the stories, for the
  // first sounds it makes (borrowed). None: one is started when needed.
  EarlyWorkers* early_workers = nullptr;
};

// The size the cache is trimmed to after each render (least recently used go first).
inline constexpr std::uintmax_t kCacheMaxBytes = std::uintmax_t{2} << 30;

// "Kabar Pagi, Rabu, 11 Juni 2025": the show and its date in the words of the
// rundown voice's language (calendar.yaml): what a bulletin's page is titled.
std::string episodeTitle(const Rundown& rundown);

// Whether `path`, symlinks resolved, lies strictly inside `folder`.
bool insideFolder(const std::filesystem::path& path, const std::filesystem::path& folder);

// Where `warta build` writes the bulletin: out_dir / rundown.outputName().
// Throws std::runtime_error if that would lie outside out_dir.
std::filesystem::path bulletinPath(const Rundown& rundown, const std::filesystem::path& out_dir);

// `warta build`: renders the rundown: jingles and bed leveled at their offsets
// from the loudness target, each story leveled to it, the whole limited to the
// true-peak ceiling, one chapter per story;  into out_dir/rundown.outputName() (an
// empty out_dir is the current folder; a missing one is created).
// With `rundown.fit` the file is exactly fit->length x sample rate frames: one
// rate in the band for all stories, then the least important stories dropped
// (ConfigError when even that is too long), then the bed or silence before
// the outro (back-timed); found by trial renders whose chunks the final one reuses.
// Everything is read and checked before the output is opened; the output is
// written to a temporary file and renamed when complete. Throws ConfigError,
// TextError (before any audio is made), WorkerError (a chunk failed: its
// error text), AudioError.
RenderReport buildBulletin(const Rundown& rundown, const std::filesystem::path& out_dir,
                           const RenderOptions& options = {});

// `warta say`: reads the articles one after another into `output`, each
// article leveled to `loudness` and limited to its true-peak ceiling.
RenderReport sayArticles(const std::vector<std::filesystem::path>& articles, const std::filesystem::path& output,
                         const speech::VoiceProfile& voice, const encode::OutputSettings& settings,
                         const LoudnessTarget& loudness = {}, const RenderOptions& options = {});

// As sayArticles, from stories already prepared (Narrator::prepare), which a
// caller may have changed: libwarta renders a script. `articles` name the
// stories (labels, errors), one per story; `narrator` is the one that
// prepared them (its lexicons decide how words are said).
RenderReport sayStories(const std::vector<std::vector<text::Segment>>& stories,
                        const std::vector<std::filesystem::path>& articles, Narrator& narrator,
                        const std::filesystem::path& output, const speech::VoiceProfile& voice,
                        const encode::OutputSettings& settings, const LoudnessTarget& loudness = {},
                        const RenderOptions& options = {});

// Writes the timeline as tab-separated lines: start end kind story text (the
// spoken form for speech, an editor's check of what is said; else the label)
// (seconds with millisecond precision), atomically.
void writeTimeline(const RenderReport& report, const std::filesystem::path& file);

}  // namespace warta::app
