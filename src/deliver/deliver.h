// SPDX-License-Identifier: GPL-3.0-or-later
// Handing a finished bulletin to the station's playout: after a successful
// build only, and only once the file decodes end to end at the length and
// loudness it was built to.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "audio/decoded_check.h"
#include "deliver/targets.h"

namespace warta::deliver {

// What was built, as the build reported it (not measured again).
struct Edition {
  std::filesystem::path audio;  // the finished file (MP3, WAV or BWF)
  double seconds = 0;           // its length as rendered
  double lufs = 0;              // its integrated loudness as measured right after the build (LUFS)
  double target_lufs = 0;       // the loudness target it was mastered to
  Schedule schedule;
  std::string title, artist;  // cart Title and Artist
  std::string last_words;     // cart OutCue: the last words spoken
  std::string tag_text;       // cart TagText (the headlines)
  double intro_end = 0;       // seconds: where the intro jingle ends (cart INTe); 0 = none
  int sample_rate = 44100;    // of a Broadcast WAV made for Rivendell
  int channels = 2;
};

// How far the decoded file may stray from the build before it is refused:
// from its length as rendered, from its loudness as measured after the build
// (the same decoder, so only a changed file differs), and from the target
// (a mastering gone wrong; short bulletins with jingles measure up to ~1.5 LU
// under it, low MP3 bit rates lose more).
inline constexpr double kLengthToleranceSeconds = 0.05;
inline constexpr double kLoudnessToleranceLu = 0.2;
inline constexpr double kTargetToleranceLu = 3.0;

// Decodes edition.audio end to end (libavcodec) and compares its length and
// loudness with the build's. Throws warta::Error (Io) saying what differs;
// returns the measurements.
audio::DecodedStats verifyEdition(const Edition& edition);

// The Liquidsoap annotate: line for `audio` with these cues (a sidecar .liq):
// annotate:liq_cue_in="…",liq_cue_out="…",liq_fade_in="0.",liq_fade_out="0.",
// liq_cross_start_next="…",liq_cross_duration="…":/abs/path.
std::string liquidsoapAnnotation(const audio::DecodedStats& cues, const std::filesystem::path& audio);
// OUT.mp3 -> OUT.liq
std::filesystem::path annotationPathFor(const std::filesystem::path& audio);

struct TargetResult {
  std::string target;  // describe(target)
  bool ok = false;
  std::string detail;  // the files written, or what failed
};

// Verifies the edition, then delivers it to every target in order (a failed
// target does not stop the others). A failed verification throws warta::Error
// (Io) and nothing is delivered.
std::vector<TargetResult> deliverAll(const Edition& edition, const std::vector<Target>& targets);

// Removes, from the folder targets (fixed name, dated copies, .liq sidecars)
// and Rivendell drop folders, the editions whose kill time (TXXX "expires" of
// an MP3, EndDate/EndTime of a cart chunk) lies before `now`. Returns the
// files removed. Files warta did not write (other names) are never touched.
std::vector<std::filesystem::path> expireDelivered(const std::vector<Target>& targets, std::time_t now);

}  // namespace warta::deliver
