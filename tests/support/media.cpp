// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/media.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "audio/av_handles.h"
#include "audio/edit.h"

namespace warta::test {
namespace fs = std::filesystem;
using audio::AudioError;

namespace {

// Appends one decoded frame to `out` as interleaved float, whatever the
// decoder's sample format (no resampling: values are converted exactly).
void appendFrame(const AVFrame& frame, audio::Audio& out, const std::string& name) {
  const auto format = static_cast<AVSampleFormat>(frame.format);
  const int channels = frame.ch_layout.nb_channels;
  const int count = frame.nb_samples;
  const bool planar = av_sample_fmt_is_planar(format);
  const AVSampleFormat packed = av_get_packed_sample_fmt(format);
  const std::size_t base = out.samples.size();
  out.samples.resize(base + static_cast<std::size_t>(count) * static_cast<std::size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    const uint8_t* data = frame.extended_data[planar ? c : 0];
    for (int i = 0; i < count; ++i) {
      const int index = planar ? i : i * channels + c;
      double v = 0;
      switch (packed) {
        case AV_SAMPLE_FMT_U8:
          v = (reinterpret_cast<const uint8_t*>(data)[index] - 128) / 128.0;
          break;
        case AV_SAMPLE_FMT_S16:
          v = reinterpret_cast<const int16_t*>(data)[index] / 32768.0;
          break;
        case AV_SAMPLE_FMT_S32:
          v = reinterpret_cast<const int32_t*>(data)[index] / 2147483648.0;
          break;
        case AV_SAMPLE_FMT_S64:
          v = static_cast<double>(reinterpret_cast<const int64_t*>(data)[index]) / 9223372036854775808.0;
          break;
        case AV_SAMPLE_FMT_FLT:
          v = reinterpret_cast<const float*>(data)[index];
          break;
        case AV_SAMPLE_FMT_DBL:
          v = reinterpret_cast<const double*>(data)[index];
          break;
        default:
          throw AudioError(name + ": unsupported sample format " + std::to_string(frame.format));
      }
      out.samples[base + static_cast<std::size_t>(i) * static_cast<std::size_t>(channels) +
                  static_cast<std::size_t>(c)] = static_cast<float>(v);
    }
  }
}

// Removes this process's scratch folders when the test program exits
// (unless WARTA_KEEP_TEST_FILES is set, to look at a failure's files).
struct ScratchRoot {
  fs::path path = fs::temp_directory_path() / ("warta-tests-" + std::to_string(::getpid()));
  ~ScratchRoot() {
    if (std::getenv("WARTA_KEEP_TEST_FILES")) return;
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

namespace {

// An opened audio decoder for the best audio stream of a file: strict (any
// damage is an error) and gapless (skip-samples applied).
struct StrictDecoder {
  std::string name;
  av::FormatInput input;
  const AVCodec* decoder = nullptr;
  AVStream* stream = nullptr;
  int stream_index = -1;
  av::CodecContext codec;
};

StrictDecoder openStrict(const fs::path& path) {
  StrictDecoder d;
  d.name = path.string();
  d.input = av::openInput(d.name);
  d.stream_index = av::check(av_find_best_stream(d.input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &d.decoder, 0),
                             d.name + ": no audio stream");
  if (!d.decoder) throw AudioError(d.name + ": no decoder for its audio");
  d.stream = d.input->streams[d.stream_index];
  d.codec.reset(avcodec_alloc_context3(d.decoder));
  if (!d.codec) throw AudioError(d.name + ": out of memory");
  av::check(avcodec_parameters_to_context(d.codec.get(), d.stream->codecpar), d.name + ": decoder parameters");
  d.codec->pkt_timebase = d.stream->time_base;  // lets the decoder apply skip-samples (gapless) exactly
  d.codec->err_recognition |= AV_EF_EXPLODE;    // any damage is an error, not a concealed glitch
  av::check(avcodec_open2(d.codec.get(), d.decoder, nullptr), d.name + ": cannot open decoder");
  return d;
}

// Decodes every packet of the stream, calling on_frame(frame, frames_before)
// for each decoded frame. Throws AudioError on any error or corrupt frame.
template <typename OnFrame>
void decodeAll(StrictDecoder& d, OnFrame&& on_frame) {
  av::Packet packet(av_packet_alloc());
  av::Frame frame(av_frame_alloc());
  if (!packet || !frame) throw AudioError(d.name + ": out of memory");
  std::size_t frames = 0;
  const auto drain = [&] {
    for (;;) {
      const int got = avcodec_receive_frame(d.codec.get(), frame.get());
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
      av::check(got, d.name + ": decoding");
      if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT))
        throw AudioError(d.name + ": corrupt frame at sample " + std::to_string(frames));
      on_frame(*frame, frames);
      frames += static_cast<std::size_t>(frame->nb_samples);
      av_frame_unref(frame.get());
    }
  };
  for (;;) {
    const int read = av_read_frame(d.input.get(), packet.get());
    if (read == AVERROR_EOF) break;
    av::check(read, d.name + ": reading");
    if (packet->stream_index == d.stream_index) {
      const int sent = avcodec_send_packet(d.codec.get(), packet.get());
      av_packet_unref(packet.get());
      av::check(sent, d.name + ": decoding");
      drain();
    } else {
      av_packet_unref(packet.get());
    }
  }
  av::check(avcodec_send_packet(d.codec.get(), nullptr), d.name + ": decoding");
  drain();
}

}  // namespace

Decoded decodeFile(const fs::path& path) {
  StrictDecoder d = openStrict(path);
  Decoded result;
  result.codec = d.decoder->name;
  if (d.stream->duration != AV_NOPTS_VALUE && d.stream->duration > 0)
    result.container_seconds = static_cast<double>(d.stream->duration) * av_q2d(d.stream->time_base);
  else if (d.input->duration != AV_NOPTS_VALUE && d.input->duration > 0)
    result.container_seconds = static_cast<double>(d.input->duration) / AV_TIME_BASE;
  audio::Audio& out = result.audio;
  decodeAll(d, [&](const AVFrame& frame, std::size_t) {
    if (out.sample_rate == 0) {
      out.sample_rate = frame.sample_rate;
      out.channels = frame.ch_layout.nb_channels;
    } else if (frame.sample_rate != out.sample_rate || frame.ch_layout.nb_channels != out.channels) {
      throw AudioError(d.name + ": format changes mid-stream");
    }
    appendFrame(frame, out, d.name);
  });
  if (out.sample_rate == 0) {  // no frames at all: still say the stream's format
    out.sample_rate = d.codec->sample_rate;
    out.channels = d.codec->ch_layout.nb_channels;
  }
  return result;
}

std::map<std::string, std::string> readTags(const fs::path& path) {
  const av::FormatInput input = av::openInput(path.string());
  std::map<std::string, std::string> tags;
  const AVDictionaryEntry* entry = nullptr;
  while ((entry = av_dict_get(input->metadata, "", entry, AV_DICT_IGNORE_SUFFIX))) {
    std::string key = entry->key;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    tags[key] = entry->value;
  }
  return tags;
}

double windowRms(const audio::Audio& audio, double start_s, double end_s) {
  if (audio.sample_rate <= 0 || !(end_s > start_s)) return 0.0;
  const auto first = static_cast<std::size_t>(std::llround(std::max(0.0, start_s) * audio.sample_rate));
  const auto last = static_cast<std::size_t>(std::llround(std::max(0.0, end_s) * audio.sample_rate));
  return last > first ? audio::rms(audio, first, last - first) : 0.0;
}

double maxJump(const audio::Audio& a, std::size_t from, std::size_t to) {
  const auto width = static_cast<std::size_t>(a.channels);
  to = std::min(to, a.frames());
  double jump = 0;
  for (std::size_t n = from; n + 1 < to; ++n)
    for (std::size_t c = 0; c < width; ++c)
      jump = std::max(jump, static_cast<double>(std::abs(a.samples[(n + 1) * width + c] - a.samples[n * width + c])));
  return jump;
}

double toDb(double linear) { return linear > 1e-10 ? 20.0 * std::log10(linear) : -200.0; }

double rmsDb(const audio::Audio& audio, double start_s, double end_s) { return toDb(windowRms(audio, start_s, end_s)); }

double rmsDb(const audio::Audio& audio) { return toDb(audio::rms(audio, 0, audio.frames())); }

audio::Audio tone(double freq_hz, double seconds, int rate, int channels, double amplitude) {
  audio::Audio out;
  out.sample_rate = rate;
  out.channels = channels;
  const auto frames = static_cast<std::size_t>(std::llround(std::max(0.0, seconds) * rate));
  out.samples.resize(frames * static_cast<std::size_t>(channels));
  const double step = 2.0 * std::numbers::pi * freq_hz / rate;
  for (std::size_t i = 0; i < frames; ++i) {
    const auto v = static_cast<float>(amplitude * std::sin(step * static_cast<double>(i)));
    for (int c = 0; c < channels; ++c)
      out.samples[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] = v;
  }
  return out;
}

void writeBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {
std::string be(unsigned long value, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
  return out;
}
}  // namespace

std::string pngHeader(int width, int height) {
  // 8-bit RGB; the CRC is left zero (size readers do not check it).
  return std::string("\x89PNG\r\n\x1a\n", 8) + be(13, 4) + "IHDR" + be(width, 4) + be(height, 4) +
         std::string("\x08\x02\x00\x00\x00", 5) + be(0, 4);
}

std::string jpegHeader(int width, int height) {
  const std::string app0 = std::string("\xFF\xE0", 2) + be(16, 2) + std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14);
  std::string sof0 = std::string("\xFF\xC0", 2) + be(17, 2) + '\x08' + be(height, 2) + be(width, 2) + '\x03';
  for (char id = 1; id <= 3; ++id) sof0 += std::string{id, '\x11', '\x00'};
  return std::string("\xFF\xD8", 2) + app0 + sof0;
}

fs::path tempDir(const std::string& name) {
  static const ScratchRoot root;
  const fs::path dir = root.path / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<ReadChapter> readChapters(const fs::path& path) {
  const av::FormatInput input = av::openInput(path.string());
  std::vector<ReadChapter> chapters;
  for (unsigned i = 0; i < input->nb_chapters; ++i) {
    const AVChapter* c = input->chapters[i];
    ReadChapter chapter;
    if (const AVDictionaryEntry* title = av_dict_get(c->metadata, "title", nullptr, 0)) chapter.title = title->value;
    chapter.start_ms = av_rescale_q(c->start, c->time_base, AVRational{1, 1000});
    chapter.end_ms = av_rescale_q(c->end, c->time_base, AVRational{1, 1000});
    chapters.push_back(chapter);
  }
  return chapters;
}

ReadCover readCover(const fs::path& path) {
  const av::FormatInput input = av::openInput(path.string());
  ReadCover cover;
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    const AVStream* stream = input->streams[i];
    if (!(stream->disposition & AV_DISPOSITION_ATTACHED_PIC)) continue;
    cover.present = true;
    cover.codec = avcodec_get_name(stream->codecpar->codec_id);
    cover.bytes.assign(reinterpret_cast<const char*>(stream->attached_pic.data),
                       static_cast<std::size_t>(stream->attached_pic.size));
    if (const AVDictionaryEntry* comment = av_dict_get(stream->metadata, "comment", nullptr, 0))
      cover.comment = comment->value;
    break;
  }
  return cover;
}

// --- ID3v2, from the specification (id3.org id3v2.4.0-structure and -frames).

namespace {

[[noreturn]] void id3Error(const std::string& what) { throw std::runtime_error("ID3v2: " + what); }

uint32_t bigEndian32(const std::string& s, std::size_t at) {
  uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s.at(at + i));
  return v;
}

// 28 bits in four bytes of 7; a byte with its top bit set is an error.
uint32_t syncsafe32(const std::string& s, std::size_t at, const std::string& what) {
  uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto b = static_cast<unsigned char>(s.at(at + i));
    if (b & 0x80) id3Error(what + " size is not syncsafe");
    v = v << 7 | b;
  }
  return v;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes `bytes` in ID3 text encoding `enc` to UTF-8.
std::string decodeId3(const std::string& bytes, int enc) {
  if (enc == 3) return bytes;
  std::string out;
  if (enc == 0) {
    for (unsigned char c : bytes) appendUtf8(out, c);
    return out;
  }
  if (enc != 1 && enc != 2) id3Error("unknown text encoding " + std::to_string(enc));
  bool little = false;
  std::size_t at = 0;
  if (enc == 1) {
    if (bytes.size() < 2) return out;
    const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
    if (b0 == 0xFF && b1 == 0xFE) little = true;
    else if (!(b0 == 0xFE && b1 == 0xFF)) id3Error("UTF-16 text without a byte order mark");
    at = 2;
  }
  const auto unit = [&](std::size_t i) {
    const auto a = static_cast<unsigned char>(bytes[i]), b = static_cast<unsigned char>(bytes[i + 1]);
    return little ? static_cast<uint32_t>(b << 8 | a) : static_cast<uint32_t>(a << 8 | b);
  };
  for (; at + 1 < bytes.size(); at += 2) {
    uint32_t cp = unit(at);
    if (cp >= 0xD800 && cp < 0xDC00 && at + 3 < bytes.size()) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(at + 2) - 0xDC00);
      at += 2;
    }
    appendUtf8(out, cp);
  }
  return out;
}

