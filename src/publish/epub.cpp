// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/epub.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <deque>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "encode/atomic_file.h"
#include "publish/uuid.h"
#include "publish/xml_tree.h"

namespace warta::publish {
namespace fs = std::filesystem;
namespace {

// The class a reading system puts on the element being read (media:active-class).
constexpr const char* kActiveClass = "-epub-media-overlay-active";

long long toMs(double seconds) { return std::llround(std::max(0.0, seconds) * 1000.0); }

// SMIL / EPUB clock value, "H:MM:SS.mmm".
std::string clock(long long ms) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
  return buf;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool indonesian(const BookInfo& info) { return info.language.rfind("id", 0) == 0; }

// One chapter of the book: its cues (text not empty) and title.
struct Chapter {
  int story = -1;
  std::string title;
  std::vector<const Cue*> cues;
  bool has_headline = false;
  std::string name() const;  // "chapter-001"
  int number = 0;
};

std::string Chapter::name() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "chapter-%03d", number);
  return buf;
}

std::vector<Chapter> chaptersOf(const BookInfo& info, const std::vector<Cue>& cues,
                                const std::vector<ChapterMark>& marks) {
  std::vector<Chapter> out;
  bool seen_story = false;
  for (const Cue& cue : cues) {
    if (trimmed(cue.text).empty()) continue;
    if (out.empty() || out.back().story != cue.story) {
      Chapter c;
      c.story = cue.story;
      c.number = static_cast<int>(out.size()) + 1;
      if (cue.story < 0) {
        const bool closing = cue.kind == "closing" || (cue.kind != "opening" && seen_story);
        c.title = indonesian(info) ? (closing ? "Penutup" : "Pembuka") : (closing ? "Close" : "Opening");
      }
      out.push_back(std::move(c));
    }
    if (cue.story >= 0) seen_story = true;
    out.back().cues.push_back(&cue);
    if (cue.kind == "headline") out.back().has_headline = true;
  }
  for (Chapter& c : out) {
    if (c.story < 0) continue;
    // The chapter mark nearest the story's first cue (a headline cue starts its chapter).
    const double start = c.cues.front()->start, end = c.cues.back()->end;
    const ChapterMark* best = nullptr;
    for (const ChapterMark& m : marks)
      if (m.start >= start - 1.0 && m.start <= end && !trimmed(m.title).empty() &&
          (!best || std::abs(m.start - start) < std::abs(best->start - start)))
        best = &m;
    if (best) c.title = trimmed(best->title);
    else if (c.has_headline)
      for (const Cue* q : c.cues)
        if (q->kind == "headline") {
          c.title = trimmed(q->text);
          break;
        }
    if (c.title.empty()) c.title = (indonesian(info) ? "Berita " : "Story ") + std::to_string(c.story + 1);
  }
  return out;
}

std::string cueId(std::size_t index) { return "c" + std::to_string(index + 1); }

constexpr const char* kXhtmlNs = "http://www.w3.org/1999/xhtml";
constexpr const char* kOpsNs = "http://www.idpf.org/2007/ops";  // epub:type, epub:textref
// XHTML elements warta fills with phrasing content (spans, a link): not
// indented inside, since whitespace there is text a reader would see.
const std::initializer_list<std::string_view> kPhrasingParents = {"p", "li"};

// An XHTML content document up to its <body>: <!DOCTYPE html>, <html> in
// `info`'s language, <head> with the title and the style sheet.
xmlNode* xhtmlBody(xmlDoc* doc, const BookInfo& info, const std::string& title) {
  if (!xmlCreateIntSubset(doc, BAD_CAST "html", nullptr, nullptr)) throw std::bad_alloc();  // <!DOCTYPE html>
  xmlNode* html = xml::root(doc, "html", kXhtmlNs);
  xmlNewNs(html, BAD_CAST kOpsNs, BAD_CAST "epub");
  xml::attribute(html, "xml:lang", info.language);
  xml::attribute(html, "lang", info.language);
  xmlNode* head = xml::child(html, "head");
  xml::attribute(xml::child(head, "meta"), "charset", "utf-8");
  xml::child(head, "title", title);
  xmlNode* link = xml::child(head, "link");
  xml::attribute(link, "rel", "stylesheet");
  xml::attribute(link, "type", "text/css");
  xml::attribute(link, "href", "style.css");
  return xml::child(html, "body");
}

