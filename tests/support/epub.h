// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a talking book (EPUB) back in tests: its zip entries through libzip
// and its XML through libxml2 XPath, independently of warta's writer.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace warta::test {

struct ZipEntry {
  std::string name;
  int method = -1;   // ZIP_CM_STORE (0), ZIP_CM_DEFLATE (8)
  std::string data;  // uncompressed bytes
};

// Every entry of the archive, in the order of its central directory. Throws
// std::runtime_error if it cannot be opened or an entry read.
std::vector<ZipEntry> readZip(const std::filesystem::path& zip);

// The entry named `name`, or throws std::runtime_error.
const ZipEntry& zipEntry(const std::vector<ZipEntry>& entries, const std::string& name);

// One element an XPath query found: its attributes and its text content.
struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attributes;  // local names ("src", "clipBegin", "refines", "id")
  std::string text;
};

// Parses `xml` (throws std::runtime_error if it is not well-formed) and returns
// what `xpath` selects. Prefixes: opf, dc, smil, epub, xhtml, c (OCF container).
std::vector<XmlNode> xpath(const std::string& xml, const std::string& expression);

// "1:02:03.450", "02:03.4", "12.5s", "120ms" (SMIL clock values) in seconds; throws on anything else.
double smilClock(const std::string& value);

}  // namespace warta::test
