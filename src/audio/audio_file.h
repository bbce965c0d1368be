// Reading audio files of any format libsndfile knows (WAV, FLAC, Ogg, MP3, ...).
#pragma once

#include <filesystem>

#include "audio/audio.h"

namespace warta::audio {

// Decodes the whole file at its own rate and channel count.
// Throws AudioError naming the file and sf_strerror's text when the file is
// missing, unreadable or not audio.
Audio readAudioFile(const std::filesystem::path& path);

}  // namespace warta::audio
