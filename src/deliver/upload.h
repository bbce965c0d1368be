// SPDX-License-Identifier: GPL-3.0-or-later
// Uploads to playout systems' HTTP APIs (AzuraCast, LibreTime) over src/net.
// The API key comes from the environment variable the rundown names, never
// from the rundown itself, and never appears in a message.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace warta::deliver {

// `{ azuracast: URL, station: 1, api_key_env: NAME, path: news/berita.mp3, playlist: 7 }`
struct AzuraCastTarget {
  std::string url;  // the AzuraCast site, e.g. https://radio.example
  int station = 1;
  std::string api_key_env;      // the environment variable holding the API key
  std::string path;             // where in the station's media the file goes
  std::optional<int> playlist;  // emptied of other files, then holding this one
};

// `{ libretime: URL, api_key_env: NAME }`
struct LibreTimeTarget {
  std::string url;
  std::string api_key_env;
};

// Tries per request, and the waits between them (seconds): network errors
// and 5xx answers are tried again, 4xx answers are not (the request is wrong).
inline constexpr int kUploadTries = 3;
inline constexpr double kUploadBackoffSeconds[] = {1.0, 2.0};

// Each returns a line for the summary; throws warta::Error (Io) naming the
// target's URL (never the key) and the status or transport error.
std::string uploadAzuraCast(const std::filesystem::path& file, const AzuraCastTarget& target);
std::string uploadLibreTime(const std::filesystem::path& file, const LibreTimeTarget& target);

// RFC 4648 base64 with padding.
std::string base64(const std::string& bytes);

}  // namespace warta::deliver
