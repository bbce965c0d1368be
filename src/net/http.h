// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP(S) requests over libcurl: one call, one Request in, one Response out.
// Only http and https are spoken (also after redirects); every request has
// timeouts, a response size limit and a redirect limit, so a slow, huge or
// looping server costs bounded time and memory. Failures are warta::Error of
// kind Io naming the URL and what happened.
#pragma once

#include "warta/error.h"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace warta::net {

// One part of a multipart/form-data body. An empty filename makes a plain
// field; otherwise a file part with that name and content type.
struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;  // empty: curl's default for the part
  std::string bytes;
};

// "warta/VERSION (+https://github.com/warta/warta; news to speech)".
std::string defaultUserAgent();

struct Request {
  std::string method = "GET";                                // GET, POST, PUT, DELETE, HEAD, ...
  std::string url;                                           // http:// or https:// only
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers, sent as given
  std::string body;                                          // sent as is when `form` is empty and body is non-empty
  std::vector<FormPart> form;  // non-empty: a multipart/form-data body (the method stays as set)
  std::string user, password;  // HTTP basic auth when user is non-empty
  double connect_timeout_seconds = 10;
  double timeout_seconds = 30;                        // the whole transfer, redirects included
  std::size_t max_response_bytes = 8u * 1024 * 1024;  // body bytes; past it the transfer stops
  long max_redirects = 5;                             // 0: a redirect is returned as the response, not followed
  std::string if_none_match;                          // a remembered ETag: the server may answer 304
  std::string if_modified_since;                      // a remembered Last-Modified (HTTP date)
  std::string user_agent = defaultUserAgent();
};

struct Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // of the final response; names lower-cased; repeats joined by ", "
  std::string effective_url;                   // after redirects
  // The header's value, or "" (name in any case).
  std::string header(const std::string& name) const;
};

// Performs the request. Any HTTP status (404, 500, 304) is a Response, not
// an error: the caller decides. Throws warta::Error(Io) for transport
// failures: "URL: timed out after 3 s", "URL: response larger than the
// limit of 8388608 bytes", "URL: more than 5 redirects (a redirect loop?)",
// "URL: host not found", "URL: only http and https are fetched", ...
Response perform(const Request& request);

// GET `url` with the defaults; same errors as perform.
Response get(const std::string& url);

}  // namespace warta::net
