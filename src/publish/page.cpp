// SPDX-License-Identifier: GPL-3.0-or-later
#include "publish/page.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "encode/atomic_file.h"
#include "publish/xml_text.h"

namespace warta::publish {
namespace {

// Seconds as an attribute value the script reads with parseFloat ("12.345").
std::string seconds3(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", std::max(0.0, s));
  return buf;
}

// A file name as a relative URL: every byte outside RFC 3986's unreserved set
// percent-encoded, so spaces, '#', '?' and non-ASCII names still resolve.
std::string relativeUrl(const std::string& name) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) != 0 && c < 0x80) out += static_cast<char>(c);
    else if (c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  // "./" keeps a name like "a:b.mp3" from reading as a scheme.
  return "./" + out;
}

const char* kStyle = R"CSS(
:root { color-scheme: light; --fg: #1a1a1a; --bg: #ffffff; --muted: #4a4a4a; --accent: #0b4fa8;
        --now-bg: #fff0a8; --now-fg: #1a1a1a; --word-bg: #0b4fa8; --word-fg: #ffffff; --line: #c8c8c8; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.7 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem; }
header { border-bottom: 1px solid var(--line); }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.95rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0; }
h2 { font-size: 1.3rem; line-height: 1.35; margin: 1.75rem 0 0.5rem; }
h3 { font-size: 1.1rem; line-height: 1.35; margin: 1.25rem 0 0.4rem; }
p { margin: 0 0 0.9rem; }
a { color: var(--accent); }
.vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
      clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.skip { position: absolute; left: 0.5rem; top: -10rem; background: var(--bg); color: var(--accent);
        padding: 0.5rem 0.75rem; border: 2px solid var(--accent); z-index: 10; }
.skip:focus { top: 0.5rem; }
audio { width: 100%; display: block; }
.download { margin: 0.5rem 0 0; }
.meta, .help { color: var(--muted); }
.transcript { margin-top: 1.5rem; padding-top: 0.75rem; border-top: 1px solid var(--line); }
.help { font-size: 0.95rem; }
.meta { margin: 0; }
ol { list-style: none; margin: 0; padding: 0; }
.chapters button { font: inherit; color: inherit; background: transparent; border: 1px solid var(--line);
                   border-radius: 0.25rem; text-align: left; width: 100%; padding: 0.35rem 0.5rem; cursor: pointer;
                   display: flex; justify-content: space-between; gap: 1rem; margin: 0.25rem 0; }
