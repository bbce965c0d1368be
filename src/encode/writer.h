// Encoders: audio chunks in, a finished file out (MP3 via libavcodec's LAME,
// WAV via libsndfile). Each writes to an AtomicFile and renames on finish().
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "audio/audio.h"

namespace warta::encode {

// Tags written as ID3v2 in MP3 (TIT2, TPE1, TALB, TDRC...) and as RIFF INFO in WAV.
struct Tags {
  std::string title;
  std::string artist;
  std::string album;
  std::string date;     // "YYYY-MM-DD"
  std::string genre;
  std::string comment;
};

struct OutputSettings {
  int sample_rate = 44100;  // Hz
  int channels = 2;         // 1 or 2
  int bitrate_kbps = 128;   // MP3 only
  Tags tags;
};

// MP3 through libavformat + libmp3lame (LAME/Xing header written so duration is exact).
class Mp3Writer : public audio::AudioSink {
 public:
  // Throws audio::AudioError (with av_err2str's text) if the encoder or file cannot be set up.
  Mp3Writer(const std::filesystem::path& path, const OutputSettings& settings);
  ~Mp3Writer() override;
  void write(const audio::Audio& chunk) override;  // chunk must be at settings' rate and channels
  void finish() override;  // throws audio::AudioError if no audio was written (no player opens such a file)
 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// 16-bit PCM WAV through libsndfile.
class WavWriter : public audio::AudioSink {
 public:
  WavWriter(const std::filesystem::path& path, const OutputSettings& settings);
  ~WavWriter() override;
  void write(const audio::Audio& chunk) override;
  void finish() override;
 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Mp3Writer for ".mp3", WavWriter for ".wav" (case-insensitive); throws
// audio::AudioError naming the extension otherwise.
std::unique_ptr<audio::AudioSink> openWriter(const std::filesystem::path& path, const OutputSettings& settings);

}  // namespace warta::encode