// The chapter's XHTML; ids are cueId(index of the cue in `all`).
std::string chapterXhtml(const BookInfo& info, const Chapter& c, const std::vector<Cue>& all) {
  const xml::Doc doc = xml::newDocument();
  xmlNode* body = xhtmlBody(doc.get(), info, c.title);
  // The section is named by its heading (the first headline cue, else the chapter title).
  std::string label = "h-" + std::to_string(c.number);
  for (const Cue* q : c.cues)
    if (q->kind == "headline") {
      label = cueId(static_cast<std::size_t>(q - all.data()));
      break;
    }
  xmlNode* section = xml::child(body, "section");
  xml::attribute(section, "id", "sec-" + std::to_string(c.number));
  if (c.story >= 0) xml::attribute(section, "epub:type", "chapter");
  xml::attribute(section, "aria-labelledby", label);
  if (!c.has_headline) xml::attribute(xml::child(section, "h1", c.title), "id", label);
  xmlNode* p = nullptr;  // the paragraph being filled
  for (const Cue* q : c.cues) {
    const std::string id = cueId(static_cast<std::size_t>(q - all.data()));
    const std::string text = trimmed(q->text);
    if (q->kind == "headline" || q->kind == "subhead") {
      p = nullptr;
      xml::attribute(xml::child(section, q->kind == "headline" ? "h1" : "h2", text), "id", id);
      continue;
    }
    if (p) xml::text(p, " ");
    else p = xml::child(section, "p");
    xmlNode* span = xml::child(p, "span", text);
    xml::attribute(span, "id", id);
    if (q->kind == "dateline") xml::attribute(span, "class", "dateline");
    if (q->ends_paragraph) p = nullptr;
  }
  return xml::save(doc.get(), kPhrasingParents);
}

// The chapter's media overlay; returns its duration in ms through `ms`.
std::string chapterSmil(const Chapter& c, const std::vector<Cue>& all, const std::string& audio_name, long long& ms) {
  const xml::Doc doc = xml::newDocument();
  xmlNode* smil = xml::root(doc.get(), "smil", "http://www.w3.org/ns/SMIL");
  xmlNewNs(smil, BAD_CAST kOpsNs, BAD_CAST "epub");
  xml::attribute(smil, "version", "3.0");
  xmlNode* seq = xml::child(xml::child(smil, "body"), "seq");
  xml::attribute(seq, "id", "seq-" + std::to_string(c.number));
  xml::attribute(seq, "epub:textref", c.name() + ".xhtml#sec-" + std::to_string(c.number));
  ms = 0;
  for (const Cue* q : c.cues) {
    const std::string id = cueId(static_cast<std::size_t>(q - all.data()));
    const long long b = toMs(q->start), e = std::max(toMs(q->end), b + 1);
    ms += e - b;
    xmlNode* par = xml::child(seq, "par");
    xml::attribute(par, "id", "p-" + id);
    xml::attribute(xml::child(par, "text"), "src", c.name() + ".xhtml#" + id);
    xmlNode* audio = xml::child(par, "audio");
    xml::attribute(audio, "src", audio_name);
    xml::attribute(audio, "clipBegin", clock(b));
    xml::attribute(audio, "clipEnd", clock(e));
  }
  return xml::save(doc.get());
}

std::string navXhtml(const BookInfo& info, const std::vector<Chapter>& chapters) {
  const xml::Doc doc = xml::newDocument();
  xmlNode* nav = xml::child(xhtmlBody(doc.get(), info, info.title), "nav");
  xml::attribute(nav, "epub:type", "toc");
  xml::attribute(nav, "id", "toc");
  xml::child(nav, "h1", indonesian(info) ? "Daftar isi" : "Contents");
  xmlNode* ol = xml::child(nav, "ol");
  for (const Chapter& c : chapters)
    xml::attribute(xml::child(xml::child(ol, "li"), "a", c.title), "href", c.name() + ".xhtml");
  return xml::save(doc.get(), kPhrasingParents);
}

std::string containerXml() {
  const xml::Doc doc = xml::newDocument();
  xmlNode* container = xml::root(doc.get(), "container", "urn:oasis:names:tc:opendocument:xmlns:container");
  xml::attribute(container, "version", "1.0");
  xmlNode* rootfile = xml::child(xml::child(container, "rootfiles"), "rootfile");
  xml::attribute(rootfile, "full-path", "EPUB/package.opf");
  xml::attribute(rootfile, "media-type", "application/oebps-package+xml");
  return xml::save(doc.get());
}

std::string styleCss() {
  return std::string(
             "body { font-family: sans-serif; line-height: 1.5; }\n"
             ".dateline { font-weight: bold; }\n.") +
         kActiveClass + " { background-color: #ffe066; color: #000; }\n";
}

std::string modifiedOf(const BookInfo& info) {
  if (!info.modified.empty()) return info.modified;
  if (info.date.size() == 10) return info.date + "T00:00:00Z";
  return "2000-01-01T00:00:00Z";
}