.chapters button:hover { background: #f3f3f3; }
.chapters .time { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.chapters button[aria-current="true"] { background: var(--now-bg); color: var(--now-fg); border-color: #8a6d00; }
.chapters button[aria-current="true"] .time { color: var(--now-fg); }
.cue { cursor: pointer; border-radius: 0.2rem; transition: background-color 0.15s ease; }
.cue:hover { background: #f0f0f0; }
.cue.now { background: var(--now-bg); color: var(--now-fg); box-shadow: 0 0 0 1px #8a6d00; }
.w { border-radius: 0.15rem; transition: background-color 0.1s ease; }
.cue.now .w.now { background: var(--word-bg); color: var(--word-fg); }
.w.cursor { outline: 2px solid var(--accent); outline-offset: 1px; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
main:focus { outline: none; }
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; animation: none !important; scroll-behavior: auto !important; }
}
@media (forced-colors: active) {
  .cue.now, .chapters button[aria-current="true"] { outline: 2px solid CanvasText; }
  .cue.now .w.now { forced-color-adjust: none; background: Highlight; color: HighlightText; }
}
)CSS";

// Sentences (.cue) and their words (.w) carry data-start/data-end; chapters
// are buttons with data-start. Choosing any of them seeks and plays.
const char* kScript = R"JS(
(function () {
  "use strict";
  var audio = document.getElementById("audio");
  var durationText = document.getElementById("duration");
  var status = document.getElementById("word-status");
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  var cues = all(document, ".transcript .cue");
  var chapters = all(document, ".chapters button");
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function clock(s) {
    s = Math.max(0, Math.floor(s));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var mm = h > 0 ? (m < 10 ? "0" + m : "" + m) : "" + m;
    return (h > 0 ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" + sec : "" + sec);
  }
  function startOf(el) { return parseFloat(el.getAttribute("data-start")) || 0; }
  function endOf(el) { return parseFloat(el.getAttribute("data-end")) || 0; }
  function wordsOf(cue) { return all(cue, ".w"); }
  // Choosing a place plays from it, also when paused: moving the playhead
  // silently would leave a listener who cannot see it hearing nothing.
  function playFrom(t) {
    audio.currentTime = t;
    mark(t);
    var started = audio.play();
    if (started && started.catch) started.catch(function () {});
  }
  function showDuration() {
    if (isFinite(audio.duration) && audio.duration > 0) durationText.textContent = clock(audio.duration);
  }
  // The last element starting at or before t (elements are in time order).
  function current(list, t) {
    var found = null;
    for (var i = 0; i < list.length; i++) {
      if (startOf(list[i]) <= t + 0.001) found = list[i]; else break;
    }
    return found;
  }
  var lastCue = null, lastWord = null, lastChapter = null;
  function mark(t) {
    var cue = current(cues, t);
    if (cue && t >= endOf(cue) && cue !== cues[cues.length - 1]) cue = null;
    if (cue !== lastCue) {
      if (lastCue) { lastCue.removeAttribute("aria-current"); lastCue.classList.remove("now"); }
      if (cue) {
        cue.setAttribute("aria-current", "true");
        cue.classList.add("now");
        // Follow the reading only while it plays and the listener is not elsewhere on the page.
        var active = document.activeElement;
        if (!audio.paused && (!active || active === document.body || active === audio) && cue.scrollIntoView)
          cue.scrollIntoView({ block: "nearest", behavior: reduced ? "auto" : "smooth" });
      }
      lastCue = cue;
    }
    // The word heard stays marked through the pause after it, until the next begins.
    var word = cue ? current(wordsOf(cue), t) : null;
    if (word !== lastWord) {
      if (lastWord) lastWord.classList.remove("now");
      if (word) word.classList.add("now");
      lastWord = word;
    }
    var chapter = current(chapters, t);
    if (chapter !== lastChapter) {
      if (lastChapter) lastChapter.removeAttribute("aria-current");
      if (chapter) chapter.setAttribute("aria-current", "true");
      lastChapter = chapter;
    }
  }
  // The word chosen with the arrow keys inside the focused sentence: words are
  // not tab stops (hundreds of them would bury everything after the transcript).
  var cursor = null;
  function setCursor(word) {
    if (cursor) cursor.classList.remove("cursor");
    cursor = word;
    if (word) {
      word.classList.add("cursor");
      status.textContent = word.textContent;
    }
  }
  function moveTo(cue, word) {
    if (document.activeElement !== cue) cue.focus();
    setCursor(word);
  }
  function neighbour(cue, step) {
    for (var i = cues.indexOf(cue) + step; i >= 0 && i < cues.length; i += step)
      if (wordsOf(cues[i]).length) return cues[i];
    return null;
  }
  function onKey(cue, e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var words = wordsOf(cue), at = cursor ? words.indexOf(cursor) : -1, other;
    switch (e.key) {
      case "Enter": case " ": case "Spacebar":
        e.preventDefault();  // Space would scroll the page
        if (!e.repeat) playFrom(startOf(at >= 0 ? cursor : cue));
        return;
      case "ArrowRight": case "ArrowDown":
        if (!words.length) return;
        e.preventDefault();
        if (at + 1 < words.length) moveTo(cue, words[at + 1]);
        else if ((other = neighbour(cue, 1))) moveTo(other, wordsOf(other)[0]);
        return;
      case "ArrowLeft": case "ArrowUp":
        if (!words.length) return;
        e.preventDefault();
        if (at > 0) moveTo(cue, words[at - 1]);
        else if (at < 0) moveTo(cue, words[words.length - 1]);
        else if ((other = neighbour(cue, -1))) { var ws = wordsOf(other); moveTo(other, ws[ws.length - 1]); }
        return;
      case "Home": case "End":
        if (!words.length) return;
        e.preventDefault();
        moveTo(cue, e.key === "Home" ? words[0] : words[words.length - 1]);
        return;
      case "Escape":
        setCursor(null);
        return;
    }
  }
  cues.forEach(function (cue) {
    cue.addEventListener("keydown", function (e) { onKey(cue, e); });
    cue.addEventListener("focus", function () { if (cursor && !cue.contains(cursor)) setCursor(null); });
    cue.addEventListener("click", function (e) {
      var word = e.target && e.target.closest ? e.target.closest(".w") : null;
      if (word && cue.contains(word)) setCursor(word);
      playFrom(startOf(word && cue.contains(word) ? word : cue));
    });
  });
  chapters.forEach(function (b) {
    b.addEventListener("click", function () { playFrom(startOf(b)); });
  });
  audio.addEventListener("loadedmetadata", showDuration);
  audio.addEventListener("durationchange", showDuration);
  audio.addEventListener("timeupdate", function () { mark(audio.currentTime); });
  audio.addEventListener("seeked", function () { mark(audio.currentTime); });
  audio.addEventListener("pause", function () { mark(audio.currentTime); });
  // timeupdate comes about four times a second, slower than words go by: follow every frame while playing.
  var following = false;  // one frame loop, however often "playing" fires
  function follow() {
    if (audio.paused || audio.ended) { following = false; return; }
    mark(audio.currentTime);
    window.requestAnimationFrame(follow);
  }
  audio.addEventListener("playing", function () {
    if (following || !window.requestAnimationFrame) return;
    following = true;
    window.requestAnimationFrame(follow);
  });
  showDuration();
})();
)JS";

// The extension of the audio file, upper-case, for the download link ("MP3").
std::string formatName(const std::string& file) {
  const auto dot = file.rfind('.');
  if (dot == std::string::npos || dot + 1 >= file.size() || file.size() - dot > 6) return "";
  std::string ext = file.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return ext;
}

bool isOpeningOrClosing(const Cue& c) { return c.story < 0 || c.kind == "opening" || c.kind == "closing"; }

// One sentence: a span that is a button and one tab stop, holding its words.
// The words are found in the written text in order so the text stays exactly
// as written (punctuation and spacing between them included); if one is not
// there, the words themselves are shown, joined by spaces.
void writeCue(std::ostringstream& h, const Cue& c) {
  h << "<span class=\"cue\" role=\"button\" tabindex=\"0\" data-start=\"" << seconds3(c.start) << "\" data-end=\""
    << seconds3(c.end) << "\">";
  std::vector<std::size_t> at;
  std::size_t from = 0;
  for (const auto& w : c.words) {
    const auto found = w.text.empty() ? std::string::npos : c.text.find(w.text, from);
    if (found == std::string::npos) break;
    at.push_back(found);
    from = found + w.text.size();
  }
  const bool inText = at.size() == c.words.size();
  std::size_t done = 0;
  for (std::size_t i = 0; i < c.words.size(); ++i) {
    const auto& w = c.words[i];
    if (inText) h << htmlEscape(c.text.substr(done, at[i] - done));
    else if (i > 0) h << ' ';
    h << "<span class=\"w\" data-start=\"" << seconds3(w.start) << "\" data-end=\"" << seconds3(w.end) << "\">"
      << htmlEscape(w.text) << "</span>";
    if (inText) done = at[i] + w.text.size();
  }
  if (c.words.empty() || inText) h << htmlEscape(c.text.substr(done));
  h << "</span>";
}

// The transcript laid out like the articles: the opening and the close in
// their own sections, each story a section under its headline (h2), subheads
// h3, and a paragraph's sentences in one <p>.
void writeTranscript(std::ostringstream& h, const std::vector<Cue>& cues) {
  bool inSection = false, inParagraph = false;
  int story = -2;       // the section open: a story, or -1 for the opening or close
  bool headed = false;  // the open story has its heading
  int index = 0;
  auto closeParagraph = [&] {
    if (inParagraph) h << "</p>\n";
    inParagraph = false;
  };
  auto closeSection = [&] {
    closeParagraph();
    if (inSection) h << "</section>\n";
    inSection = false;
  };
  for (std::size_t i = 0; i < cues.size(); ++i) {
    const Cue& c = cues[i];
    const int s = isOpeningOrClosing(c) ? -1 : c.story;
    if (!inSection || s != story) {
      closeSection();
      if (s < 0) h << "<section class=\"" << (index == 0 ? "opening" : "closing") << "\">\n";
      else h << "<section class=\"story\" id=\"story-" << s + 1 << "\">\n";
      inSection = true;
      story = s;
      headed = false;
    }
    ++index;
    // A story's headline is its heading. A caller that does not mark kinds
    // still gets one per story: the story's first segment, which is its headline.
    const bool headline = s >= 0 && !headed;
    if (headline || (s >= 0 && c.kind == "subhead")) {
      closeParagraph();
      const char* tag = headline ? "h2" : "h3";
      h << '<' << tag << '>';
      writeCue(h, c);
      h << "</" << tag << ">\n";
      headed = headed || headline;
      continue;
    }
    if (!inParagraph) h << "<p>";
    else h << ' ';
    inParagraph = true;
    writeCue(h, c);
    if (c.ends_paragraph) closeParagraph();
  }
  closeSection();
}

}  // namespace

std::string clockTime(double seconds) {
  const long long s = static_cast<long long>(std::floor(std::max(0.0, seconds)));
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

std::string htmlEscape(const std::string& raw) {
  const std::string text = xmlChars(raw);  // noncharacters and bad bytes dropped (publish/xml_text.h)
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':
      case '\n':
      case '\t':
        out += ' ';
        break;
      // Other control characters (NUL, ESC, DEL ...) are not allowed in HTML text.
      default:
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? std::string(1, ' ') : std::string(1, c);
    }
  }
  return out;
}

std::string pageTitle(const EpisodeInfo& info) {
  if (!info.title.empty()) return info.title;
  if (!info.show.empty() && !info.date.empty()) return info.show + ", " + info.date;
  if (!info.show.empty()) return info.show;
  return info.audio_file;
}

std::string episodePage(const EpisodeInfo& info, const std::vector<Cue>& cues,
                        const std::vector<ChapterMark>& chapters) {
  const std::string title = htmlEscape(pageTitle(info));
  const std::string src = htmlEscape(relativeUrl(info.audio_file));
  const std::string format = htmlEscape(formatName(info.audio_file));
  bool words = false;
  for (const auto& c : cues) words = words || !c.words.empty();
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"" << htmlEscape(info.language.empty() ? "id" : info.language) << "\">\n"
    << "<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << title << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
    << "<a class=\"skip\" href=\"#main\">Langsung ke isi utama</a>\n"
    << "<header>\n<h1>" << title << "</h1>\n"
    << "<p class=\"meta\">Durasi: <span id=\"duration\">" << clockTime(info.duration) << "</span></p>\n</header>\n"
    << "<main id=\"main\" tabindex=\"-1\">\n"
    << "<section aria-labelledby=\"player-heading\">\n<h2 id=\"player-heading\">Dengarkan</h2>\n"
    << "<audio id=\"audio\" controls preload=\"metadata\" src=\"" << src << "\" aria-label=\"Pemutar audio: " << title
    << "\">\n<p>Peramban ini tidak dapat memutar audio. <a href=\"" << src
    << "\">Unduh audionya</a>.</p>\n</audio>\n"
    // Right after the player, so it is a few tab stops from the top, not after every sentence.
    << "<p class=\"download\"><a class=\"download-link\" href=\"" << src << "\" download>Unduh audio"
    << (format.empty() ? "" : " (" + format + ")") << "</a></p>\n"
    << "</section>\n";
  if (!chapters.empty()) {
    h << "<nav aria-labelledby=\"chapters-heading\">\n<h2 id=\"chapters-heading\">Bab</h2>\n"
      << "<ol class=\"chapters\">\n";
    // The name is the content, so it starts with the visible title; ", mulai" is for the ear only.
    for (const auto& c : chapters)
      h << "<li><button type=\"button\" data-start=\"" << seconds3(c.start) << "\"><span>" << htmlEscape(c.title)
        << "</span><span class=\"vh\">, mulai</span> <span class=\"time\">" << clockTime(c.start)
        << "</span></button></li>\n";
    h << "</ol>\n</nav>\n";
  }
  h << "<section class=\"transcript\" aria-label=\"Transkrip\">\n"
    << "<p class=\"help\" id=\"transcript-help\">Transkrip: setiap kalimat adalah tombol. Tab berpindah ke kalimat "
       "berikutnya; Enter atau Spasi memutar audio dari kalimat itu.";
  if (words)
    h << " Di dalam kalimat, panah kiri dan kanan memilih kata (Home dan End: kata pertama dan terakhir), lalu Enter "
         "memutar dari kata itu; klik sebuah kata juga memutar dari situ.";
  h << " Kalimat" << (words ? " dan kata" : "") << " yang sedang dibacakan disorot.</p>\n";
  writeTranscript(h, cues);
  h << "</section>\n"
    // Announces the word chosen with the arrow keys (focus stays on the sentence).
    << "<p class=\"vh\" id=\"word-status\" role=\"status\"></p>\n"
    << "</main>\n"
    << "<footer>\n<p>Dibuat dengan warta.</p>\n</footer>\n"
    << "<script>" << kScript << "</script>\n</body>\n</html>\n";
  return h.str();
}

void writeEpisodePage(const std::filesystem::path& file, const EpisodeInfo& info, const std::vector<Cue>& cues,
                      const std::vector<ChapterMark>& chapters) {
  encode::writeFileAtomically(file, episodePage(info, cues, chapters));
}

}  // namespace warta::publish
