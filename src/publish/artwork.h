// SPDX-License-Identifier: GPL-3.0-or-later
// The podcast's channel artwork (`publish: image`): checked against what
// directories accept, and the copy served beside the feed.
#pragma once

#include <filesystem>
#include <string>

namespace warta::publish {

// Apple Podcasts' rule, which the other directories follow: a square JPEG or
// PNG of 1400 to 3000 pixels on a side.
inline constexpr int kMinArtworkSide = 1400;
inline constexpr int kMaxArtworkSide = 3000;

// What is wrong with `image` as podcast artwork, judged by its content (the
// extension is not trusted): "" when it is a square JPEG or PNG of 1400-3000
// px; else one sentence naming the problem, e.g. "a GIF image; podcast
// artwork must be JPEG or PNG" or "1400x1000 pixels, not square; ...".
std::string artworkProblem(const std::filesystem::path& image);

// Where the artwork is served from: its file name in the folder the feed's
// URLs point at (the output folder).
std::filesystem::path artworkPathIn(const std::filesystem::path& served_dir, const std::filesystem::path& image);

// Copies `image` to `copy` atomically (the old copy stays whole until the new
// one is complete); nothing is written when `copy` is `image` itself. Throws
// std::runtime_error (audio::AudioError) naming the file.
void copyArtwork(const std::filesystem::path& image, const std::filesystem::path& copy);

// True when `a` and `b` are one file: both exist with the same device and
// inode, or their absolute paths agree after following symlinks.
bool sameFile(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace warta::publish
