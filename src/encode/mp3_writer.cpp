#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "audio/av_handles.h"
#include "encode/atomic_file.h"
#include "encode/cover_image.h"
#include "encode/id3_tag.h"
#include "encode/packet_spool.h"
#include "encode/writer.h"
#include "encode/writer_detail.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>
}

namespace warta::encode {
namespace fs = std::filesystem;
using audio::Audio;
using audio::AudioError;
using detail::clamp1;

// Two phases. While audio arrives, write() encodes whole LAME frames and
// appends each packet to a PacketSpool on disk. finish() flushes the encoder,
// then builds the real muxer, now that chapters are known: ID3v2.4 metadata,
// AVFormatContext::chapters (CTOC + CHAP frames), an attached-picture stream
// (APIC); writes the header, the picture packet first (the mp3 muxer holds
// audio back until every picture has arrived), every spooled packet in order
// (their skip-samples side data gives the LAME header its delay and padding),
// and the trailer (frame count); repairs the two flaws of FFmpeg's ID3v2.4
// output (id3_tag.h), then commits the AtomicFile and deletes the spool.
struct Mp3Writer::Impl {
  // Declared first so it is destroyed last: the file is closed before the
  // temporary is removed.
  AtomicFile file;
  OutputSettings settings;
  std::optional<CoverImage> cover;
  std::vector<Chapter> chapters;
  av::CodecContext codec;
  av::Frame frame;
  av::Packet packet;
  std::optional<PacketSpool> spool;
  std::vector<float> pending;  // interleaved samples not yet a whole encoder frame
  int64_t next_pts = 0;        // in samples
  bool finished = false;
  bool failed = false;

  Impl(const fs::path& path, const OutputSettings& s) : file(path), settings(s) {
    av::quietLogs();
    const std::string name = path.string();
    if (!s.cover_image.empty()) cover = loadCoverImage(s.cover_image);

    const AVCodec* encoder = avcodec_find_encoder_by_name("libmp3lame");
    if (!encoder) throw AudioError(name + ": this FFmpeg has no libmp3lame encoder");
    checkSampleRate(name, encoder, s.sample_rate);

    codec.reset(avcodec_alloc_context3(encoder));
    if (!codec) throw AudioError(name + ": cannot allocate the MP3 encoder");
    codec->sample_fmt = pickSampleFormat(encoder);
    codec->sample_rate = s.sample_rate;
    av_channel_layout_default(&codec->ch_layout, s.channels);
    codec->bit_rate = int64_t{s.bitrate_kbps} * 1000;  // CBR: no VBR quality is set
    codec->time_base = AVRational{1, s.sample_rate};
    av::check(avcodec_open2(codec.get(), encoder, nullptr),
              name + ": cannot open the MP3 encoder at " + std::to_string(s.sample_rate) + " Hz, " +
                  std::to_string(s.bitrate_kbps) + " kb/s");

    frame.reset(av_frame_alloc());
    packet.reset(av_packet_alloc());
    if (!frame || !packet) throw AudioError(name + ": out of memory");
    frame->format = codec->sample_fmt;
    frame->sample_rate = codec->sample_rate;
    frame->nb_samples = codec->frame_size;
    av::check(av_channel_layout_copy(&frame->ch_layout, &codec->ch_layout), name + ": channel layout");
    av::check(av_frame_get_buffer(frame.get(), 0), name + ": frame buffer");

    spool.emplace(path);
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

  // Encodes `count` frames (at most frame_size) of interleaved samples into
  // the spool; a null `data` flushes the encoder.
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
      spool->append(*packet);  // timestamps stay in the codec's time base (1/rate) until muxing
      av_packet_unref(packet.get());
    }
  }