// Splits off one NUL-terminated string in encoding `enc` (the NUL is one
// byte, or two aligned bytes for UTF-16) starting at `at`; advances `at`.
std::string takeString(const std::string& body, std::size_t& at, int enc) {
  const bool wide = enc == 1 || enc == 2;
  std::size_t end = at;
  if (wide) {
    while (end + 1 < body.size() && !(body[end] == 0 && body[end + 1] == 0)) end += 2;
  } else {
    while (end < body.size() && body[end] != 0) ++end;
  }
  const std::string raw = body.substr(at, std::min(end, body.size()) - at);
  at = std::min(body.size(), end + (wide ? 2 : 1));
  return decodeId3(raw, enc);
}

std::string stripNuls(std::string s) {
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

}  // namespace

std::vector<Id3Frame> parseId3Frames(const std::string& bytes, int version) {
  std::vector<Id3Frame> frames;
  std::size_t at = 0;
  while (at < bytes.size() && bytes[at] != '\0') {
    if (at + 10 > bytes.size()) id3Error("frame header cut short at byte " + std::to_string(at));
    Id3Frame frame;
    frame.id = bytes.substr(at, 4);
    for (unsigned char c : frame.id)
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) id3Error("bad frame ID at byte " + std::to_string(at));
    const uint32_t size = version == 4 ? syncsafe32(bytes, at + 4, "frame " + frame.id) : bigEndian32(bytes, at + 4);
    if (at + 10 + size > bytes.size())
      id3Error("frame " + frame.id + " of " + std::to_string(size) + " bytes overruns the tag");
    frame.body = bytes.substr(at + 10, size);
    frames.push_back(std::move(frame));
    at += 10 + size;
  }
  for (; at < bytes.size(); ++at)
    if (bytes[at] != '\0') id3Error("non-zero byte in the padding at " + std::to_string(at));
  return frames;
}

