// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/av_handles.h"

#include <mutex>

#include "audio/audio.h"

namespace warta::av {

void FormatInputDeleter::operator()(AVFormatContext* p) const { avformat_close_input(&p); }

void FormatOutputDeleter::operator()(AVFormatContext* p) const {
  // The muxer context owns the AVIOContext we opened on it unless the format
  // does its own I/O.
  if (p->oformat && !(p->oformat->flags & AVFMT_NOFILE)) avio_closep(&p->pb);
  avformat_free_context(p);
}

void CodecContextDeleter::operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
void FrameDeleter::operator()(AVFrame* p) const { av_frame_free(&p); }
void PacketDeleter::operator()(AVPacket* p) const { av_packet_free(&p); }
void SwrDeleter::operator()(SwrContext* p) const { swr_free(&p); }
void ShaDeleter::operator()(AVSHA* p) const { av_free(p); }

std::string errorText(int averror) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(averror, buffer, sizeof buffer) < 0) return "unknown error " + std::to_string(averror);
  return buffer;
}

int check(int code, const std::string& what) {
  if (code < 0) throw audio::AudioError(what + ": " + errorText(code));
  return code;
}

void quietLogs() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (av_log_get_level() == AV_LOG_INFO) av_log_set_level(AV_LOG_QUIET);  // INFO is FFmpeg's default
  });
}

FormatInput openInput(const std::string& path) {
  quietLogs();
  AVFormatContext* raw = nullptr;
  // On failure avformat_open_input frees the context itself and nulls `raw`.
  check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), path);
  FormatInput input(raw);
  // Only audio is read. An MP3's cover (an attached picture, up to
  // 3000x3000) would otherwise be decoded whole by find_stream_info just to
  // learn its size (27 MB of pixels; discarding the stream does not stop
  // it): marked as data, whose parameters are complete without decoding.
  for (unsigned i = 0; i < input->nb_streams; ++i)
    if (AVStream* st = input->streams[i]; st->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) {
      st->discard = AVDISCARD_ALL;
      st->codecpar->codec_type = AVMEDIA_TYPE_DATA;
    }
  check(avformat_find_stream_info(input.get(), nullptr), path + ": cannot read stream information");
  return input;
}

}  // namespace warta::av
