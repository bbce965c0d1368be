// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/ffmpeg.h"

#include "support/cli.h"

#include <cstdio>
#include <memory>
#include <regex>
#include <stdexcept>

namespace warta::test {
namespace {

// Runs a shell command and returns what it printed (stdout and stderr).
std::string run(const std::string& command) {
  struct Closer {
    void operator()(FILE* f) const { pclose(f); }
  };
  std::unique_ptr<FILE, Closer> pipe(popen((command + " 2>&1").c_str(), "r"));
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  return out;
}

// key="value" lines of ffprobe's flat writer.
std::map<std::string, std::string> flat(const std::string& text) {
  std::map<std::string, std::string> out;
  // Strings are quoted, numbers are not.
  static const std::regex line(R"re(^([^=\n]+)=(?:"(.*)"|([^"\n]*))$)re", std::regex::multiline);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it)
    out[(*it)[1]] = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
  return out;
}

}  // namespace

std::int64_t ffmpegDecodedSamples(const std::filesystem::path& file) {
  // Counted by wc so the samples never pass through this process's own decoding.
  const std::string out =
      run("ffmpeg -v error -nostdin -i " + shellQuote(file.string()) + " -map 0:a:0 -ac 1 -f s16le - | wc -c");
  try {
    std::size_t used = 0;
    const long long bytes = std::stoll(out, &used);
    if (bytes <= 0 || out.find_first_not_of(" \n", used) != std::string::npos) throw std::invalid_argument(out);
    return bytes / 2;
  } catch (const std::exception&) {
    throw std::runtime_error("ffmpeg could not decode " + file.string() + ":\n" + out);
  }
}

Loudness ffmpegLoudness(const std::filesystem::path& file, double start, double duration) {
  std::string window;
  if (start > 0) window += " -ss " + std::to_string(start);
  if (duration > 0) window += " -t " + std::to_string(duration);
  const std::string out = run("ffmpeg -hide_banner -nostats" + window + " -i " + shellQuote(file.string()) +
                              " -map 0:a:0 -af ebur128=peak=true -f null -");
  const auto summary = out.rfind("Summary:");
  if (summary == std::string::npos) throw std::runtime_error("no ebur128 summary for " + file.string() + ":\n" + out);
  const std::string tail = out.substr(summary);
  std::smatch m;
  Loudness l;
  if (!std::regex_search(tail, m, std::regex(R"(I:\s+(-?[0-9.]+|-inf) LUFS)")))
    throw std::runtime_error("no integrated loudness in:\n" + tail);
  l.integrated = m[1] == "-inf" ? -1e9 : std::stod(m[1]);
  if (!std::regex_search(tail, m, std::regex(R"(True peak:\s+Peak:\s+(-?[0-9.]+|-inf) dBFS)")))
    throw std::runtime_error("no true peak in:\n" + tail);
  l.true_peak = m[1] == "-inf" ? -1e9 : std::stod(m[1]);
  return l;
}

std::vector<ProbedChapter> ffprobeChapters(const std::filesystem::path& file) {
  const auto kv = flat(run("ffprobe -v error -show_chapters -of flat " + shellQuote(file.string())));
  std::vector<ProbedChapter> chapters;
  for (std::size_t i = 0;; ++i) {
    const std::string prefix = "chapters.chapter." + std::to_string(i) + ".";
    const auto start = kv.find(prefix + "start_time");
    if (start == kv.end()) break;
    ProbedChapter c;
    c.start = std::stod(start->second);
    c.end = std::stod(kv.at(prefix + "end_time"));
    const auto title = kv.find(prefix + "tags.title");
    if (title != kv.end()) c.title = title->second;
    chapters.push_back(c);
  }
  return chapters;
}

std::map<std::string, std::string> ffprobeTags(const std::filesystem::path& file) {
  std::map<std::string, std::string> tags;
  for (const auto& [key, value] :
       flat(run("ffprobe -v error -show_entries format_tags -of flat " + shellQuote(file.string())))) {
    const std::string prefix = "format.tags.";
    if (key.rfind(prefix, 0) != 0) continue;
    std::string name = key.substr(prefix.size());
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    tags[name] = value;
  }
  return tags;
}

std::vector<std::string> ffprobeStreams(const std::filesystem::path& file) {
  const auto kv = flat(run("ffprobe -v error -show_streams -of flat " + shellQuote(file.string())));
  std::vector<std::string> streams;
  for (std::size_t i = 0;; ++i) {
    const std::string prefix = "streams.stream." + std::to_string(i) + ".";
    const auto type = kv.find(prefix + "codec_type");
    if (type == kv.end()) break;
    std::string s = type->second + ":" + kv.at(prefix + "codec_name");
    const auto pic = kv.find(prefix + "disposition.attached_pic");
    if (pic != kv.end() && pic->second == "1") s += ":attached_pic";
    streams.push_back(s);
  }
  return streams;
}

}  // namespace warta::test
