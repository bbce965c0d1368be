// SPDX-License-Identifier: GPL-3.0-or-later
// Bytes from the web to UTF-8: the charset a server or document declares,
// with windows-1252 for the Latin-1 labels (as browsers do, WHATWG Encoding).
#pragma once

#include <string>
#include <string_view>

namespace warta::sources {

// "windows-1252" from "text/html; charset=Windows-1252"; "" if none.
std::string charsetFromContentType(std::string_view content_type);
// The charset an HTML page declares in its first 1024 bytes (<meta charset>,
// <meta http-equiv content="...; charset=...">), or "".
std::string sniffHtmlCharset(std::string_view html);
// The encoding of an XML declaration (<?xml ... encoding="..."?>), or "".
std::string sniffXmlEncoding(std::string_view xml);

// `bytes` in `charset` (any label iconv knows; "" = UTF-8 if valid, else
// windows-1252) as UTF-8. ISO-8859-1, latin1 and US-ASCII are read as
// windows-1252. Invalid UTF-8 in a UTF-8 document becomes U+FFFD. Throws
// warta::Error(Input) naming `what` for an unknown charset.
std::string toUtf8(std::string_view bytes, std::string charset, const std::string& what);

}  // namespace warta::sources
