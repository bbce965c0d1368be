// SPDX-License-Identifier: GPL-3.0-or-later
// The one place that knows which characters a published text may hold: XML
// 1.0's Char production (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD,
// U+10000-U+10FFFF). A headline with U+FFFF or a stray control byte made
// feed.xml ill-formed, and every later build then refused the feed, so every
// writer of the feed, the page, the talking book's XHTML and the captions and
// transcripts passes its text through here.
#pragma once

#include <string>
#include <string_view>

namespace warta::publish {

// `text` without what XML 1.0 forbids: C0 controls but tab, LF and CR,
// U+FFFE, U+FFFF, and bytes that are not well-formed UTF-8 (stray or
// truncated sequences, overlong forms, encoded surrogates, above U+10FFFF),
// each dropped. Everything else is kept byte for byte.
std::string xmlChars(std::string_view text);

// Whether the prolog of an XML document (what comes before its root element:
// an XML declaration, comments, processing instructions, a UTF-8 BOM) holds
// a DOCTYPE. Feeds and PLS lexicons need none, and internal entities are how
// an "entity bomb" makes a parser use gigabytes, so both are refused with one
// before libxml2 reads them. "<!DOCTYPE" in an element's text or CDATA is not one.
bool prologHasDoctype(std::string_view xml);

}  // namespace warta::publish
