// SPDX-License-Identifier: GPL-3.0-or-later
// LAME (libmp3lame) driven directly, for the chunk writer (encode/chunk.h).
// Internal to the encode stage; only lame_encoder.cpp includes LAME's header.
//
// Set up as FFmpeg's libmp3lame encoder sets it up (CBR at the bitrate,
// joint stereo or mono, LAME's default quality and lowpass, no Xing frame,
// float samples scaled to 16-bit full scale) and giving the same packets:
// one per frame, split from LAME's bytes by the frame headers, with
// FFmpeg's timestamps and skip-samples side data. tests/unit/encode/
// lame_encoder_test.cpp checks that against FFmpeg's encoder, byte for byte.
//
// Why not FFmpeg's wrapper: it cannot empty LAME's bit reservoir in the
// middle of a stream (lame_encode_flush_nogap), which is what lets a chunk
// cut anywhere keep the reservoir everywhere but at its joins.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/packet.h>
}

struct lame_global_struct;  // <lame/lame.h>'s lame_global_flags

namespace warta::encode {

struct LameDeleter {
  void operator()(lame_global_struct* p) const;  // lame_close
};

class LameEncoder {
 public:
  // `name` (the output's) for messages. Throws audio::AudioError for a rate
  // MP3 has not, or settings LAME refuses.
  LameEncoder(const std::string& name, int sample_rate, int channels, int bitrate_kbps);
  LameEncoder(LameEncoder&&) noexcept = default;
  LameEncoder& operator=(LameEncoder&&) noexcept = default;

  int frameSize() const { return frame_size_; }  // samples per channel in a frame (1152, or 576 below 32 kHz)
  // Samples of decoder delay before the first input sample: LAME's encoder
  // delay and the decoder's 529 (FFmpeg's initial_padding).
  int delay() const { return delay_; }
  // Frames LAME has encoded (their bytes may not all be out yet).
  std::int64_t framesEncoded() const;

  // Encodes `count` samples per channel (at most frameSize()), interleaved,
  // full scale +-1 (clamped). A count short of a frame only last.
  void encode(const float* interleaved, int count);
  // Pads every frame encoded so far with ancillary data, so the next frame
  // takes no bits from earlier frames' bytes (main_data_begin 0); LAME's
  // signal state is kept.
  void emptyReservoir();
  // The end of the input: the silence LAME's own flush (lame_encode_flush)
  // encodes to give out all the input, a piece at a time (each encodes a
  // frame at most), false once all of it is; then finish(). Split so that
  // a caller can empty the reservoir between frames.
  bool encodePadding();
  void finish();

  // The next whole frame as FFmpeg's encoder gives it (pts and duration in
  // samples, pts counted from the first input sample less delay()); false
  // if none is out yet.
  bool nextPacket(AVPacket& packet);
  // encode(), emptyReservoir(), encodePadding(), finish() and nextPacket()
  // throw audio::AudioError (naming the output) if LAME fails, if bytes it
  // gives do not start a frame, or for input after finish().

 private:
  std::unique_ptr<lame_global_struct, LameDeleter> lame_;
  std::string name_;
  int channels_ = 0, frame_size_ = 0, delay_ = 0;
  std::size_t unpadded_frame_bytes_ = 0;  // a frame's bytes, less the padding byte LAME adds to some
  std::int64_t fed_ = 0;                  // input samples per channel, padding not counted
  std::int64_t packets_ = 0;              // packets given out
  int padding_left_ = -1;                 // frames of end padding still to encode, once the padding has begun
  bool finished_ = false;
  std::vector<float> left_, right_;  // one frame, scaled to +-32768
  std::vector<unsigned char> out_;   // LAME's bytes not yet given out as packets
  std::size_t out_start_ = 0;

  // Runs `call(out, room)`, a LAME call that writes at most `room` bytes at
  // `out` and returns how many (negative: an error), onto the end of out_.
  template <typename Call>
  void append(std::size_t room, const char* what, Call&& call);
};

}  // namespace warta::encode
