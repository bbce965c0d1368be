// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/epub.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include <memory>
#include <stdexcept>

namespace warta::test {

std::vector<ZipEntry> readZip(const std::filesystem::path& path) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!z) throw std::runtime_error(path.string() + ": not a zip archive (libzip error " + std::to_string(err) + ")");
  std::unique_ptr<zip_t, void (*)(zip_t*)> guard(z, [](zip_t* a) { zip_discard(a); });
  std::vector<ZipEntry> out;
  const zip_int64_t n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) < 0) throw std::runtime_error(zip_strerror(z));
    ZipEntry e;
    e.name = st.name;
    e.method = st.comp_method;
    e.data.resize(st.size);
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    if (!f) throw std::runtime_error(e.name + ": " + zip_strerror(z));
    const zip_int64_t got = e.data.empty() ? 0 : zip_fread(f, e.data.data(), e.data.size());
    zip_fclose(f);
    if (got != static_cast<zip_int64_t>(e.data.size())) throw std::runtime_error(e.name + ": short read");
    out.push_back(std::move(e));
  }
  return out;
}

const ZipEntry& zipEntry(const std::vector<ZipEntry>& entries, const std::string& name) {
  for (const auto& e : entries)
    if (e.name == name) return e;
  throw std::runtime_error("no entry " + name + " in the archive");
}

std::vector<XmlNode> xpath(const std::string& xml, const std::string& expression) {
  std::unique_ptr<xmlDoc, void (*)(xmlDoc*)> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "doc.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR),
      xmlFreeDoc);
  if (!doc) throw std::runtime_error("not well-formed XML:\n" + xml.substr(0, 400));
  std::unique_ptr<xmlXPathContext, void (*)(xmlXPathContext*)> ctx(xmlXPathNewContext(doc.get()), xmlXPathFreeContext);
  const std::pair<const char*, const char*> ns[] = {
      {"opf", "http://www.idpf.org/2007/opf"},   {"dc", "http://purl.org/dc/elements/1.1/"},
      {"smil", "http://www.w3.org/ns/SMIL"},     {"epub", "http://www.idpf.org/2007/ops"},
      {"xhtml", "http://www.w3.org/1999/xhtml"}, {"c", "urn:oasis:names:tc:opendocument:xmlns:container"}};
  for (const auto& [prefix, uri] : ns)
    xmlXPathRegisterNs(ctx.get(), reinterpret_cast<const xmlChar*>(prefix), reinterpret_cast<const xmlChar*>(uri));
  std::unique_ptr<xmlXPathObject, void (*)(xmlXPathObject*)> result(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), ctx.get()), xmlXPathFreeObject);
  if (!result) throw std::runtime_error("bad XPath " + expression);
  std::vector<XmlNode> out;
  if (!result->nodesetval) return out;
  for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
    xmlNode* node = result->nodesetval->nodeTab[i];
    XmlNode n;
    n.name = reinterpret_cast<const char*>(node->name);
    for (xmlAttr* a = node->properties; a; a = a->next) {
      xmlChar* v = xmlNodeGetContent(reinterpret_cast<xmlNode*>(a));
      n.attributes[reinterpret_cast<const char*>(a->name)] = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
    }
    xmlChar* t = xmlNodeGetContent(node);
    n.text = t ? reinterpret_cast<const char*>(t) : "";
    xmlFree(t);
    out.push_back(std::move(n));
  }
  return out;
}

double smilClock(const std::string& v) {
  std::size_t used = 0;
  if (v.size() > 2 && v.compare(v.size() - 2, 2, "ms") == 0) return std::stod(v.substr(0, v.size() - 2), &used) / 1000;
  if (!v.empty() && v.back() == 's') return std::stod(v.substr(0, v.size() - 1), &used);
  double total = 0;
  std::size_t at = 0;
  int parts = 0;
  while (true) {
    const std::size_t colon = v.find(':', at);
    const std::string part = v.substr(at, colon == std::string::npos ? std::string::npos : colon - at);
    if (part.empty()) throw std::runtime_error("bad clock value '" + v + "'");
    total = total * 60 + std::stod(part, &used);
    if (used != part.size()) throw std::runtime_error("bad clock value '" + v + "'");
    ++parts;
    if (colon == std::string::npos) break;
    at = colon + 1;
  }
  if (parts < 2 || parts > 3) throw std::runtime_error("bad clock value '" + v + "'");
  return total;
}

}  // namespace warta::test
