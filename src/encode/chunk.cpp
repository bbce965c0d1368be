// SPDX-License-Identifier: GPL-3.0-or-later
#include "encode/chunk.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <optional>

#include "audio/av_handles.h"
#include "audio/pcm16.h"
#include "encode/atomic_file.h"
#include "audio/stdio_file.h"
#include "encode/lame_encoder.h"
#include "encode/writer_detail.h"

#include <zlib.h>

namespace warta::encode {
namespace fs = std::filesystem;
using audio::Audio;
using audio::AudioError;

namespace {

constexpr char kMagic[8] = {'W', 'A', 'R', 'T', 'A', 'C', 'K', '1'};
constexpr char kEndMagic[8] = {'W', 'A', 'R', 'T', 'A', 'E', 'N', 'D'};
// Info fields (6 x uint32, 2 x int64), meta and record lengths (2 x uint64).
constexpr std::int64_t kInfoBytes = 6 * 4 + 2 * 8 + 2 * 8;
constexpr std::int64_t kTailBytes = kInfoBytes + 4 + 8;  // + CRC-32 + end marker
constexpr int kPcmBlock = 4096;                          // frames per PCM packet

// The file's CRC-32 is the reflected IEEE polynomial's register with no
// inversions (what FFmpeg's av_crc with AV_CRC_32_IEEE_LE and 0 gives);
// zlib's crc32 inverts the register before and after, so that is undone
// here. zlib for speed: a rebuild checks every cached chunk whole, and its
// crc32 ran the bench bulletin's 21 MB of chunks several times faster.
std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t size) {
  return ~static_cast<std::uint32_t>(::crc32_z(~crc, static_cast<const Bytef*>(data), size));
}

// Little-endian integers into and out of byte buffers, whatever the host.
template <typename T>
void putLe(std::string& out, T value) {
  auto v = static_cast<std::uint64_t>(value);
  for (std::size_t i = 0; i < sizeof(T); ++i, v >>= 8) out.push_back(static_cast<char>(v & 0xff));
}
template <typename T>
T getLe(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (std::size_t i = sizeof(T); i-- > 0;) v = (v << 8) | in[i];
  return static_cast<T>(v);
}

// LAME 3.100's encoder delay (ENCDELAY 576 + the decoder's 529), and what
// a frame's output and analysis reach back beyond it (chunk.h, chunkPreroll).
constexpr std::int64_t kLameDelay = 1105;
constexpr std::int64_t kGranule = 576;
constexpr std::int64_t kPsyMemory = 2 * kGranule;

}  // namespace

int chunkAlignment(const OutputSettings& settings, ChunkCodec codec) {
  if (codec == ChunkCodec::Pcm16) return 1;
  return settings.sample_rate >= 32000 ? 1152 : 576;  // MPEG-1 Layer III, else MPEG-2/2.5
}

std::int64_t chunkPreroll(const OutputSettings& settings, ChunkCodec codec) {
  if (codec == ChunkCodec::Pcm16) return 0;
  const std::int64_t frame = chunkAlignment(settings, codec);
  return ((kLameDelay + kGranule + kPsyMemory + frame - 1) / frame + 1) * frame;  // + 1 frame of margin
}

std::int64_t chunkPostroll(const OutputSettings& settings, ChunkCodec codec) {
  return codec == ChunkCodec::Pcm16 ? 0 : chunkAlignment(settings, codec);
}

// ---- ChunkWriter ----

