#include "support/media.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "audio/av_handles.h"
#include "audio/edit.h"

namespace warta::test {
namespace fs = std::filesystem;
using audio::AudioError;

namespace {

// Appends one decoded frame to `out` as interleaved float, whatever the
// decoder's sample format (no resampling: values are converted exactly).
void appendFrame(const AVFrame& frame, audio::Audio& out, const std::string& name) {
  const auto format = static_cast<AVSampleFormat>(frame.format);
  const int channels = frame.ch_layout.nb_channels;
  const int count = frame.nb_samples;
  const bool planar = av_sample_fmt_is_planar(format);
  const AVSampleFormat packed = av_get_packed_sample_fmt(format);
  const std::size_t base = out.samples.size();
  out.samples.resize(base + static_cast<std::size_t>(count) * static_cast<std::size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    const uint8_t* data = frame.extended_data[planar ? c : 0];
    for (int i = 0; i < count; ++i) {
      const int index = planar ? i : i * channels + c;
      double v = 0;
      switch (packed) {
        case AV_SAMPLE_FMT_U8: v = (reinterpret_cast<const uint8_t*>(data)[index] - 128) / 128.0; break;
        case AV_SAMPLE_FMT_S16: v = reinterpret_cast<const int16_t*>(data)[index] / 32768.0; break;
        case AV_SAMPLE_FMT_S32: v = reinterpret_cast<const int32_t*>(data)[index] / 2147483648.0; break;
        case AV_SAMPLE_FMT_S64: v = static_cast<double>(reinterpret_cast<const int64_t*>(data)[index]) / 9223372036854775808.0; break;
        case AV_SAMPLE_FMT_FLT: v = reinterpret_cast<const float*>(data)[index]; break;
        case AV_SAMPLE_FMT_DBL: v = reinterpret_cast<const double*>(data)[index]; break;
        default: throw AudioError(name + ": unsupported sample format " + std::to_string(frame.format));
      }
      out.samples[base + static_cast<std::size_t>(i) * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] =
          static_cast<float>(v);
    }
  }
}

// Removes this process's scratch folders when the test program exits
// (unless WARTA_KEEP_TEST_FILES is set, to look at a failure's files).
struct ScratchRoot {
  fs::path path = fs::temp_directory_path() / ("warta-tests-" + std::to_string(::getpid()));
  ~ScratchRoot() {
    if (std::getenv("WARTA_KEEP_TEST_FILES")) return;
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

Decoded decodeFile(const fs::path& path) {
  const std::string name = path.string();
  av::FormatInput input = av::openInput(name);
  const AVCodec* decoder = nullptr;
  const int stream_index =
      av::check(av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0), name + ": no audio stream");
  if (!decoder) throw AudioError(name + ": no decoder for its audio");
  AVStream* stream = input->streams[stream_index];

  av::CodecContext codec(avcodec_alloc_context3(decoder));
  if (!codec) throw AudioError(name + ": out of memory");
  av::check(avcodec_parameters_to_context(codec.get(), stream->codecpar), name + ": decoder parameters");
  codec->pkt_timebase = stream->time_base;  // lets the decoder apply skip-samples (gapless) exactly
  codec->err_recognition |= AV_EF_EXPLODE;  // any damage is an error, not a concealed glitch
  av::check(avcodec_open2(codec.get(), decoder, nullptr), name + ": cannot open decoder");

  Decoded result;
  result.codec = decoder->name;
  if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
    result.container_seconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
  else if (input->duration != AV_NOPTS_VALUE && input->duration > 0)
    result.container_seconds = static_cast<double>(input->duration) / AV_TIME_BASE;

  av::Packet packet(av_packet_alloc());
  av::Frame frame(av_frame_alloc());
  if (!packet || !frame) throw AudioError(name + ": out of memory");
  audio::Audio& out = result.audio;

  const auto drain = [&] {
    for (;;) {
      const int got = avcodec_receive_frame(codec.get(), frame.get());
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
      av::check(got, name + ": decoding");
      if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT))
        throw AudioError(name + ": corrupt frame at sample " + std::to_string(out.frames()));
      if (out.sample_rate == 0) {
        out.sample_rate = frame->sample_rate;
        out.channels = frame->ch_layout.nb_channels;
      } else if (frame->sample_rate != out.sample_rate || frame->ch_layout.nb_channels != out.channels) {
        throw AudioError(name + ": format changes mid-stream");
      }
      appendFrame(*frame, out, name);
      av_frame_unref(frame.get());
    }
  };

  for (;;) {
    const int read = av_read_frame(input.get(), packet.get());
    if (read == AVERROR_EOF) break;
    av::check(read, name + ": reading");
    if (packet->stream_index == stream_index) {
      const int sent = avcodec_send_packet(codec.get(), packet.get());
      av_packet_unref(packet.get());
      av::check(sent, name + ": decoding");
      drain();
    } else {
      av_packet_unref(packet.get());
    }
  }
  av::check(avcodec_send_packet(codec.get(), nullptr), name + ": decoding");
  drain();
  if (out.sample_rate == 0) {  // no frames at all: still say the stream's format
    out.sample_rate = codec->sample_rate;
    out.channels = codec->ch_layout.nb_channels;
  }
  return result;
}

std::map<std::string, std::string> readTags(const fs::path& path) {
  const av::FormatInput input = av::openInput(path.string());
  std::map<std::string, std::string> tags;
  const AVDictionaryEntry* entry = nullptr;
  while ((entry = av_dict_get(input->metadata, "", entry, AV_DICT_IGNORE_SUFFIX))) {
    std::string key = entry->key;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    tags[key] = entry->value;
  }
  return tags;
}

double windowRms(const audio::Audio& audio, double start_s, double end_s) {
  if (audio.sample_rate <= 0 || !(end_s > start_s)) return 0.0;
  const auto first = static_cast<std::size_t>(std::llround(std::max(0.0, start_s) * audio.sample_rate));
  const auto last = static_cast<std::size_t>(std::llround(std::max(0.0, end_s) * audio.sample_rate));
  return last > first ? audio::rms(audio, first, last - first) : 0.0;
}

double toDb(double linear) { return linear > 1e-10 ? 20.0 * std::log10(linear) : -200.0; }

double rmsDb(const audio::Audio& audio, double start_s, double end_s) { return toDb(windowRms(audio, start_s, end_s)); }

double rmsDb(const audio::Audio& audio) { return toDb(audio::rms(audio, 0, audio.frames())); }

audio::Audio tone(double freq_hz, double seconds, int rate, int channels, double amplitude) {
  audio::Audio out;
  out.sample_rate = rate;
  out.channels = channels;
  const auto frames = static_cast<std::size_t>(std::llround(std::max(0.0, seconds) * rate));
  out.samples.resize(frames * static_cast<std::size_t>(channels));
  const double step = 2.0 * std::numbers::pi * freq_hz / rate;
  for (std::size_t i = 0; i < frames; ++i) {
    const auto v = static_cast<float>(amplitude * std::sin(step * static_cast<double>(i)));
    for (int c = 0; c < channels; ++c) out.samples[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] = v;
  }
  return out;
}

void writeBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path tempDir(const std::string& name) {
  static const ScratchRoot root;
  const fs::path dir = root.path / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace warta::test
