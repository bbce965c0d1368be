// SPDX-License-Identifier: GPL-3.0-or-later
// Checks shared by the writers in writer.cpp, mp3_writer.cpp and wav_writer.cpp.
// Internal to the encode stage.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "encode/writer.h"

namespace warta::encode::detail {

// Throws audio::AudioError for a rate, channel count or (MP3) bitrate no writer can use.
void checkSettings(const std::filesystem::path& path, const OutputSettings& s, bool mp3);

// Chunks must already be in the output format: converting is the mixer's job.
// Throws audio::AudioError naming both formats otherwise.
void checkChunk(const std::filesystem::path& path, const OutputSettings& s, const audio::Audio& chunk);

// Throws audio::AudioError naming the file and the chapter (1-based, and its
// title) if any times are not finite, negative, or end before they start, or
// if there are more than 255 chapters (an ID3v2 CTOC frame counts them in a byte).
void checkChapters(const std::filesystem::path& path, const std::vector<Chapter>& chapters);

// Throws audio::AudioError if a chapter ends more than 1 ms after `seconds`,
// the length of the audio written.
void checkChapterEnds(const std::filesystem::path& path, const std::vector<Chapter>& chapters, double seconds);

// The longest prefix of `text` of at most `bytes` bytes that ends on a UTF-8
// character boundary.
std::string cutUtf8(const std::string& text, std::size_t bytes);

inline float clamp1(float x) { return std::clamp(x, -1.0f, 1.0f); }

}  // namespace warta::encode::detail
