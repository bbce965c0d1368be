// SPDX-License-Identifier: GPL-3.0-or-later
#include "encode/writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "encode/writer_detail.h"
#include "text/date.h"

namespace warta::encode {
namespace fs = std::filesystem;
using audio::AudioError;

namespace detail {

void checkSettings(const fs::path& path, const OutputSettings& s, bool mp3) {
  if (s.sample_rate <= 0) throw AudioError(path.string() + ": invalid sample rate " + std::to_string(s.sample_rate));
  if (s.channels != 1 && s.channels != 2)
    throw AudioError(path.string() + ": unsupported channel count " + std::to_string(s.channels) + " (1 or 2)");
  if (mp3 && s.bitrate_kbps <= 0)
    throw AudioError(path.string() + ": invalid bitrate " + std::to_string(s.bitrate_kbps) + " kb/s");
  // ID3 TDRC, RIFF ICRD and bext hold the date as written: only a real one goes in.
  if (!s.tags.date.empty() && !text::parseIsoDate(s.tags.date))
    throw AudioError(path.string() + ": tag date '" + s.tags.date + "' is not a real date written YYYY-MM-DD");
  if (!s.broadcast.origination_date.empty() && !text::parseIsoDate(s.broadcast.origination_date))
    throw AudioError(path.string() + ": Broadcast WAV origination date '" + s.broadcast.origination_date +
                     "' is not a real date written YYYY-MM-DD");
}

void checkChunk(const fs::path& path, const OutputSettings& s, const audio::Audio& chunk) {
  if (chunk.sample_rate != s.sample_rate || chunk.channels != s.channels)
    throw AudioError(path.string() + ": chunk is " + std::to_string(chunk.sample_rate) + " Hz, " +
                     std::to_string(chunk.channels) + " channels; the writer expects " + std::to_string(s.sample_rate) +
                     " Hz, " + std::to_string(s.channels) + " channels");
}

std::string cutUtf8(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

namespace {
std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", s);
  return text;
}
std::string chapterName(const fs::path& path, const std::vector<Chapter>& chapters, std::size_t i) {
  return path.string() + ": chapter " + std::to_string(i + 1) + " '" + chapters[i].title + "'";
}
}  // namespace

void checkChapters(const fs::path& path, const std::vector<Chapter>& chapters) {
  if (chapters.size() > 255)
    throw AudioError(path.string() + ": " + std::to_string(chapters.size()) + " chapters; at most 255 fit");
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    const Chapter& c = chapters[i];
    if (!std::isfinite(c.start) || !std::isfinite(c.end))
      throw AudioError(chapterName(path, chapters, i) + " has a time that is not a number");
    if (c.start < 0)
      throw AudioError(chapterName(path, chapters, i) + " starts before the audio, at " + seconds(c.start));
    if (c.end < c.start)
      throw AudioError(chapterName(path, chapters, i) + " ends at " + seconds(c.end) + ", before it starts at " +
                       seconds(c.start));
  }
}

void checkChapterEnds(const fs::path& path, const std::vector<Chapter>& chapters, double length) {
  for (std::size_t i = 0; i < chapters.size(); ++i)
    if (chapters[i].end > length + 0.001)
      throw AudioError(chapterName(path, chapters, i) + " ends at " + seconds(chapters[i].end) +
                       ", after the audio, which is " + seconds(length) + " long");
}

}  // namespace detail

namespace {
std::string lowerExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}
}  // namespace

// LAME (3.100, CBR, FFmpeg's libmp3lame defaults, as lame_encoder.cpp sets them)
// decodes warta's speech this many LU quieter than its input. Measured with
// scripts/measure-mp3-level.sh (the four sample articles read by `warta say`,
// 7 minutes of speech, encoded by ffmpeg's libmp3lame, FFmpeg's ebur128,
// 0.1 LU resolution) at 44.1 and 48 kHz, which gave the same losses
// (but stereo 40 kb/s: 0.5 at 44.1 kHz, 0.4 at 48 kHz):
//   kb/s    32   40   48-160  192  224  256  320
//   mono    0.4  0.4  0.4     0.2  0.1  0    0
//   stereo  0.5  0.5  0.4     0.2  0.1  0    0
// Other rates (32, 24, 22.05 kHz) were not measured and take these values.
double mp3LevelLossDb(int bitrate_kbps, int channels, int sample_rate) {
  (void)sample_rate;
  if (bitrate_kbps >= 256) return 0.0;
  if (bitrate_kbps >= 224) return 0.1;
  if (bitrate_kbps >= 192) return 0.2;
  if (bitrate_kbps <= 40 && channels == 2) return 0.5;
  return 0.4;
}

std::optional<Container> containerNamed(std::string_view name) {
  if (name == "mp3") return Container::Mp3;
  if (name == "wav") return Container::Wav;
  if (name == "bwf") return Container::Bwf;
  return std::nullopt;
}

namespace {
std::optional<OutputFormat> formatOfExtension(const std::string& lower_ext) {
  for (const auto& [extension, format] : kOutputExtensions)
    if (lower_ext == extension) return format;
  return std::nullopt;
}
}  // namespace

std::string outputFormatProblem(const fs::path& path, Container container, bool extension_only) {
  const std::string ext = lowerExtension(path);
  const std::optional<OutputFormat> by_name = formatOfExtension(ext);
  if (!by_name)
    return ext.empty() ? "has no extension: name it .mp3, .wav or .bwf"
                       : "unsupported output type '" + path.extension().string() + "' (use .mp3, .wav or .bwf)";
  if (extension_only) return "";
  const bool mp3 = *by_name == OutputFormat::Mp3;
  if (container == Container::Mp3 && !mp3)
    return "MP3 output needs the extension .mp3, not '" + path.extension().string() + "'";
  if ((container == Container::Wav || container == Container::Bwf) && mp3)
    return "WAV output needs the extension .wav or .bwf, not '" + path.extension().string() + "'";
  return "";
}

OutputFormat outputFormat(const fs::path& path, Container container) {
  if (const std::string problem = outputFormatProblem(path, container); !problem.empty())
    throw AudioError(path.string() + ": " + problem);
  switch (container) {
    case Container::Mp3:
      return OutputFormat::Mp3;
    case Container::Wav:
      return OutputFormat::Wav;
    case Container::Bwf:
      return OutputFormat::Bwf;
    case Container::Auto:
      break;
  }
  return *formatOfExtension(lowerExtension(path));
}

bool writesMp3(const fs::path& path, const OutputSettings& settings) {
  return outputFormat(path, settings.container) == OutputFormat::Mp3;
}

std::unique_ptr<EncodedOutput> openWriter(const fs::path& path, const OutputSettings& settings) {
  switch (outputFormat(path, settings.container)) {
    case OutputFormat::Mp3:
      return std::make_unique<Mp3Writer>(path, settings);
    case OutputFormat::Wav:
      return std::make_unique<WavWriter>(path, settings, false);
    case OutputFormat::Bwf:
      return std::make_unique<WavWriter>(path, settings, true);
  }
  throw AudioError(path.string() + ": unknown output format");
}

}  // namespace warta::encode
