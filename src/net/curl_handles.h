// SPDX-License-Identifier: GPL-3.0-or-later
// The one owner of each libcurl handle type: move-only, freed exactly once.
// Private to net/ (only http.cpp includes curl).
#pragma once

#include <curl/curl.h>

#include <memory>

namespace warta::net::detail {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct MimeDeleter {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;
using Mime = std::unique_ptr<curl_mime, MimeDeleter>;

}  // namespace warta::net::detail
