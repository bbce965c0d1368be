// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliver/deliver.h"

#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <iomanip>
#include <sstream>

#include "audio/sndfile_handle.h"
#include "encode/atomic_file.h"
#include "encode/id3_tag.h"
#include "encode/writer.h"
#include "deliver/upload.h"
#include "warta/error.h"

namespace warta::deliver {
namespace fs = std::filesystem;

namespace {

std::string seconds3(double s) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(3) << s;
  return o.str();
}

// Kept dated copies: STEM-YYYY-MM-DD-HHMM.EXT by the air time.
constexpr char kDatedSuffix[] = "-%Y-%m-%d-%H%M";
// Rivendell drop-box files: warta-CART-YYYYMMDD-HHMM.wav (a name rdimport's
// pattern "*.wav" takes; the temporary ".NAME.tmp-..." does not match it).
constexpr char kRivendellSuffix[] = "-%Y%m%d-%H%M";
// AES46: an EndDate/EndTime of "no end".
constexpr char kNoEndDate[] = "9999-12-31";
constexpr char kNoEndTime[] = "23:59:59";

fs::path datedName(const fs::path& name, std::time_t air) {
  return name.stem().string() + formatLocal(air, kDatedSuffix) + name.extension().string();
}

void copyAtomically(const fs::path& from, const fs::path& to) {
  encode::AtomicFile file(to);
  std::error_code ec;
  // A full disk or a quota fails here, before the rename: the old edition stays.
  fs::copy_file(from, file.tempPath(), fs::copy_options::overwrite_existing, ec);
  if (ec)
    throw Error(ErrorKind::Io, to.string() + ": cannot write: " + ec.message() + "; the previous edition is kept");
  file.commit();
}

std::string deliverFolder(const Edition& e, const audio::DecodedStats& cues, const FolderTarget& f) {
  const fs::path name = f.name.empty() ? e.audio.filename() : fs::path(f.name);
  const fs::path fixed = f.folder / name;
  std::string detail;
  if (f.keep_dated) {
    const fs::path dated = f.folder / datedName(name, e.schedule.air);
    copyAtomically(e.audio, dated);
    detail = dated.string() + ", ";
  }
  copyAtomically(e.audio, fixed);
  const fs::path liq = annotationPathFor(fixed);
  encode::writeFileAtomically(liq, liquidsoapAnnotation(cues, fixed) + "\n");
  return detail + fixed.string() + ", " + liq.string();
}

std::uint32_t samplesAt(double seconds, int rate) { return static_cast<std::uint32_t>(std::llround(seconds * rate)); }

std::string deliverRivendell(const Edition& e, const audio::DecodedStats& cues, const RivendellTarget& r) {
  encode::CartInfo cart;
  cart.title = e.title;
  cart.artist = e.artist;
  cart.cut_id = std::to_string(r.cart);
  cart.category = "NEWS";
  cart.out_cue = e.last_words;
  cart.start_date = formatLocal(e.schedule.air, "%Y-%m-%d");
  cart.start_time = formatLocal(e.schedule.air, "%H:%M:%S");
  cart.end_date = e.schedule.kill ? formatLocal(*e.schedule.kill, "%Y-%m-%d") : kNoEndDate;
  cart.end_time = e.schedule.kill ? formatLocal(*e.schedule.kill, "%H:%M:%S") : kNoEndTime;
  cart.producer_app_id = "warta";
#ifdef WARTA_VERSION
  cart.producer_app_version = WARTA_VERSION;
#endif
  cart.tag_text = e.tag_text;
  const int rate = cues.sample_rate;
  cart.timers = {{"AUDs", samplesAt(cues.cue_in, rate)},
                 {"AUDe", samplesAt(cues.cue_out, rate)},
                 {"SEGs", samplesAt(cues.cross_start_next, rate)},
                 {"INTs", samplesAt(cues.cue_in, rate)},
                 {"INTe", samplesAt(std::max(cues.cue_in, e.intro_end), rate)}};
  encode::OutputSettings settings;
  settings.sample_rate = rate;
  settings.channels = cues.channels;
  settings.tags.title = e.title;
  settings.tags.artist = e.artist;
  settings.broadcast.origination_date = cart.start_date;
  settings.broadcast.origination_time = cart.start_time;
  const fs::path out =
      r.folder / ("warta-" + std::to_string(r.cart) + formatLocal(e.schedule.air, kRivendellSuffix) + ".wav");
  try {
    encode::WavWriter writer(out, settings, true, &cart);
    audio::decodeAndMeasure(e.audio, [&](const audio::Audio& piece) { writer.write(piece); });
    writer.finish();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& x) {
    throw Error(ErrorKind::Io, x.what());
  }
  return out.string();
}

// The kill time written in a delivered file, if any.
std::optional<std::time_t> killTimeOf(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".mp3" || ext == ".MP3") return parseIsoLocal(encode::readId3UserText(file, "expires"));
  SF_INFO info{};
  audio::Sndfile sf(sf_open(file.c_str(), SFM_READ, &info));
  if (!sf) return std::nullopt;
  SF_CART_INFO cart;
  std::memset(&cart, 0, sizeof cart);
  if (sf_command(sf.get(), SFC_GET_CART_INFO, &cart, sizeof cart) != SF_TRUE) return std::nullopt;
  const std::string date(cart.end_date, strnlen(cart.end_date, sizeof cart.end_date));
  const std::string time(cart.end_time, strnlen(cart.end_time, sizeof cart.end_time));
  const std::optional<int> clock = parseClockTime(time);
  if (date.empty() || !clock || date == kNoEndDate) return std::nullopt;
  return localTimeOn(date, *clock);
}

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

