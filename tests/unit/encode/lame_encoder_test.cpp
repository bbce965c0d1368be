// SPDX-License-Identifier: GPL-3.0-or-later
// encode/lame_encoder.h: LAME driven directly gives what FFmpeg's libmp3lame
// encoder (the independent reference, set up the way FFmpeg's own defaults
// and our settings set it) gives for the same samples: every packet's bytes,
// timestamps, duration, flags and skip-samples side data. And emptying the
// bit reservoir does what it says: the next frame borrows nothing.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "audio/av_handles.h"
#include "encode/lame_encoder.h"
#include "support/media.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

using warta::audio::Audio;
using warta::encode::LameEncoder;

namespace {

struct Packet {
  std::int64_t pts = 0, dts = 0, duration = 0;
  int flags = 0;
  std::string data;
  std::vector<std::pair<int, std::string>> side;  // type, bytes
  bool operator==(const Packet&) const = default;
};

Packet copy(const AVPacket& p) {
  Packet q{p.pts, p.dts, p.duration, p.flags, std::string(reinterpret_cast<const char*>(p.data), p.size), {}};
  for (int i = 0; i < p.side_data_elems; ++i)
    q.side.emplace_back(static_cast<int>(p.side_data[i].type),
                        std::string(reinterpret_cast<const char*>(p.side_data[i].data), p.side_data[i].size));
  return q;
}

// Music-like and nowhere silent: two tones, a sweep and noise bursts.
Audio programme(int rate, int channels, double seconds) {
  const auto frames = static_cast<std::size_t>(seconds * rate);
  const auto width = static_cast<std::size_t>(channels);
  Audio out{std::vector<float>(frames * width), rate, channels};
  std::uint32_t noise = 4242;
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    const bool burst = std::fmod(t, 0.29) < 0.012;
    for (std::size_t c = 0; c < width; ++c) {
      noise = noise * 1664525u + 1013904223u;
      const double n = (burst ? 0.3 : 0.02) * (static_cast<double>(noise >> 8) / (1u << 24) - 0.5);
      out.samples[i * width + c] = static_cast<float>(0.3 * std::sin(2 * M_PI * (220 + 110 * c) * t) +
                                                      0.2 * std::sin(2 * M_PI * (200 * t + 300 * t * t)) + n);
    }
  }
  return out;
}

// FFmpeg's libmp3lame encoder: planar float frames of its frame size, the
// last one short, then the flush.
std::vector<Packet> ffmpegEncode(const Audio& in, int kbps) {
  const AVCodec* encoder = avcodec_find_encoder_by_name("libmp3lame");
  REQUIRE(encoder);
  warta::av::CodecContext codec(avcodec_alloc_context3(encoder));
  REQUIRE(codec);
  codec->sample_fmt = AV_SAMPLE_FMT_FLTP;
  codec->sample_rate = in.sample_rate;
  av_channel_layout_default(&codec->ch_layout, in.channels);
  codec->bit_rate = std::int64_t{kbps} * 1000;
  codec->time_base = AVRational{1, in.sample_rate};
  REQUIRE(avcodec_open2(codec.get(), encoder, nullptr) == 0);
  warta::av::Frame frame(av_frame_alloc());
  warta::av::Packet packet(av_packet_alloc());
  std::vector<Packet> out;
  const auto drain = [&] {
    while (avcodec_receive_packet(codec.get(), packet.get()) == 0) {
      out.push_back(copy(*packet));
      av_packet_unref(packet.get());
    }
  };
  const auto width = static_cast<std::size_t>(in.channels);
  for (std::size_t at = 0; at < in.frames(); at += static_cast<std::size_t>(codec->frame_size)) {
    const int n = static_cast<int>(std::min<std::size_t>(codec->frame_size, in.frames() - at));
    av_frame_unref(frame.get());
    frame->format = AV_SAMPLE_FMT_FLTP;
    frame->sample_rate = in.sample_rate;
    frame->nb_samples = n;
    REQUIRE(av_channel_layout_copy(&frame->ch_layout, &codec->ch_layout) == 0);
    REQUIRE(av_frame_get_buffer(frame.get(), 0) == 0);
    for (std::size_t c = 0; c < width; ++c) {
      auto* plane = reinterpret_cast<float*>(frame->extended_data[c]);
      for (int i = 0; i < n; ++i) plane[i] = in.samples[(at + static_cast<std::size_t>(i)) * width + c];
    }
    frame->pts = static_cast<std::int64_t>(at);
    REQUIRE(avcodec_send_frame(codec.get(), frame.get()) == 0);
    drain();
  }
  REQUIRE(avcodec_send_frame(codec.get(), nullptr) == 0);
  drain();
  return out;
}

