// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/xml_tree.h"

#include <libxml/parser.h>

#include <mutex>
#include <stdexcept>

#include "publish/xml_text.h"

namespace warta::publish::xml {
namespace {

const xmlChar* bytes(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }
const xmlChar* bytes(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

xmlNode* checked(xmlNode* node) {
  if (!node) throw std::bad_alloc();
  return node;
}

// Marks (in xmlNode::_private, the application's) an element appendFragment
// copied in: it is written as it stood, never re-indented, so a kept element's
// text does not grow whitespace with every rewrite.
char kAsItStood;

// Indents `node`'s children by two spaces a level where it holds elements
// only (libxml2's own format would also indent inside kept elements).
void indent(xmlNode* node, int depth, std::initializer_list<std::string_view> unindented) {
  for (std::string_view name : unindented)
    if (name == reinterpret_cast<const char*>(node->name)) return;
  bool elements_only = node->children != nullptr;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE || c->type == XML_ENTITY_REF_NODE)
      elements_only = false;
    else if (c->type == XML_ELEMENT_NODE && c->_private != &kAsItStood) indent(c, depth + 1, unindented);
  }
  if (!elements_only) return;
  const auto newline = [&](int level) {
    const std::string ws = "\n" + std::string(2 * static_cast<std::size_t>(level), ' ');
    return checked(xmlNewDocTextLen(node->doc, bytes(ws), static_cast<int>(ws.size())));
  };
  for (xmlNode* c = node->children; c; c = c->next) xmlAddPrevSibling(c, newline(depth + 1));
  xmlAddChild(node, newline(depth));
}

}  // namespace

std::string str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

Doc newDocument() {
  // libxml2 wants its globals set up once before threads use it (-j renders in workers).
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  Doc doc(xmlNewDoc(bytes("1.0")));
  if (!doc) throw std::bad_alloc();
  return doc;
}

xmlNode* root(xmlDoc* doc, const char* name, const char* default_ns) {
  xmlNode* node = checked(xmlNewDocNode(doc, nullptr, bytes(name), nullptr));
  xmlDocSetRootElement(doc, node);
  if (default_ns) xmlSetNs(node, xmlNewNs(node, bytes(default_ns), nullptr));
  return node;
}

xmlNode* child(xmlNode* parent, const char* name, xmlNs* ns) {
  return checked(xmlNewChild(parent, ns, bytes(name), nullptr));
}

xmlNode* child(xmlNode* parent, const char* name, std::string_view content, xmlNs* ns) {
  // xmlNewTextChild, not xmlNewChild: the content is text, escaped when saved, never markup.
  return checked(xmlNewTextChild(parent, ns, bytes(name), bytes(xmlChars(content))));
}

void attribute(xmlNode* node, const char* qname, std::string_view value) {
  if (!xmlSetProp(node, bytes(qname), bytes(xmlChars(value)))) throw std::bad_alloc();
}

void text(xmlNode* node, std::string_view content) {
  const std::string safe = xmlChars(content);
  if (!xmlAddChild(node, checked(xmlNewDocTextLen(node->doc, bytes(safe), static_cast<int>(safe.size())))))
    throw std::bad_alloc();
}

std::string save(xmlDoc* doc, std::initializer_list<std::string_view> unindented) {
  if (xmlNode* root = xmlDocGetRootElement(doc)) indent(root, 0, unindented);
  xmlChar* raw = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc, &raw, &size, "UTF-8", 0);
  const String owned(raw);
  if (!owned || size < 0) throw std::runtime_error("cannot write the XML document");
  return {reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size)};
}

std::string outerXml(xmlNode* node) {
  const Buffer buffer(xmlBufferCreate());
  if (!buffer || xmlNodeDump(buffer.get(), node->doc, node, 0, 0) < 0)
    throw std::runtime_error("cannot copy an element");
  return {reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
          static_cast<std::size_t>(xmlBufferLength(buffer.get()))};
}

void appendFragment(xmlNode* parent, const std::string& fragment) {
  if (fragment.find_first_not_of(" \t\r\n") == std::string::npos) return;
  xmlNode* list = nullptr;
  const xmlParserErrors err = xmlParseInNodeContext(parent, fragment.data(), static_cast<int>(fragment.size()),
                                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING, &list);
  if (err != XML_ERR_OK) {
    xmlFreeNodeList(list);
    throw std::runtime_error("cannot copy an element: not well-formed XML");
  }
  for (xmlNode* node = list; node;) {
    xmlNode* next = node->next;
    if (xmlIsBlankNode(node)) {
      xmlUnlinkNode(node);  // the parent's own indentation is libxml2's to write
      xmlFreeNode(node);
    } else {
      node->prev = node->next = nullptr;  // detached from the parsed list: xmlAddChild links it anew
      node->parent = nullptr;
      if (node->type == XML_ELEMENT_NODE) node->_private = &kAsItStood;
      xmlAddChild(parent, node);
    }
    node = next;
  }
}

}  // namespace warta::publish::xml
