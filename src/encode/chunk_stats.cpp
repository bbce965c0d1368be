// SPDX-License-Identifier: GPL-3.0-or-later
#include "encode/chunk_stats.h"

#include <algorithm>
#include <numeric>

#include "audio/av_handles.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace warta::encode {
namespace fs = std::filesystem;
using audio::AudioError;

namespace {

// Packets decoded before the first one whose output is measured: they
// rebuild the IMDCT overlap and the synthesis filterbank (one frame would
// do); what a bit reservoir out of their reach (511 bytes back at most)
// spoils in the first of them, the meter's settling absorbs.
constexpr std::int64_t kWarmPackets = 4;

// Cells smaller than this are not worth keeping (their count is the cache's
// size): such a stretch is measured again when it moves. At 44.1 kHz MP3's
// are 18 frames (1152 and 4410 share 18), at 48 kHz 192, at 22.05 kHz 9.
constexpr std::int64_t kMinMovableCell = 8;

struct Layout {
  std::vector<std::int64_t> starts;  // each chunk's first sample in the programme
  std::vector<std::int64_t> kept;    // MP3: packets of each chunk in the joined file
  std::int64_t total = 0;
  std::int64_t delay = 0;  // MP3: the encoder delay the decode trims
  std::int64_t frame = 1;  // MP3: samples per packet
  bool mp3 = false;
};

Layout layoutOf(const std::vector<ChunkInfo>& infos) {
  Layout l;
  if (infos.empty()) throw ChunkError("no chunks to measure");
  l.mp3 = infos.front().codec == ChunkCodec::Mp3;
  if (l.mp3) {
    l.delay = infos.front().initial_padding;
    l.frame = std::max(1, infos.front().frame_size);
  }
  for (std::size_t c = 0; c < infos.size(); ++c) {
    const ChunkInfo& info = infos[c];
    l.starts.push_back(l.total);
    l.total += info.samples;
    // As joinMp3 keeps them.
    l.kept.push_back(c + 1 == infos.size()
                         ? std::min(info.packets, (info.samples + info.initial_padding + l.frame - 1) / l.frame)
                         : info.samples / l.frame);
  }
  return l;
}

// The first packet (MP3) or sample (PCM) the measuring of a stretch fed from `from` needs.
std::int64_t firstNeeded(const Layout& l, std::int64_t from) {
  return l.mp3 ? std::max<std::int64_t>(0, (from + l.delay) / l.frame - kWarmPackets) : from;
}

ChunkStretch stretchOf(const Layout& l, const std::vector<ChunkInfo>& infos, std::size_t index) {
  if (index >= infos.size())
    throw ChunkError("no chunk " + std::to_string(index) + " of " + std::to_string(infos.size()));
  ChunkStretch s;
  s.last = index + 1 == infos.size();
  const auto at = [&](std::int64_t sample) { return std::clamp(sample - l.delay, std::int64_t{0}, l.total); };
  s.start = index == 0 ? 0 : at(l.starts[index]);
  s.end = s.last ? l.total : std::max(s.start, at(l.starts[index] + infos[index].samples));
  const int rate = infos.front().sample_rate;
  const std::int64_t grid = std::gcd(audio::tailBlockFrames(rate), audio::loudnessStepFrames(rate));
  const std::int64_t need = firstNeeded(l, audio::StretchMeter::feedFrom(rate, s.start));
  const std::int64_t by_packet = std::gcd(grid, l.frame);
  s.movable = l.mp3 && by_packet >= kMinMovableCell && need > 0;
  s.cell = s.movable ? by_packet : grid;
  s.first_chunk = index;
  while (s.first_chunk > 0 && (l.mp3 ? l.starts[s.first_chunk] / l.frame : l.starts[s.first_chunk]) > need)
    --s.first_chunk;
  return s;
}

}  // namespace

ChunkStretch chunkStretch(const std::vector<ChunkInfo>& infos, std::size_t index) {
  return stretchOf(layoutOf(infos), infos, index);
}