std::vector<Packet> lameEncode(const Audio& in, int kbps, const std::vector<std::int64_t>& empty_before = {}) {
  LameEncoder lame("test.mp3", in.sample_rate, in.channels, kbps);
  warta::av::Packet packet(av_packet_alloc());
  std::vector<Packet> out;
  std::size_t next = 0;
  const auto after = [&] {
    if (next < empty_before.size() && lame.framesEncoded() == empty_before[next]) {
      lame.emptyReservoir();
      ++next;
    }
    while (lame.nextPacket(*packet)) out.push_back(copy(*packet));
  };
  const auto width = static_cast<std::size_t>(in.channels);
  const auto frame = static_cast<std::size_t>(lame.frameSize());
  for (std::size_t at = 0; at < in.frames(); at += frame) {
    lame.encode(in.samples.data() + at * width, static_cast<int>(std::min(frame, in.frames() - at)));
    after();
  }
  while (lame.encodePadding()) after();
  lame.finish();
  after();
  CHECK(next == empty_before.size());
  return out;
}

// main_data_begin (ISO 11172-3 / 13818-3): 9 bits after the header (and a
// CRC if the protection bit is 0) in MPEG-1, 8 in MPEG-2 and 2.5.
int mainDataBegin(const std::string& frame) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(frame[i]); };
  const bool mpeg1 = ((b(1) >> 3) & 3) == 3;
  const std::size_t side = (b(1) & 1) ? 4 : 6;
  return mpeg1 ? (b(side) << 1) | (b(side + 1) >> 7) : b(side);
}

struct Setting {
  int rate, channels, kbps;
};

}  // namespace

TEST_CASE("LAME driven directly gives FFmpeg's libmp3lame packets, byte for byte", "[encode][lame]") {
  const Setting settings[] = {{44100, 2, 128}, {22050, 1, 64}, {48000, 2, 192}, {16000, 1, 32}};
  for (const Setting& s : settings) {
    for (const double seconds : {2.345, 0.01, 0.0}) {
      INFO(s.rate << " Hz, " << s.channels << " channels, " << s.kbps << " kb/s, " << seconds << " s");
      const Audio in = programme(s.rate, s.channels, seconds);
      const std::vector<Packet> ours = lameEncode(in, s.kbps);
      const std::vector<Packet> theirs = ffmpegEncode(in, s.kbps);
      CHECK(lameEncode(in, s.kbps) == ours);  // the same again: nothing read that was not written
      CHECK(ours.size() == theirs.size());
      std::size_t differing = 0;
      for (std::size_t j = 0; j < std::min(ours.size(), theirs.size()); ++j) differing += !(ours[j] == theirs[j]);
      CHECK(differing == 0);
      if (seconds == 0) continue;  // FFmpeg's encoder gives nothing for nothing; so do we
      REQUIRE(!ours.empty());
      CHECK(ours.front().side.size() == 1);  // the encoder delay, as the muxer needs it for the LAME tag
      CHECK(ours.back().side.size() == 1);   // the end padding
    }
  }
}

TEST_CASE("emptying LAME's bit reservoir leaves the next frame borrowing nothing", "[encode][lame]") {
  const Audio in = programme(44100, 2, 3.0);
  const std::vector<Packet> plain = lameEncode(in, 128);
  const std::vector<Packet> emptied = lameEncode(in, 128, {40, 41, 90});
  REQUIRE(plain.size() == emptied.size());
  // Without: these frames borrow (the programme leaves bits over); with: none of them.
  for (const std::size_t j : {40, 41, 90}) {
    INFO("frame " << j);
    CHECK(mainDataBegin(plain[j].data) > 0);
    CHECK(mainDataBegin(emptied[j].data) == 0);
  }
  // Frames whose bytes the reservoir (511 bytes at most) cannot reach from
  // frame 40 are the same; the frames stay the same size.
  for (std::size_t j = 0; j < 38; ++j) CHECK(plain[j] == emptied[j]);
  for (std::size_t j = 0; j < plain.size(); ++j) CHECK(plain[j].data.size() == emptied[j].data.size());
}
