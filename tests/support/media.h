// Decoding, measuring and scratch files for the tests of every stage. Decoding
// goes through libavformat + libavcodec, independently of warta's own
// libsndfile reader, so tests check what a real player would get.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "audio/audio.h"

namespace warta::test {

struct Decoded {
  // Every decoded sample, interleaved float, at the file's rate and channel
  // count. For MP3 the decoder's delay and the encoder's padding are already
  // trimmed (libavformat reads them from the LAME header), so
  // audio.seconds() is the playing time a gapless player gives.
  audio::Audio audio;
  // The duration the container reports (stream duration, else the format's),
  // in seconds; 0 if it reports none. For reference only: measure
  // audio.seconds(). Measured with FFmpeg 5.1 + LAME 3.100 on Mp3Writer output:
  // the decoded frame count equals the frames written exactly at 32, 44.1 and
  // 48 kHz (+2 frames at 22.05 kHz), while the container reports whole MPEG
  // frames including encoder delay and padding: 3.030 s for a 3.000 s file at
  // 44.1 kHz, up to +150 ms at 8 kHz. For FLAC and WAV both agree exactly.
  double container_seconds = 0.0;
  std::string codec;  // decoder name, e.g. "mp3float", "flac", "pcm_s16le"
};

// Decodes the first audio stream of `path` completely. Throws
// std::runtime_error (audio::AudioError) naming the file on anything
// libavformat/libavcodec report: missing file, not audio, a corrupt packet.
Decoded decodeFile(const std::filesystem::path& path);

// Format-level metadata (ID3v2 in MP3, RIFF INFO in WAV...) with lowercase
// keys as libavformat names them: "title", "artist", "album", "date", "genre",
// "comment". Throws audio::AudioError if the file cannot be opened.
std::map<std::string, std::string> readTags(const std::filesystem::path& path);

// RMS (linear) of all channels between start_s and end_s seconds, clipped to
// the audio; 0 for an empty window.
double windowRms(const audio::Audio& audio, double start_s, double end_s);

// The same in dBFS (a full-scale sine is -3.01 dB); -200 for silence.
double rmsDb(const audio::Audio& audio, double start_s, double end_s);
double rmsDb(const audio::Audio& audio);  // the whole clip

// Linear to dB, with silence floored at -200 dB.
double toDb(double linear);

// A sine at `freq_hz`, peak `amplitude` (linear), identical in every channel,
// `seconds` long rounded to whole frames at `rate` Hz.
audio::Audio tone(double freq_hz, double seconds, int rate, int channels, double amplitude = 0.5);

// Writes `bytes` to `path` exactly (creating or truncating). Throws std::runtime_error.
void writeBytes(const std::filesystem::path& path, const std::string& bytes);

// The whole file as bytes. Throws std::runtime_error if it cannot be read.
std::string readText(const std::filesystem::path& path);

// A fresh, empty folder named `name` for this test process: under
// <tmp>/warta-tests-<pid>/, emptied at each call, and the whole
// per-process folder removed when the process exits (kept if the environment
// sets WARTA_KEEP_TEST_FILES). The pid keeps tests that ctest runs in
// parallel from sharing folders.
std::filesystem::path tempDir(const std::string& name);

}  // namespace warta::test
