#include "audio/audio_file.h"

#include "audio/sndfile_handle.h"

namespace warta::audio {

Audio readAudioFile(const std::filesystem::path& path) {
  SF_INFO info{};
  Sndfile file(sf_open(path.c_str(), SFM_READ, &info));
  // sf_strerror(nullptr) reports why the last sf_open failed.
  if (!file) throw AudioError(path.string() + ": " + sf_strerror(nullptr));
  if (info.channels <= 0 || info.samplerate <= 0)
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
  for (;;) {
    out.samples.resize((have + static_cast<std::size_t>(kChunk)) * width);
    const sf_count_t got = sf_readf_float(file.get(), out.samples.data() + have * width, kChunk);
    if (got <= 0) break;
    have += static_cast<std::size_t>(got);
  }
  out.samples.resize(have * width);
  if (const int err = sf_error(file.get()); err != SF_ERR_NO_ERROR)
    throw AudioError(path.string() + ": " + sf_strerror(file.get()));
  if (have == 0) throw AudioError(path.string() + ": contains no audio (0 frames)");
  return out;
}

}  // namespace warta::audio
