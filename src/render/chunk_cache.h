// SPDX-License-Identifier: GPL-3.0-or-later
// The content-addressed cache of rendered chunks (render_plan.h): a chunk's
// file is named by the SHA-256 of describeChunk(), so a rundown rebuilt with
// one story changed renders only that story's chunk. Entries are written
// whole through a rename (two builds at once at worst write the same entry
// twice) and checked whole (CRC-32) before use: a corrupt or truncated entry
// is removed and rendered again.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "audio/decoded_check.h"

namespace warta::app {

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string sha256Hex(std::string_view data);

// SHA-256 of a file's bytes. Throws audio::AudioError naming the file.
std::string fileSha256(const std::filesystem::path& file);

// The GNU build ID (hex) of the program or libwarta.so holding this code, which changes with any change to its
// code: cached chunks never outlive the code that made them. Empty if the
// linker left none (then WARTA's version stands in, in the key).
std::string programBuildId();

// Where the cache lives unless --cache says: $WARTA_CACHE, else
// $XDG_CACHE_HOME/warta, else ~/.cache/warta. Empty if none can be named.
std::filesystem::path defaultCacheDir();

class ChunkCache {
 public:
  // Creates `dir` (and dir/chunks) if missing; sounds go in dir/sounds. Throws audio::AudioError
  // naming the folder if it cannot.
  explicit ChunkCache(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }

  // Where the entry with this key (hex) lives, found or not: a chunk
  // (".chunk"), a chunk's measured stretch of the output (".cues") or a
  // step's sound (".sound", render/speech_file.h).
  std::filesystem::path pathFor(const std::string& key, const char* extension = ".chunk") const;

  enum class Lookup { Hit, Miss, Corrupt };
  // Hit: the entry exists and reads back whole (its time is refreshed, so
  // prune() keeps what is used). Corrupt: it existed but failed the check,
  // and has been removed.
  Lookup find(const std::string& key) const;
  // The same for a sound (checked whole with its CRC-32).
  Lookup findSound(const std::string& key) const;

  // A chunk's measured stretch (encode/chunk_stats.h): its cells, exact (the
  // floats' own bytes), under a CRC-32 (about 0.8 MB for 40 s at 44.1 kHz).
  // nullopt when missing, or damaged (then removed, to be measured again:
  // `damaged` is set).
  std::optional<audio::StretchCells> findStretch(const std::string& key, bool* damaged = nullptr) const;
  // Writes it atomically. Throws audio::AudioError naming the file.
  void storeStretch(const std::string& key, const audio::StretchCells& cells) const;

  // Removes the least recently used entries (and leftover temporaries older
  // than a day) until the chunks take at most `max_bytes`. Returns bytes freed.
  std::uintmax_t prune(std::uintmax_t max_bytes) const;

 private:
  static Lookup lookup(const std::filesystem::path& file,
                       const std::function<void(const std::filesystem::path&)>& check);
  std::filesystem::path dir_;
};

}  // namespace warta::app
