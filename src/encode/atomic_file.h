// SPDX-License-Identifier: GPL-3.0-or-later
// Write-then-rename, so a failed or interrupted run never leaves a partial
// output and never destroys the file that was already there.
#pragma once

#include <filesystem>
#include <map>
#include <string_view>
#include <vector>

namespace warta::encode {

// Whether commit() waits for the disk. A user's file does: a crash after
// the run never leaves it visible but empty. A cache entry need not: it is
// checked (length, CRC) whenever it is read and made again if damaged, so a
// crash costs a render, not a file; and each flush held a rendering thread
// for a millisecond or more (two per chunk and per measured stretch: 119
// flushes and about 80 ms under strace in a cold build of the bed bulletin).
enum class Flush { ToDisk, CacheEntry };

class AtomicFile {
 public:
  // Picks a unique temporary name in final_path's folder (same filesystem, so
  // the rename is atomic). Nothing is created until the caller writes to
  // tempPath(). Throws audio::AudioError if the folder does not exist.
  explicit AtomicFile(std::filesystem::path final_path, Flush flush = Flush::ToDisk);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(AtomicFile&&) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& tempPath() const { return temp_; }
  const std::filesystem::path& finalPath() const { return final_; }

  // Flushes the temporary file to disk, then renames it over the final path
  // and flushes the folder, so a crash never leaves a visible but empty file
  // (Flush::CacheEntry: renames it only).
  // While a Publication holds final_path, the rename waits for its
  // commitAll(). Throws audio::AudioError.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path temp_;
  Flush flush_ = Flush::ToDisk;
  bool committed_ = false;
};

// All-or-nothing publishing of a run's outputs. Every AtomicFile whose final
// path was stage()d keeps its finished temporary when committed; commitAll()
// renames them all at the end, when every step succeeded; otherwise the
// destructor removes them and the previous outputs stay as they were. One
// per thread at a time (threads of a program using libwarta each have
// their own); worker processes never commit staged paths.
class Publication {
 public:
  Publication();
  ~Publication();  // removes the temporaries not committed
  Publication(const Publication&) = delete;
  Publication& operator=(const Publication&) = delete;

  // Holds the commits of `final_path` until commitAll(), and removes the
  // stale temporaries of its name in its folder (removeStaleTemporaries).
  void stage(const std::filesystem::path& final_path);
  // Where `final_path`'s finished content is now: its held temporary, or
  // final_path itself (for steps that read an earlier output, e.g. its size).
  std::filesystem::path current(const std::filesystem::path& final_path) const;
  // Renames every held temporary into place, then flushes their folders.
  // Throws audio::AudioError.
  void commitAll();

  // This thread's open Publication, or nullptr (used by AtomicFile::commit).
  static Publication* active();
  // Takes a finished temporary of a staged path; false if not staged.
  bool hold(const std::filesystem::path& final_path, const std::filesystem::path& temp);

 private:
  std::vector<std::filesystem::path> staged_;
  std::map<std::filesystem::path, std::filesystem::path> held_;  // final -> temporary
};

// Where `file`'s newest content is: its temporary held by the open
// Publication, or `file` itself. For steps that read an output made earlier
// in the same run (the talking book's MP3, the feed's enclosure length).
std::filesystem::path currentContent(const std::filesystem::path& file);

// Removes AtomicFile temporaries of `final_path`'s name (".NAME.tmp-PID-HEX")
// in its folder older than `age`: what a killed run left. Younger ones may
// belong to a run still going. Only that exact pattern is touched.
void removeStaleTemporaries(const std::filesystem::path& final_path, std::filesystem::file_time_type::duration age);

// Removes the temporaries of `final_path`'s name whose writer process is
// gone (a worker killed mid-write); those of live processes stay.
void removeOrphanTemporaries(const std::filesystem::path& final_path);

// Writes `content` to `file` through an AtomicFile: the old file, if any,
// stays whole until the new one is complete. Throws audio::AudioError naming
// the file.
void writeFileAtomically(const std::filesystem::path& file, std::string_view content, Flush flush = Flush::ToDisk);

}  // namespace warta::encode
