// SPDX-License-Identifier: GPL-3.0-or-later
// joinChunks (chunk.h): chunk files -> one MP3 or WAV.
#include <algorithm>
#include <optional>

#include "audio/av_handles.h"
#include "encode/atomic_file.h"
#include "encode/chunk.h"
#include "encode/cover_image.h"
#include "encode/id3_tag.h"
#include "encode/writer_detail.h"

#include <lame/lame.h>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace warta::encode {
namespace fs = std::filesystem;
using audio::AudioError;

namespace {

// The LAME tag's 9-byte encoder field as LAME itself fills it ("LAME3.100"):
// LAME copies the first 9 bytes of get_lame_very_short_version(), "LAME3.100 ".
// FFmpeg's muxer writes "Lavf" there unless the stream's "encoder" says
// otherwise, and readers that look for "LAME" (mutagen, music-metadata) then
// ignore the delay and padding and report the length of whole frames. The
// library linked is the one the chunks were encoded with (lame_encoder.cpp).
std::string lameEncoderField() { return std::string(get_lame_very_short_version()).substr(0, 9); }

// The muxer for the audio stream (index 0). It writes no ID3v2 tag: joinMp3
// writes renderId3v24Tag's before the muxer's header.
av::FormatOutput openMuxer(const AtomicFile& file, const ChunkInfo& first) {
  const std::string name = file.finalPath().string();
  AVFormatContext* raw = nullptr;
  av::check(avformat_alloc_output_context2(&raw, nullptr, "mp3", file.tempPath().c_str()), name + ": MP3 muxer");
  av::FormatOutput format(raw);

  AVStream* stream = avformat_new_stream(format.get(), nullptr);
  if (!stream) throw AudioError(name + ": cannot add an audio stream");
  AVCodecParameters* par = stream->codecpar;
  par->codec_type = AVMEDIA_TYPE_AUDIO;
  par->codec_id = AV_CODEC_ID_MP3;
  par->sample_rate = first.sample_rate;
  av_channel_layout_default(&par->ch_layout, first.channels);
  par->bit_rate = int64_t{first.bitrate_kbps} * 1000;
  par->frame_size = first.frame_size;
  par->initial_padding = first.initial_padding;  // the LAME header's encoder delay
  stream->time_base = AVRational{1, first.sample_rate};
  av::check(av_dict_set(&stream->metadata, "encoder", lameEncoderField().c_str(), 0), name + ": LAME tag encoder");

  // No ID3v2 tag from FFmpeg (renderId3v24Tag's goes before it); the
  // Xing/LAME frame records encoder delay and padding so decoders trim to the
  // exact length. Its position is taken when written, so it lands after the tag.
  av::check(av_opt_set_int(format->priv_data, "id3v2_version", 0, 0), name + ": id3v2_version");
  av::check(av_opt_set_int(format->priv_data, "write_xing", 1, 0), name + ": write_xing");
  return format;
}

// The muxer takes the LAME tag's encoder delay from the first packet's
// skip-samples side data (start field) and its padding from the last
// packet's (end field); a packet without it resets the padding. LAME's
// first packet carries the delay, but a chunk cut anywhere may start with
// any packet, and only the last chunk's side data is kept: so the first
// packet of the stream always carries the first chunk's delay.
void markDelay(AVPacket& p, int initial_padding, const std::string& name) {
  if (av_packet_get_side_data(&p, AV_PKT_DATA_SKIP_SAMPLES, nullptr)) return;  // LAME's own
  std::uint8_t* side = av_packet_new_side_data(&p, AV_PKT_DATA_SKIP_SAMPLES, 10);
  if (!side) throw AudioError(name + ": out of memory");
  const auto delay = static_cast<std::uint32_t>(initial_padding);
  for (int i = 0; i < 10; ++i)
    side[i] = i < 4 ? static_cast<std::uint8_t>(delay >> (8 * i)) : 0;  // little-endian start, end 0
}

void checkFormat(const fs::path& chunk, const ChunkInfo& info, const ChunkInfo& first, const OutputSettings& s) {
  if (info.codec != first.codec || info.sample_rate != s.sample_rate || info.channels != s.channels ||
      info.bitrate_kbps != first.bitrate_kbps || info.frame_size != first.frame_size ||
      info.initial_padding != first.initial_padding)
    throw ChunkError(chunk.string() + ": chunk format differs from the output's (" + std::to_string(info.sample_rate) +
                     " Hz, " + std::to_string(info.channels) + " channels)");
}

// MP3: packets of every chunk in order. Every chunk but the last gives
// samples / frame_size frames: its later frames hold only the encoder's
// delayed tail, which the next chunk's first frame covers. The last chunk's
// last kept packet keeps its skip-samples side data, from which the muxer
// writes the padding that trims the stream to its exact length.
void joinMp3(AtomicFile& file, const OutputSettings& settings, const std::vector<fs::path>& chunks,
             const std::vector<ChunkInfo>& infos, const std::vector<Chapter>& chapters, std::int64_t samples) {
  const std::string name = file.finalPath().string();
  std::optional<CoverImage> cover;  // held only until the tag is written
  if (!settings.cover_image.empty()) cover = readCoverImage(settings.cover_image);  // decoded once by the configuration
  std::vector<unsigned char> tag = renderId3v24Tag(
      settings.tags, chapters, av_rescale(samples, 1000, infos.front().sample_rate), cover ? &*cover : nullptr);  // ms
  av::FormatOutput format = openMuxer(file, infos.front());
  av::check(avio_open(&format->pb, file.tempPath().c_str(), AVIO_FLAG_WRITE), file.tempPath().string());
  // The tag first, then the cover's picture that ends it; the muxer's Xing frame follows.
  avio_write(format->pb, tag.data(), static_cast<int>(tag.size()));
  if (cover)
    avio_write(format->pb, reinterpret_cast<const unsigned char*>(cover->bytes.data()),
               static_cast<int>(cover->bytes.size()));
  tag = std::vector<unsigned char>();
  cover.reset();
  av::check(avformat_write_header(format.get(), nullptr), name + ": cannot write MP3 header");

  av::Packet packet(av_packet_alloc());
  if (!packet) throw AudioError(name + ": out of memory");
  AVPacket* p = packet.get();
  const AVRational chunk_base{1, infos.front().sample_rate};
  const AVRational stream_base = format->streams[0]->time_base;
  std::int64_t start = 0;  // samples before this chunk
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    ChunkReader reader(chunks[c]);
    const bool last = c + 1 == chunks.size();
    const ChunkInfo& info = reader.info();
    // The last chunk keeps the frames that hold its samples after the
    // encoder's delay: LAME's flush can add a frame of padding alone, and the
    // muxer takes the end padding from the last packet only.
    const std::int64_t keep =
        last ? std::min(info.packets, (info.samples + info.initial_padding + info.frame_size - 1) / info.frame_size)
             : info.samples / info.frame_size;
    if (keep > info.packets)
      throw ChunkError(chunks[c].string() + ": " + std::to_string(info.packets) + " frames for " +
                       std::to_string(info.samples) + " samples");
    for (std::int64_t k = 0; k < keep && reader.next(*p); ++k) {
      if (!last) av_packet_free_side_data(p);
      if (c == 0 && k == 0) markDelay(*p, info.initial_padding, name);
      p->pts += start;
      p->dts += start;
      av_packet_rescale_ts(p, chunk_base, stream_base);
      p->stream_index = 0;
      const int wrote = av_write_frame(format.get(), p);
      av_packet_unref(p);
      av::check(wrote, name + ": cannot write");
    }
    start += info.samples;
  }
  av::check(av_write_trailer(format.get()), name + ": cannot finish MP3");
  avio_flush(format->pb);
  if (format->pb->error < 0) av::check(format->pb->error, name + ": cannot write");
  format.reset();  // closes the temporary file before it is renamed
}

