// SPDX-License-Identifier: GPL-3.0-or-later
// Encoders: audio chunks in, a finished file out (MP3 via libavcodec's LAME,
// WAV and Broadcast WAV via libsndfile). Each writes to an AtomicFile and
// renames on finish(); a writer destroyed unfinished leaves no file behind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audio/audio.h"

namespace warta::encode {

// Tags written as ID3v2.4 in MP3 (TIT2, TPE1, TALB, TDRC, TCON, COMM) and as
// RIFF INFO in WAV. UTF-8.
struct Tags {
  std::string title;
  std::string artist;
  std::string album;
  std::string date;  // "YYYY-MM-DD"
  std::string genre;
  std::string comment;
  // MP3 only, a TXXX "warta_source": what the file was made from (a hash of
  // the article, voice and options), so `say --each` can skip it next time.
  std::string source_key;
  // MP3 only, one TXXX each (description, value), after the source key: the
  // cue points the render measured (cue_in, cue_out, ...).
  std::vector<std::pair<std::string, std::string>> user_texts;
};

// One chapter of the finished programme, e.g. one story of a bulletin.
struct Chapter {
  std::string title;  // UTF-8; may be empty. MP3 keeps kMaxChapterTitleBytes (see there)
  double start = 0;   // seconds from the start of the audio
  double end = 0;     // seconds; start <= end <= the audio's length
};

// The longest chapter title an MP3 stores, in bytes of UTF-8; longer ones are
// cut at a character boundary to end in "\u2026" within it. FFmpeg 5.1 reads a
// CHAP's title subframe of 128 bytes or more wrongly (a plain size where
// ID3v2.4, and TagLib, write a syncsafe one) and drops the chapter; below
// that both agree.
inline constexpr std::size_t kMaxChapterTitleBytes = 125;

// Which file to write. Auto chooses by the extension: ".mp3" MP3, ".wav" WAV,
// ".bwf" Broadcast WAV (case-insensitive). Mp3 needs ".mp3"; Wav and Bwf need
// ".wav" or ".bwf" (so Bwf with "out.wav" is a Broadcast WAV named .wav).
enum class Container { Auto, Mp3, Wav, Bwf };

// The EBU Tech 3285 "bext" chunk of a Broadcast WAV. Text is cut, at a UTF-8
// character boundary, to the chunk's fixed field widths (given in bytes).
// Empty fields take defaults from OutputSettings::tags and the clock.
struct BroadcastInfo {
  std::string description;           // <= 256; default: tags.title
  std::string originator;            // <= 32, e.g. the station; default: tags.artist
  std::string originator_reference;  // <= 32; default: none
  std::string origination_date;      // "YYYY-MM-DD"; default: tags.date if it is one, else today (local)
  std::string origination_time;      // "HH:MM:SS"; default: now (local)
  std::uint64_t time_reference = 0;  // first sample's position since midnight, in samples
};

// The AES46-2002 "cart" chunk of a Broadcast WAV (the radio traffic data
// Rivendell's rdimport and other playout systems read). Text fields are cut
// to the chunk's fixed widths in bytes (64 unless noted); dates are
// "YYYY-MM-DD" and times "HH:MM:SS" (local, as the station's clock).
struct CartTimer {
  std::string usage;    // 4 characters: "AUDs", "AUDe", "SEGs", "INTs", "INTe", ...
  std::uint32_t value;  // in samples from the start of the audio
};
struct CartInfo {
  std::string title, artist, cut_id, client_id, category, classification, out_cue;
  std::string start_date, start_time, end_date, end_time;  // 10 and 8 bytes
  std::string producer_app_id, producer_app_version, user_def;
  std::int32_t level_reference = 32768;  // sample value of 0 dB reference (full scale at 16 bits)
  std::vector<CartTimer> timers;         // at most 8
  std::string url;                       // <= 1024
  std::string tag_text;                  // <= 256 here (libsndfile's SF_CART_INFO)
};

struct OutputSettings {
  int sample_rate = 44100;  // Hz
  int channels = 2;         // 1 or 2
  int bitrate_kbps = 128;   // MP3 only
  Tags tags;
  Container container = Container::Auto;
  BroadcastInfo broadcast;            // Bwf only
  std::filesystem::path cover_image;  // MP3 only (ID3v2 APIC, front cover); JPEG or PNG; empty = none
};

// A writer the pipeline can also give chapters to. Chapters are known only
// once the audio is rendered, so they may be set at any time before finish().
class EncodedOutput : public audio::AudioSink {
 public:
  // Replaces any chapters set before; an empty list means none. Throws
  // audio::AudioError (naming the file and the chapter) for a chapter whose
  // times are not finite, negative, or end before they start, or after
  // finish(). finish() throws if a chapter ends after the audio (more than 1 ms).
  virtual void setChapters(std::vector<Chapter> chapters) = 0;
};

// MP3 through libmp3lame (driven directly, encode/lame_encoder.h) and
// libavformat's muxer: CBR at settings.bitrate_kbps, with
// the LAME/Xing header (frame count, encoder delay and padding) so the decoded
// duration is exact, and an ID3v2.4 tag holding the tags, the chapters (CTOC
// and one CHAP per chapter, times in ms) and the cover (APIC).
// Packets are encoded as audio arrives and held in a spool file beside the
// output (constant memory whatever the length); finish() writes the tag, then
// copies them into the output.
class Mp3Writer : public EncodedOutput {
 public:
  // Throws audio::AudioError (with av_err2str's text) if the encoder or spool
  // cannot be set up, or naming the cover image if it is missing, unreadable,
  // or neither JPEG nor PNG.
  Mp3Writer(const std::filesystem::path& path, const OutputSettings& settings);
  ~Mp3Writer() override;
  void write(const audio::Audio& chunk) override;  // chunk must be at settings' rate and channels
  void finish() override;  // throws audio::AudioError if no audio was written (no player opens such a file)
  void setChapters(std::vector<Chapter> chapters) override;

