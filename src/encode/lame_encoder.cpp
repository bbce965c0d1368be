// SPDX-License-Identifier: GPL-3.0-or-later
#include "encode/lame_encoder.h"

#include <algorithm>
#include <cstring>

#include "audio/audio.h"
#include "encode/writer_detail.h"

#include <lame/lame.h>

namespace warta::encode {
using audio::AudioError;

namespace {

// LAME 3.100's buffers (lame.c, encoder.h), as lame_encode_flush uses them:
// it counts the samples still to encode from ENCDELAY + POSTDELAY (576 +
// 1152) before the input, and holds ENCDELAY - MDCTDELAY (528) before it in
// its buffer, so the buffer holds what is still to encode less 1200; to
// encode a frame it needs a frame and the longer of a 1024-point FFT's
// window (from FFTOFFSET, 272, back) and the polyphase filterbank's 512 (from
// 32 back).
constexpr int kPostDelay = 1152;
constexpr int kLeastEndPadding = 576;
constexpr int kBufferedToEncode = 1200;
constexpr int kFftSize = 1024, kFftOffset = 272, kFilterbankWindow = 512, kFilterbankOffset = 32;
constexpr int kDecoderDelay = 529;  // samples, as FFmpeg counts it (528 + 1) beyond LAME's encoder delay
constexpr int kMaxPadding = 1152;   // the most silence it gives at once, whatever the frame size

// MPEG audio's rates: MPEG-1, MPEG-2 and MPEG-2.5 (what FFmpeg's libmp3lame lists).
constexpr int kRates[] = {44100, 48000, 32000, 22050, 24000, 16000, 11025, 12000, 8000};

void ignoreReport(const char*, va_list) {}  // LAME prints to stderr otherwise

// The output room lame.h asks for `samples` of input: 1.25 x samples + 7200
// bytes (7200 alone for a flush).
std::size_t worstCase(int samples) { return static_cast<std::size_t>(samples) * 5 / 4 + 7200; }

// A Layer III frame's length in bytes without the padding byte: 144000 x
// kb/s / rate at MPEG-1 rates (32 kHz and up), 72000 x kb/s / rate below;
// LAME adds the byte to some frames so the average comes out exact.
std::size_t unpaddedFrameBytes(int sample_rate, int bitrate_kbps) {
  return static_cast<std::size_t>(std::int64_t{sample_rate >= 32000 ? 144000 : 72000} * bitrate_kbps / sample_rate);
}

}  // namespace

void LameDeleter::operator()(lame_global_struct* p) const { lame_close(p); }

LameEncoder::LameEncoder(const std::string& name, int sample_rate, int channels, int bitrate_kbps)
    : name_(name), channels_(channels) {
  if (std::find(std::begin(kRates), std::end(kRates), sample_rate) == std::end(kRates)) {
    std::string list;
    for (const int r : kRates) list += (list.empty() ? "" : ", ") + std::to_string(r);
    throw AudioError(name + ": MP3 cannot be " + std::to_string(sample_rate) + " Hz (it can be " + list + ")");
  }
  lame_.reset(lame_init());
  if (!lame_) throw AudioError(name + ": cannot allocate the MP3 encoder");
  lame_t l = lame_.get();
  lame_set_errorf(l, ignoreReport);
  lame_set_debugf(l, ignoreReport);
  lame_set_msgf(l, ignoreReport);
  lame_set_num_channels(l, channels);
  lame_set_mode(l, channels > 1 ? JOINT_STEREO : MONO);
  lame_set_in_samplerate(l, sample_rate);
  lame_set_out_samplerate(l, sample_rate);
  lame_set_brate(l, bitrate_kbps);  // CBR: LAME's default mode
  lame_set_bWriteVbrTag(l, 0);      // the joiner's muxer writes the Xing/LAME frame for the whole stream
  if (lame_init_params(l) < 0)
    throw AudioError(name + ": cannot open the MP3 encoder at " + std::to_string(sample_rate) + " Hz, " +
                     std::to_string(bitrate_kbps) + " kb/s");
  frame_size_ = lame_get_framesize(l);
  delay_ = lame_get_encoder_delay(l) + kDecoderDelay;
  unpadded_frame_bytes_ = unpaddedFrameBytes(sample_rate, bitrate_kbps);
  left_.resize(static_cast<std::size_t>(frame_size_));
  right_.resize(static_cast<std::size_t>(frame_size_));
}

std::int64_t LameEncoder::framesEncoded() const { return lame_get_frameNum(lame_.get()); }

template <typename Call>
void LameEncoder::append(std::size_t room, const char* what, Call&& call) {
  const std::size_t used = out_.size();
  out_.resize(used + room);
  const int wrote = call(out_.data() + used, static_cast<int>(room));
  out_.resize(used + static_cast<std::size_t>(std::max(wrote, 0)));
  if (wrote < 0)
    throw AudioError(name_ + ": MP3 encoder: " + what + " failed (LAME error " + std::to_string(wrote) + ")");
}

void LameEncoder::encode(const float* data, int count) {
  if (finished_) throw AudioError(name_ + ": MP3 encoder: input after the end");
  if (count < 0 || count > frame_size_)
    throw AudioError(name_ + ": MP3 encoder: " + std::to_string(count) + " samples at once, more than a frame");
  // FFmpeg scales float input by 32768 for lame_encode_buffer_float; so do we.
  const auto scale = [](float x) { return detail::clamp1(x) * 32768.0f; };
  if (channels_ == 2) {
    for (int i = 0; i < count; ++i) left_[i] = scale(data[2 * i]), right_[i] = scale(data[2 * i + 1]);
  } else {
    for (int i = 0; i < count; ++i) left_[i] = scale(data[i]);
  }
  const float* right = channels_ == 2 ? right_.data() : left_.data();
  append(worstCase(count), "encoding", [&](unsigned char* out, int room) {
    return lame_encode_buffer_float(lame_.get(), left_.data(), right, count, out, room);
  });
  fed_ += count;
}

void LameEncoder::emptyReservoir() {
  append(worstCase(0), "emptying the bit reservoir",
         [&](unsigned char* out, int room) { return lame_encode_flush_nogap(lame_.get(), out, room); });
}

bool LameEncoder::encodePadding() {
  // lame_encode_flush (LAME 3.100), a piece at a time: at first, the frames
  // that give out the samples still to encode, less its POSTDELAY, padded
  // with at least 576 samples of silence; then silence, in pieces that
  // bring LAME's buffer up to what it needs for the next frame, until that
  // many frames are encoded.
  const int to_encode = lame_get_mf_samples_to_encode(lame_.get());
  if (padding_left_ < 0 && fed_ == 0) padding_left_ = 0;  // as FFmpeg's encoder: no input, no frames
  if (padding_left_ < 0) {
    const int samples = to_encode - kPostDelay;
    int end_padding = frame_size_ - samples % frame_size_;
    if (end_padding < kLeastEndPadding) end_padding += frame_size_;
    padding_left_ = (samples + end_padding) / frame_size_;
  }
  if (padding_left_ == 0) return false;
  const int buffered = to_encode - kBufferedToEncode;
  const int needed = frame_size_ + std::max(kFftSize - kFftOffset, kFilterbankWindow - kFilterbankOffset);
  const int bunch = std::clamp(needed - buffered, 1, kMaxPadding);
  static const std::vector<float> silence(kMaxPadding, 0.0f);
  const std::int64_t before = framesEncoded();
  append(worstCase(bunch), "padding the end", [&](unsigned char* out, int room) {
    return lame_encode_buffer_float(lame_.get(), silence.data(), silence.data(), bunch, out, room);
  });
  padding_left_ -= static_cast<int>(framesEncoded() - before);
  return true;
}

void LameEncoder::finish() {
  emptyReservoir();  // what lame_encode_flush does after its padding: complete the last frame
  finished_ = true;
}

bool LameEncoder::nextPacket(AVPacket& packet) {
  const std::size_t have = out_.size() - out_start_;
  if (have < 4) return false;
  const unsigned char* h = out_.data() + out_start_;
  // A Layer III header: 11 sync bits, then the version, layer 01 and the padding bit.
  if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0 || ((h[1] >> 1) & 3) != 1)
    throw AudioError(name_ + ": MP3 encoder: LAME gave bytes that do not start a frame");
  const std::size_t bytes = unpadded_frame_bytes_ + ((h[2] >> 1) & 1);
  if (have < bytes) return false;
  av_packet_unref(&packet);
  if (av_new_packet(&packet, static_cast<int>(bytes)) < 0) throw AudioError(name_ + ": out of memory");
  std::memcpy(packet.data, h, bytes);
  out_start_ += bytes;
  if (out_start_ == out_.size() || out_start_ > (1u << 16)) {  // keep the buffer small without moving every frame
    out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(out_start_));
    out_start_ = 0;
  }
  // FFmpeg's timestamps: packet j starts at j frames less the delay; it
  // lasts a frame but where the input (with the delay before it) runs out,
  // and says how much of it to discard then, and the delay in the first.
  const std::int64_t j = packets_++;
  const std::int64_t input = fed_ + delay_;
  packet.pts = packet.dts = j * frame_size_ - delay_;
  packet.duration = finished_ ? std::clamp<std::int64_t>(input - j * frame_size_, 0, frame_size_) : frame_size_;
  packet.flags = AV_PKT_FLAG_KEY;
  const std::int64_t discard = frame_size_ - packet.duration;
  if (j == 0 || discard > 0) {
    std::uint8_t* side = av_packet_new_side_data(&packet, AV_PKT_DATA_SKIP_SAMPLES, 10);
    if (!side) throw AudioError(name_ + ": out of memory");
    const std::uint32_t start = j == 0 ? static_cast<std::uint32_t>(delay_) : 0;
    const auto end = static_cast<std::uint32_t>(discard);
    for (int i = 0; i < 4; ++i) side[i] = static_cast<std::uint8_t>(start >> (8 * i));  // little-endian
    for (int i = 0; i < 4; ++i) side[4 + i] = static_cast<std::uint8_t>(end >> (8 * i));
    side[8] = side[9] = 0;  // reasons: none
  }
  return true;
}

}  // namespace warta::encode
