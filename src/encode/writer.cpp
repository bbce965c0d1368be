#include "encode/writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "audio/av_handles.h"
#include "audio/sndfile_handle.h"
#include "encode/atomic_file.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace warta::encode {
namespace fs = std::filesystem;
using audio::Audio;
using audio::AudioError;

namespace {

void checkSettings(const fs::path& path, const OutputSettings& s, bool mp3) {
  if (s.sample_rate <= 0) throw AudioError(path.string() + ": invalid sample rate " + std::to_string(s.sample_rate));
  if (s.channels != 1 && s.channels != 2)
    throw AudioError(path.string() + ": unsupported channel count " + std::to_string(s.channels) + " (1 or 2)");
  if (mp3 && s.bitrate_kbps <= 0)
    throw AudioError(path.string() + ": invalid bitrate " + std::to_string(s.bitrate_kbps) + " kb/s");
}

// Chunks must already be in the output format: converting is the mixer's job.
void checkChunk(const fs::path& path, const OutputSettings& s, const Audio& chunk) {
  if (chunk.sample_rate != s.sample_rate || chunk.channels != s.channels)
    throw AudioError(path.string() + ": chunk is " + std::to_string(chunk.sample_rate) + " Hz, " +
                     std::to_string(chunk.channels) + " channels; the writer expects " +
                     std::to_string(s.sample_rate) + " Hz, " + std::to_string(s.channels) + " channels");
}

float clamp1(float x) { return std::clamp(x, -1.0f, 1.0f); }

}  // namespace

// ---------------------------------------------------------------------------
// MP3

struct Mp3Writer::Impl {
  // Declared first so it is destroyed last: the file is closed before the
  // temporary is removed.
  AtomicFile file;
  OutputSettings settings;
  av::FormatOutput format;
  av::CodecContext codec;
  av::Frame frame;
  av::Packet packet;
  AVStream* stream = nullptr;  // owned by `format`
  std::vector<float> pending;  // interleaved samples not yet a whole encoder frame
  int64_t next_pts = 0;        // in samples
  bool finished = false;
  bool failed = false;

  Impl(const fs::path& path, const OutputSettings& s) : file(path), settings(s) {
    av::quietLogs();
    const std::string name = path.string();
    const std::string temp = file.tempPath().string();

    AVFormatContext* raw = nullptr;
    av::check(avformat_alloc_output_context2(&raw, nullptr, "mp3", temp.c_str()), name + ": MP3 muxer");
    format.reset(raw);

    const AVCodec* encoder = avcodec_find_encoder_by_name("libmp3lame");
    if (!encoder) throw AudioError(name + ": this FFmpeg has no libmp3lame encoder");
    checkSampleRate(name, encoder, s.sample_rate);
    stream = avformat_new_stream(format.get(), nullptr);
    if (!stream) throw AudioError(name + ": cannot add an audio stream");

    codec.reset(avcodec_alloc_context3(encoder));
    if (!codec) throw AudioError(name + ": cannot allocate the MP3 encoder");
    codec->sample_fmt = pickSampleFormat(encoder);
    codec->sample_rate = s.sample_rate;
    av_channel_layout_default(&codec->ch_layout, s.channels);
    codec->bit_rate = int64_t{s.bitrate_kbps} * 1000;  // CBR: no VBR quality is set
    codec->time_base = AVRational{1, s.sample_rate};
    if (format->oformat->flags & AVFMT_GLOBALHEADER) codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av::check(avcodec_open2(codec.get(), encoder, nullptr),
              name + ": cannot open the MP3 encoder at " + std::to_string(s.sample_rate) + " Hz, " +
                  std::to_string(s.bitrate_kbps) + " kb/s");
    av::check(avcodec_parameters_from_context(stream->codecpar, codec.get()), name + ": stream parameters");
    stream->time_base = codec->time_base;

    const std::pair<const char*, const std::string*> tags[] = {
        {"title", &s.tags.title}, {"artist", &s.tags.artist}, {"album", &s.tags.album},
        {"date", &s.tags.date},   {"genre", &s.tags.genre},   {"comment", &s.tags.comment}};
    for (const auto& [key, value] : tags)
      if (!value->empty()) av::check(av_dict_set(&format->metadata, key, value->c_str(), 0), name + ": tag " + key);

    // ID3v2.4 (UTF-8 text, TDRC date); the Xing/LAME frame is on by default
    // and records encoder delay and padding so decoders trim to the exact length.
    av::check(av_opt_set_int(format->priv_data, "id3v2_version", 4, 0), name + ": id3v2_version");
    av::check(av_opt_set_int(format->priv_data, "write_xing", 1, 0), name + ": write_xing");

    av::check(avio_open(&format->pb, temp.c_str(), AVIO_FLAG_WRITE), temp);
    av::check(avformat_write_header(format.get(), nullptr), name + ": cannot write MP3 header");

    frame.reset(av_frame_alloc());
    packet.reset(av_packet_alloc());
    if (!frame || !packet) throw AudioError(name + ": out of memory");
    frame->format = codec->sample_fmt;
    frame->sample_rate = codec->sample_rate;
    frame->nb_samples = codec->frame_size;
    av::check(av_channel_layout_copy(&frame->ch_layout, &codec->ch_layout), name + ": channel layout");
    av::check(av_frame_get_buffer(frame.get(), 0), name + ": frame buffer");
  }

