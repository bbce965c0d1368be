// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/mp3_packets.h"

#include <algorithm>
#include <stdexcept>

#include "audio/av_handles.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace warta::test {

Packet copyPacket(const AVPacket& p) {
  Packet out;
  out.pts = p.pts;
  out.dts = p.dts;
  out.duration = p.duration;
  out.flags = p.flags;
  out.data.assign(reinterpret_cast<const char*>(p.data), static_cast<std::size_t>(p.size));
  for (int i = 0; i < p.side_data_elems; ++i)
    out.side.emplace_back(static_cast<int>(p.side_data[i].type),
                          std::string(reinterpret_cast<const char*>(p.side_data[i].data), p.side_data[i].size));
  return out;
}

std::vector<Packet> ffmpegMp3Packets(const audio::Audio& audio, int kbps) {
  const auto check = [](bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("FFmpeg's libmp3lame: ") + what);
  };
  const AVCodec* encoder = avcodec_find_encoder_by_name("libmp3lame");
  check(encoder != nullptr, "no such encoder");
  av::CodecContext codec(avcodec_alloc_context3(encoder));
  check(codec != nullptr, "cannot allocate");
  codec->sample_fmt = AV_SAMPLE_FMT_FLTP;
  codec->sample_rate = audio.sample_rate;
  av_channel_layout_default(&codec->ch_layout, audio.channels);
  codec->bit_rate = std::int64_t{kbps} * 1000;
  codec->time_base = AVRational{1, audio.sample_rate};
  check(avcodec_open2(codec.get(), encoder, nullptr) == 0, "cannot open");
  av::Frame frame(av_frame_alloc());
  av::Packet packet(av_packet_alloc());
  check(frame && packet, "out of memory");
  std::vector<Packet> packets;
  const auto drain = [&] {
    for (;;) {
      const int got = avcodec_receive_packet(codec.get(), packet.get());
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
      check(got == 0, "encoding failed");
      packets.push_back(copyPacket(*packet));
      av_packet_unref(packet.get());
    }
  };
  const auto size = static_cast<std::size_t>(codec->frame_size);
  const auto width = static_cast<std::size_t>(audio.channels);
  for (std::size_t at = 0; at < audio.frames(); at += size) {
    const std::size_t n = std::min(size, audio.frames() - at);
    av_frame_unref(frame.get());
    frame->format = codec->sample_fmt;
    frame->sample_rate = codec->sample_rate;
    frame->nb_samples = static_cast<int>(n);
    check(av_channel_layout_copy(&frame->ch_layout, &codec->ch_layout) == 0, "channel layout");
    check(av_frame_get_buffer(frame.get(), 0) == 0, "frame buffer");
    for (std::size_t c = 0; c < width; ++c) {
      auto* plane = reinterpret_cast<float*>(frame->extended_data[c]);
      for (std::size_t i = 0; i < n; ++i) plane[i] = std::clamp(audio.samples[(at + i) * width + c], -1.0f, 1.0f);
    }
    frame->pts = static_cast<std::int64_t>(at);
    check(avcodec_send_frame(codec.get(), frame.get()) == 0, "sending a frame");
    drain();
  }
  check(avcodec_send_frame(codec.get(), nullptr) == 0, "flushing");
  drain();
  return packets;
}

std::vector<std::string> mp3Frames(const std::filesystem::path& path) {
  av::FormatInput input = av::openInput(path.string());  // audio only: a cover's stream is discarded
  av::Packet packet(av_packet_alloc());
  if (!packet) throw std::runtime_error("out of memory");
  std::vector<std::string> frames;
  while (av_read_frame(input.get(), packet.get()) >= 0) {
    frames.emplace_back(reinterpret_cast<const char*>(packet->data), static_cast<std::size_t>(packet->size));
    av_packet_unref(packet.get());
  }
  return frames;
}

int mainDataBegin(const std::string& frame) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(frame[i]); };
  if (frame.size() <= 8 || b(0) != 0xFF || (b(1) & 0xE0) != 0xE0 || ((b(1) >> 1) & 3) != 1)
    throw std::runtime_error("not a Layer III frame");
  // The side information follows the 4-byte header and, if the protection
  // bit is 0, a 16-bit CRC; it opens with 9 bits of main_data_begin in
  // MPEG-1, 8 in MPEG-2 and 2.5.
  const bool mpeg1 = ((b(1) >> 3) & 3) == 3;
  const std::size_t side = (b(1) & 1) ? 4 : 6;
  return mpeg1 ? (b(side) << 1) | (b(side + 1) >> 7) : b(side);
}

}  // namespace warta::test