  void write(const Audio& chunk) {
    const fs::path& path = file.finalPath();
    if (finished) throw AudioError(path.string() + ": write after finish");
    if (failed) throw AudioError(path.string() + ": write after an earlier error");
    detail::checkChunk(path, settings, chunk);
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

  void setChapters(std::vector<Chapter> list) {
    if (finished) throw AudioError(file.finalPath().string() + ": chapters after finish");
    detail::checkChapters(file.finalPath(), list);
    chapters = std::move(list);
  }

  // The output muxer, set up with everything that goes into the ID3v2 tag;
  // the audio stream is index 0, the cover (if any) index 1.
  av::FormatOutput openMuxer() {
    const std::string name = file.finalPath().string();
    const std::string temp = file.tempPath().string();
    AVFormatContext* raw = nullptr;
    av::check(avformat_alloc_output_context2(&raw, nullptr, "mp3", temp.c_str()), name + ": MP3 muxer");
    av::FormatOutput format(raw);

    AVStream* stream = avformat_new_stream(format.get(), nullptr);
    if (!stream) throw AudioError(name + ": cannot add an audio stream");
    av::check(avcodec_parameters_from_context(stream->codecpar, codec.get()), name + ": stream parameters");
    stream->time_base = codec->time_base;

    if (cover) {
      AVStream* picture = avformat_new_stream(format.get(), nullptr);
      if (!picture) throw AudioError(name + ": cannot add the cover picture stream");
      picture->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
      picture->codecpar->codec_id = cover->kind == CoverImage::Kind::Png ? AV_CODEC_ID_PNG : AV_CODEC_ID_MJPEG;
      picture->codecpar->width = cover->width;
      picture->codecpar->height = cover->height;
      picture->disposition = AV_DISPOSITION_ATTACHED_PIC;
      picture->time_base = AVRational{1, 90000};
      // The APIC picture type comes from "comment": 3, the front cover.
      av::check(av_dict_set(&picture->metadata, "comment", "Cover (front)", 0), name + ": cover picture type");
    }

    const Tags& t = settings.tags;
    const std::pair<const char*, const std::string*> tags[] = {
        {"title", &t.title}, {"artist", &t.artist}, {"album", &t.album},
        {"date", &t.date},   {"genre", &t.genre},   {"comment", &t.comment}};
    for (const auto& [key, value] : tags)
      if (!value->empty()) av::check(av_dict_set(&format->metadata, key, value->c_str(), 0), name + ": tag " + key);

    addChapters(*format);

    // ID3v2.4 (UTF-8 text, TDRC date; version 3 or 4 is what makes the muxer
    // write CHAP/CTOC at all); the Xing/LAME frame records encoder delay and
    // padding so decoders trim to the exact length.
    av::check(av_opt_set_int(format->priv_data, "id3v2_version", 4, 0), name + ": id3v2_version");
    av::check(av_opt_set_int(format->priv_data, "write_xing", 1, 0), name + ": write_xing");
    return format;
  }

  // A title whose TIT2 subframe stays under 128 bytes (encoding byte, text,
  // NUL), where syncsafe and plain sizes are the same bytes: FFmpeg writes the
  // subframe size syncsafe but its reader (id3v2.c read_chapter) reads it
  // plainly, so a longer title would be lost to every libavformat player.
  static std::string chapterTitle(const std::string& title) {
    if (title.size() <= kMaxChapterTitleBytes) return title;
    return detail::cutUtf8(title, kMaxChapterTitleBytes - 3) + "\xe2\x80\xa6";  // ellipsis
  }

  // AVChapters in ms (the unit of ID3v2 CHAP frames), owned by `format` from
  // the moment each is allocated (avformat_free_context frees them).
  void addChapters(AVFormatContext& format) {
    if (chapters.empty()) return;
    const std::string name = file.finalPath().string();
    const int64_t length_ms = av_rescale(next_pts, 1000, settings.sample_rate);
    format.chapters = static_cast<AVChapter**>(av_calloc(chapters.size(), sizeof(AVChapter*)));
    if (!format.chapters) throw AudioError(name + ": out of memory");
    for (std::size_t i = 0; i < chapters.size(); ++i) {
      auto* chapter = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
      if (!chapter) throw AudioError(name + ": out of memory");
      format.chapters[i] = chapter;
      format.nb_chapters = static_cast<unsigned>(i + 1);
      chapter->id = static_cast<int64_t>(i);
      chapter->time_base = AVRational{1, 1000};
      chapter->start = std::min<int64_t>(std::llround(chapters[i].start * 1000.0), length_ms);
      chapter->end = std::min<int64_t>(std::llround(chapters[i].end * 1000.0), length_ms);
      const std::string title = chapterTitle(chapters[i].title);
      if (!title.empty()) av::check(av_dict_set(&chapter->metadata, "title", title.c_str(), 0), name + ": chapter title");
    }
  }

  void mux() {
    const std::string name = file.finalPath().string();
    av::FormatOutput format = openMuxer();
    av::check(avio_open(&format->pb, file.tempPath().c_str(), AVIO_FLAG_WRITE), file.tempPath().string());
    av::check(avformat_write_header(format.get(), nullptr), name + ": cannot write MP3 header");

    AVPacket* p = packet.get();
    if (cover) {  // first: until the picture is in, the muxer would queue audio in memory
      av::check(av_new_packet(p, static_cast<int>(cover->bytes.size())), name + ": cover packet");
      std::memcpy(p->data, cover->bytes.data(), cover->bytes.size());
      p->stream_index = 1;
      p->flags |= AV_PKT_FLAG_KEY;
      p->pts = p->dts = 0;
      const int wrote = av_write_frame(format.get(), p);
      av_packet_unref(p);
      av::check(wrote, name + ": cannot write the cover picture");
    }

    const AVRational spool_base = codec->time_base;
    const AVRational stream_base = format->streams[0]->time_base;
    spool->rewind();
    while (spool->next(*p)) {
      av_packet_rescale_ts(p, spool_base, stream_base);
      p->stream_index = 0;
      const int wrote = av_write_frame(format.get(), p);
      av_packet_unref(p);
      av::check(wrote, name + ": cannot write");
    }
    av::check(av_write_trailer(format.get()), name + ": cannot finish MP3");
    avio_flush(format->pb);
    if (format->pb->error < 0) av::check(format->pb->error, name + ": cannot write");
    format.reset();  // closes the temporary file before it is repaired and renamed
    repairId3v24Tag(file.tempPath());
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
    detail::checkChapterEnds(file.finalPath(), chapters, static_cast<double>(next_pts) / settings.sample_rate);
    mux();
    file.commit();
    spool.reset();  // deletes the spool file
    finished = true;
    failed = false;
  }
};

Mp3Writer::Mp3Writer(const fs::path& path, const OutputSettings& settings) {
  detail::checkSettings(path, settings, true);
  impl_ = std::make_unique<Impl>(path, settings);
}
Mp3Writer::~Mp3Writer() = default;
void Mp3Writer::write(const Audio& chunk) { impl_->write(chunk); }
void Mp3Writer::finish() { impl_->finish(); }
void Mp3Writer::setChapters(std::vector<Chapter> chapters) { impl_->setChapters(std::move(chapters)); }
std::int64_t Mp3Writer::spooledPackets() const { return impl_->spool ? impl_->spool->packets() : 0; }
std::int64_t Mp3Writer::spooledBytes() const { return impl_->spool ? impl_->spool->bytes() : 0; }

}  // namespace warta::encode
