// SPDX-License-Identifier: GPL-3.0-or-later
#include <catch2/catch.hpp>

#include <filesystem>

#include "publish/artwork.h"
#include "support/cli.h"
#include "support/media.h"

namespace fs = std::filesystem;
using namespace warta::publish;
using namespace warta::test;

TEST_CASE("the sample cover is podcast artwork: a 1400 px square PNG", "[artwork]") {
  CHECK(artworkProblem(sourceDir() / "samples" / "cover.png").empty());
}

TEST_CASE("podcast artwork is a square JPEG or PNG of 1400-3000 px, judged by content", "[artwork]") {
  const fs::path dir = tempDir("artwork");
  struct Case {
    const char* file;
    std::string bytes;
    const char* says;  // "" = accepted
  } cases[] = {
      {"square.png", makePng(1400, 1400), ""},
      {"largest.jpg", makeJpeg(3000, 3000), ""},
      {"jpeg-named.png", makeJpeg(2048, 2048), ""},  // the extension does not matter
      {"small.png", makePng(1000, 1000), "1000x1000 pixels, too small"},
      {"wide.png", makePng(1400, 1000), "1400x1000 pixels, not square"},
      {"tall.jpg", makeJpeg(1400, 1401), "1400x1401 pixels, not square"},
      {"huge.jpg", makeJpeg(3001, 3001), "3001x3001 pixels"},
      {"cover.gif", "GIF89a\x78\x05\x78\x05", "a GIF image"},
      {"gif-named.png", "GIF89a\x78\x05\x78\x05", "a GIF image"},
      {"notes.png", "Sampul acara: warna biru, logo di tengah.\n", "not a JPEG or PNG image"},
      {"cover.webp", std::string("RIFF\0\0\0\0WEBPVP8 ", 16), "a WebP image"},
      {"empty.png", "", "empty file"},
      {"broken.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDX", 16), "PNG without a valid IHDR header"},
  };
  for (const auto& c : cases) {
    writeBytes(dir / c.file, c.bytes);
    const std::string problem = artworkProblem(dir / c.file);
    INFO(c.file << " -> " << problem);
    if (*c.says == '\0') {
      CHECK(problem.empty());
    } else {
      CHECK(problem.find(c.says) != std::string::npos);
      CHECK(problem.find(dir.string()) == std::string::npos);  // the caller names the file once
    }
  }
  // Every size problem states the rule, so the producer knows what to make.
  CHECK(artworkProblem(dir / "small.png").find("square of 1400 to 3000 pixels") != std::string::npos);
  CHECK(artworkProblem(dir / "cover.gif").find("must be JPEG or PNG") != std::string::npos);
}

TEST_CASE("the artwork's copy is written beside the feed, atomically, unless it is already there", "[artwork]") {
  const fs::path dir = tempDir("artwork-copy");
  fs::create_directories(dir / "art");
  fs::create_directories(dir / "public");
  const fs::path image = dir / "art" / "sampul.png";
  fs::copy_file(sourceDir() / "samples" / "cover.png", image);
  const fs::path copy = artworkPathIn(dir / "public", image);
  CHECK(copy == dir / "public" / "sampul.png");
  writeBytes(copy, "yesterday's artwork");
  copyArtwork(image, copy);
  CHECK(readText(copy) == readText(image));
  CHECK(leftoverTemps(dir / "public").empty());
  CHECK(sameFile(image, dir / "art" / ".." / "art" / "sampul.png"));
  CHECK_FALSE(sameFile(image, copy));
  copyArtwork(image, image);  // already served from there: nothing to do
  CHECK(readText(image) == readText(sourceDir() / "samples" / "cover.png"));
}