Id3Tag readId3v2(const fs::path& path) {
  const std::string file = readText(path);
  if (file.size() < 10 || file.compare(0, 3, "ID3") != 0) id3Error(path.string() + " has no ID3v2 tag");
  Id3Tag tag;
  tag.version = static_cast<unsigned char>(file[3]);
  if (tag.version != 3 && tag.version != 4) id3Error("version 2." + std::to_string(tag.version) + " is not 2.3 or 2.4");
  const auto flags = static_cast<unsigned char>(file[5]);
  if (flags & 0x80) id3Error("unsynchronised tags are not supported here");
  const uint32_t size = syncsafe32(file, 6, "tag");
  if (10 + std::size_t{size} > file.size())
    id3Error("tag of " + std::to_string(size) + " bytes is longer than the file");
  tag.size = 10 + std::size_t{size};
  std::string body = file.substr(10, size);
  if (flags & 0x40) {  // extended header
    const uint32_t ext = tag.version == 4 ? syncsafe32(body, 0, "extended header") : bigEndian32(body, 0) + 4;
    body.erase(0, ext);
  }
  tag.frames = parseId3Frames(body, tag.version);
  std::size_t used = 0;
  for (const auto& f : tag.frames) used += 10 + f.body.size();
  tag.padding = body.size() - used;
  return tag;
}

