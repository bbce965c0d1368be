#include "publish/transcript.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "encode/atomic_file.h"

namespace warta::publish {
namespace {

std::string clock(double seconds, char decimal) {
  const long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
                decimal, ms % 1000);
  return buf;
}

// WebVTT and SRT cue text may not hold "-->" or blank lines; '&' and '<' are markup in WebVTT.
std::string cueText(const std::string& text, bool vtt) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') out += ' ';
    else if (vtt && c == '&') out += "&amp;";
    else if (vtt && c == '<') out += "&lt;";
    else if (vtt && c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string vttTime(double seconds) { return clock(seconds, '.'); }
std::string srtTime(double seconds) { return clock(seconds, ','); }

std::string toWebVtt(const std::vector<Cue>& cues) {
  std::ostringstream out;
  out << "WEBVTT\n\n";
  for (std::size_t i = 0; i < cues.size(); ++i)
    out << i + 1 << '\n' << vttTime(cues[i].start) << " --> " << vttTime(cues[i].end) << '\n'
        << cueText(cues[i].text, true) << "\n\n";
  return out.str();
}

std::string toSrt(const std::vector<Cue>& cues) {
  std::ostringstream out;
  for (std::size_t i = 0; i < cues.size(); ++i)
    out << i + 1 << '\n' << srtTime(cues[i].start) << " --> " << srtTime(cues[i].end) << '\n'
        << cueText(cues[i].text, false) << "\n\n";
  return out.str();
}

std::string toPlainText(const std::vector<Cue>& cues) {
  std::string out;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    const bool new_paragraph = i == 0 || cues[i].story != cues[i - 1].story || cues[i].story < 0;
    if (i > 0) out += new_paragraph ? "\n\n" : " ";
    out += cueText(cues[i].text, false);
  }
  return out.empty() ? out : out + "\n";
}

std::string toJsonChapters(const std::vector<ChapterMark>& chapters) {
  std::ostringstream out;
  out << "{\n  \"version\": \"1.2.0\",\n  \"chapters\": [";
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    char start[32];
    std::snprintf(start, sizeof start, "%.3f", chapters[i].start);
    out << (i ? "," : "") << "\n    {\"startTime\": " << start << ", \"title\": " << jsonString(chapters[i].title) << "}";
  }
  out << (chapters.empty() ? "" : "\n  ") << "]\n}\n";
  return out.str();
}

namespace {
constexpr const char* kTextSuffix = ".transcript.txt";
}

TranscriptPaths transcriptPathsFor(const std::filesystem::path& audio) {
  std::filesystem::path base = audio;
  base.replace_extension();
  const auto with = [&](const char* suffix) {
    std::filesystem::path p = base;
    p += suffix;
    return p;
  };
  return {with(".vtt"), with(".srt"), with(kTextSuffix), with(".chapters.json"), with(".html")};
}

bool isTranscriptText(const std::filesystem::path& file) {
  std::string name = file.filename().string();  // any case, as listArticles takes .TXT too
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string suffix = kTextSuffix;
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::filesystem::path> writeTranscripts(const TranscriptPaths& paths, const std::vector<Cue>& cues,
                                                    const std::vector<ChapterMark>& chapters) {
  const std::pair<const std::filesystem::path*, std::string> files[] = {{&paths.vtt, toWebVtt(cues)},
                                                                        {&paths.srt, toSrt(cues)},
                                                                        {&paths.text, toPlainText(cues)},
                                                                        {&paths.chapters, toJsonChapters(chapters)}};
  std::vector<std::filesystem::path> written;
  for (const auto& [file, content] : files) {
    encode::writeFileAtomically(*file, content);
    written.push_back(*file);
  }
  return written;
}

}  // namespace warta::publish