  // MPEG audio has a fixed set of rates; say which, rather than LAME's bare EINVAL.
  static void checkSampleRate(const std::string& name, const AVCodec* encoder, int rate) {
    if (!encoder->supported_samplerates) return;
    std::string list;
    for (const int* r = encoder->supported_samplerates; *r; ++r) {
      if (*r == rate) return;
      list += (list.empty() ? "" : ", ") + std::to_string(*r);
    }
    throw AudioError(name + ": MP3 cannot be " + std::to_string(rate) + " Hz (it can be " + list + ")");
  }

  static AVSampleFormat pickSampleFormat(const AVCodec* encoder) {
    const AVSampleFormat preferred[] = {AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_S16P};
    for (AVSampleFormat want : preferred)
      for (const AVSampleFormat* f = encoder->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; ++f)
        if (*f == want) return want;
    throw AudioError("libmp3lame takes neither planar float nor planar 16-bit samples");
  }

  // Encodes `count` frames (at most frame_size) of interleaved samples; a
  // null `data` flushes the encoder.
  void encode(const float* data, int count) {
    const std::string name = file.finalPath().string();
    if (data) {
      av::check(av_frame_make_writable(frame.get()), name + ": frame buffer");
      frame->nb_samples = count;  // the last frame may be short (SMALL_LAST_FRAME)
      const int width = settings.channels;
      for (int c = 0; c < width; ++c) {
        if (codec->sample_fmt == AV_SAMPLE_FMT_FLTP) {
          auto* plane = reinterpret_cast<float*>(frame->extended_data[c]);
          for (int i = 0; i < count; ++i) plane[i] = clamp1(data[i * width + c]);
        } else {
          auto* plane = reinterpret_cast<int16_t*>(frame->extended_data[c]);
          for (int i = 0; i < count; ++i)
            plane[i] = static_cast<int16_t>(std::lrint(clamp1(data[i * width + c]) * 32767.0f));
        }
      }
      frame->pts = next_pts;
      next_pts += count;
    }
    av::check(avcodec_send_frame(codec.get(), data ? frame.get() : nullptr), name + ": MP3 encoder");
    for (;;) {
      const int got = avcodec_receive_packet(codec.get(), packet.get());
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) break;
      av::check(got, name + ": MP3 encoder");
      av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      // Takes the packet's reference (and its skip-samples side data, from
      // which the muxer learns the padding for the LAME header).
      av::check(av_interleaved_write_frame(format.get(), packet.get()), name + ": cannot write");
    }
  }

  void write(const Audio& chunk) {
    const fs::path& path = file.finalPath();
    if (finished) throw AudioError(path.string() + ": write after finish");
    if (failed) throw AudioError(path.string() + ": write after an earlier error");
    checkChunk(path, settings, chunk);
    failed = true;  // until this chunk is through
    pending.insert(pending.end(), chunk.samples.begin(), chunk.samples.end());
    const auto width = static_cast<std::size_t>(settings.channels);
    const auto step = static_cast<std::size_t>(codec->frame_size);
    std::size_t used = 0;
    while (pending.size() - used >= step * width) {
      encode(pending.data() + used, codec->frame_size);
      used += step * width;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(used));
    failed = false;
  }

  void finish() {
    const std::string name = file.finalPath().string();
    if (finished) return;
    if (failed) throw AudioError(name + ": cannot finish after an earlier error");
    // Only tags and a LAME frame: demuxers refuse such a file, so do not make one.
    if (next_pts == 0 && pending.empty()) throw AudioError(name + ": no audio was written");
    failed = true;
    const auto width = static_cast<std::size_t>(settings.channels);
    if (!pending.empty()) encode(pending.data(), static_cast<int>(pending.size() / width));
    pending.clear();
    encode(nullptr, 0);
    av::check(av_write_trailer(format.get()), name + ": cannot finish MP3");
    avio_flush(format->pb);
    if (format->pb->error < 0) av::check(format->pb->error, name + ": cannot write");
    format.reset();  // closes the temporary file before it is renamed
    file.commit();
    finished = true;
    failed = false;
  }
};

