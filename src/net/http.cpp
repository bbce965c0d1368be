// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/http.h"

#include "net/curl_handles.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>
#include <sstream>

namespace warta::net {
namespace {

[[noreturn]] void fail(const std::string& url, const std::string& what) {
  throw Error(ErrorKind::Io, url + ": " + what);
}

// curl_global_init is not thread-safe and must run once per process.
void globalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) throw Error(ErrorKind::Io, std::string("libcurl: ") + curl_easy_strerror(result));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

struct Transfer {
  Response response;
  std::size_t limit = 0;
  bool too_large = false;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->response.body.size() + n > t->limit) {
    t->too_large = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR: the rest is never read
  }
  t->response.body.append(data, n);
  return n;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string line(data, n);
  // Each response of a redirect chain starts with its status line: keep only the last one's headers.
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.headers.clear();
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  std::string name = lower(trim(line.substr(0, colon)));
  std::string value = trim(line.substr(colon + 1));
  auto [it, inserted] = t->response.headers.emplace(name, value);
  if (!inserted) it->second += ", " + value;
  return n;
}

void setOrFail(CURLcode code, const std::string& url, const char* what) {
  if (code != CURLE_OK) fail(url, std::string("cannot set ") + what + ": " + curl_easy_strerror(code));
}

long millis(double seconds) { return seconds <= 0 ? 0L : std::max(1L, std::lround(seconds * 1000)); }

std::string secondsText(double s) {
  std::ostringstream out;
  out << s;
  return out.str();
}

}  // namespace

std::string defaultUserAgent() {
  return std::string("warta/") + WARTA_NET_VERSION + " (+https://github.com/warta/warta; news to speech)";
}

std::string Response::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

Response perform(const Request& request) {
  const std::string& url = request.url;
  const std::string scheme = lower(url.substr(0, url.find(':')));
  if (url.find("://") == std::string::npos || (scheme != "http" && scheme != "https"))
    fail(url, "only http:// and https:// addresses are fetched");
  globalInit();
  detail::EasyHandle easy(curl_easy_init());
  if (!easy) fail(url, "libcurl could not start a transfer");
  CURL* h = easy.get();
  Transfer transfer;
  transfer.limit = request.max_response_bytes;
  char error_text[CURL_ERROR_SIZE] = {0};

  setOrFail(curl_easy_setopt(h, CURLOPT_URL, url.c_str()), url, "the URL");
  setOrFail(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text), url, "the error buffer");
  setOrFail(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L), url, "no signals");  // threads: no SIGALRM for DNS timeouts
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85: the string form; the bitmask is deprecated there
  setOrFail(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https"), url, "the protocols");
  setOrFail(curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), url, "the redirect protocols");
#else
  setOrFail(curl_easy_setopt(h, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS)), url, "the protocols");
  setOrFail(curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS)), url,
            "the redirect protocols");
#endif
  setOrFail(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, request.max_redirects > 0 ? 1L : 0L), url, "redirects");
  setOrFail(curl_easy_setopt(h, CURLOPT_MAXREDIRS, request.max_redirects), url, "the redirect limit");
  setOrFail(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, millis(request.connect_timeout_seconds)), url,
            "the connect timeout");
  setOrFail(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, millis(request.timeout_seconds)), url, "the timeout");
  // A declared Content-Length over the limit is refused before any byte; the write callback enforces it otherwise.
  setOrFail(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.max_response_bytes)), url,
            "the size limit");
  setOrFail(curl_easy_setopt(h, CURLOPT_USERAGENT, request.user_agent.c_str()), url, "the User-Agent");
  setOrFail(curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""), url, "the encodings");  // every one curl decodes
  setOrFail(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody), url, "the body callback");
  setOrFail(curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer), url, "the body callback");
  setOrFail(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader), url, "the header callback");
  setOrFail(curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer), url, "the header callback");

  if (!request.user.empty()) {
    setOrFail(curl_easy_setopt(h, CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC)), url, "basic auth");
    setOrFail(curl_easy_setopt(h, CURLOPT_USERNAME, request.user.c_str()), url, "the user");
    setOrFail(curl_easy_setopt(h, CURLOPT_PASSWORD, request.password.c_str()), url, "the password");
  }

  detail::Slist headers;
  auto addHeader = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (!next) fail(url, "out of memory for the request headers");
    headers.release();  // now owned by `next` (curl_slist_append returns the same head or a new one)
    headers.reset(next);
  };
  for (const auto& [name, value] : request.headers) addHeader(name + ": " + value);
  if (!request.if_none_match.empty()) addHeader("If-None-Match: " + request.if_none_match);
  if (!request.if_modified_since.empty()) addHeader("If-Modified-Since: " + request.if_modified_since);
  if (headers) setOrFail(curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get()), url, "the headers");

  detail::Mime mime;
  if (!request.form.empty()) {
    mime.reset(curl_mime_init(h));
    if (!mime) fail(url, "out of memory for the form");
    for (const FormPart& part : request.form) {
      curl_mimepart* p = curl_mime_addpart(mime.get());
      if (!p || curl_mime_name(p, part.name.c_str()) != CURLE_OK ||
          curl_mime_data(p, part.bytes.data(), part.bytes.size()) != CURLE_OK ||
          (!part.filename.empty() && curl_mime_filename(p, part.filename.c_str()) != CURLE_OK) ||
          (!part.content_type.empty() && curl_mime_type(p, part.content_type.c_str()) != CURLE_OK))
        fail(url, "cannot build the form part \"" + part.name + "\"");
    }
    setOrFail(curl_easy_setopt(h, CURLOPT_MIMEPOST, mime.get()), url, "the form");
  } else if (!request.body.empty()) {
    setOrFail(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size())), url, "the body");
    setOrFail(curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data()), url, "the body");
  }
  const std::string method = request.method.empty() ? "GET" : request.method;
  if (method == "HEAD") {
    setOrFail(curl_easy_setopt(h, CURLOPT_NOBODY, 1L), url, "HEAD");
  } else if (method != "GET" || !request.form.empty() || !request.body.empty()) {
    // With a body curl would say POST; CUSTOMREQUEST keeps PUT/PATCH/DELETE as asked.
    setOrFail(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str()), url, "the method");
  }

  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    const std::string detail = error_text[0] ? std::string(error_text) : curl_easy_strerror(code);
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        fail(url, "timed out after " + secondsText(request.timeout_seconds) + " s (" + detail + ")");
      case CURLE_FILESIZE_EXCEEDED:
        fail(url, "response larger than the limit of " + std::to_string(request.max_response_bytes) + " bytes");
      case CURLE_WRITE_ERROR:
        if (transfer.too_large)
          fail(url, "response larger than the limit of " + std::to_string(request.max_response_bytes) + " bytes");
        fail(url, detail);
      case CURLE_TOO_MANY_REDIRECTS:
        fail(url, "more than " + std::to_string(request.max_redirects) + " redirects (a redirect loop?)");
      case CURLE_COULDNT_RESOLVE_HOST:
        fail(url, "host not found (" + detail + ")");
      case CURLE_COULDNT_CONNECT:
        fail(url, "cannot connect (" + detail + ")");
      case CURLE_UNSUPPORTED_PROTOCOL:
        fail(url, "only http:// and https:// addresses are fetched (" + detail + ")");
      default:
        fail(url, detail);
    }
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = status;
  char* effective = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective)
    transfer.response.effective_url = effective;
  else transfer.response.effective_url = url;
  return std::move(transfer.response);
}

Response get(const std::string& url) {
  Request request;
  request.url = url;
  return perform(request);
}

}  // namespace warta::net
