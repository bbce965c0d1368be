#include "encode/packet_spool.h"

#include <string>

#include "audio/audio.h"
#include "audio/av_handles.h"

namespace warta::encode {
namespace fs = std::filesystem;
using audio::AudioError;

// Record layout, little-endian: pts, dts, duration (int64); flags, size,
// side-data count (uint32); the packet's bytes; then per side datum: type,
// size (uint32), bytes. Payload first: av_new_packet resets the packet.

PacketSpool::PacketSpool(const fs::path& output) {
  file_.emplace(fs::path(output).concat(".spool"));
  const std::string temp = file_->tempPath().string();
  AVIOContext* raw = nullptr;
  av::check(avio_open(&raw, temp.c_str(), AVIO_FLAG_WRITE), output.string() + ": cannot create packet spool " + temp);
  io_.reset(raw);
}

PacketSpool::~PacketSpool() { remove(); }

const fs::path& PacketSpool::path() const {
  static const fs::path none;
  return file_ ? file_->tempPath() : none;
}

void PacketSpool::remove() {
  io_.reset();    // close first
  file_.reset();  // then AtomicFile's destructor deletes the uncommitted file
}

void PacketSpool::append(const AVPacket& p) {
  if (!io_ || reading_) throw AudioError(path().string() + ": packet spool is not open for writing");
  AVIOContext* pb = io_.get();
  avio_wl64(pb, static_cast<uint64_t>(p.pts));
  avio_wl64(pb, static_cast<uint64_t>(p.dts));
  avio_wl64(pb, static_cast<uint64_t>(p.duration));
  avio_wl32(pb, static_cast<unsigned>(p.flags));
  avio_wl32(pb, static_cast<unsigned>(p.size));
  avio_wl32(pb, static_cast<unsigned>(p.side_data_elems));
  if (p.size > 0) avio_write(pb, p.data, p.size);
  bytes_ += 36 + p.size;
  for (int i = 0; i < p.side_data_elems; ++i) {
    const AVPacketSideData& side = p.side_data[i];
    avio_wl32(pb, static_cast<unsigned>(side.type));
    avio_wl32(pb, static_cast<unsigned>(side.size));
    avio_write(pb, side.data, static_cast<int>(side.size));
    bytes_ += 8 + static_cast<std::int64_t>(side.size);
  }
  if (pb->error < 0) av::check(pb->error, path().string() + ": cannot write packet spool");
  ++packets_;
}

void PacketSpool::rewind() {
  if (!io_ || reading_) throw AudioError(path().string() + ": packet spool is not open for writing");
  const std::string temp = path().string();
  avio_flush(io_.get());
  if (io_->error < 0) av::check(io_->error, temp + ": cannot write packet spool");
  AVIOContext* raw = io_.release();
  av::check(avio_closep(&raw), temp + ": cannot close packet spool");
  av::check(avio_open(&raw, temp.c_str(), AVIO_FLAG_READ), temp + ": cannot reopen packet spool");
  io_.reset(raw);
  reading_ = true;
  read_ = 0;
}

bool PacketSpool::next(AVPacket& p) {
  if (!io_ || !reading_) throw AudioError(path().string() + ": packet spool is not open for reading");
  av_packet_unref(&p);
  if (read_ == packets_) return false;
  AVIOContext* pb = io_.get();
  const std::string what = path().string() + ": packet spool";
  const auto checkRead = [&] {
    if (pb->error < 0) av::check(pb->error, what);
    if (avio_feof(pb)) throw AudioError(what + " is truncated at packet " + std::to_string(read_));
  };
  const auto pts = static_cast<int64_t>(avio_rl64(pb));
  const auto dts = static_cast<int64_t>(avio_rl64(pb));
  const auto duration = static_cast<int64_t>(avio_rl64(pb));
  const auto flags = static_cast<int>(avio_rl32(pb));
  const auto size = static_cast<int>(avio_rl32(pb));
  const auto sides = avio_rl32(pb);
  checkRead();
  if (size < 0) throw AudioError(what + " is corrupt at packet " + std::to_string(read_));
  av::check(av_new_packet(&p, size), what);
  if (size > 0 && avio_read(pb, p.data, size) != size) {
    checkRead();
    throw AudioError(what + " is truncated at packet " + std::to_string(read_));
  }
  for (unsigned i = 0; i < sides; ++i) {
    const auto type = static_cast<AVPacketSideDataType>(avio_rl32(pb));
    const auto side_size = avio_rl32(pb);
    checkRead();
    uint8_t* side = av_packet_new_side_data(&p, type, side_size);
    if (!side) throw AudioError(what + ": out of memory");
    if (avio_read(pb, side, static_cast<int>(side_size)) != static_cast<int>(side_size)) {
      checkRead();
      throw AudioError(what + " is truncated at packet " + std::to_string(read_));
    }
  }
  p.pts = pts;
  p.dts = dts;
  p.duration = duration;
  p.flags = flags;
  ++read_;
  return true;
}

}  // namespace warta::encode