struct ChunkWriter::Impl {
  AtomicFile file;  // first: destroyed last, after the stream is closed
  audio::File out;
  OutputSettings settings;
  ChunkInfo info;
  std::string meta;
  std::uint32_t crc = 0;
  std::int64_t bytes = 0, records = 0;
  bool done = false, failed = false;
  // PCM: the chunk's own reduction to 16 bits, seeded afresh per chunk, so
  // its bytes depend on its audio alone.
  audio::Pcm16Ditherer dither;
  // MP3
  std::optional<LameEncoder> lame;
  av::Packet packet;
  std::vector<float> pending;  // interleaved samples short of a whole packet
  // A chunk cut anywhere (chunk.h, ChunkSpan).
  ChunkSpan span;
  // MP3: the encoder's frame numbers before which it empties its bit
  // reservoir (the span's joins), in order.
  std::vector<std::int64_t> empty_before;
  std::size_t emptied = 0;
  std::int64_t written = 0;     // samples per channel handed to write(), pre- and postroll included
  std::int64_t produced = 0;    // MP3: packets the encoder gave
  std::deque<av::Packet> held;  // MP3 with a postroll: packets that may yet prove to be the postroll's

  Impl(const fs::path& path, const OutputSettings& s, ChunkCodec kind, const ChunkSpan& sp)
      : file(path, Flush::CacheEntry), settings(s), span(sp) {
    const std::string name = path.string();
    info.codec = kind;
    info.sample_rate = s.sample_rate;
    info.channels = s.channels;
    info.bitrate_kbps = kind == ChunkCodec::Mp3 ? s.bitrate_kbps : 0;
    info.frame_size = kind == ChunkCodec::Mp3 ? chunkAlignment(s, kind) : kPcmBlock;
    checkSpan(name);
    if (kind == ChunkCodec::Mp3) {
      openEncoder(name);
      startSpan();
    }
    out.reset(std::fopen(file.tempPath().c_str(), "wb"));
    if (!out) throw AudioError(name + ": cannot create " + file.tempPath().string() + ": " + std::strerror(errno));
    put(kMagic, sizeof kMagic);
  }

  void openEncoder(const std::string& name) {
    lame.emplace(name, settings.sample_rate, settings.channels, settings.bitrate_kbps);
    if (lame->frameSize() != info.frame_size)
      throw AudioError(name + ": LAME frames of " + std::to_string(lame->frameSize()) + " samples, expected " +
                       std::to_string(info.frame_size));
    info.initial_padding = lame->delay();
    packet.reset(av_packet_alloc());
    if (!packet) throw AudioError(name + ": out of memory");
  }

  void checkSpan(const std::string& name) const {
    const std::int64_t frame = chunkAlignment(settings, info.codec);
    const auto bad = [&](std::int64_t v) { return v < 0 || v % frame != 0; };
    if (bad(span.preroll) || bad(span.start) || span.postroll < 0 || span.preroll > span.start ||
        std::any_of(span.joins.begin(), span.joins.end(), bad))
      throw AudioError(name + ": chunk span (preroll " + std::to_string(span.preroll) + ", postroll " +
                       std::to_string(span.postroll) + ", start " + std::to_string(span.start) +
                       "): the start, preroll and joins must be whole " + std::to_string(frame) +
                       "-sample frames, the preroll no longer than the start, the postroll not negative");
  }

  // The encoder's frames before which it empties the reservoir: the
  // programme's frame t is the encoder's t - first, and its frame 0 starts
  // with the reservoir empty anyway.
  void startSpan() {
    const std::int64_t frame = info.frame_size;
    const std::int64_t first = (span.start - span.preroll) / frame;
    for (const std::int64_t join : span.joins)
      if (join / frame - first > 0) empty_before.push_back(join / frame - first);
    std::sort(empty_before.begin(), empty_before.end());
    empty_before.erase(std::unique(empty_before.begin(), empty_before.end()), empty_before.end());
  }

  void put(const void* data, std::size_t size) {
    if (size == 0) return;
    if (std::fwrite(data, 1, size, out.get()) != size)
      throw AudioError(file.finalPath().string() + ": cannot write " + file.tempPath().string() + ": " +
                       std::strerror(errno));
    crc = crc32(crc, data, size);
    bytes += static_cast<std::int64_t>(size);
  }

