// SPDX-License-Identifier: GPL-3.0-or-later
// The one way the feed and the talking book write XML: a libxml2 tree, saved
// by libxml2, which escapes & < > (and " in attributes) itself. Every text and
// attribute value passes through xmlChars (publish/xml_text.h) on its way in,
// so what XML 1.0 forbids never reaches a document. One owner per libxml2 handle.
#pragma once

#include <libxml/tree.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace warta::publish::xml {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct StringFree {
  void operator()(xmlChar* s) const { xmlFree(s); }
};
struct BufferFree {
  void operator()(xmlBuffer* b) const { xmlBufferFree(b); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;
using String = std::unique_ptr<xmlChar, StringFree>;  // what xmlGetProp, xmlNodeGetContent... return
using Buffer = std::unique_ptr<xmlBuffer, BufferFree>;

// An empty XML 1.0 document (the parser set up once, before any thread uses it).
Doc newDocument();
// The document's root element `name`; `default_ns` (if not null) is declared
// on it as the default namespace, which every child() below then inherits.
xmlNode* root(xmlDoc* doc, const char* name, const char* default_ns = nullptr);
// A new last child element of `parent`, in `ns` (null: the parent's namespace).
xmlNode* child(xmlNode* parent, const char* name, xmlNs* ns = nullptr);
// The same with `text` as its content (xmlChars applied; escaped when saved).
xmlNode* child(xmlNode* parent, const char* name, std::string_view text, xmlNs* ns = nullptr);
// Sets attribute `qname` ("href", or "epub:type" / "xml:lang": the prefix must
// be declared on the element or above it) to `value` (xmlChars applied).
void attribute(xmlNode* node, const char* qname, std::string_view value);
// Appends `text` (xmlChars applied) as a text node.
void text(xmlNode* node, std::string_view text);

// The document as UTF-8 bytes: the XML declaration, elements indented by two
// spaces where they hold no text of their own (mixed content is left as it
// is, and so is what appendFragment copied in, and the content of elements
// named in `unindented`, where whitespace would be text: XHTML's p or li).
// Adds the indentation to the tree.
std::string save(xmlDoc* doc, std::initializer_list<std::string_view> unindented = {});

// An element as XML text, as it stood (CDATA, attributes and namespaces it
// declares itself kept; prefixes declared above it are not repeated).
std::string outerXml(xmlNode* node);
// Parses `fragment` (elements as outerXml gives them) in the context of
// `parent`, so prefixes declared on it or above resolve, and appends the
// elements as its last children; whitespace between them is dropped.
// Throws std::runtime_error if it is not well-formed there.
void appendFragment(xmlNode* parent, const std::string& fragment);

// A libxml2 string as std::string ("" for null).
std::string str(const xmlChar* s);

}  // namespace warta::publish::xml
