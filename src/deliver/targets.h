// SPDX-License-Identifier: GPL-3.0-or-later
// Where a finished bulletin goes after `warta build` (the rundown's
// `deliver:` block; config/rundown.cpp fills these) and when it may air.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "deliver/upload.h"

namespace warta::deliver {

// `{ folder: /srv/news, name: "berita.mp3", keep_dated: true }`: a drop
// folder playout software watches. The fixed name always holds the newest
// edition; keep_dated also leaves NAME-STEM-YYYY-MM-DD-HHMM.EXT (air time).
struct FolderTarget {
  std::filesystem::path folder;  // exists
  std::string name;              // a file name, no folder; empty = the bulletin's own name
  bool keep_dated = false;
};

// `rivendell: { cart: 1001, folder: /var/snd/dropbox }`: a Broadcast WAV with
// an AES46 cart chunk (CutID = the cart) for `rdimport --drop-box`.
struct RivendellTarget {
  int cart = 0;                  // 1..999999
  std::filesystem::path folder;  // exists
};

struct Target {
  std::variant<FolderTarget, RivendellTarget, AzuraCastTarget, LibreTimeTarget> kind;
  std::string where;  // "RUNDOWN:LINE:COL" of the entry, for reports
};

// "folder /srv/news/berita.mp3", "rivendell cart 1001 in /var/snd/dropbox", "azuracast URL station 1", "libretime URL"
std::string describe(const Target& target);

// When the edition airs and until when it may (the rundown's `air_time:` and `expires:`).
struct Schedule {
  std::time_t air = 0;              // air time (local clock), or the build time
  std::optional<std::time_t> kill;  // air + expires, after which it must not air
};

// "2025-06-11T07:59:00+07:00" (isoLocal's form) as an instant; nullopt if not that form.
std::optional<std::time_t> parseIsoLocal(const std::string& text);
// "HH:MM" or "HH:MM:SS" as seconds after midnight; nullopt if it is not one.
std::optional<int> parseClockTime(const std::string& text);
// The instant of `seconds` after local midnight on date "YYYY-MM-DD".
std::time_t localTimeOn(const std::string& date, int seconds);
// "2025-06-11T07:59:00+07:00": ISO 8601 local time with its UTC offset.
std::string isoLocal(std::time_t t);
// strftime of the local time.
std::string formatLocal(std::time_t t, const char* format);

}  // namespace warta::deliver
