// SPDX-License-Identifier: GPL-3.0-or-later
// The one owner of each FFmpeg handle: move-only unique_ptrs whose deleters
// are the only places the *_free calls appear. Also the error text helper.
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/sha.h>
#include <libswresample/swresample.h>
}

namespace warta::av {

struct FormatInputDeleter {
  void operator()(AVFormatContext* p) const;
};  // avformat_close_input
struct FormatOutputDeleter {
  void operator()(AVFormatContext* p) const;
};  // avio_closep + avformat_free_context
struct CodecContextDeleter {
  void operator()(AVCodecContext* p) const;
};  // avcodec_free_context
struct FrameDeleter {
  void operator()(AVFrame* p) const;
};  // av_frame_free
struct PacketDeleter {
  void operator()(AVPacket* p) const;
};  // av_packet_free
struct SwrDeleter {
  void operator()(SwrContext* p) const;
};  // swr_free
struct ShaDeleter {
  void operator()(AVSHA* p) const;
};  // av_free (av_sha_alloc's)

using FormatInput = std::unique_ptr<AVFormatContext, FormatInputDeleter>;
using FormatOutput = std::unique_ptr<AVFormatContext, FormatOutputDeleter>;
using CodecContext = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;
using Swr = std::unique_ptr<SwrContext, SwrDeleter>;
using Sha = std::unique_ptr<AVSHA, ShaDeleter>;

// av_err2str without the macro's compound literal (not valid C++).
std::string errorText(int averror);

// Throws audio::AudioError("<what>: <errorText(code)>") when code < 0; returns code otherwise.
int check(int code, const std::string& what);

// Opens `path` for reading and finds its streams. Throws AudioError.
FormatInput openInput(const std::string& path);

// FFmpeg logs warnings to stderr by default ("N frames left in the queue on
// closing" when an unfinished MP3 is discarded); warta reports failures by
// exception instead, so this lowers the log level to AV_LOG_QUIET, once, unless
// the program already chose another level. openInput, the resampler and
// Mp3Writer call it; calling it again is free.
void quietLogs();

}  // namespace warta::av