// CCYY-MM-DDThh:mm:ssZ as time_t (UTC); 946684800 (2000-01-01) if it does not parse.
std::time_t parseUtc(const std::string& s) {
  std::tm tm{};
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec) != 6)
    return 946684800;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return timegm(&tm);
}

// The package document's accessibility metadata (EPUB Accessibility 1.1):
// (property, value) in this order.
const std::pair<const char*, const char*> kAccessibility[] = {{"schema:accessMode", "auditory"},
                                                              {"schema:accessMode", "textual"},
                                                              {"schema:accessModeSufficient", "textual"},
                                                              {"schema:accessModeSufficient", "auditory"},
                                                              {"schema:accessibilityFeature", "synchronizedAudioText"},
                                                              {"schema:accessibilityFeature", "structuralNavigation"},
                                                              {"schema:accessibilityFeature", "tableOfContents"},
                                                              {"schema:accessibilityFeature", "readingOrder"},
                                                              {"schema:accessibilityHazard", "none"}};

std::string packageOpf(const BookInfo& info, const std::string& identifier, const std::vector<Chapter>& chapters,
                       const std::vector<long long>& durations, const std::string& audio_name,
                       const std::string& audio_type) {
  long long total = 0;
  for (long long d : durations) total += d;
  const xml::Doc doc = xml::newDocument();
  xmlNode* package = xml::root(doc.get(), "package", "http://www.idpf.org/2007/opf");
  xml::attribute(package, "version", "3.0");
  xml::attribute(package, "unique-identifier", "pub-id");
  xml::attribute(package, "xml:lang", info.language);
  xmlNode* metadata = xml::child(package, "metadata");
  xmlNs* dc = xmlNewNs(metadata, BAD_CAST "http://purl.org/dc/elements/1.1/", BAD_CAST "dc");
  xml::attribute(xml::child(metadata, "identifier", identifier, dc), "id", "pub-id");
  xml::child(metadata, "title", info.title, dc);
  xml::child(metadata, "language", info.language, dc);
  // (element, value) of the Dublin Core elements that are left out when empty.
  const std::pair<const char*, const std::string*> optional[] = {{"creator", &info.author},
                                                                 {"publisher", &info.publisher},
                                                                 {"date", &info.date},
                                                                 {"description", &info.description}};
  for (const auto& [name, value] : optional)
    if (!value->empty()) xml::child(metadata, name, *value, dc);
  const auto meta = [&](const char* property, const std::string& value) {
    xmlNode* m = xml::child(metadata, "meta", value);
    xml::attribute(m, "property", property);
    return m;
  };
  meta("dcterms:modified", modifiedOf(info));
  for (std::size_t i = 0; i < chapters.size(); ++i)
    xml::attribute(meta("media:duration", clock(durations[i])), "refines", "#mo-" + std::to_string(chapters[i].number));
  meta("media:duration", clock(total));
  meta("media:active-class", kActiveClass);
  for (const auto& [property, value] : kAccessibility) meta(property, value);
  meta("schema:accessibilitySummary",
       indonesian(info)
           ? "Buku audio dengan teks lengkap: setiap kalimat disinkronkan dengan suaranya (Media Overlays), "
             "setiap berita satu bab dalam daftar isi, judul sebagai heading. Tanpa gambar."
           : "Full text and full audio: every sentence is synchronized with its recording (Media Overlays), "
             "each story is a chapter in the table of contents with its headline as a heading. No images.");

  xmlNode* manifest = xml::child(package, "manifest");
  const auto item = [&](const std::string& id, const std::string& href, const char* media_type) {
    xmlNode* i = xml::child(manifest, "item");
    xml::attribute(i, "id", id);
    xml::attribute(i, "href", href);
    xml::attribute(i, "media-type", media_type);
    return i;
  };
  xml::attribute(item("nav", "nav.xhtml", "application/xhtml+xml"), "properties", "nav");
  item("css", "style.css", "text/css");
  item("audio", audio_name, audio_type.c_str());
  for (const Chapter& c : chapters) {
    const std::string n = std::to_string(c.number);
    xml::attribute(item("ch-" + n, c.name() + ".xhtml", "application/xhtml+xml"), "media-overlay", "mo-" + n);
    item("mo-" + n, c.name() + ".smil", "application/smil+xml");
  }
  xmlNode* spine = xml::child(package, "spine");
  for (const Chapter& c : chapters)
    xml::attribute(xml::child(spine, "itemref"), "idref", "ch-" + std::to_string(c.number));
  return xml::save(doc.get());
}

