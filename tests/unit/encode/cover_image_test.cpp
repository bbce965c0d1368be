// SPDX-License-Identifier: GPL-3.0-or-later
// The cover check: a PNG verified by streaming its chunks and picture data,
// a JPEG decoded at 1/8 scale; neither ever held as decoded pixels.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "audio/audio.h"
#include "encode/cover_image.h"
#include "support/media.h"

namespace fs = std::filesystem;
using warta::audio::AudioError;
using warta::encode::loadCoverImage;
using namespace warta::test;

namespace {

// What loadCoverImage says of `bytes` ("accepted" when it takes them).
std::string verdict(const fs::path& dir, const std::string& name, const std::string& bytes) {
  writeBytes(dir / name, bytes);
  try {
    const auto image = loadCoverImage(dir / name);
    return "accepted " + std::to_string(image.width) + "x" + std::to_string(image.height);
  } catch (const AudioError& e) {
    return e.what();
  }
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// FFmpeg, the command-line tool, as the independent writer of test pictures.
void ffmpegPicture(const std::string& filter, const std::string& args, const fs::path& out) {
  const std::string cmd =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i '" + filter + "' -frames:v 1 " + args + " '" + out.string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
}

// Gray pixel bytes of `png` as FFmpeg decodes it.
std::string ffmpegGray(const fs::path& png) {
  const std::string cmd = "ffmpeg -nostdin -loglevel error -i '" + png.string() + "' -f rawvideo -pix_fmt gray -";
  std::string out;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  REQUIRE(::pclose(pipe) == 0);
  return out;
}

}  // namespace

TEST_CASE("every kind of PNG FFmpeg writes passes the streamed check, with its size read", "[encode][cover]") {
  const fs::path dir = tempDir("cover-kinds");
  struct Kind {
    const char* pix_fmt;
    const char* pred;
  };
  const Kind kinds[] = {{"rgb24", "none"},     {"rgba", "sub"},   {"rgb48be", "up"},
                        {"pal8", "none"},      {"gray", "avg"},   {"ya8", "paeth"},
                        {"gray16be", "mixed"}, {"monob", "none"}, {"rgba64be", "mixed"}};
  for (const Kind& k : kinds) {
    INFO(k.pix_fmt << " " << k.pred);
    const fs::path out = dir / (std::string(k.pix_fmt) + ".png");
    ffmpegPicture("mandelbrot=s=301x157", std::string("-pix_fmt ") + k.pix_fmt + " -pred " + k.pred, out);
    const auto image = loadCoverImage(out);
    CHECK(image.width == 301);
    CHECK(image.height == 157);
    CHECK(std::string(image.mime()) == "image/png");
  }
}

TEST_CASE("an interlaced (Adam7) PNG passes, and one missing its last row does not", "[encode][cover]") {
  const fs::path dir = tempDir("cover-adam7");
  // 8-bit gray, 7x5: Adam7's passes (PNG spec 8.2: start column/row and
  // steps) cover the pixels each once; pixel value = 10*y + x.
  const int w = 7, h = 5;
  struct Pass {
    int x0, y0, dx, dy;
  };
  const Pass passes[] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                         {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
  std::string raw;
  for (const Pass& p : passes)
    for (int y = p.y0; y < h; y += p.dy) {
      if (p.x0 >= w) break;  // an empty pass has no rows at all
      raw += '\0';
      for (int x = p.x0; x < w; x += p.dx) raw += static_cast<char>(10 * y + x);
    }
  const std::string png = pngFromRows(w, h, 0, 8, true, raw);
  writeBytes(dir / "adam7.png", png);
  // FFmpeg reads the picture the test built as the intended pixels.
  std::string expected;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) expected += static_cast<char>(10 * y + x);
  REQUIRE(ffmpegGray(dir / "adam7.png") == expected);
  CHECK(verdict(dir, "adam7.png", png) == "accepted 7x5");
  // The last pass's last row (filter byte + 7 pixels) removed.
  const std::string short_png = pngFromRows(w, h, 0, 8, true, raw.substr(0, raw.size() - 8));
  CHECK(contains(verdict(dir, "short.png", short_png), "ends before its 7x5 pixels"));
}

TEST_CASE("a damaged, cut-off or mis-sized PNG is refused, saying what is wrong", "[encode][cover]") {
  const fs::path dir = tempDir("cover-bad-png");
  const std::string png = makePng(40, 30);
  // One byte of picture data flipped: IDAT's CRC no longer matches.
  std::string flipped = png;
  flipped[png.size() / 2] = static_cast<char>(flipped[png.size() / 2] ^ 0x20);
  CHECK(contains(verdict(dir, "flipped.png", flipped), "chunk IDAT fails its CRC"));
  // Cut in the middle of IDAT, and cut just before IEND.
  CHECK(contains(verdict(dir, "half.png", png.substr(0, png.size() / 2)), "runs past the end of the file"));
  CHECK(contains(verdict(dir, "noiend.png", png.substr(0, png.size() - 12)), "ends before its IEND chunk"));
  // Rows for 40x30, a header claiming 40x31 or 40x29.
  std::string rows;
  for (int y = 0; y < 30; ++y) rows += '\0' + std::string(40 * 3, static_cast<char>(y));
  CHECK(verdict(dir, "exact.png", pngFromRows(40, 30, 2, 8, false, rows)) == "accepted 40x30");
  CHECK(contains(verdict(dir, "taller.png", pngFromRows(40, 31, 2, 8, false, rows)), "ends before its 40x31 pixels"));
  CHECK(contains(verdict(dir, "shorter.png", pngFromRows(40, 29, 2, 8, false, rows)),
                 "holds more than its 40x29 pixels"));
  // A filter type byte of 9 (only 0-4 exist).
  std::string bad_filter = rows;
  bad_filter[121 * 3] = '\x09';
  CHECK(contains(verdict(dir, "filter.png", pngFromRows(40, 30, 2, 8, false, bad_filter)), "unknown filter type"));
  // RGB with 4 bits per sample is not a PNG colour/depth pair.
  CHECK(contains(verdict(dir, "depth.png", pngFromRows(40, 30, 2, 4, false, rows)),
                 "colour type 2 with bit depth 4 is not PNG"));
  // Indexed colour needs its palette.
  std::string indexed;
  for (int y = 0; y < 30; ++y) indexed += '\0' + std::string(40, '\0');
  CHECK(contains(verdict(dir, "nopal.png", pngFromRows(40, 30, 3, 8, false, indexed)), "without its PLTE palette"));
}

TEST_CASE("a JPEG is read whole at 1/8 scale: a full-size one passes, a cut-off one does not", "[encode][cover]") {
  const fs::path dir = tempDir("cover-jpeg");
  // 3000x3000, the largest cover, and an odd size whose 1/8 rounds up.
  for (const char* size : {"3000x3000", "1403x1401"}) {
    INFO(size);
    const fs::path out = dir / (std::string(size) + ".jpg");
    ffmpegPicture(std::string("mandelbrot=s=") + size, "-q:v 3", out);
    const auto image = loadCoverImage(out);
    CHECK(std::to_string(image.width) + "x" + std::to_string(image.height) == size);
    CHECK(std::string(image.mime()) == "image/jpeg");
    const std::string bytes = readText(out);
    CHECK_FALSE(contains(verdict(dir, "cut.jpg", bytes.substr(0, bytes.size() / 3)), "accepted"));
  }
}
