// A first-in first-out queue of encoded packets kept on disk, so a writer can
// hold a whole programme's packets until it knows its chapters, in constant
// memory. Used by Mp3Writer; a hidden temporary file beside the output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "encode/atomic_file.h"
#include "encode/handles.h"

extern "C" {
#include <libavcodec/packet.h>
}

namespace warta::encode {

class PacketSpool {
 public:
  // Creates the spool file beside `output` (named like an AtomicFile temporary
  // of "<output>.spool", so leftover checks find it). Throws audio::AudioError.
  explicit PacketSpool(const std::filesystem::path& output);
  ~PacketSpool();  // closes and removes the spool file
  PacketSpool(const PacketSpool&) = delete;
  PacketSpool& operator=(const PacketSpool&) = delete;

  // Appends a copy of `packet`: data, pts, dts, duration, flags and all side
  // data (the encoder's skip-samples, from which the muxer learns encoder delay
  // and padding). Only before rewind(). Throws audio::AudioError.
  void append(const AVPacket& packet);

  // Ends writing and starts reading from the first packet. Throws audio::AudioError.
  void rewind();

  // Reads the next packet into `packet` (unreferenced first); false after the
  // last one. Only after rewind(). Throws audio::AudioError on a read error or
  // a truncated spool.
  bool next(AVPacket& packet);

  // Closes and deletes the file now (the destructor does it otherwise).
  void remove();

  std::int64_t packets() const { return packets_; }  // appended so far
  std::int64_t bytes() const { return bytes_; }      // file size so far
  const std::filesystem::path& path() const;

 private:
  std::optional<AtomicFile> file_;  // never committed: its destructor removes the spool
  Avio io_;                         // the writer before rewind(), the reader after
  std::int64_t packets_ = 0, bytes_ = 0, read_ = 0;
  bool reading_ = false;
};

}  // namespace warta::encode
