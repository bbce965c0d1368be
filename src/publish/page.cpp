#include "publish/page.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "encode/atomic_file.h"

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
        --now-bg: #fff0a8; --now-fg: #1a1a1a; --line: #c8c8c8; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem; }
header { border-bottom: 1px solid var(--line); }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.95rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
a { color: var(--accent); }
.skip { position: absolute; left: 0.5rem; top: -10rem; background: var(--bg); color: var(--accent);
        padding: 0.5rem 0.75rem; border: 2px solid var(--accent); z-index: 10; }
.skip:focus { top: 0.5rem; }
audio { width: 100%; display: block; }
.meta { color: var(--muted); margin: 0; }
ol { list-style: none; margin: 0; padding: 0; }
button { font: inherit; color: inherit; background: transparent; border: 1px solid transparent;
         border-radius: 0.25rem; text-align: left; width: 100%; padding: 0.35rem 0.5rem; cursor: pointer; }
button:hover { border-color: var(--line); background: #f3f3f3; }
.chapters button { display: flex; justify-content: space-between; gap: 1rem; border-color: var(--line);
                   margin: 0.25rem 0; }
.chapters .time { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.transcript button { transition: background-color 0.2s ease; }
button[aria-current="true"], .now { background: var(--now-bg); color: var(--now-fg);
                                    border-color: #8a6d00; font-weight: 600; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
main:focus { outline: none; }
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; animation: none !important; scroll-behavior: auto !important; }
}
@media (forced-colors: active) {
  button[aria-current="true"] { border: 2px solid CanvasText; }
}
)CSS";

const char* kScript = R"JS(
(function () {
  "use strict";
  var audio = document.getElementById("audio");
  var durationText = document.getElementById("duration");
  var cues = Array.prototype.slice.call(document.querySelectorAll(".transcript button"));
  var chapters = Array.prototype.slice.call(document.querySelectorAll(".chapters button"));
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function clock(s) {
    s = Math.max(0, Math.floor(s));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var mm = h > 0 ? (m < 10 ? "0" + m : "" + m) : "" + m;
    return (h > 0 ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" + sec : "" + sec);
  }
  function startOf(el) { return parseFloat(el.getAttribute("data-start")) || 0; }
  function seek(el) {
    audio.currentTime = startOf(el);
    mark(audio.currentTime);
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
  var lastCue = null, lastChapter = null;
  function mark(t) {
    var cue = current(cues, t);
    if (cue && t >= parseFloat(cue.getAttribute("data-end")) && cue !== cues[cues.length - 1]) cue = null;
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
    var chapter = current(chapters, t);
    if (chapter !== lastChapter) {
      if (lastChapter) lastChapter.removeAttribute("aria-current");
      if (chapter) chapter.setAttribute("aria-current", "true");
      lastChapter = chapter;
    }
  }
  cues.concat(chapters).forEach(function (el) {
    el.addEventListener("click", function () { seek(el); });
  });
  audio.addEventListener("loadedmetadata", showDuration);
  audio.addEventListener("durationchange", showDuration);
  audio.addEventListener("timeupdate", function () { mark(audio.currentTime); });
  audio.addEventListener("seeked", function () { mark(audio.currentTime); });
  showDuration();
})();
)JS";

}  // namespace

std::string clockTime(double seconds) {
  const long long s = static_cast<long long>(std::floor(std::max(0.0, seconds)));
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

std::string htmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\r': case '\n': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string episodePage(const EpisodeInfo& info, const std::vector<Cue>& cues, const std::vector<ChapterMark>& chapters) {
  const std::string title = htmlEscape(info.title.empty() ? info.audio_file : info.title);
  const std::string src = htmlEscape(relativeUrl(info.audio_file));
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << title << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
    << "<a class=\"skip\" href=\"#main\">Langsung ke isi utama</a>\n"
    << "<header>\n<h1>" << title << "</h1>\n"
    << "<p class=\"meta\">Durasi: <span id=\"duration\">" << clockTime(info.duration) << "</span></p>\n</header>\n"
    << "<main id=\"main\" tabindex=\"-1\">\n"
    << "<section aria-labelledby=\"player-heading\">\n<h2 id=\"player-heading\">Dengarkan</h2>\n"
    << "<audio id=\"audio\" controls preload=\"metadata\" src=\"" << src << "\" aria-label=\"Pemutar audio: " << title
    << "\">\n<p>Peramban ini tidak dapat memutar audio. <a href=\"" << src << "\">Unduh audionya</a>.</p>\n</audio>\n"
    << "</section>\n";
  if (!chapters.empty()) {
    h << "<nav aria-label=\"Bab\">\n<h2 id=\"chapters-heading\">Bab</h2>\n"
      << "<ol class=\"chapters\" aria-label=\"Daftar bab\">\n";
    for (const auto& c : chapters) {
      const std::string t = htmlEscape(c.title);
      h << "<li><button type=\"button\" data-start=\"" << seconds3(c.start) << "\" aria-label=\"" << t << ", mulai "
        << clockTime(c.start) << "\"><span>" << t << "</span> <span class=\"time\" aria-hidden=\"true\">"
        << clockTime(c.start) << "</span></button></li>\n";
    }
    h << "</ol>\n</nav>\n";
  }
  h << "<section aria-labelledby=\"transcript-heading\">\n<h2 id=\"transcript-heading\">Transkrip</h2>\n"
    << "<p class=\"meta\" id=\"transcript-help\">Pilih sebuah kalimat untuk mendengarkan dari situ; "
       "kalimat yang sedang dibacakan disorot.</p>\n"
    << "<ol class=\"transcript\" aria-label=\"Transkrip, satu kalimat per butir\" aria-describedby=\"transcript-help\">\n";
  for (const auto& c : cues)
    h << "<li><button type=\"button\" data-start=\"" << seconds3(c.start) << "\" data-end=\"" << seconds3(c.end) << "\">"
      << htmlEscape(c.text) << "</button></li>\n";
  h << "</ol>\n</section>\n</main>\n"
    << "<footer>\n<p>Dibuat dengan warta. <a href=\"" << src << "\" download>Unduh audio</a></p>\n</footer>\n"
    << "<script>" << kScript << "</script>\n</body>\n</html>\n";
  return h.str();
}

void writeEpisodePage(const std::filesystem::path& file, const EpisodeInfo& info, const std::vector<Cue>& cues,
                      const std::vector<ChapterMark>& chapters) {
  encode::writeFileAtomically(file, episodePage(info, cues, chapters));
}

}  // namespace warta::publish