  void putRecord(const AVPacket& p) {
    std::string head;
    putLe<std::int64_t>(head, p.pts);
    putLe<std::int64_t>(head, p.dts);
    putLe<std::int64_t>(head, p.duration);
    putLe<std::uint32_t>(head, static_cast<std::uint32_t>(p.flags));
    putLe<std::uint32_t>(head, static_cast<std::uint32_t>(p.size));
    putLe<std::uint32_t>(head, static_cast<std::uint32_t>(p.side_data_elems));
    const std::int64_t before = bytes;
    put(head.data(), head.size());
    put(p.data, static_cast<std::size_t>(p.size));
    for (int i = 0; i < p.side_data_elems; ++i) {
      std::string side;
      putLe<std::uint32_t>(side, static_cast<std::uint32_t>(p.side_data[i].type));
      putLe<std::uint32_t>(side, static_cast<std::uint32_t>(p.side_data[i].size));
      put(side.data(), side.size());
      put(p.side_data[i].data, p.side_data[i].size);
    }
    records += bytes - before;
    ++info.packets;
  }

  // Encodes `count` frames (at most frame_size) of interleaved samples; a
  // null `data` ends the input: LAME's padding frames, then its last bytes.
  void encodeMp3(const float* data, int count) {
    if (data) {
      lame->encode(data, count);
      afterFrame();
      return;
    }
    while (lame->encodePadding()) afterFrame();
    lame->finish();
    while (lame->nextPacket(*packet)) takePacket();
  }

  // After each frame LAME may have encoded: empties the reservoir if the
  // next frame is one that must start with it empty, and stores what is out.
  void afterFrame() {
    const std::int64_t encoded = lame->framesEncoded();
    for (; emptied < empty_before.size() && empty_before[emptied] <= encoded; ++emptied) {
      if (empty_before[emptied] < encoded)  // LAME encodes at most a frame per frame of input
        throw AudioError(file.finalPath().string() + ": MP3 encoder passed frame " +
                         std::to_string(empty_before[emptied]) + " before its reservoir was emptied");
      lame->emptyReservoir();
    }
    while (lame->nextPacket(*packet)) takePacket();
  }

  // The encoder's next packet: dropped if it is the preroll's (the encoder
  // starts span.preroll samples, whole frames, before the chunk's own),
  // else stored with timestamps from the chunk's own start (in the codec's
  // time base, 1/rate), or, with a postroll, held until it is known not to
  // be the postroll's.
  void takePacket() {
    if (produced++ < span.preroll / info.frame_size) {
      av_packet_unref(packet.get());
      return;
    }
    packet->pts -= span.preroll;
    packet->dts -= span.preroll;
    if (span.postroll == 0) {
      putRecord(*packet);
      av_packet_unref(packet.get());
      return;
    }
    av::Packet p(av_packet_alloc());
    if (!p) throw AudioError(file.finalPath().string() + ": out of memory");
    av_packet_move_ref(p.get(), packet.get());
    held.push_back(std::move(p));
    // The chunk's own samples are at least those written beyond pre- and postroll.
    putHeld((written - span.preroll - span.postroll) / info.frame_size);
  }

  // Stores held packets while fewer than `keep` are stored.
  void putHeld(std::int64_t keep) {
    while (!held.empty() && info.packets < keep) {
      putRecord(*held.front());
      held.pop_front();
    }
  }

