#include "encode/atomic_file.h"

#include <unistd.h>

#include <cstdio>
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
}  // namespace

AtomicFile::AtomicFile(fs::path final_path) : final_(std::move(final_path)) {
  const fs::path folder = final_.parent_path().empty() ? fs::path(".") : final_.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw audio::AudioError(final_.string() + ": folder " + folder.string() + " does not exist");
  if (final_.filename().empty()) throw audio::AudioError(final_.string() + ": not a file name");
  // Hidden, and unique per process and per writer, so concurrent runs never collide.
  temp_ = final_.parent_path() / ("." + final_.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                  randomSuffix());
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : final_(std::move(other.final_)), temp_(std::move(other.temp_)), committed_(other.committed_) {
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
  std::error_code ec;
  fs::rename(temp_, final_, ec);
  if (ec) throw audio::AudioError(final_.string() + ": cannot move finished file into place: " + ec.message());
  committed_ = true;
}

void writeFileAtomically(const std::filesystem::path& file, std::string_view content) {
  AtomicFile atomic(file);
  {
    std::ofstream out(atomic.tempPath(), std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) throw audio::AudioError(file.string() + ": cannot write");
  }
  atomic.commit();
}

}  // namespace warta::encode
