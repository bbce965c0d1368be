// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "audio/pcm16.h"
#include "audio/sndfile_handle.h"
#include "encode/atomic_file.h"
#include "encode/writer.h"
#include "encode/writer_detail.h"
#include "text/date.h"

namespace warta::encode {
namespace fs = std::filesystem;
using audio::Audio;
using audio::AudioError;
using detail::cutUtf8;

namespace {

bool digits(const std::string& s, std::size_t at, std::size_t n) {
  for (std::size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
int number(const std::string& s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

bool isDate(const std::string& s) { return text::parseIsoDate(s).has_value(); }
bool isTime(const std::string& s) {
  return s.size() == 8 && digits(s, 0, 2) && s[2] == ':' && digits(s, 3, 2) && s[5] == ':' && digits(s, 6, 2) &&
         number(s, 0) < 24 && number(s, 3) < 60 && number(s, 6) < 60;
}

std::string now(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char text[32];
  std::strftime(text, sizeof text, format, &local);
  return text;
}

// Copies into a fixed-width bext field (NUL-padded, not necessarily NUL-terminated).
template <std::size_t N>
void setField(char (&field)[N], const std::string& value) {
  std::memset(field, 0, N);
  std::memcpy(field, value.data(), std::min(N, value.size()));
}

SF_BROADCAST_INFO broadcastInfo(const fs::path& path, const OutputSettings& s) {
  const BroadcastInfo& b = s.broadcast;
  const std::string date = !b.origination_date.empty() ? b.origination_date
                           : isDate(s.tags.date)       ? s.tags.date
                                                       : now("%Y-%m-%d");
  const std::string time = !b.origination_time.empty() ? b.origination_time : now("%H:%M:%S");
  if (!isDate(date))
    throw AudioError(path.string() + ": Broadcast WAV origination date '" + date +
                     "' is not a real date written YYYY-MM-DD");
  if (!isTime(time))
    throw AudioError(path.string() + ": Broadcast WAV origination time '" + time + "' is not HH:MM:SS");
  SF_BROADCAST_INFO info;
  std::memset(&info, 0, sizeof info);
  setField(info.description, cutUtf8(b.description.empty() ? s.tags.title : b.description, sizeof info.description));
  setField(info.originator, cutUtf8(b.originator.empty() ? s.tags.artist : b.originator, sizeof info.originator));
  setField(info.originator_reference, cutUtf8(b.originator_reference, sizeof info.originator_reference));
  setField(info.origination_date, date);
  setField(info.origination_time, time);
  info.time_reference_low = static_cast<uint32_t>(b.time_reference & 0xffffffffu);
  info.time_reference_high = static_cast<uint32_t>(b.time_reference >> 32);
  info.version = 1;
  // coding_history left empty: libsndfile adds its own line (A=PCM,F=...,W=16,...).
  return info;
}

SF_CART_INFO cartInfo(const fs::path& path, const CartInfo& c) {
  for (const auto& [date, time] : {std::pair{&c.start_date, &c.start_time}, std::pair{&c.end_date, &c.end_time}})
    if ((!date->empty() && !isDate(*date)) || (!time->empty() && !isTime(*time)))
      throw AudioError(path.string() + ": cart chunk date/time '" + *date + " " + *time +
                       "' is not YYYY-MM-DD HH:MM:SS");
  if (c.timers.size() > 8) throw AudioError(path.string() + ": a cart chunk holds 8 timers");
  SF_CART_INFO info;
  std::memset(&info, 0, sizeof info);
  setField(info.version, "0101");  // AES46-2002: version 1.01
  const std::pair<char*, const std::string*> texts[] = {{info.title, &c.title},
                                                        {info.artist, &c.artist},
                                                        {info.cut_id, &c.cut_id},
                                                        {info.client_id, &c.client_id},
                                                        {info.category, &c.category},
                                                        {info.classification, &c.classification},
                                                        {info.out_cue, &c.out_cue},
                                                        {info.producer_app_id, &c.producer_app_id},
                                                        {info.producer_app_version, &c.producer_app_version},
                                                        {info.user_def, &c.user_def}};
  for (const auto& [field, value] : texts) {  // every one of these is 64 bytes wide
    const std::string cut = cutUtf8(*value, 64);
    std::memcpy(field, cut.data(), cut.size());
  }
  setField(info.start_date, c.start_date);
  setField(info.start_time, c.start_time);
  setField(info.end_date, c.end_date);
  setField(info.end_time, c.end_time);
  info.level_reference = c.level_reference;
  for (std::size_t i = 0; i < c.timers.size(); ++i) {
    setField(info.post_timers[i].usage, c.timers[i].usage);
    info.post_timers[i].value = static_cast<std::int32_t>(c.timers[i].value);
  }
  setField(info.url, cutUtf8(c.url, sizeof info.url));
  // CR LF ends the tag text (AES46); its size is what libsndfile writes.
  const std::string tag = cutUtf8(c.tag_text, sizeof info.tag_text - 2) + "\r\n";
  setField(info.tag_text, tag);
  info.tag_text_size = static_cast<std::uint32_t>(tag.size());
  return info;
}

}  // namespace

struct WavWriter::Impl {
  AtomicFile file;  // first: destroyed after the handle is closed
  OutputSettings settings;
  audio::Sndfile sf;
  std::vector<std::int16_t> pcm;
  bool finished = false;

  Impl(const fs::path& path, const OutputSettings& s, bool broadcast, const CartInfo* cart_info)
      : file(path), settings(s) {
    // Checked before the file exists, so a bad date leaves nothing behind.
    SF_BROADCAST_INFO bext;
    if (broadcast) bext = broadcastInfo(path, s);
    SF_CART_INFO cart;
    if (cart_info) cart = cartInfo(path, *cart_info);
    SF_INFO info{};
    info.samplerate = s.sample_rate;
    info.channels = s.channels;
    // RF64 (EBU Tech 3306), which libsndfile writes as a plain RIFF WAV with
    // a JUNK chunk where the ds64 chunk would go and turns into RF64 in place
    // at close only if the file passed 4 GiB, where RIFF's 32-bit sizes wrap.
    info.format = SF_FORMAT_RF64 | SF_FORMAT_PCM_16;
    sf.reset(sf_open(file.tempPath().c_str(), SFM_WRITE, &info));
    if (!sf) throw AudioError(path.string() + ": " + sf_strerror(nullptr));
    // Test hook: WARTA_TEST_WAV_RF64 writes RF64 whatever the size, so tests
    // check the RF64 layout without writing 4 GiB.
    const int downgrade = std::getenv("WARTA_TEST_WAV_RF64") ? SF_FALSE : SF_TRUE;
    sf_command(sf.get(), SFC_RF64_AUTO_DOWNGRADE, nullptr, downgrade);
    // Before the first sample: libsndfile places the bext chunk ahead of the data.
    if (broadcast && sf_command(sf.get(), SFC_SET_BROADCAST_INFO, &bext, sizeof bext) != SF_TRUE)
      throw AudioError(path.string() + ": cannot set the Broadcast WAV bext chunk: " + sf_strerror(sf.get()));
    if (cart_info && sf_command(sf.get(), SFC_SET_CART_INFO, &cart, sizeof cart) != SF_TRUE)
      throw AudioError(path.string() + ": cannot set the cart chunk: " + sf_strerror(sf.get()));
    const std::pair<int, const std::string*> tags[] = {
        {SF_STR_TITLE, &s.tags.title}, {SF_STR_ARTIST, &s.tags.artist}, {SF_STR_ALBUM, &s.tags.album},
        {SF_STR_DATE, &s.tags.date},   {SF_STR_GENRE, &s.tags.genre},   {SF_STR_COMMENT, &s.tags.comment}};
    for (const auto& [type, value] : tags)
      if (!value->empty() && sf_set_string(sf.get(), type, value->c_str()) != SF_ERR_NO_ERROR)
        throw AudioError(path.string() + ": cannot set tag: " + sf_strerror(sf.get()));
  }

  void write(const Audio& chunk) {
    detail::checkChunk(file.finalPath(), settings, chunk);
    // Nearest 16-bit value, clamped so the conversion never wraps (audio/pcm16.h).
    // Not dithered: a render reduces to 16 bits in its PCM chunks, dithered
    // there, and joins them through writePcm16; audio given here as floats is
    // rounded as it is.
    pcm.resize(chunk.samples.size());
    std::transform(chunk.samples.begin(), chunk.samples.end(), pcm.begin(), audio::floatToPcm16);
    writeShorts(pcm.data(), chunk.frames());
  }

  void writeShorts(const std::int16_t* samples, std::size_t frames) {
    const fs::path& path = file.finalPath();
    if (finished) throw AudioError(path.string() + ": write after finish");
    const auto count = static_cast<sf_count_t>(frames);
    if (sf_writef_short(sf.get(), samples, count) != count)
      throw AudioError(path.string() + ": " + sf_strerror(sf.get()));
  }

  void setChapters(const std::vector<Chapter>& chapters) {
    if (finished) throw AudioError(file.finalPath().string() + ": chapters after finish");
    detail::checkChapters(file.finalPath(), chapters);
  }

  void finish() {
    if (finished) return;
    const fs::path& path = file.finalPath();
    sf_write_sync(sf.get());
    if (sf_error(sf.get()) != SF_ERR_NO_ERROR) throw AudioError(path.string() + ": " + sf_strerror(sf.get()));
    sf.reset();  // writes the header's final sizes and closes the file
    file.commit();
    finished = true;
  }
};

WavWriter::WavWriter(const fs::path& path, const OutputSettings& settings, bool broadcast, const CartInfo* cart) {
  detail::checkSettings(path, settings, false);
  if (cart && !broadcast) throw AudioError(path.string() + ": a cart chunk needs a Broadcast WAV");
  impl_ = std::make_unique<Impl>(path, settings, broadcast, cart);
}
WavWriter::~WavWriter() = default;
void WavWriter::write(const Audio& chunk) { impl_->write(chunk); }
void WavWriter::writePcm16(const std::int16_t* samples, std::size_t frames) { impl_->writeShorts(samples, frames); }
void WavWriter::finish() { impl_->finish(); }
void WavWriter::setChapters(std::vector<Chapter> chapters) { impl_->setChapters(chapters); }

}  // namespace warta::encode