const Id3Frame* Id3Tag::find(const std::string& id) const {
  for (const auto& f : frames)
    if (f.id == id) return &f;
  return nullptr;
}

std::vector<const Id3Frame*> Id3Tag::all(const std::string& id) const {
  std::vector<const Id3Frame*> found;
  for (const auto& f : frames)
    if (f.id == id) found.push_back(&f);
  return found;
}

std::string id3Text(const Id3Frame& frame) {
  if (frame.body.empty()) id3Error(frame.id + " is empty");
  return stripNuls(decodeId3(frame.body.substr(1), static_cast<unsigned char>(frame.body[0])));
}

Id3Comment id3Comment(const Id3Frame& comm) {
  if (comm.body.size() < 4) id3Error("COMM is too short");
  const int enc = static_cast<unsigned char>(comm.body[0]);
  Id3Comment c;
  c.language = comm.body.substr(1, 3);
  std::size_t at = 4;
  c.description = takeString(comm.body, at, enc);
  c.text = stripNuls(decodeId3(comm.body.substr(at), enc));
  return c;
}

Id3Picture id3Picture(const Id3Frame& apic) {
  if (apic.body.size() < 4) id3Error("APIC is too short");
  const int enc = static_cast<unsigned char>(apic.body[0]);
  Id3Picture p;
  std::size_t at = 1;
  p.mime = takeString(apic.body, at, 0);  // the MIME type is always Latin-1
  if (at >= apic.body.size()) id3Error("APIC ends after its MIME type");
  p.type = static_cast<unsigned char>(apic.body[at++]);
  p.description = takeString(apic.body, at, enc);
  p.data = apic.body.substr(at);
  return p;
}

