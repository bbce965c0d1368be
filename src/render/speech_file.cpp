// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/speech_file.h"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "encode/chunk.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'W', 'A', 'R', 'T', 'A', 'S', 'P', '1'};
constexpr char kEnd[8] = {'W', 'A', 'R', 'T', 'A', 'E', 'N', 'D'};

template <typename T>
void putLe(std::string& out, T value) {
  auto v = static_cast<std::uint64_t>(value);
  for (std::size_t i = 0; i < sizeof(T); ++i, v >>= 8) out.push_back(static_cast<char>(v & 0xff));
}
template <typename T>
T getLe(const unsigned char* in) {
  std::uint64_t v = 0;
  for (std::size_t i = sizeof(T); i-- > 0;) v = (v << 8) | in[i];
  return static_cast<T>(v);
}

std::uint32_t crcOf(std::uint32_t crc, const void* data, std::size_t size) {
  return static_cast<std::uint32_t>(::crc32(crc, static_cast<const Bytef*>(data), static_cast<uInt>(size)));
}

}  // namespace

SpeechFileWriter::SpeechFileWriter(fs::path path) : path_(std::move(path)) {
  std::random_device random;
  temp_ = path_;
  temp_ += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random());
  file_.reset(std::fopen(temp_.c_str(), "wb"));
  if (!file_) throw audio::AudioError(temp_.string() + ": cannot create: " + std::strerror(errno));
  if (std::fwrite(kMagic, 1, 8, file_.get()) != 8) throw audio::AudioError(temp_.string() + ": cannot write");
  crc_ = crcOf(0, kMagic, 8);
}

SpeechFileWriter::~SpeechFileWriter() {
  if (done_) return;
  file_.reset();
  std::error_code ignored;
  fs::remove(temp_, ignored);
}

void SpeechFileWriter::add(const audio::Audio& clip) {
  if (clip.channels != 1 || (rate_ != 0 && clip.sample_rate != rate_ && !clip.empty()))
    throw audio::AudioError(path_.string() + ": speech clips must be mono at one rate");
  if (!clip.empty()) rate_ = clip.sample_rate;
  // Floats as their little-endian bytes (x86-64 and ARM64 store them so).
  static_assert(sizeof(float) == 4);
  const std::size_t n = clip.samples.size();
  if (n > 0 && std::fwrite(clip.samples.data(), 4, n, file_.get()) != n)
    throw audio::AudioError(temp_.string() + ": cannot write: " + std::strerror(errno));
  crc_ = crcOf(crc_, clip.samples.data(), n * 4);
  frames_.push_back(n);
}

void SpeechFileWriter::finish(const std::string& report) {
  std::string tail = report;
  for (std::uint64_t f : frames_) putLe<std::uint64_t>(tail, f);
  putLe<std::uint64_t>(tail, report.size());
  putLe<std::uint64_t>(tail, frames_.size());
  putLe<std::uint32_t>(tail, static_cast<std::uint32_t>(rate_));
  putLe<std::uint32_t>(tail, crcOf(crc_, tail.data(), tail.size()));
  tail.append(kEnd, 8);
  if (std::fwrite(tail.data(), 1, tail.size(), file_.get()) != tail.size() || std::fflush(file_.get()) != 0)
    throw audio::AudioError(temp_.string() + ": cannot write: " + std::strerror(errno));
  file_.reset();
  std::error_code ec;
  fs::rename(temp_, path_, ec);
  if (ec) throw audio::AudioError(path_.string() + ": cannot move into place: " + ec.message());
  done_ = true;
}

SpeechFileReader::SpeechFileReader(const fs::path& path, bool verify) : path_(path) {
  const auto bad = [&](const std::string& what) { return encode::ChunkError(path.string() + ": speech file " + what); };
  file_.reset(std::fopen(path.c_str(), "rb"));
  if (!file_) throw bad("cannot be opened");
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  constexpr std::uintmax_t kTrailer = 8 + 8 + 4 + 4 + 8;  // report length, count, rate, CRC, end
  if (ec || size < 8 + kTrailer) throw bad("is truncated");
  unsigned char t[kTrailer];
  if (std::fseek(file_.get(), static_cast<long>(size - kTrailer), SEEK_SET) != 0 ||
      std::fread(t, 1, kTrailer, file_.get()) != kTrailer)
    throw bad("cannot be read");
  if (std::memcmp(t + 24, kEnd, 8) != 0) throw bad("is truncated (no end marker)");
  const auto report_len = getLe<std::uint64_t>(t);
  const auto count = getLe<std::uint64_t>(t + 8);
  rate_ = static_cast<int>(getLe<std::uint32_t>(t + 16));
  const std::uint32_t crc = getLe<std::uint32_t>(t + 20);
  if (count > size / 8 || report_len > size) throw bad("is damaged");
  const std::uintmax_t table_at = size - kTrailer - 8 * count;
  std::vector<unsigned char> table(static_cast<std::size_t>(8 * count));
  if (std::fseek(file_.get(), static_cast<long>(table_at), SEEK_SET) != 0 ||
      std::fread(table.data(), 1, table.size(), file_.get()) != table.size())
    throw bad("cannot be read");
  std::uint64_t samples = 0;
  for (std::uint64_t k = 0; k < count; ++k) {
    frames_.push_back(getLe<std::uint64_t>(table.data() + 8 * k));
    offsets_.push_back(samples);
    samples += frames_.back();
  }
  if (samples > size / 4 || 8 + samples * 4 + report_len != table_at) throw bad("is damaged (lengths do not add up)");
  report_.resize(static_cast<std::size_t>(report_len));
  if (std::fseek(file_.get(), static_cast<long>(8 + samples * 4), SEEK_SET) != 0 ||
      (report_len > 0 && std::fread(report_.data(), 1, report_.size(), file_.get()) != report_.size()))
    throw bad("cannot be read");
  if (verify) {
    std::uint32_t sum = 0;
    std::vector<unsigned char> block(1 << 16);
    std::uintmax_t left = size - 12;  // everything before the CRC
    if (std::fseek(file_.get(), 0, SEEK_SET) != 0) throw bad("cannot be read");
    while (left > 0) {
      const auto n = static_cast<std::size_t>(std::min<std::uintmax_t>(left, block.size()));
      if (std::fread(block.data(), 1, n, file_.get()) != n) throw bad("cannot be read");
      sum = crcOf(sum, block.data(), n);
      left -= n;
    }
    if (sum != crc) throw bad("is damaged (CRC-32 mismatch)");
    unsigned char magic[8];
    if (std::fseek(file_.get(), 0, SEEK_SET) != 0 || std::fread(magic, 1, 8, file_.get()) != 8 ||
        std::memcmp(magic, kMagic, 8) != 0)
      throw bad("is not a speech file");
  }
}

audio::Audio SpeechFileReader::clip(std::size_t i) const {
  audio::Audio a{std::vector<float>(static_cast<std::size_t>(frames_.at(i))), rate_, 1};
  if (a.samples.empty()) return a;
  // pread, not the stream: leveling a story's parts reads clips from several threads.
  const auto bytes = static_cast<ssize_t>(a.samples.size() * 4);
  if (::pread(fileno(file_.get()), a.samples.data(), static_cast<std::size_t>(bytes),
              static_cast<off_t>(8 + offsets_[i] * 4)) != bytes)
    throw encode::ChunkError(path_.string() + ": speech file cannot be read");
  return a;
}

}  // namespace warta::app
