// SPDX-License-Identifier: GPL-3.0-or-later
// A step's sound as the first pass of a render leaves it for the second: the
// leveled clips of a spoken step (float samples, mono, at the engine's rate)
// and a report of what was made, in one file of the render's cache. The
// second pass reads single clips back as it mixes the piece of the programme
// it renders, so no process holds a story whole.
//
// Layout (little-endian): "WARTASP1"; every clip's float samples, one after
// another; the report text; each clip's frames (uint64); the report's length
// and the clip count (uint64), the rate (uint32); a CRC-32 (zlib) of
// everything before it; "WARTAEND". A truncated or altered file fails the check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "audio/audio.h"
#include "audio/stdio_file.h"

namespace warta::app {

// Writes a speech file: clips added in order, then finish() with the report.
// Written to a temporary name beside `path` and renamed when complete (not
// synced to disk: a cache entry is checked whole before it is used).
class SpeechFileWriter {
 public:
  explicit SpeechFileWriter(std::filesystem::path path);  // throws audio::AudioError
  ~SpeechFileWriter();                                    // removes the temporary unless finished
  SpeechFileWriter(const SpeechFileWriter&) = delete;
  SpeechFileWriter& operator=(const SpeechFileWriter&) = delete;

  void add(const audio::Audio& clip);  // mono, every clip at one rate; throws audio::AudioError
  void finish(const std::string& report);

 private:
  std::filesystem::path path_, temp_;
  audio::File file_;
  std::vector<std::uint64_t> frames_;
  std::uint32_t crc_ = 0;
  int rate_ = 0;
  bool done_ = false;
};

class SpeechFileReader {
 public:
  // Checks the markers and lengths; with `verify`, the CRC-32 of the whole
  // file too. Throws encode::ChunkError naming the file.
  explicit SpeechFileReader(const std::filesystem::path& path, bool verify = false);

  const std::string& report() const { return report_; }
  std::size_t clips() const { return frames_.size(); }
  std::int64_t frames(std::size_t i) const { return static_cast<std::int64_t>(frames_.at(i)); }
  int rate() const { return rate_; }
  audio::Audio clip(std::size_t i) const;  // safe from several threads at once; throws encode::ChunkError

 private:
  std::filesystem::path path_;
  audio::File file_;
  std::string report_;
  std::vector<std::uint64_t> frames_, offsets_;  // offsets in samples
  int rate_ = 0;
};

}  // namespace warta::app