Id3Chap id3Chap(const Id3Frame& chap, int version) {
  Id3Chap c;
  std::size_t at = 0;
  c.element_id = takeString(chap.body, at, 0);
  if (at + 16 > chap.body.size()) id3Error("CHAP " + c.element_id + " is too short");
  c.start_ms = bigEndian32(chap.body, at);
  c.end_ms = bigEndian32(chap.body, at + 4);
  c.start_offset = bigEndian32(chap.body, at + 8);
  c.end_offset = bigEndian32(chap.body, at + 12);
  c.subframes = parseId3Frames(chap.body.substr(at + 16), version);
  return c;
}

Id3Toc id3Toc(const Id3Frame& ctoc, int version) {
  Id3Toc t;
  std::size_t at = 0;
  t.element_id = takeString(ctoc.body, at, 0);
  if (at + 2 > ctoc.body.size()) id3Error("CTOC " + t.element_id + " is too short");
  const auto flags = static_cast<unsigned char>(ctoc.body[at]);
  t.top_level = flags & 0x02;
  t.ordered = flags & 0x01;
  const int count = static_cast<unsigned char>(ctoc.body[at + 1]);
  at += 2;
  for (int i = 0; i < count; ++i) {
    if (at >= ctoc.body.size()) id3Error("CTOC " + t.element_id + " lists fewer children than it counts");
    t.children.push_back(takeString(ctoc.body, at, 0));
  }
  t.subframes = parseId3Frames(ctoc.body.substr(at), version);
  return t;
}

long peakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

bool resetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