  void encodePcm(const float* data, int count) {
    std::vector<std::uint8_t> bytes_le(static_cast<std::size_t>(count) * static_cast<std::size_t>(settings.channels) *
                                       2);
    for (std::size_t i = 0; i < bytes_le.size() / 2; ++i) {
      const std::int16_t v = dither(data[i]);  // the reduction to 16 bits: dithered
      bytes_le[2 * i] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(v) & 0xff);
      bytes_le[2 * i + 1] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(v) >> 8);
    }
    AVPacket p{};
    p.data = bytes_le.data();
    p.size = static_cast<int>(bytes_le.size());
    p.pts = p.dts = info.samples;
    p.duration = count;
    putRecord(p);
    info.samples += count;
  }

  void encode(const float* data, int count) {
    if (info.codec == ChunkCodec::Mp3) encodeMp3(data, count);
    else if (data) encodePcm(data, count);
  }

  void write(const Audio& chunk) {
    const fs::path& path = file.finalPath();
    if (done) throw AudioError(path.string() + ": write after finish");
    if (failed) throw AudioError(path.string() + ": write after an earlier error");
    detail::checkChunk(path, settings, chunk);
    failed = true;  // until this chunk is through
    const auto width = static_cast<std::size_t>(settings.channels);
    // PCM drops the preroll here and holds back the postroll's length until
    // the end; MP3 encodes both and drops their packets.
    const bool pcm = info.codec == ChunkCodec::Pcm16;
    const auto skip = static_cast<std::size_t>(
        pcm ? std::clamp<std::int64_t>(span.preroll - written, 0, static_cast<std::int64_t>(chunk.frames())) : 0);
    written += static_cast<std::int64_t>(chunk.frames());
    pending.insert(pending.end(), chunk.samples.begin() + static_cast<std::ptrdiff_t>(skip * width),
                   chunk.samples.end());
    const auto step = static_cast<std::size_t>(info.frame_size);
    const auto hold = static_cast<std::size_t>(pcm ? span.postroll : 0);
    std::size_t used = 0;
    while (pending.size() - used >= (step + hold) * width) {
      encode(pending.data() + used, info.frame_size);
      used += step * width;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(used));
    failed = false;
  }

  void complete() {
    const std::string name = file.finalPath().string();
    if (done) throw AudioError(name + ": already finished");
    if (failed) throw AudioError(name + ": cannot finish after an earlier error");
    failed = true;
    const std::int64_t own = written - span.preroll - span.postroll;
    if (own < 0)
      throw AudioError(name + ": " + std::to_string(written) + " samples written, fewer than the chunk's preroll (" +
                       std::to_string(span.preroll) + ") and postroll (" + std::to_string(span.postroll) + ")");
    const bool mp3 = info.codec == ChunkCodec::Mp3;
    if (mp3 && span.postroll > 0 && own % info.frame_size != 0)
      throw AudioError(name + ": " + std::to_string(own) + " samples of its own, not a whole number of " +
                       std::to_string(info.frame_size) + "-sample frames, in a chunk with a postroll");
    const auto width = static_cast<std::size_t>(settings.channels);
    if (!mp3) pending.resize(pending.size() - static_cast<std::size_t>(span.postroll) * width);  // the postroll
    if (!pending.empty()) encode(pending.data(), static_cast<int>(pending.size() / width));
    pending.clear();
    encode(nullptr, 0);
    if (mp3) {
      info.samples = own;
      putHeld(own / info.frame_size);  // the rest, if any, is the postroll's and the flush's
      held.clear();
    }
    put(meta.data(), meta.size());
    std::string tail;
    putLe<std::uint32_t>(tail, static_cast<std::uint32_t>(info.codec));
    putLe<std::uint32_t>(tail, static_cast<std::uint32_t>(info.sample_rate));
    putLe<std::uint32_t>(tail, static_cast<std::uint32_t>(info.channels));
    putLe<std::uint32_t>(tail, static_cast<std::uint32_t>(info.bitrate_kbps));
    putLe<std::uint32_t>(tail, static_cast<std::uint32_t>(info.frame_size));
    putLe<std::uint32_t>(tail, static_cast<std::uint32_t>(info.initial_padding));
    putLe<std::int64_t>(tail, info.samples);
    putLe<std::int64_t>(tail, info.packets);
    putLe<std::uint64_t>(tail, meta.size());
    putLe<std::uint64_t>(tail, static_cast<std::uint64_t>(records));
    put(tail.data(), tail.size());
    std::string end;
    putLe<std::uint32_t>(end, crc);
    end.append(kEndMagic, sizeof kEndMagic);
    put(end.data(), end.size());
    if (std::fflush(out.get()) != 0 || std::ferror(out.get()))
      throw AudioError(name + ": cannot write " + file.tempPath().string() + ": " + std::strerror(errno));
    std::FILE* raw = out.release();
    if (std::fclose(raw) != 0) throw AudioError(name + ": cannot close " + file.tempPath().string());
    done = true;
    failed = false;
  }
};

