#include "audio/audio_file.h"

#include <cmath>
#include <new>

#include "audio/sndfile_handle.h"

namespace warta::audio {

Audio readAudioFile(const std::filesystem::path& path) {
  SF_INFO info{};
  Sndfile file(sf_open(path.c_str(), SFM_READ, &info));
  // sf_strerror(nullptr) reports why the last sf_open failed.
  if (!file) throw AudioError(path.string() + ": " + sf_strerror(nullptr));
  // Below 8 kHz nothing is speech or music; the resampler would be asked for
  // absurd ratios (a 1 Hz file) and fail without naming the file.
  if (info.channels <= 0 || info.channels > 8 || info.samplerate < 8000 || info.samplerate > 384000)
    throw AudioError(path.string() + ": invalid audio format (" + std::to_string(info.samplerate) + " Hz, " +
                     std::to_string(info.channels) + " channels)");

  Audio out;
  out.sample_rate = info.samplerate;
  out.channels = info.channels;
  // Read until libsndfile says the end: the header's frame count is only a
  // hint for compressed formats (MP3 in particular).
  constexpr sf_count_t kChunk = 65536;
  const auto width = static_cast<std::size_t>(info.channels);
  if (info.frames > 0 && info.frames < (sf_count_t{1} << 31)) out.samples.reserve(static_cast<std::size_t>(info.frames) * width);
  std::size_t have = 0;
  try {
    for (;;) {
      out.samples.resize((have + static_cast<std::size_t>(kChunk)) * width);
      const sf_count_t got = sf_readf_float(file.get(), out.samples.data() + have * width, kChunk);
      if (got <= 0) break;
      have += static_cast<std::size_t>(got);
    }
    out.samples.resize(have * width);
  } catch (const std::bad_alloc&) {
    throw AudioError(path.string() + ": too long to read into memory (" + std::to_string(have / static_cast<std::size_t>(info.samplerate)) +
                     " s read)");
  }
  if (const int err = sf_error(file.get()); err != SF_ERR_NO_ERROR)
    throw AudioError(path.string() + ": " + sf_strerror(file.get()));
  if (have == 0) throw AudioError(path.string() + ": contains no audio (0 frames)");
  // FLAC and the like state their length up front: fewer frames means the
  // file is cut short (libsndfile just stops). MP3's count is a guess.
  if ((info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG && info.frames > 0 &&
      static_cast<sf_count_t>(have) < info.frames)
    throw AudioError(path.string() + ": cut short: " + std::to_string(have) + " of the " + std::to_string(info.frames) +
                     " frames its header announces could be decoded");
  // A float file may hold NaN or infinity, which no later step can level or limit.
  for (std::size_t i = 0; i < out.samples.size(); ++i)
    if (!std::isfinite(out.samples[i]))
      throw AudioError(path.string() + ": sample " + std::to_string(i / width) + " (at " +
                       std::to_string(static_cast<double>(i / width) / info.samplerate) + " s) is not a number (NaN or infinity)");
  return out;
}

}  // namespace warta::audio