namespace {

uint32_t crc32Png(const std::string& bytes) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void putBe32(std::string& out, uint32_t v) {
  for (int shift : {24, 16, 8, 0}) out += static_cast<char>(v >> shift & 0xFF);
}

void pngChunk(std::string& out, const char* type, const std::string& data) {
  putBe32(out, static_cast<uint32_t>(data.size()));
  const std::string typed = std::string(type, 4) + data;
  out += typed;
  putBe32(out, crc32Png(typed));
}

}  // namespace

std::string pngFromRows(int width, int height, int colour_type, int depth, bool interlaced, const std::string& raw) {
  // zlib's deflate, as PNG writers use it (a stored stream of a 1400 px
  // cover would be 5.9 MB, over the cover limit).
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string zlib(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(zlib.data()), &packed_size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 9) != Z_OK)
    throw std::runtime_error("zlib compress2 failed");
  zlib.resize(packed_size);
  std::string ihdr;
  putBe32(ihdr, static_cast<uint32_t>(width));
  putBe32(ihdr, static_cast<uint32_t>(height));
  ihdr += static_cast<char>(depth);
  ihdr += static_cast<char>(colour_type);
  ihdr += std::string("\x00\x00", 2);  // deflate, filter method 0
  ihdr += static_cast<char>(interlaced ? 1 : 0);
  std::string png = "\x89PNG\r\n\x1a\n";
  pngChunk(png, "IHDR", ihdr);
  pngChunk(png, "IDAT", zlib);
  pngChunk(png, "IEND", "");
  return png;
}

std::string makePng(int width, int height, int seed) {
  std::string raw;  // each row: filter type 0, then RGB
  for (int y = 0; y < height; ++y) {
    raw += '\0';
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c) raw += static_cast<char>((x * 37 + y * 91 + c * 53 + seed * 17) & 0xFF);
  }
  return pngFromRows(width, height, 2, 8, false, raw);  // 8 bits, RGB
}

std::string makeJpeg(int width, int height) {
  const AVCodec* encoder = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (!encoder) throw AudioError("this FFmpeg has no mjpeg encoder");
  av::CodecContext codec(avcodec_alloc_context3(encoder));
  av::Frame frame(av_frame_alloc());
  av::Packet packet(av_packet_alloc());
  if (!codec || !frame || !packet) throw AudioError("makeJpeg: out of memory");
  codec->width = width;
  codec->height = height;
  codec->pix_fmt = AV_PIX_FMT_YUVJ420P;
  codec->time_base = AVRational{1, 25};
  av::check(avcodec_open2(codec.get(), encoder, nullptr), "makeJpeg: mjpeg encoder");
  frame->format = codec->pix_fmt;
  frame->width = width;
  frame->height = height;
  av::check(av_frame_get_buffer(frame.get(), 0), "makeJpeg: frame");
  for (int plane = 0; plane < 3; ++plane) {
    const int w = plane ? (width + 1) / 2 : width, h = plane ? (height + 1) / 2 : height;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        frame->data[plane][y * frame->linesize[plane] + x] = static_cast<uint8_t>(x * 8 + y * 4 + plane * 60);
  }
  frame->pts = 0;
  av::check(avcodec_send_frame(codec.get(), frame.get()), "makeJpeg: encode");
  av::check(avcodec_send_frame(codec.get(), nullptr), "makeJpeg: flush");
  av::check(avcodec_receive_packet(codec.get(), packet.get()), "makeJpeg: encode");
  return std::string(reinterpret_cast<const char*>(packet->data), static_cast<std::size_t>(packet->size));
}

std::size_t countDecodedFrames(const fs::path& path) {
  StrictDecoder d = openStrict(path);
  std::size_t frames = 0;
  decodeAll(d, [&](const AVFrame& frame, std::size_t) { frames += static_cast<std::size_t>(frame.nb_samples); });
  return frames;
}

double soundOnset(const audio::Audio& audio, double from, double until, double threshold_db) {
  for (double t = std::max(0.0, from); t < until; t += 0.005)
    if (rmsDb(audio, t, t + 0.01) > threshold_db) return t;
  return -1.0;
}

}  // namespace warta::test
