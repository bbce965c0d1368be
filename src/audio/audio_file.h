// SPDX-License-Identifier: GPL-3.0-or-later
// Reading audio files of any format libsndfile knows (WAV, FLAC, Ogg, MP3, ...).
#pragma once

#include <sndfile.h>

#include <cstddef>
#include <filesystem>

#include "audio/audio.h"
#include "audio/sndfile_handle.h"

namespace warta::audio {

// Decodes the whole file at its own rate and channel count.
// Throws AudioError naming the file and sf_strerror's text when the file is
// missing, unreadable or not audio.
Audio readAudioFile(const std::filesystem::path& path);

// The same decoding and checks in pieces, holding one piece at a time: for
// files too long to hold (a music bed may run for hours). Each piece is
// checked as it is read (no NaN or infinity, naming the frame and second);
// the end is checked when reached (a read error, no audio at all, fewer
// frames than a FLAC/WAV header announces). Errors are AudioError naming the
// file. Move-only; owns its libsndfile handle.
class AudioFileReader {
 public:
  static constexpr std::size_t kPiece = 65536;  // frames per read

  explicit AudioFileReader(const std::filesystem::path& path);  // opens and checks the format

  // The next piece of up to `max_frames` frames (at most kPiece); empty at the end.
  Audio next(std::size_t max_frames = kPiece);

  int sampleRate() const { return info_.samplerate; }
  int channels() const { return info_.channels; }
  std::size_t framesRead() const { return read_; }
  sf_count_t announcedFrames() const { return info_.frames; }  // the header's count: a hint only
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  SF_INFO info_{};
  Sndfile file_;
  std::size_t read_ = 0;
  bool ended_ = false;
};

}  // namespace warta::audio
