// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/chunk_cache.h"

#include <elf.h>
#include <link.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include <zlib.h>

#include "audio/audio.h"
#include "audio/av_handles.h"
#include "encode/atomic_file.h"
#include "encode/chunk.h"
#include "render/speech_file.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {

std::string hex(const std::uint8_t* bytes, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

class Sha256 {
 public:
  Sha256() : sha_(av_sha_alloc()) {
    if (!sha_) throw audio::AudioError("SHA-256: out of memory");
    av_sha_init(sha_.get(), 256);
  }
  void add(const void* data, std::size_t n) { av_sha_update(sha_.get(), static_cast<const std::uint8_t*>(data), n); }
  std::string hexDigest() {
    std::array<std::uint8_t, 32> digest{};
    av_sha_final(sha_.get(), digest.data());
    return hex(digest.data(), digest.size());
  }

 private:
  av::Sha sha_;
};

struct BuildIdSearch {
  std::uintptr_t code = 0;  // an address of warta's own code
  std::string* out = nullptr;
};

// dl_iterate_phdr callback: the object holding warta's code (the program, or
// libwarta.so when a program uses the shared library) is the one whose
// loaded segments contain `code`; the rest are skipped.
int findBuildId(dl_phdr_info* info, std::size_t, void* data) {
  auto* search = static_cast<BuildIdSearch*>(data);
  bool ours = false;
  for (int i = 0; i < info->dlpi_phnum && !ours; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    const std::uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    ours = ph.p_type == PT_LOAD && search->code >= start && search->code < start + ph.p_memsz;
  }
  if (!ours) return 0;
  std::string* out = search->out;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const auto* at = reinterpret_cast<const std::uint8_t*>(info->dlpi_addr + ph.p_vaddr);
    const std::uint8_t* end = at + ph.p_memsz;
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
      const std::uint8_t* name = at + sizeof(ElfW(Nhdr));
      const std::uint8_t* desc = name + ((note->n_namesz + 3) & ~3u);
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        *out = hex(desc, note->n_descsz);
        return 1;
      }
      at = desc + ((note->n_descsz + 3) & ~3u);
    }
  }
  return 1;  // found ours (with or without a build ID): stop
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  Sha256 sha;
  sha.add(data.data(), data.size());
  return sha.hexDigest();
}