audio::StretchCells measureChunkStretch(const std::vector<fs::path>& chunks, const std::vector<ChunkInfo>& infos,
                                        std::size_t index) {
  if (chunks.size() != infos.size()) throw ChunkError("measureChunkStretch: one info per chunk");
  const Layout l = layoutOf(infos);
  const ChunkStretch s = stretchOf(l, infos, index);
  const int rate = infos.front().sample_rate, channels = infos.front().channels;
  audio::StretchMeter meter(rate, channels, s.start, s.end, s.cell);
  const std::int64_t need = firstNeeded(l, meter.feedFrom());
  const std::string name = chunks[index].string();
  av::Packet packet(av_packet_alloc());
  if (!packet) throw AudioError(name + ": out of memory");
  std::vector<float> samples;

  if (!l.mp3) {
    for (std::size_t c = s.first_chunk; c <= index; ++c) {
      ChunkReader reader(chunks[c], false);  // checked whole by the cache or just written
      std::int64_t at = l.starts[c];
      while (reader.next(*packet)) {
        const std::size_t n = static_cast<std::size_t>(packet->size) / 2;  // little-endian 16-bit samples
        const auto frames = static_cast<std::int64_t>(n) / channels;
        if (at + frames > need) {
          samples.resize(n);
          for (std::size_t i = 0; i < n; ++i)  // as the WAV's decoder gives them (s16 / 32768)
            samples[i] = static_cast<std::int16_t>(packet->data[2 * i] | (packet->data[2 * i + 1] << 8)) / 32768.0f;
          meter.add(at, samples.data(), static_cast<std::size_t>(frames));
        }
        at += frames;
      }
    }
    return meter.finish();
  }

  // The decoder decodeAndMeasure gets for an MP3 (the first registered: mp3float).
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_MP3);
  if (!codec) throw AudioError(name + ": no MP3 decoder");
  av::CodecContext ctx(avcodec_alloc_context3(codec));
  av::Frame frame(av_frame_alloc());
  if (!ctx || !frame) throw AudioError(name + ": out of memory");
  ctx->sample_rate = rate;
  av_channel_layout_default(&ctx->ch_layout, channels);
  av::check(avcodec_open2(ctx.get(), codec, nullptr), name + ": cannot open the MP3 decoder");
  std::int64_t raw = need * l.frame;  // the next decoded sample, before the delay is trimmed
  auto drain = [&] {
    for (;;) {
      const int got = avcodec_receive_frame(ctx.get(), frame.get());
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
      av::check(got, name + ": does not decode");
      audio::interleavedSamples(frame.get(), channels, samples, name);
      const std::int64_t n = frame->nb_samples;
      av_frame_unref(frame.get());
      if (raw + n > l.delay) {  // the decode's first `delay` samples are trimmed
        const std::int64_t skip = std::max<std::int64_t>(0, l.delay - raw);
        meter.add(raw + skip - l.delay, samples.data() + skip * channels, static_cast<std::size_t>(n - skip));
      }
      raw += n;
    }
  };
  for (std::size_t c = s.first_chunk; c <= index; ++c) {
    ChunkReader reader(chunks[c], false);              // checked whole by the cache or just written
    const std::int64_t first = l.starts[c] / l.frame;  // its first packet in the joined file
    for (std::int64_t k = 0; k < l.kept[c]; ++k) {
      if (!reader.next(*packet))
        throw ChunkError(chunks[c].string() + ": " + std::to_string(k) + " packets, not " + std::to_string(l.kept[c]));
      if (first + k < need) {
        av_packet_unref(packet.get());
        continue;
      }
      // Raw packets: the decoder trims nothing itself (the skip-samples side data would).
      av_packet_free_side_data(packet.get());
      const int sent = avcodec_send_packet(ctx.get(), packet.get());
      av_packet_unref(packet.get());
      av::check(sent, chunks[c].string() + ": does not decode");
      drain();
    }
  }
  av::check(avcodec_send_packet(ctx.get(), nullptr), name + ": does not decode");
  drain();
  return meter.finish();
}

}  // namespace warta::encode