  // Encoded packets held in the spool so far, and the spool's size in bytes
  // (both 0 after finish()).
  std::int64_t spooledPackets() const;
  std::int64_t spooledBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// 16-bit PCM WAV through libsndfile (16-bit scaling: audio/pcm16.h); with broadcast = true a Broadcast WAV
// (a "bext" chunk from settings.broadcast, set before the first sample).
// Chapters are accepted and checked but not stored: libsndfile takes cue
// points only before the first sample is written.
class WavWriter : public EncodedOutput {
 public:
  // Throws audio::AudioError with sf_strerror's text.
  // With `cart` (Broadcast WAV only) the file also gets an AES46 cart chunk;
  // a bad date or time in it throws before the file exists.
  WavWriter(const std::filesystem::path& path, const OutputSettings& settings, bool broadcast = false,
            const CartInfo* cart = nullptr);
  ~WavWriter() override;
  // Rounds to the nearest 16-bit value (audio/pcm16.h), without dither.
  void write(const audio::Audio& chunk) override;
  // Samples already 16-bit (interleaved, settings' channels), written as
  // they are: the PCM chunks a render joins were dithered when they were made.
  void writePcm16(const std::int16_t* samples, std::size_t frames);
  void finish() override;
  void setChapters(std::vector<Chapter> chapters) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The one decision of what file warta writes: every caller that asks MP3 or
// WAV (the CLI, the rundown, the render plan, the joiner, the writers) goes
// through outputFormat, so the extension rules live here alone.
enum class OutputFormat { Mp3, Wav, Bwf };

// The extensions warta writes, lower-case, and the format each means.
struct OutputExtension {
  const char* extension;
  OutputFormat format;
};
inline constexpr OutputExtension kOutputExtensions[] = {
    {".mp3", OutputFormat::Mp3}, {".wav", OutputFormat::Wav}, {".bwf", OutputFormat::Bwf}};

// The container a rundown's `format:` names ("mp3", "wav", "bwf"; exact,
// lower-case as documented); nullopt for anything else.
std::optional<Container> containerNamed(std::string_view name);

// What is wrong with writing `path` as `container` (see Container; the
// extension is matched case-insensitively: ".MP3" is ".mp3"), as a sentence
// without the file name; empty if nothing. `extension_only` = true checks
// only that the extension is one warta writes.
std::string outputFormatProblem(const std::filesystem::path& path, Container container, bool extension_only = false);

// The format of `path` under `container`. Throws audio::AudioError naming the
// file with outputFormatProblem's sentence.
OutputFormat outputFormat(const std::filesystem::path& path, Container container);

// outputFormat(path, settings.container) == OutputFormat::Mp3.
bool writesMp3(const std::filesystem::path& path, const OutputSettings& settings);

// How many LU quieter an MP3 of warta's speech decodes than the audio that
// went into LAME, at this bit rate and channel count (see the table in
// writer.cpp for how it was measured); 0 where no change was measured.
double mp3LevelLossDb(int bitrate_kbps, int channels, int sample_rate);

// The bit rates MPEG-1 Layer III has (kb/s), the only ones an MP3 output may use.
inline constexpr int kMp3Bitrates[] = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
inline bool isMp3Bitrate(int kbps) {
  for (int rate : kMp3Bitrates)
    if (rate == kbps) return true;
  return false;
}

// The writer settings.container and the extension ask for (see Container).
// Throws audio::AudioError naming the file for an unknown extension or one
// that contradicts settings.container, and whatever the writer throws.
std::unique_ptr<EncodedOutput> openWriter(const std::filesystem::path& path, const OutputSettings& settings);

}  // namespace warta::encode
