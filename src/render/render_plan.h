// SPDX-License-Identifier: GPL-3.0-or-later
// What a render is, as data: the steps of a programme. The parent process
// plans (text only: articles read, checked and normalized); the render then
// runs in two passes, each in parallel:
//  1. sounds: every spoken step is synthesized (in a warta-worker process,
//     one eSpeak each) and leveled, into a speech file; every jingle and the
//     bed are measured. Their lengths are then known, so the whole programme
//     is laid out in frames (render/layout.h).
//  2. chunks: the programme is cut into pieces; each is mixed from the
//     layout (replaying the events from just before its start), limited and
//     encoded on its own, then the pieces are joined.
// A sound's and a chunk's files depend on nothing but what describeSound()
// and describeChunk() list: those are complete cache keys.
#pragma once

#include <cmath>
#include <cstddef>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "render/pipeline.h"
#include "audio/mixer.h"
#include "encode/chunk.h"
#include "encode/writer.h"
#include "speech/voice_profile.h"

namespace warta::app {

struct Layout;  // render/layout.h

// One spoken segment of a story and the pause after it.
struct PlannedSegment {
  std::string spoken;      // text for the engine ("[[...]]" spans are phonemes)
  std::string label;       // what the transcript shows: the written text
  double pause_after = 0;  // seconds (the story's last is left to the plan)
  std::string display;     // the spoken form as words, for editors
  std::string part;        // headline, dateline, subhead, sentence; empty for the opening and close
  bool ends_paragraph = false;
  std::vector<text::WrittenWord> words;  // the written units over `spoken`'s words (may be empty)
};

struct Step {
  enum class Op {
    Jingle,    // `file` leveled at `level` dB from the voice target; `overlap` seconds back
    Voice,     // one spoken line (`segments`' only one) leveled on its own; `overlap` back (clipped to the clip before)
    Story,     // `segments`, leveled together with their pauses, timeline kind "speech"
    Pause,     // `seconds` of silence, timeline kind `kind`
    BedStart,  // the plan's bed, `overlap` seconds back (clipped to the clip before)
    BedStop,   // the bed fades out over `seconds`
    Chapter,   // a chapter titled `label` starts here
  };
  Op op = Op::Pause;
  std::string kind;  // timeline kind
  int story = -1;    // 0-based story, -1 for none
  std::string label;
  std::filesystem::path file;
  double level = 0;     // dB
  int voice = 0;        // index into RenderPlan::voices
  int espeak_rate = 0;  // Voice, Story: eSpeak's rate parameter for the asked pace (app/pace.h); 0 = the voice's
  std::vector<PlannedSegment> segments;
  double seconds = 0;
  double overlap = 0;
  bool cut = false;  // Pause: a story gap, where the programme is cut into chunks when it is silent
};

// What the first pass made of a step (Voice, Story, Jingle, BedStart).
struct StepSound {
  std::filesystem::path file;                         // Voice, Story: the speech file of its leveled clips
  std::string key;                                    // the cache key it was made under (describeSound's hash)
  int clip_rate = 0;                                  // Hz of the clips, or of the jingle file
  std::vector<std::int64_t> clips;                    // frames of each clip at clip_rate (a jingle: one)
  std::vector<std::vector<std::size_t>> word_starts;  // per clip: eSpeak's word starts, frames at clip_rate
  std::int64_t out_frames = 0;                        // Jingle: frames at the output rate
  double measured = -HUGE_VAL;                        // LUFS before leveling; -inf: too quiet to level
  double gain_db = 0;                                 // Jingle, BedStart: audio::BedLevel's gain
  bool limited = false;                               // ... and whether it is limited
  double mastering_seconds = 0;                       // time spent leveling or measuring
};

struct RenderPlan {
  std::filesystem::path output;
  encode::OutputSettings settings;
  encode::ChunkCodec codec = encode::ChunkCodec::Mp3;
  LoudnessTarget render;     // what elements are leveled to (renderTarget's)
  double report_lufs = 0;    // the target the producer asked for
  double join_fade = 0.005;  // seconds
  std::vector<speech::VoiceProfile> voices;
  std::optional<std::filesystem::path> bed_file;
  double bed_level = 0;  // dB from the voice target
  audio::BedSettings bed_mix;
  std::vector<Step> steps;
  // Filled by the first pass (one per step; empty for steps without sound).
  std::vector<StepSound> sounds;
  // Where the chunks start, in frames (the first 0): chunkCuts' choice, and
  // whether they are cut anywhere (encoded with context, the bit reservoir
  // emptied at the joins).
  std::vector<std::int64_t> cuts;
  bool anywhere = false;
  // When the bulletin stops being news: an MP3's "expires" cue (cueTexts).
  std::optional<std::time_t> expires;
};

// Everything a rendered chunk tells the parent, stored in the chunk file.
struct ChunkReport {
  std::int64_t frames = 0;  // samples per channel
  double limiter_reduction_db = 0;
  double mastering_seconds = 0;
  double encode_seconds = 0;
};

std::string encodeReport(const ChunkReport& report);

// The written words of `seg` placed in time: each unit starts where the
// engine started its first spoken word (`starts`, frames at `rate` from the
// clip's start at `offset` seconds) and ends where the next unit starts, or
// at the clip's end. Empty if the units do not cover the engine's words exactly.
std::vector<publish::TimedWord> timeWords(const PlannedSegment& seg, const std::vector<std::size_t>& starts, int rate,
                                          double offset, double clip_end);
// Throws encode::ChunkError naming `file` if the text is not a report.
ChunkReport decodeReport(const std::string& meta, const std::filesystem::path& file);

// A StepSound as text (the speech file's report, or a sound entry of the cache), and back.
std::string encodeSound(const StepSound& sound);
StepSound decodeSound(const std::string& text, const std::filesystem::path& file);  // throws encode::ChunkError

// Whether step `index` has a sound for the first pass to make.
bool needsSound(const RenderPlan& plan, std::size_t index);

// The cache key text of step `index`'s sound: every input it depends on
// (files by content through `file_hash`, the voice, the loudness target and
// the output's rate and channels the leveling is judged at).
std::string describeSound(const RenderPlan& plan, std::size_t index,
                          const std::function<std::string(const std::filesystem::path&)>& file_hash);

// Makes step `index`'s sound: a Voice or Story step spoken and leveled into
// the speech file `file` (its report inside); a Jingle or BedStart measured,
// its report in `file` (a speech file of no clips). Runs eSpeak for speech:
// call in a worker process. A story long enough to be leveled in pieces
// (audio/leveler.h) uses up to `threads` threads; the sound is the same
// whatever `threads`. Throws SpeechError, AudioError.
void renderSound(const RenderPlan& plan, std::size_t index, const std::filesystem::path& file, int threads = 1);

// A story at least twice this long (characters of spoken text) is spoken in
// parts of at least this many, each by an eSpeak that has said nothing else
// (a worker of its own), so one long story uses every core: about three
// minutes of speech. The parts are then leveled together (levelParts).
inline constexpr std::size_t kSpeakingPartChars = 4000;
// The segments where step `step`'s speaking parts start (the first 0): one
// part for all but long stories. A pure function of the text, never of -j.
std::vector<std::size_t> speakingParts(const Step& step);
// Speaks segments [first, end) of step `index` into the speech file `file`:
// the engine's clips as they are (not leveled), and a report (encodeSound)
// with their word starts. Runs eSpeak: call in a fresh worker process.
// Throws SpeechError, AudioError.
void speakPart(const RenderPlan& plan, std::size_t index, std::size_t first, std::size_t end,
               const std::filesystem::path& file);
// Makes step `index`'s sound from the speech files of its parts, in order:
// the clips leveled together on up to `threads` threads, into `file` as
// renderSound would. Needs no speech engine. Throws AudioError,
// encode::ChunkError (a damaged part).
void levelParts(const RenderPlan& plan, std::size_t index, const std::vector<std::filesystem::path>& parts,
                const std::filesystem::path& file, int threads);

// The cache key text of chunk `index` of a laid-out plan: everything its
// samples depend on, places counted from the chunk's start (so a chunk
// that only moved is found again), sounds by their keys, files by content.
std::string describeChunk(const RenderPlan& plan, const Layout& layout, std::size_t index,
                          const std::function<std::string(const std::filesystem::path&)>& file_hash);

// Renders chunk `index` (plan.cuts) of the laid-out plan into the chunk file
// `file` (appears complete or not at all), mixing from the sounds' files.
// Needs no speech engine: callable in any thread. `bed_loop` (heldBed's,
// shared by the chunks) is the bed's loop held in memory, or null: the bed
// is decoded as it plays. The same samples either way. Throws AudioError.
void renderChunk(const RenderPlan& plan, const Layout& layout, std::size_t index, const std::filesystem::path& file,
                 const std::shared_ptr<const audio::Audio>& bed_loop = nullptr);

// The plan's bed, one loop at the output format as its chunks play it
// (audio::holdBedLoop), when it is short enough to hold; null without a bed
// or when it streams. Call after the first pass. Throws AudioError.
std::shared_ptr<const audio::Audio> heldBed(const RenderPlan& plan);

}  // namespace warta::app
