// SPDX-License-Identifier: GPL-3.0-or-later
// What a render is, as data: the steps of every chunk of a programme. The
// parent process plans (text only: articles read, checked and normalized);
// worker processes render chunks from the plan alone (speech, mastering,
// mixing, encoding), so a chunk's file depends on nothing but its plan and
// describeChunk() is a complete cache key.
//
// Chunks are cut only in pauses the plan knows are silent (no bed, no fade
// running), so each renders on its own: a fresh mixer, limiter and encoder.
#pragma once

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "render/pipeline.h"
#include "audio/mixer.h"
#include "encode/chunk.h"
#include "encode/writer.h"
#include "speech/voice_profile.h"

namespace warta::app {

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
  std::vector<std::vector<Step>> chunks;
};

// Everything a rendered chunk tells the parent, stored in the chunk file.
struct ChunkReport {
  std::int64_t frames = 0;  // samples per channel
  // Integrated loudness of the chunk as encoded, LUFS; -infinity when no
  // 400 ms block is above the -70 LUFS gate (renderPlan: all silent is an error).
  double loudness = -HUGE_VAL;
  std::vector<std::string> too_quiet;  // elements the leveler could not measure ("story 1 \"...\"")
  double speech_seconds = 0;
  double limiter_reduction_db = 0;
  double mastering_seconds = 0;
  double encode_seconds = 0;
  std::vector<TimelineEntry> timeline;                   // seconds from the chunk's start
  std::vector<std::pair<std::string, double>> chapters;  // title, start (seconds from the chunk's start)
};

std::string encodeReport(const ChunkReport& report);
// Throws encode::ChunkError naming `file` if the text is not a report.
ChunkReport decodeReport(const std::string& meta, const std::filesystem::path& file);

// The cache key text of chunk `index`: every input its file depends on, with
// files by content (`file_hash` gives a file's SHA-256) and the program's
// build, eSpeak's version and the format version.
std::string describeChunk(const RenderPlan& plan, std::size_t index,
                          const std::function<std::string(const std::filesystem::path&)>& file_hash);

// Renders chunk `index` of `plan` into the chunk file `file` (AtomicFile:
// appears complete or not at all). Every chunk but the last is padded with
// silence to a whole number of encoder frames. Runs eSpeak: call in a worker
// process. Throws SpeechError, AudioError.
void renderChunk(const RenderPlan& plan, std::size_t index, const std::filesystem::path& file);

}  // namespace warta::app