// Closes (or discards) a libzip archive on scope exit.
struct ZipArchive {
  zip_t* z = nullptr;
  ~ZipArchive() {
    if (z) zip_discard(z);
  }
};

std::string zipError(zip_t* z) { return z ? zip_strerror(z) : "unknown error"; }

}  // namespace

fs::path talkingBookPathFor(const fs::path& audio) {
  fs::path p = audio;
  p.replace_extension(".epub");
  return p;
}

std::string talkingBookIdentifier(const BookInfo& info, const std::vector<Cue>& cues) {
  std::string name = "warta talking book\n" + info.title + '\n' + info.language + '\n' + info.date + '\n';
  for (const Cue& c : cues)
    name += c.kind + '\t' + std::to_string(c.story) + '\t' + std::to_string(toMs(c.start)) + '\t' +
            std::to_string(toMs(c.end)) + '\t' + c.text + '\n';
  // The URL namespace, as since the first talking book, so a book's identifier does not change.
  return "urn:uuid:" + uuidV5(kUrlNamespace, name);
}

void writeTalkingBook(const fs::path& epub, const BookInfo& info, const fs::path& audio, const std::vector<Cue>& cues,
                      const std::vector<ChapterMark>& marks) {
  std::string ext = audio.extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string audio_name, audio_type;
  if (ext == ".mp3") audio_name = "audio.mp3", audio_type = "audio/mpeg";
  else if (ext == ".m4a" || ext == ".mp4" || ext == ".aac") audio_name = "audio.m4a", audio_type = "audio/mp4";
  else
    throw std::invalid_argument("a talking book needs MP3 (or MP4/AAC) audio, the EPUB 3 audio types; " +
                                audio.string() + " is not");
  std::error_code ec;
  // This run's MP3 may still wait in its temporary (all-or-nothing publishing).
  const fs::path audio_data = encode::currentContent(audio);
  if (!fs::is_regular_file(audio_data, ec)) throw std::runtime_error(audio.string() + ": no such audio file");

  const std::vector<Chapter> chapters = chaptersOf(info, cues, marks);
  if (chapters.empty()) throw std::invalid_argument("a talking book needs at least one cue with text");

  // Every entry's bytes, alive until zip_close reads them.
  std::deque<std::pair<std::string, std::string>> entries;
  entries.emplace_back("META-INF/container.xml", containerXml());
  std::vector<long long> durations;
  for (const Chapter& c : chapters) {
    long long ms = 0;
    entries.emplace_back("EPUB/" + c.name() + ".xhtml", chapterXhtml(info, c, cues));
    entries.emplace_back("EPUB/" + c.name() + ".smil", chapterSmil(c, cues, audio_name, ms));
    durations.push_back(ms);
  }
  entries.emplace_back("EPUB/nav.xhtml", navXhtml(info, chapters));
  entries.emplace_back("EPUB/style.css", styleCss());
  entries.emplace_back("EPUB/package.opf", packageOpf(info, talkingBookIdentifier(info, cues), chapters, durations,
                                                      audio_name, audio_type));
  static const std::string kMimetype = "application/epub+zip";
  const std::time_t mtime = parseUtc(modifiedOf(info));

  encode::AtomicFile file(epub);
  ZipArchive zip;
  int err = 0;
  zip.z = zip_open(file.tempPath().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!zip.z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    const std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw std::runtime_error(epub.string() + ": cannot write: " + why);
  }
  auto add = [&](const std::string& name, zip_source_t* src, bool store) {
    if (!src) throw std::runtime_error(epub.string() + ": " + name + ": " + zipError(zip.z));
    const zip_int64_t index = zip_file_add(zip.z, name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      throw std::runtime_error(epub.string() + ": " + name + ": " + zipError(zip.z));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(zip.z, i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) < 0 ||
        zip_file_set_mtime(zip.z, i, mtime, 0) < 0)
      throw std::runtime_error(epub.string() + ": " + name + ": " + zipError(zip.z));
  };
  // The mimetype first and stored, so the file's first bytes say what it is (OCF).
  add("mimetype", zip_source_buffer(zip.z, kMimetype.data(), kMimetype.size(), 0), true);
  for (const auto& [name, bytes] : entries) add(name, zip_source_buffer(zip.z, bytes.data(), bytes.size(), 0), false);
  add("EPUB/" + audio_name, zip_source_file(zip.z, audio_data.c_str(), 0, -1), false);
  if (zip_close(zip.z) < 0) throw std::runtime_error(epub.string() + ": cannot write: " + zipError(zip.z));
  zip.z = nullptr;
  file.commit();
}

}  // namespace warta::publish
