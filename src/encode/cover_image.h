// SPDX-License-Identifier: GPL-3.0-or-later
// Cover art for the MP3's ID3v2 APIC frame: a JPEG or PNG file read whole and
// recognised by its magic bytes (the extension is not trusted).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace warta::encode {

struct CoverImage {
  enum class Kind { Jpeg, Png };
  Kind kind = Kind::Jpeg;
  std::string bytes;  // the file exactly as read: the APIC payload
  int width = 0;      // pixels, from the PNG IHDR or the JPEG frame header
  int height = 0;
  const char* mime() const { return kind == Kind::Png ? "image/png" : "image/jpeg"; }
};

// The largest cover accepted (bytes). ID3v2 allows 256 MB; a cover is tens
// of kB and podcast directories recommend at most 512 kB, but a square PNG of
// 1400-3000 pixels (what they require of artwork) can take several MB. It
// rides in every downloaded episode, and is held whole once while the MP3's
// tag is written (and again by the configuration's check, before the render).
// A 3000x3000 JPEG of photographic art is 1-3 MB.
inline constexpr std::size_t kMaxCoverBytes = std::size_t{4} << 20;
// The widest and tallest cover accepted (pixels): what podcast directories
// take (Apple: 3000x3000). A larger one is likely a decompression bomb.
inline constexpr int kMaxCoverPixels = 3000;

// Reads `path` and checks its size, kind and header (no decoding: bounded by
// kMaxCoverBytes). For writers that embed a cover the run's configuration
// already checked with loadCoverImage. Throws audio::AudioError as below.
CoverImage readCoverImage(const std::filesystem::path& path);

// Reads and checks `path` whole: done once, when the configuration names the
// cover. Beyond readCoverImage's checks, a PNG's chunks (CRCs) and picture
// stream are verified by streaming, never decoded to pixels, and a JPEG is
// decoded at 1/8 scale, so the check holds about the file's bytes and no
// picture. Throws audio::AudioError naming the file if it is missing or
// unreadable, empty, larger than kMaxCoverBytes, neither JPEG (FF D8 FF) nor
// PNG (89 'PNG' 0D 0A 1A 0A) by content, has no readable image size or one
// over kMaxCoverPixels, or its picture data is cut off or damaged.
CoverImage loadCoverImage(const std::filesystem::path& path);

}  // namespace warta::encode
