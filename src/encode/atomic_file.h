// Write-then-rename, so a failed or interrupted run never leaves a partial
// output and never destroys the file that was already there.
#pragma once

#include <filesystem>
#include <string_view>

namespace warta::encode {

class AtomicFile {
 public:
  // Picks a unique temporary name in final_path's folder (same filesystem, so
  // the rename is atomic). Nothing is created until the caller writes to
  // tempPath(). Throws audio::AudioError if the folder does not exist.
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(AtomicFile&&) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& tempPath() const { return temp_; }
  const std::filesystem::path& finalPath() const { return final_; }

  // Renames the temporary file over the final path. Throws audio::AudioError.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

// Writes `content` to `file` through an AtomicFile: the old file, if any,
// stays whole until the new one is complete. Throws audio::AudioError naming
// the file.
void writeFileAtomically(const std::filesystem::path& file, std::string_view content);

}  // namespace warta::encode
