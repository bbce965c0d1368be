// SPDX-License-Identifier: GPL-3.0-or-later
// FFmpeg's own command-line tools as independent judges of what warta wrote:
// the ebur128 filter for loudness and ffprobe for chapters and tags. Tests
// only: warta itself never runs external programs.
#pragma once

#include <cstdint>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace warta::test {

struct Loudness {
  double integrated = 0;  // LUFS
  double true_peak = 0;   // dBTP (ebur128 peak=true, "Peak" under "True peak")
};

// Runs `ffmpeg -i FILE -af ebur128=peak=true -f null -` and parses its summary.
// `start`/`duration` (seconds, duration 0 = to the end) select a window. Throws std::runtime_error.
Loudness ffmpegLoudness(const std::filesystem::path& file, double start = 0, double duration = 0);

struct ProbedChapter {
  double start = 0, end = 0;  // seconds
  std::string title;
};

// `ffprobe -show_chapters`: the file's chapters in order. Throws std::runtime_error.
std::vector<ProbedChapter> ffprobeChapters(const std::filesystem::path& file);

// `ffprobe -show_entries format_tags`: container tags, lowercase keys.
std::map<std::string, std::string> ffprobeTags(const std::filesystem::path& file);

// `ffprobe -show_streams`: "codec_type:codec_name[:attached_pic]" per stream.
std::vector<std::string> ffprobeStreams(const std::filesystem::path& file);

// Samples per channel the ffmpeg command-line decoder puts out for FILE's
// first audio stream (`ffmpeg -i FILE -f s16le -ac 1 -`, bytes / 2): for an
// MP3 after it applied the LAME tag's encoder delay and padding.
// Throws std::runtime_error.
std::int64_t ffmpegDecodedSamples(const std::filesystem::path& file);

}  // namespace warta::test