// PCM: the samples, in order, through the WAV writer (which owns the
// container), as the 16-bit values the chunks hold: no second reduction.
void joinPcm(const fs::path& output, const OutputSettings& settings, const std::vector<fs::path>& chunks,
             const std::vector<Chapter>& chapters) {
  WavWriter writer(output, settings, outputFormat(output, settings.container) == OutputFormat::Bwf);
  writer.setChapters(chapters);
  av::Packet packet(av_packet_alloc());
  if (!packet) throw AudioError(output.string() + ": out of memory");
  std::vector<std::int16_t> block;
  for (const auto& chunk : chunks) {
    ChunkReader reader(chunk);
    while (reader.next(*packet)) {
      const std::size_t n = static_cast<std::size_t>(packet->size) / 2;  // little-endian 16-bit samples
      block.resize(n);
      for (std::size_t i = 0; i < n; ++i)
        block[i] = static_cast<std::int16_t>(packet->data[2 * i] | (packet->data[2 * i + 1] << 8));
      writer.writePcm16(block.data(), n / static_cast<std::size_t>(settings.channels));
    }
  }
  writer.finish();
}

}  // namespace

std::int64_t joinChunks(const fs::path& output, const OutputSettings& settings, const std::vector<fs::path>& chunks,
                        const std::vector<Chapter>& chapters) {
  const std::string name = output.string();
  if (chunks.empty()) throw AudioError(name + ": no audio was written");
  detail::checkChapters(output, chapters);
  // Lengths first: the chapters go into the header.
  std::vector<ChunkInfo> infos;
  std::int64_t samples = 0;
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    infos.push_back(ChunkReader(chunks[c], false).info());  // checked whole below, as it is copied
    checkFormat(chunks[c], infos.back(), infos.front(), settings);
    if (c + 1 < chunks.size() && infos.back().codec == ChunkCodec::Mp3 &&
        infos.back().samples % infos.back().frame_size != 0)
      throw ChunkError(chunks[c].string() + ": " + std::to_string(infos.back().samples) +
                       " samples, not a whole number of " + std::to_string(infos.back().frame_size) + "-sample frames");
    samples += infos.back().samples;
  }
  // Only a tag and a LAME frame: demuxers refuse such a file, so do not make one.
  if (samples == 0) throw AudioError(name + ": no audio was written");
  detail::checkChapterEnds(output, chapters, static_cast<double>(samples) / settings.sample_rate);
  const bool mp3 = infos.front().codec == ChunkCodec::Mp3;
  if (mp3 != writesMp3(output, settings))
    throw AudioError(name + (mp3 ? ": MP3 chunks need an MP3 output (a name ending in .mp3)"
                                 : ": PCM chunks need a WAV output (a name ending in .wav or .bwf)"));
  if (!mp3) {
    joinPcm(output, settings, chunks, chapters);
    return samples;
  }
  AtomicFile file(output);
  joinMp3(file, settings, chunks, infos, chapters, samples);
  file.commit();
  return samples;
}

}  // namespace warta::encode
