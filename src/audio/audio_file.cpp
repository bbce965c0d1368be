// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/audio_file.h"

#include <algorithm>
#include <cmath>
#include <new>

namespace warta::audio {

AudioFileReader::AudioFileReader(const std::filesystem::path& path) : path_(path) {
  file_.reset(sf_open(path.c_str(), SFM_READ, &info_));
  // sf_strerror(nullptr) reports why the last sf_open failed.
  if (!file_) throw AudioError(path.string() + ": " + sf_strerror(nullptr));
  // Below 8 kHz nothing is speech or music; the resampler would be asked for
  // absurd ratios (a 1 Hz file) and fail without naming the file.
  if (info_.channels <= 0 || info_.channels > 8 || info_.samplerate < 8000 || info_.samplerate > 384000)
    throw AudioError(path.string() + ": invalid audio format (" + std::to_string(info_.samplerate) + " Hz, " +
                     std::to_string(info_.channels) + " channels)");
}

Audio AudioFileReader::next(std::size_t max_frames) {
  Audio out{{}, info_.samplerate, info_.channels};
  if (ended_) return out;
  const auto width = static_cast<std::size_t>(info_.channels);
  const std::size_t want = std::min(max_frames, kPiece);
  out.samples.resize(want * width);
  // Read until libsndfile says the end: the header's frame count is only a
  // hint for compressed formats (MP3 in particular).
  const sf_count_t got = want == 0 ? 0 : sf_readf_float(file_.get(), out.samples.data(), static_cast<sf_count_t>(want));
  if (got <= 0) {
    if (want == 0) return out;
    out.samples.clear();
    ended_ = true;
    if (const int err = sf_error(file_.get()); err != SF_ERR_NO_ERROR)
      throw AudioError(path_.string() + ": " + sf_strerror(file_.get()));
    if (read_ == 0) throw AudioError(path_.string() + ": contains no audio (0 frames)");
    // FLAC and the like state their length up front: fewer frames means the
    // file is cut short (libsndfile just stops). MP3's count is a guess.
    if ((info_.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG && info_.frames > 0 &&
        static_cast<sf_count_t>(read_) < info_.frames)
      throw AudioError(path_.string() + ": cut short: " + std::to_string(read_) + " of the " +
                       std::to_string(info_.frames) + " frames its header announces could be decoded");
    return out;
  }
  out.samples.resize(static_cast<std::size_t>(got) * width);
  // A float file may hold NaN or infinity, which no later step can level or limit.
  for (std::size_t i = 0; i < out.samples.size(); ++i)
    if (!std::isfinite(out.samples[i])) {
      const std::size_t frame = read_ + i / width;
      throw AudioError(path_.string() + ": sample " + std::to_string(frame) + " (at " +
                       std::to_string(static_cast<double>(frame) / info_.samplerate) +
                       " s) is not a number (NaN or infinity)");
    }
  read_ += static_cast<std::size_t>(got);
  return out;
}

Audio readAudioFile(const std::filesystem::path& path) {
  AudioFileReader reader(path);
  Audio out{{}, reader.sampleRate(), reader.channels()};
  try {
    const sf_count_t hint = reader.announcedFrames();
    if (hint > 0 && hint < (sf_count_t{1} << 31))
      out.samples.reserve(static_cast<std::size_t>(hint) * static_cast<std::size_t>(reader.channels()));
    for (Audio piece; !(piece = reader.next()).empty();)
      out.samples.insert(out.samples.end(), piece.samples.begin(), piece.samples.end());
  } catch (const std::bad_alloc&) {
    throw AudioError(path.string() + ": too long to read into memory (" +
                     std::to_string(reader.framesRead() / static_cast<std::size_t>(reader.sampleRate())) + " s read)");
  }
  return out;
}

}  // namespace warta::audio
