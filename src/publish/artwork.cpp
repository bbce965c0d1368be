// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/artwork.h"

#include <fstream>
#include <iterator>

#include "audio/audio.h"
#include "encode/atomic_file.h"
#include "encode/cover_image.h"

namespace warta::publish {
namespace fs = std::filesystem;

namespace {

// The first bytes of the file, to name a format that is not JPEG or PNG.
std::string head(const fs::path& file, std::size_t n) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes(n, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(n));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

// "a GIF image" for the formats people most often save artwork as by mistake.
std::string otherFormat(const std::string& b) {
  if (b.compare(0, 4, "GIF8") == 0) return "a GIF image";
  if (b.size() >= 12 && b.compare(0, 4, "RIFF") == 0 && b.compare(8, 4, "WEBP") == 0) return "a WebP image";
  if (b.size() >= 12 && b.compare(4, 4, "ftyp") == 0) return "a HEIF/AVIF image";
  if (b.compare(0, 2, "BM") == 0) return "a BMP image";
  if (b.compare(0, 4, "II*\0", 4) == 0 || b.compare(0, 4, "MM\0*", 4) == 0) return "a TIFF image";
  if (b.compare(0, 5, "<?xml") == 0 || b.compare(0, 4, "<svg") == 0) return "an SVG (text) file";
  return "not a JPEG or PNG image";
}

}  // namespace

std::string artworkProblem(const fs::path& image) {
  encode::CoverImage art;
  try {
    art = encode::loadCoverImage(image);
  } catch (const audio::AudioError& e) {
    const std::string b = head(image, 16);
    const bool jpeg_or_png = b.compare(0, 4, "\x89PNG", 4) == 0 || b.compare(0, 3, "\xFF\xD8\xFF", 3) == 0;
    if (b.empty() || jpeg_or_png) {  // missing, empty, too large, or a broken header: the loader's words
      const std::string said = e.what(), prefix = "cover image " + image.string() + ": ";
      return said.rfind(prefix, 0) == 0 ? said.substr(prefix.size()) : said;
    }
    return otherFormat(b) + " (judged by its content, not its name); podcast artwork must be JPEG or PNG";
  }
  const std::string size = std::to_string(art.width) + "x" + std::to_string(art.height) + " pixels";
  const std::string rule = "; podcast artwork must be a square of " + std::to_string(kMinArtworkSide) + " to " +
                           std::to_string(kMaxArtworkSide) + " pixels on a side (Apple Podcasts' rule)";
  if (art.width != art.height) return size + ", not square" + rule;
  if (art.width < kMinArtworkSide) return size + ", too small" + rule;
  if (art.width > kMaxArtworkSide) return size + ", too large" + rule;
  return {};
}

fs::path artworkPathIn(const fs::path& served_dir, const fs::path& image) { return served_dir / image.filename(); }

bool sameFile(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return ca == cb;
}

void copyArtwork(const fs::path& image, const fs::path& copy) {
  if (sameFile(image, copy)) return;  // the artwork already lives in the served folder
  std::ifstream in(image, std::ios::binary);
  if (!in) throw audio::AudioError("feed artwork " + image.string() + ": cannot open");
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw audio::AudioError("feed artwork " + image.string() + ": read error");
  encode::writeFileAtomically(copy, bytes);
}

}  // namespace warta::publish