Mp3Writer::Mp3Writer(const fs::path& path, const OutputSettings& settings) {
  checkSettings(path, settings, true);
  impl_ = std::make_unique<Impl>(path, settings);
}
Mp3Writer::~Mp3Writer() = default;
void Mp3Writer::write(const Audio& chunk) { impl_->write(chunk); }
void Mp3Writer::finish() { impl_->finish(); }

// ---------------------------------------------------------------------------
// WAV

struct WavWriter::Impl {
  AtomicFile file;  // first: destroyed after the handle is closed
  OutputSettings settings;
  audio::Sndfile sf;
  std::vector<float> clamped;
  bool finished = false;

  Impl(const fs::path& path, const OutputSettings& s) : file(path), settings(s) {
    SF_INFO info{};
    info.samplerate = s.sample_rate;
    info.channels = s.channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    sf.reset(sf_open(file.tempPath().c_str(), SFM_WRITE, &info));
    if (!sf) throw AudioError(path.string() + ": " + sf_strerror(nullptr));
    const std::pair<int, const std::string*> tags[] = {
        {SF_STR_TITLE, &s.tags.title}, {SF_STR_ARTIST, &s.tags.artist}, {SF_STR_ALBUM, &s.tags.album},
        {SF_STR_DATE, &s.tags.date},   {SF_STR_GENRE, &s.tags.genre},   {SF_STR_COMMENT, &s.tags.comment}};
    for (const auto& [type, value] : tags)
      if (!value->empty() && sf_set_string(sf.get(), type, value->c_str()) != SF_ERR_NO_ERROR)
        throw AudioError(path.string() + ": cannot set tag: " + sf_strerror(sf.get()));
  }

  void write(const Audio& chunk) {
    const fs::path& path = file.finalPath();
    if (finished) throw AudioError(path.string() + ": write after finish");
    checkChunk(path, settings, chunk);
    // Clamped here, at the file's edge, so 16-bit conversion never wraps.
    clamped.resize(chunk.samples.size());
    std::transform(chunk.samples.begin(), chunk.samples.end(), clamped.begin(), clamp1);
    const auto frames = static_cast<sf_count_t>(chunk.frames());
    if (sf_writef_float(sf.get(), clamped.data(), frames) != frames)
      throw AudioError(path.string() + ": " + sf_strerror(sf.get()));
  }

  void finish() {
    if (finished) return;
    const fs::path& path = file.finalPath();
    sf_write_sync(sf.get());
    if (sf_error(sf.get()) != SF_ERR_NO_ERROR) throw AudioError(path.string() + ": " + sf_strerror(sf.get()));
    sf.reset();  // writes the header's final sizes and closes the file
    file.commit();
    finished = true;
  }
};

WavWriter::WavWriter(const fs::path& path, const OutputSettings& settings) {
  checkSettings(path, settings, false);
  impl_ = std::make_unique<Impl>(path, settings);
}
WavWriter::~WavWriter() = default;
void WavWriter::write(const Audio& chunk) { impl_->write(chunk); }
void WavWriter::finish() { impl_->finish(); }

// ---------------------------------------------------------------------------

std::unique_ptr<audio::AudioSink> openWriter(const fs::path& path, const OutputSettings& settings) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".mp3") return std::make_unique<Mp3Writer>(path, settings);
  if (ext == ".wav") return std::make_unique<WavWriter>(path, settings);
  throw AudioError(path.string() + ": unsupported output type '" + ext + "' (use .mp3 or .wav)");
}

}  // namespace warta::encode