ChunkWriter::ChunkWriter(const fs::path& path, const OutputSettings& settings, ChunkCodec codec)
    : ChunkWriter(path, settings, codec, ChunkSpan{}) {}
ChunkWriter::ChunkWriter(const fs::path& path, const OutputSettings& settings, ChunkCodec codec,
                         const ChunkSpan& span) {
  detail::checkSettings(path, settings, codec == ChunkCodec::Mp3);
  impl_ = std::make_unique<Impl>(path, settings, codec, span);
}
ChunkWriter::~ChunkWriter() = default;
void ChunkWriter::write(const Audio& chunk) { impl_->write(chunk); }
void ChunkWriter::setMeta(std::string meta) { impl_->meta = std::move(meta); }
void ChunkWriter::complete() { impl_->complete(); }
void ChunkWriter::finish() {
  impl_->complete();
  impl_->file.commit();
}
const ChunkInfo& ChunkWriter::info() const { return impl_->info; }
std::int64_t ChunkWriter::bytes() const { return impl_->bytes; }
const fs::path& ChunkWriter::tempPath() const { return impl_->file.tempPath(); }

// ---- ChunkReader ----

struct ChunkReader::Impl {
  fs::path path;
  audio::File in;
  ChunkInfo info;
  std::string meta;
  std::int64_t records = 0, offset = 0, read = 0;

  [[noreturn]] void fail(const std::string& what) const { throw ChunkError(path.string() + ": " + what); }

  void readExactly(void* into, std::size_t size) {
    if (std::fread(into, 1, size, in.get()) != size) fail("is truncated");
    offset += static_cast<std::int64_t>(size);
  }

  Impl(const fs::path& p, bool verify) : path(p) {
    in.reset(std::fopen(p.c_str(), "rb"));
    if (!in) fail(std::string("cannot open: ") + std::strerror(errno));
    std::error_code ec;
    const auto size = static_cast<std::int64_t>(fs::file_size(p, ec));
    if (ec) fail("cannot read its size: " + ec.message());
    if (size < static_cast<std::int64_t>(sizeof kMagic) + kTailBytes)
      fail("is truncated (" + std::to_string(size) + " bytes)");
    // The CRC covers everything before it; read it all once.
    std::uint8_t head[sizeof kMagic];
    readExactly(head, sizeof head);
    if (std::memcmp(head, kMagic, sizeof kMagic) != 0) fail("is not a warta chunk");
    std::uint32_t crc = crc32(0, head, sizeof head);
    if (verify) {
      std::vector<std::uint8_t> block(1 << 16);
      for (std::int64_t left = size - 12 - offset; left > 0;) {
        const auto n = static_cast<std::size_t>(std::min<std::int64_t>(left, static_cast<std::int64_t>(block.size())));
        readExactly(block.data(), n);
        crc = crc32(crc, block.data(), n);
        left -= static_cast<std::int64_t>(n);
      }
    } else {
      seek(size - 12);
    }
    std::uint8_t end[12];
    readExactly(end, sizeof end);
    if (std::memcmp(end + 4, kEndMagic, sizeof kEndMagic) != 0) fail("is truncated (no end marker)");
    if (verify && getLe<std::uint32_t>(end) != crc) fail("is corrupt (checksum mismatch)");
    std::array<std::uint8_t, kInfoBytes> info_bytes{};
    seek(size - 12 - kInfoBytes);
    readExactly(info_bytes.data(), info_bytes.size());

    const std::uint8_t* f = info_bytes.data();
    info.codec = static_cast<ChunkCodec>(getLe<std::uint32_t>(f));
    info.sample_rate = static_cast<int>(getLe<std::uint32_t>(f + 4));
    info.channels = static_cast<int>(getLe<std::uint32_t>(f + 8));
    info.bitrate_kbps = static_cast<int>(getLe<std::uint32_t>(f + 12));
    info.frame_size = static_cast<int>(getLe<std::uint32_t>(f + 16));
    info.initial_padding = static_cast<int>(getLe<std::uint32_t>(f + 20));
    info.samples = getLe<std::int64_t>(f + 24);
    info.packets = getLe<std::int64_t>(f + 32);
    const auto meta_len = static_cast<std::int64_t>(getLe<std::uint64_t>(f + 40));
    records = static_cast<std::int64_t>(getLe<std::uint64_t>(f + 48));
    if (meta_len < 0 || records < 0 ||
        static_cast<std::int64_t>(sizeof kMagic) + records + meta_len + kTailBytes != size)
      fail("is corrupt (lengths do not add up)");
    if (info.codec != ChunkCodec::Mp3 && info.codec != ChunkCodec::Pcm16) fail("has an unknown codec");

    meta.resize(static_cast<std::size_t>(meta_len));
    seek(static_cast<std::int64_t>(sizeof kMagic) + records);
    if (!meta.empty()) readExactly(meta.data(), meta.size());
    seek(sizeof kMagic);
  }

