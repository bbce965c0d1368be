// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/xml_text.h"

namespace warta::publish {

std::string xmlChars(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b >= 0x20 || b == '\t' || b == '\n' || b == '\r') out += static_cast<char>(b);
      ++i;
      continue;
    }
    // The sequence's length and its smallest code point (overlong forms are refused).
    const std::size_t n = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {  // a stray continuation byte, C0/C1/F5-FF, or cut short
      ++i;
      continue;
    }
    char32_t cp = b & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    bool ok = true;
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    const char32_t least = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
    if (!ok || cp < least || cp > 0x10FFFF) {  // drop the lead byte; what follows is looked at again
      ++i;
      continue;
    }
    const bool allowed = !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
    if (allowed) out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

bool prologHasDoctype(std::string_view xml) {
  std::size_t i = xml.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (true) {
    i = xml.find_first_not_of(" \t\r\n", i);
    if (i == std::string_view::npos) return false;
    const std::string_view rest = xml.substr(i);
    const std::string_view end = rest.substr(0, 4) == "<!--" ? "-->" : rest.substr(0, 2) == "<?" ? "?>" : "";
    if (end.empty()) return rest.substr(0, 9) == "<!DOCTYPE";
    i = xml.find(end, i + 2);
    if (i == std::string_view::npos) return false;
    i += end.size();
  }
}

}  // namespace warta::publish
