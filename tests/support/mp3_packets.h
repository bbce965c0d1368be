// SPDX-License-Identifier: GPL-3.0-or-later
// MP3 packets as plain values for comparing, the independent encoder that
// tests hold warta's against (FFmpeg's libmp3lame encoder through
// libavcodec), and what a frame's side information says about the bit
// reservoir.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "audio/audio.h"

extern "C" {
#include <libavcodec/packet.h>
}

namespace warta::test {

struct Packet {
  std::int64_t pts = 0, dts = 0, duration = 0;
  int flags = 0;
  std::string data;
  std::vector<std::pair<int, std::string>> side;  // type, bytes
  bool operator==(const Packet&) const = default;
};

Packet copyPacket(const AVPacket& p);

// The packets FFmpeg's libmp3lame encoder gives for `audio`: CBR at `kbps`,
// planar float frames of its frame size (samples clamped to +-1) and a
// short last one, then the flush. Throws std::runtime_error if FFmpeg fails.
std::vector<Packet> ffmpegMp3Packets(const audio::Audio& audio, int kbps);

// The frames of the MP3 file at `path` as FFmpeg's demuxer reads them (the
// Xing/LAME frame is its header, not a frame). Throws audio::AudioError
// if FFmpeg cannot open it.
std::vector<std::string> mp3Frames(const std::filesystem::path& path);

// main_data_begin of a Layer III frame (ISO 11172-3 / 13818-3): where its
// bits start, counted back into earlier frames' bytes (the bit reservoir).
// Throws std::runtime_error if `frame` does not start with a Layer III header.
int mainDataBegin(const std::string& frame);

}  // namespace warta::test