  void seek(std::int64_t to) {
    if (std::fseek(in.get(), static_cast<long>(to), SEEK_SET) != 0) fail("cannot seek");
    offset = to;
  }

  bool next(AVPacket& p) {
    av_packet_unref(&p);
    if (read == info.packets) return false;
    std::uint8_t head[36];
    readExactly(head, sizeof head);
    const auto size = static_cast<int>(getLe<std::uint32_t>(head + 28));
    const auto sides = getLe<std::uint32_t>(head + 32);
    if (size < 0 || offset + size > static_cast<std::int64_t>(sizeof kMagic) + records)
      fail("is corrupt at packet " + std::to_string(read));
    av::check(av_new_packet(&p, size), path.string());
    if (size > 0) readExactly(p.data, static_cast<std::size_t>(size));
    for (std::uint32_t i = 0; i < sides; ++i) {
      std::uint8_t side_head[8];
      readExactly(side_head, sizeof side_head);
      const auto type = static_cast<AVPacketSideDataType>(getLe<std::uint32_t>(side_head));
      const auto side_size = getLe<std::uint32_t>(side_head + 4);
      if (offset + side_size > static_cast<std::int64_t>(sizeof kMagic) + records)
        fail("is corrupt at packet " + std::to_string(read));
      std::uint8_t* side = av_packet_new_side_data(&p, type, side_size);
      if (!side) fail("out of memory");
      readExactly(side, side_size);
    }
    p.pts = getLe<std::int64_t>(head);
    p.dts = getLe<std::int64_t>(head + 8);
    p.duration = getLe<std::int64_t>(head + 16);
    p.flags = static_cast<int>(getLe<std::uint32_t>(head + 24));
    ++read;
    return true;
  }
};

ChunkReader::ChunkReader(const fs::path& path, bool verify) : impl_(std::make_unique<Impl>(path, verify)) {}
ChunkReader::~ChunkReader() = default;
ChunkReader::ChunkReader(ChunkReader&&) noexcept = default;
const ChunkInfo& ChunkReader::info() const { return impl_->info; }
const std::string& ChunkReader::meta() const { return impl_->meta; }
bool ChunkReader::next(AVPacket& packet) { return impl_->next(packet); }

}  // namespace warta::encode
