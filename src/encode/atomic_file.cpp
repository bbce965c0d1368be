// SPDX-License-Identifier: GPL-3.0-or-later
#include "encode/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <random>
#include <system_error>

#include "audio/audio.h"

namespace warta::encode {
namespace fs = std::filesystem;

namespace {
std::string randomSuffix() {
  std::random_device device;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", device(), device());
  return text;
}
// The temporary's name for `final_name`, up to its unique part.
std::string tempPrefix(const std::string& final_name) { return "." + final_name + ".tmp-"; }

// fsync of a file or folder; `what` names it in the error.
void syncPath(const fs::path& path, const std::string& what, bool folder) {
  const int fd = ::open(path.c_str(), (folder ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) throw audio::AudioError(what + ": cannot open to flush: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  // Some filesystems cannot flush a folder (EINVAL); the file itself is flushed.
  if (rc != 0 && !(folder && (saved == EINVAL || saved == EBADF)))
    throw audio::AudioError(what + ": cannot flush to disk: " + std::strerror(saved));
}

fs::path folderOf(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

fs::path key(const fs::path& file) { return fs::absolute(file).lexically_normal(); }

// One open Publication per thread: a threaded caller of libwarta runs one
// render per thread, and AtomicFile::commit finds its own thread's.
thread_local Publication* g_active = nullptr;
thread_local pid_t g_owner = 0;  // the process that opened it
}  // namespace

AtomicFile::AtomicFile(fs::path final_path, Flush flush) : final_(std::move(final_path)), flush_(flush) {
  const fs::path folder = final_.parent_path().empty() ? fs::path(".") : final_.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw audio::AudioError(final_.string() + ": folder " + folder.string() + " does not exist");
  if (final_.filename().empty()) throw audio::AudioError(final_.string() + ": not a file name");
  // Hidden, and unique per process and per writer, so concurrent runs never collide.
  temp_ = final_.parent_path() /
          (tempPrefix(final_.filename().string()) + std::to_string(::getpid()) + "-" + randomSuffix());
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : final_(std::move(other.final_)),
      temp_(std::move(other.temp_)),
      flush_(other.flush_),
      committed_(other.committed_) {
  other.temp_.clear();
  other.committed_ = true;  // the moved-from object owns no temporary file any more
}

AtomicFile::~AtomicFile() {
  if (committed_ || temp_.empty()) return;
  std::error_code ignored;  // a destructor cannot report; leftovers are the lesser evil
  fs::remove(temp_, ignored);
}

void AtomicFile::commit() {
  if (committed_) throw audio::AudioError(final_.string() + ": already committed");
  const bool to_disk = flush_ == Flush::ToDisk;
  if (to_disk) syncPath(temp_, final_.string(), false);
  if (Publication* publication = Publication::active(); publication && publication->hold(final_, temp_)) {
    committed_ = true;  // the Publication owns the temporary now
    return;
  }
  std::error_code ec;
  fs::rename(temp_, final_, ec);
  if (ec) throw audio::AudioError(final_.string() + ": cannot move finished file into place: " + ec.message());
  committed_ = true;
  if (to_disk) syncPath(folderOf(final_), final_.string(), true);
}

Publication::Publication() {
  if (g_active) throw audio::AudioError("internal error: two publications at once in one thread");
  g_active = this;
  g_owner = ::getpid();
}

Publication::~Publication() {
  if (g_active == this) g_active = nullptr;
  std::error_code ignored;
  for (const auto& [final_path, temp] : held_) fs::remove(temp, ignored);
}

Publication* Publication::active() {
  // A forked worker inherits the pointer but publishes nothing itself.
  return g_active && ::getpid() == g_owner ? g_active : nullptr;
}

void Publication::stage(const fs::path& final_path) {
  staged_.push_back(key(final_path));
  removeStaleTemporaries(final_path, std::chrono::hours(24));
}

bool Publication::hold(const fs::path& final_path, const fs::path& temp) {
  const fs::path k = key(final_path);
  if (std::find(staged_.begin(), staged_.end(), k) == staged_.end()) return false;
  std::error_code ignored;
  if (auto it = held_.find(k); it != held_.end()) fs::remove(it->second, ignored);  // written again: the newer wins
  held_[k] = temp;
  return true;
}

fs::path Publication::current(const fs::path& final_path) const {
  const auto it = held_.find(key(final_path));
  return it == held_.end() ? final_path : it->second;
}

void Publication::commitAll() {
  // A rename that must fail (a folder in the way) is found before any is done.
  for (const auto& [final_path, temp] : held_) {
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(final_path, ec)))
      throw audio::AudioError(final_path.string() + ": is a folder; nothing was published");
  }
  std::vector<fs::path> folders;
  while (!held_.empty()) {
    const auto it = held_.begin();
    std::error_code ec;
    fs::rename(it->second, it->first, ec);
    if (ec) throw audio::AudioError(it->first.string() + ": cannot move finished file into place: " + ec.message());
    if (std::find(folders.begin(), folders.end(), it->first.parent_path()) == folders.end())
      folders.push_back(it->first.parent_path());
    held_.erase(it);
  }
  for (const auto& folder : folders) syncPath(folder, folder.string(), true);
}

fs::path currentContent(const fs::path& file) {
  const Publication* publication = Publication::active();
  return publication ? publication->current(file) : file;
}

namespace {
// Calls `fn(entry, pid)` for every regular file in final_path's folder named
// exactly as AtomicFile names final_path's temporaries: ".NAME.tmp-PID-HEX16".
template <typename Fn>
void forEachTemporary(const fs::path& final_path, Fn fn) {
  const std::string prefix = tempPrefix(final_path.filename().string());
  std::error_code ec;
  fs::directory_iterator it(folderOf(final_path), ec);
  if (ec) return;  // nothing to tidy where nothing can be read
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const std::size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || dash > 9 || rest.size() - dash - 1 != 16) continue;
    if (rest.find_first_not_of("0123456789") != dash) continue;
    if (rest.find_first_not_of("0123456789abcdef", dash + 1) != std::string::npos) continue;
    std::error_code e;
    if (entry.is_symlink(e) || !entry.is_regular_file(e)) continue;
    fn(entry, static_cast<pid_t>(std::stol(rest.substr(0, dash))));
  }
}
}  // namespace

void removeStaleTemporaries(const fs::path& final_path, fs::file_time_type::duration age) {
  const auto now = fs::file_time_type::clock::now();
  forEachTemporary(final_path, [&](const fs::directory_entry& entry, pid_t) {
    std::error_code e;
    const auto time = entry.last_write_time(e);
    if (!e && now - time > age) fs::remove(entry.path(), e);
  });
}

void removeOrphanTemporaries(const fs::path& final_path) {
  forEachTemporary(final_path, [&](const fs::directory_entry& entry, pid_t pid) {
    std::error_code e;
    if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(entry.path(), e);
  });
}

void writeFileAtomically(const std::filesystem::path& file, std::string_view content, Flush flush) {
  AtomicFile atomic(file, flush);
  {
    std::ofstream out(atomic.tempPath(), std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) throw audio::AudioError(file.string() + ": cannot write");
  }
  atomic.commit();
}

}  // namespace warta::encode
