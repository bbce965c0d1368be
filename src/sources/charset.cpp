// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/charset.h"

#include "warta/error.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>

namespace warta::sources {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

// The value after `key=` in `text` from `from` on: quotes and trailing separators dropped.
std::string valueAfter(std::string_view text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '"' || text[at] == '\'')) ++at;
  std::size_t end = at;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' ||
                               text[end] == '_' || text[end] == '.' || text[end] == ':'))
    ++end;
  return lower(text.substr(at, end - at));
}

// Labels read as windows-1252 (WHATWG Encoding: the web's Latin-1 is cp1252).
constexpr std::string_view kWindows1252Labels[] = {"iso-8859-1", "iso8859-1",  "latin1", "l1",
                                                   "us-ascii",   "ascii",      "cp1252", "windows-1252",
                                                   "x-cp1252",   "iso_8859-1", "cp819"};

bool validUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

}  // namespace

std::string charsetFromContentType(std::string_view content_type) {
  const std::string l = lower(content_type);
  const auto at = l.find("charset=");
  return at == std::string::npos ? std::string() : valueAfter(l, at + 8);
}

std::string sniffHtmlCharset(std::string_view html) {
  const std::string head = lower(html.substr(0, 1024));
  for (std::size_t at = head.find("<meta"); at != std::string::npos; at = head.find("<meta", at + 5)) {
    const auto close = head.find('>', at);
    const std::string_view tag = std::string_view(head).substr(at, close == std::string::npos ? head.npos : close - at);
    const auto cs = tag.find("charset=");
    if (cs != std::string::npos) return valueAfter(tag, cs + 8);
  }
  return "";
}

std::string sniffXmlEncoding(std::string_view xml) {
  const std::string head = lower(xml.substr(0, std::min<std::size_t>(xml.size(), 200)));
  if (head.rfind("<?xml", 0) != 0 && head.rfind("\xef\xbb\xbf<?xml", 0) != 0) return "";
  const auto end = head.find("?>");
  const auto at = head.find("encoding=");
  if (at == std::string::npos || (end != std::string::npos && at > end)) return "";
  return valueAfter(head, at + 9);
}

std::string toUtf8(std::string_view bytes, std::string charset, const std::string& what) {
  charset = lower(charset);
  if (bytes.substr(0, 3) == "\xef\xbb\xbf") {  // a BOM outranks every label
    bytes.remove_prefix(3);
    charset = "utf-8";
  }
  if (charset.empty()) charset = validUtf8(bytes) ? "utf-8" : "windows-1252";
  if (charset == "utf8") charset = "utf-8";
  if (std::find(std::begin(kWindows1252Labels), std::end(kWindows1252Labels), charset) != std::end(kWindows1252Labels))
    charset = "windows-1252";
  if (charset == "utf-8" && validUtf8(bytes)) return std::string(bytes);
  // glibc's iconv: //TRANSLIT is not wanted (it would guess), so bytes it
  // cannot map are replaced by U+FFFD one by one below.
  iconv_t raw = iconv_open("UTF-8", charset == "windows-1252" ? "CP1252" : charset.c_str());
  if (raw == reinterpret_cast<iconv_t>(-1))
    throw Error(ErrorKind::Input, what + ": unknown character set '" + charset + "'");
  std::unique_ptr<void, IconvCloser> cd(raw);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char buffer[4096];
  while (in_left > 0) {
    char* o = buffer;
    std::size_t o_left = sizeof buffer;
    const std::size_t r = iconv(raw, &in, &in_left, &o, &o_left);
    out.append(buffer, static_cast<std::size_t>(o - buffer));
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) continue;
      // An invalid or unmapped byte (0x81 in cp1252, a broken UTF-8 sequence): U+FFFD, then go on.
      out += "\xef\xbf\xbd";
      ++in;
      --in_left;
      iconv(raw, nullptr, nullptr, nullptr, nullptr);
    }
  }
  return out;
}

}  // namespace warta::sources
