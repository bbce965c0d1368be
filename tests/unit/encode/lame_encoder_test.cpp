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
#include "support/mp3_packets.h"

using warta::audio::Audio;
using warta::encode::LameEncoder;
using warta::test::copyPacket;
using warta::test::ffmpegMp3Packets;
using warta::test::mainDataBegin;
using warta::test::Packet;

namespace {

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
    while (lame.nextPacket(*packet)) out.push_back(copyPacket(*packet));
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
      const std::vector<Packet> theirs = ffmpegMp3Packets(in, s.kbps);
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
