// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliver/upload.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include <nlohmann/json.hpp>

#include "net/http.h"
#include "warta/error.h"

namespace warta::deliver {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string apiKey(const std::string& variable, const std::string& site) {
  const char* key = variable.empty() ? nullptr : std::getenv(variable.c_str());
  if (key == nullptr || *key == '\0')
    throw Error(ErrorKind::Io, site + ": the API key's environment variable " +
                                   (variable.empty() ? std::string("(api_key_env)") : variable) + " is not set");
  return key;
}

std::string readAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, file.string() + ": cannot read");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string trimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// What a status means to the station's engineer.
std::string statusText(long status) {
  switch (status) {
    case 401:
      return "401: the API key was refused";
    case 403:
      return "403: the API key may not do this";
    case 404:
      return "404: no such station, file or endpoint";
    case 413:
      return "413: the file is larger than the server accepts";
    default:
      return std::to_string(status);
  }
}

// Performs with retries: a transport error or a 5xx is tried again after a
// wait, up to kUploadTries; any other answer is returned.
net::Response withRetries(const net::Request& request, int& tries) {
  for (tries = 1;; ++tries) {
    try {
      net::Response r = net::perform(request);
      if (r.status < 500 || tries == kUploadTries) return r;
    } catch (const Error&) {
      if (tries == kUploadTries) throw;
    }
    const double wait = kUploadBackoffSeconds[std::min(tries - 1, 1)];
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
}

net::Response call(net::Request request, const std::string& what) {
  int tries = 0;
  net::Response r = withRetries(request, tries);
  if (r.status < 200 || r.status >= 300)
    throw Error(ErrorKind::Io, request.method + " " + request.url + " (" + what + "): HTTP " + statusText(r.status) +
                                   (tries > 1 ? " after " + std::to_string(tries) + " tries" : ""));
  return r;
}

json parseJson(const net::Response& r, const std::string& url) {
  try {
    return json::parse(r.body);
  } catch (const json::exception&) {
    throw Error(ErrorKind::Io, url + ": the answer is not JSON");
  }
}

}  // namespace

std::string base64(const std::string& bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(v >> s) & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const unsigned v =
        (static_cast<unsigned char>(bytes[i]) << 16) | (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += two ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string uploadAzuraCast(const fs::path& file, const AzuraCastTarget& t) {
  const std::string base = trimSlash(t.url) + "/api/station/" + std::to_string(t.station);
  const std::string key = apiKey(t.api_key_env, t.url);
  auto request = [&](const std::string& method, const std::string& url, const std::string& body) {
    net::Request r;
    r.method = method;
    r.url = url;
    r.headers = {{"X-API-Key", key}, {"Accept", "application/json"}};
    if (!body.empty()) r.headers.push_back({"Content-Type", "application/json"}), r.body = body;
    r.timeout_seconds = 120;  // a bulletin in base64 is a few MB
    return r;
  };
  // POST /api/station/{id}/files: {"path", "file": base64}; answers the new media (its "id").
  const std::string upload_url = base + "/files";
  const json uploaded = parseJson(
      call(request("POST", upload_url, json{{"path", t.path}, {"file", base64(readAll(file))}}.dump()), "upload"),
      upload_url);
  if (!uploaded.is_object() || !uploaded.contains("id") || !uploaded["id"].is_number_integer())
    throw Error(ErrorKind::Io, upload_url + ": the answer has no media id");
  const long long media = uploaded["id"].get<long long>();
  if (!t.playlist) return t.url + " " + t.path + " (media " + std::to_string(media) + ")";

  // Only the newest edition in the playlist: every other file leaves it, keeping its other playlists.
  const std::string list_url = base + "/files";
  const json files = parseJson(call(request("GET", list_url, ""), "list files"), list_url);
  for (const json& f : files.is_array() ? files : json::array()) {
    if (!f.contains("id") || !f["id"].is_number_integer() || f["id"].get<long long>() == media) continue;
    if (!f.contains("playlists") || !f["playlists"].is_array()) continue;
    json keep = json::array();
    bool listed = false;
    for (const json& p : f["playlists"]) {
      const json id = p.is_object() ? p.value("id", json()) : p;
      if (!id.is_number_integer()) continue;
      if (id.get<int>() == *t.playlist) listed = true;
      else keep.push_back(id);
    }
    if (!listed) continue;
    const std::string url = base + "/file/" + std::to_string(f["id"].get<long long>());
    call(request("PUT", url, json{{"playlists", keep}}.dump()), "take out of playlist");
  }
  const std::string put_url = base + "/file/" + std::to_string(media);
  call(request("PUT", put_url, json{{"playlists", json::array({*t.playlist})}}.dump()), "put in playlist");
  return t.url + " " + t.path + " (media " + std::to_string(media) + ", playlist " + std::to_string(*t.playlist) + ")";
}

std::string uploadLibreTime(const fs::path& file, const LibreTimeTarget& t) {
  net::Request r;
  r.method = "POST";
  r.url = trimSlash(t.url) + "/rest/media";
  r.user = apiKey(t.api_key_env, t.url);  // the key as the user, no password
  r.password = "";
  r.form = {{"file", file.filename().string(), "audio/mpeg", readAll(file)}};
  r.timeout_seconds = 120;
  const net::Response answer = call(r, "upload");
  return t.url + " " + file.filename().string() + " (HTTP " + std::to_string(answer.status) + ")";
}

}  // namespace warta::deliver