std::string fileSha256(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw audio::AudioError(file.string() + ": cannot read");
  Sha256 sha;
  std::vector<char> block(1 << 16);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    sha.add(block.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw audio::AudioError(file.string() + ": cannot read");
  return sha.hexDigest();
}

std::string programBuildId() {
  static const std::string id = [] {
    std::string found;
    BuildIdSearch search{reinterpret_cast<std::uintptr_t>(&programBuildId), &found};
    dl_iterate_phdr(findBuildId, &search);
    return found;
  }();
  return id;
}

fs::path defaultCacheDir() {
  if (const char* dir = std::getenv("WARTA_CACHE"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "warta";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "warta";
  return {};
}

ChunkCache::ChunkCache(fs::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_ / "chunks", ec);
  if (ec || !fs::is_directory(dir_ / "chunks"))
    throw audio::AudioError(dir_.string() +
                            ": cannot create the cache folder: " + (ec ? ec.message() : std::string("not a folder")));
}

fs::path ChunkCache::pathFor(const std::string& key, const char* extension) const {
  const char* folder = std::strcmp(extension, ".sound") == 0 ? "sounds" : "chunks";
  return dir_ / folder / key.substr(0, 2) / (key + extension);
}

ChunkCache::Lookup ChunkCache::find(const std::string& key) const {
  return lookup(pathFor(key), [](const fs::path& file) { encode::ChunkReader check(file); });
}

ChunkCache::Lookup ChunkCache::findSound(const std::string& key) const {
  return lookup(pathFor(key, ".sound"), [](const fs::path& file) { SpeechFileReader check(file, true); });
}

ChunkCache::Lookup ChunkCache::lookup(const fs::path& file, const std::function<void(const fs::path&)>& check) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(file, ec);
  if (!fs::exists(status)) {
    fs::create_directories(file.parent_path(), ec);
    return Lookup::Miss;
  }
  // Only a regular file is opened: a FIFO would block the read forever, a
  // folder or a link is not an entry this cache wrote. Removed, rendered again.
  if (!fs::is_regular_file(status)) {
    fs::remove_all(file, ec);
    return Lookup::Corrupt;
  }
  try {
    check(file);
  } catch (const encode::ChunkError&) {
    fs::remove(file, ec);
    return Lookup::Corrupt;
  }
  fs::last_write_time(file, fs::file_time_type::clock::now(), ec);  // recently used
  return Lookup::Hit;
}

namespace {

// A stretch's cells (audio::StretchCells) as they are in memory: the magic,
// six 64-bit integers (start, end, first, last, cell, cell count), the
// power then the energy cells as 32-bit floats, and zlib's CRC-32 of all
// that. In the machine's byte order: the program's build id in every key
// keeps a cache from being read by another build, let alone another machine.
constexpr char kStretchMagic[] = "warta stretch cells 1\n";
constexpr std::size_t kStretchHead = sizeof kStretchMagic - 1 + 6 * sizeof(std::int64_t);

std::uint32_t stretchCrc(const char* bytes, std::size_t size) {
  return static_cast<std::uint32_t>(::crc32_z(0, reinterpret_cast<const Bytef*>(bytes), size));
}

// The bytes, checked whole: nullopt if anything is missing, extra or altered.
std::optional<audio::StretchCells> parseStretch(const std::string& bytes) {
  const std::size_t magic = sizeof kStretchMagic - 1;
  if (bytes.size() < kStretchHead + 4 || bytes.compare(0, magic, kStretchMagic) != 0) return std::nullopt;
  std::uint32_t crc = 0;
  std::memcpy(&crc, bytes.data() + bytes.size() - 4, 4);
  if (crc != stretchCrc(bytes.data(), bytes.size() - 4)) return std::nullopt;
  std::int64_t head[6];
  std::memcpy(head, bytes.data() + magic, sizeof head);
  const std::int64_t n = head[5];
  // The count is checked against the file's size before it is multiplied.
  if (n < 0 || head[4] < 1 || static_cast<std::uint64_t>(n) > bytes.size() ||
      bytes.size() != kStretchHead + 2 * sizeof(float) * static_cast<std::uint64_t>(n) + 4)
    return std::nullopt;
  audio::StretchCells c;
  c.start = head[0], c.end = head[1], c.first = head[2], c.last = head[3], c.cell = head[4];
  c.power.resize(static_cast<std::size_t>(n));
  c.energy.resize(static_cast<std::size_t>(n));
  std::memcpy(c.power.data(), bytes.data() + kStretchHead, c.power.size() * sizeof(float));
  std::memcpy(c.energy.data(), bytes.data() + kStretchHead + c.power.size() * sizeof(float),
              c.energy.size() * sizeof(float));
  for (std::size_t k = 0; k < c.power.size(); ++k)
    if (!std::isfinite(c.power[k]) || !std::isfinite(c.energy[k])) return std::nullopt;
  return c;
}

}  // namespace

std::optional<audio::StretchCells> ChunkCache::findStretch(const std::string& key, bool* damaged) const {
  const fs::path file = pathFor(key, ".cues");
  if (damaged) *damaged = false;
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(file, ec);
  if (!fs::exists(status)) {
    fs::create_directories(file.parent_path(), ec);
    return std::nullopt;
  }
  std::optional<audio::StretchCells> s;
  if (fs::is_regular_file(status)) {  // a FIFO would block the read forever
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    std::string bytes(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())), '\0');
    in.seekg(0);
    if (in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())) && in.peek() == EOF) s = parseStretch(bytes);
  }
  if (!s) {
    fs::remove_all(file, ec);
    if (damaged) *damaged = true;
    return std::nullopt;
  }
  fs::last_write_time(file, fs::file_time_type::clock::now(), ec);  // recently used
  return s;
}

void ChunkCache::storeStretch(const std::string& key, const audio::StretchCells& c) const {
  if (c.energy.size() != c.power.size()) throw audio::AudioError("storeStretch: one energy per power cell");
  std::string bytes = kStretchMagic;
  const std::int64_t head[6] = {c.start, c.end, c.first, c.last, c.cell, static_cast<std::int64_t>(c.power.size())};
  bytes.append(reinterpret_cast<const char*>(head), sizeof head);
  bytes.append(reinterpret_cast<const char*>(c.power.data()), c.power.size() * sizeof(float));
  bytes.append(reinterpret_cast<const char*>(c.energy.data()), c.energy.size() * sizeof(float));
  const std::uint32_t crc = stretchCrc(bytes.data(), bytes.size());
  bytes.append(reinterpret_cast<const char*>(&crc), sizeof crc);
  encode::writeFileAtomically(pathFor(key, ".cues"), bytes, encode::Flush::CacheEntry);
}

std::uintmax_t ChunkCache::prune(std::uintmax_t max_bytes) const {
  struct Entry {
    fs::path path;
    std::uintmax_t size;
    fs::file_time_type time;
  };
  std::vector<Entry> entries;
  std::uintmax_t total = 0, freed = 0;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const char* folder : {"chunks", "sounds"})
    for (auto it = fs::recursive_directory_iterator(dir_ / folder, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const fs::path& p = it->path();
      const std::uintmax_t size = it->file_size(ec);
      const fs::file_time_type time = it->last_write_time(ec);
      if (ec) continue;
      if (p.extension() != ".chunk" && p.extension() != ".sound" &&
          p.extension() != ".cues") {  // a temporary left by a killed build
        if (now - time > std::chrono::hours(24) && fs::remove(p, ec)) freed += size;
        continue;
      }
      entries.push_back({p, size, time});
      total += size;
    }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.time < b.time; });
  for (const auto& e : entries) {
    if (total <= max_bytes) break;
    if (fs::remove(e.path, ec)) {
      total -= e.size;
      freed += e.size;
    }
  }
  return freed;
}

}  // namespace warta::app
