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
// 1400-3000 pixels (what they require of artwork) can take several MB.
inline constexpr std::size_t kMaxCoverBytes = std::size_t{16} << 20;  // a 3000 px PNG of photographic art fits
// The widest and tallest cover accepted (pixels): what podcast directories
// take (Apple: 3000x3000). A larger one is likely a decompression bomb.
inline constexpr int kMaxCoverPixels = 3000;

// Reads and checks `path`. Throws audio::AudioError naming the file if it is
// missing or unreadable, empty, larger than kMaxCoverBytes, neither JPEG
// (FF D8 FF) nor PNG (89 'PNG' 0D 0A 1A 0A) by content, has no readable
// image size or one over kMaxCoverPixels, or does not decode whole (with
// FFmpeg's PNG or JPEG decoder) to the size its header gives.
CoverImage loadCoverImage(const std::filesystem::path& path);

}  // namespace warta::encode