fs::path annotationPathFor(const fs::path& audio) {
  fs::path p = audio;
  return p.replace_extension(".liq");
}

std::string liquidsoapAnnotation(const audio::DecodedStats& c, const fs::path& audio) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(audio, ec);
  return "annotate:liq_cue_in=\"" + seconds3(c.cue_in) + "\",liq_cue_out=\"" + seconds3(c.cue_out) +
         "\",liq_fade_in=\"0.\",liq_fade_out=\"0.\",liq_cross_start_next=\"" + seconds3(c.cross_start_next) +
         "\",liq_cross_duration=\"" + seconds3(c.cue_out - c.cross_start_next) +
         "\":" + (ec ? audio : absolute).string();
}

audio::DecodedStats verifyEdition(const Edition& e) {
  audio::DecodedStats s;
  try {
    s = audio::decodeAndMeasure(e.audio);
  } catch (const std::exception& x) {
    throw Error(ErrorKind::Io, std::string(x.what()) + "; not delivered");
  }
  if (std::abs(s.seconds - e.seconds) > kLengthToleranceSeconds)
    throw Error(ErrorKind::Io, e.audio.string() + ": decodes to " + seconds3(s.seconds) + " s, built " +
                                   seconds3(e.seconds) + " s; not delivered");
  if (!std::isfinite(s.integrated_lufs) || std::abs(s.integrated_lufs - e.lufs) > kLoudnessToleranceLu)
    throw Error(ErrorKind::Io, e.audio.string() + ": decodes to " + seconds3(s.integrated_lufs) + " LUFS, built " +
                                   seconds3(e.lufs) + " LUFS; not delivered");
  if (std::abs(s.integrated_lufs - e.target_lufs) > kTargetToleranceLu)
    throw Error(ErrorKind::Io, e.audio.string() + ": decodes to " + seconds3(s.integrated_lufs) + " LUFS, " +
                                   seconds3(std::abs(s.integrated_lufs - e.target_lufs)) + " LU off the target " +
                                   seconds3(e.target_lufs) + " LUFS; not delivered");
  return s;
}

std::vector<TargetResult> deliverAll(const Edition& edition, const std::vector<Target>& targets) {
  const audio::DecodedStats cues = verifyEdition(edition);
  std::vector<TargetResult> results;
  for (const Target& t : targets) {
    TargetResult r;
    r.target = describe(t);
    try {
      if (const auto* f = std::get_if<FolderTarget>(&t.kind)) r.detail = deliverFolder(edition, cues, *f);
      else if (const auto* a = std::get_if<AzuraCastTarget>(&t.kind)) r.detail = uploadAzuraCast(edition.audio, *a);
      else if (const auto* l = std::get_if<LibreTimeTarget>(&t.kind)) r.detail = uploadLibreTime(edition.audio, *l);
      else r.detail = deliverRivendell(edition, cues, std::get<RivendellTarget>(t.kind));
      r.ok = true;
    } catch (const std::exception& x) {
      r.detail = x.what();
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<fs::path> expireDelivered(const std::vector<Target>& targets, std::time_t now) {
  std::vector<fs::path> removed;
  auto expire = [&](const fs::path& file) {
    const std::optional<std::time_t> kill = killTimeOf(file);
    if (!kill || *kill > now) return;
    std::error_code ec;
    if (fs::remove(file, ec)) removed.push_back(file);
    const fs::path liq = annotationPathFor(file);
    if (fs::remove(liq, ec)) removed.push_back(liq);
  };
  for (const Target& t : targets) {
    fs::path folder;
    std::vector<std::pair<std::string, std::string>> patterns;  // prefix, extension
    if (const auto* f = std::get_if<FolderTarget>(&t.kind)) {
      folder = f->folder;
      if (!f->name.empty()) {
        expire(f->folder / f->name);
        patterns.push_back({fs::path(f->name).stem().string() + "-", fs::path(f->name).extension().string()});
      }
    } else if (const auto* r = std::get_if<RivendellTarget>(&t.kind)) {
      folder = r->folder;
      patterns.push_back({"warta-" + std::to_string(r->cart) + "-", ".wav"});
    } else {
      continue;  // a station's own library: its playlist holds only the newest edition
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      const std::string name = entry.path().filename().string();
      for (const auto& [prefix, ext] : patterns)
        if (startsWith(name, prefix) && entry.path().extension() == ext && entry.is_regular_file(ec))
          expire(entry.path());
    }
  }
  return removed;
}

}  // namespace warta::deliver
