// SPDX-License-Identifier: GPL-3.0-or-later
#include <optional>

#include "encode/chunk.h"
#include "encode/cover_image.h"
#include "encode/writer.h"
#include "encode/writer_detail.h"

namespace warta::encode {
namespace fs = std::filesystem;

// A one-chunk programme: write() encodes into a chunk file kept as a hidden
// spool beside the output (constant memory whatever the length); finish()
// joins that single chunk into the output, now that chapters are known.
struct Mp3Writer::Impl {
  fs::path path;
  OutputSettings settings;
  std::vector<Chapter> chapters;
  std::optional<ChunkWriter> spool;
  bool finished = false;

  Impl(const fs::path& p, const OutputSettings& s) : path(p), settings(s) {
    if (!s.cover_image.empty()) readCoverImage(s.cover_image);  // a bad cover fails now, not after encoding
    spool.emplace(fs::path(p).concat(".spool"), s, ChunkCodec::Mp3);
  }
};

Mp3Writer::Mp3Writer(const fs::path& path, const OutputSettings& settings) {
  detail::checkSettings(path, settings, true);
  impl_ = std::make_unique<Impl>(path, settings);
}
Mp3Writer::~Mp3Writer() = default;

void Mp3Writer::write(const audio::Audio& chunk) {
  if (impl_->finished) throw audio::AudioError(impl_->path.string() + ": write after finish");
  impl_->spool->write(chunk);
}

void Mp3Writer::finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  m.spool->complete();
  joinChunks(m.path, m.settings, {m.spool->tempPath()}, m.chapters);
  m.spool.reset();  // deletes the spool file
  m.finished = true;
}

void Mp3Writer::setChapters(std::vector<Chapter> chapters) {
  if (impl_->finished) throw audio::AudioError(impl_->path.string() + ": chapters after finish");
  detail::checkChapters(impl_->path, chapters);
  impl_->chapters = std::move(chapters);
}

std::int64_t Mp3Writer::spooledPackets() const { return impl_->spool ? impl_->spool->info().packets : 0; }
std::int64_t Mp3Writer::spooledBytes() const { return impl_->spool ? impl_->spool->bytes() : 0; }

}  // namespace warta::encode
