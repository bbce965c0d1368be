// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/run_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <optional>

#include "warta/error.h"
#include "publish/epub.h"
#include "publish/transcript.h"

namespace warta::app {
namespace fs = std::filesystem;

namespace {

// What makes two paths one file: device and inode where the file exists, and
// the absolute path with symlinks followed (for outputs not written yet).
struct Identity {
  std::optional<std::pair<dev_t, ino_t>> inode;
  std::string path;
};

Identity identify(const fs::path& file) {
  Identity id;
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(fs::absolute(file, ec), ec);
  if (ec) resolved = fs::absolute(file, ec).lexically_normal();
  id.path = resolved.string();
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) id.inode = std::make_pair(st.st_dev, st.st_ino);
  return id;
}

std::string describe(const fs::path& path, const std::string& role) { return role + " '" + path.string() + "'"; }

}  // namespace

void RunFiles::reads(const fs::path& file, const std::string& role) {
  if (!file.empty()) inputs_.push_back({file, role});
}

void RunFiles::readsAllUnder(const fs::path& dir, const std::string& role) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) inputs_.push_back({it->path(), role});
}

void RunFiles::writes(const fs::path& file, const std::string& role) {
  if (!file.empty()) outputs_.push_back({file, role});
}

void RunFiles::deletesUnder(const fs::path& dir, const std::string& role) {
  if (!dir.empty()) deleted_dirs_.push_back({dir, role});
}

void RunFiles::check() const {
  // Inputs by identity first (an input read twice is no clash), then each
  // output against the inputs and the outputs before it.
  std::map<std::pair<dev_t, ino_t>, const Claim*> by_inode;
  std::map<std::string, const Claim*> by_path;
  for (const Claim& in : inputs_) {
    const Identity id = identify(in.path);
    if (id.inode) by_inode.emplace(*id.inode, &in);
    by_path.emplace(id.path, &in);
  }
  const auto clash = [](const Claim& out, const Claim& other, bool other_is_output) {
    if (other_is_output)
      throw Error(ErrorKind::Usage, describe(out.path, out.role) + " and " + describe(other.path, other.role) +
                                        " are the same file; give the outputs different names (nothing was written)");
    throw Error(ErrorKind::Usage, describe(out.path, out.role) + " is the " + describe(other.path, other.role) +
                                      " that this run reads; give the output another name (nothing was written)");
  };
  std::map<std::pair<dev_t, ino_t>, const Claim*> out_inode;
  std::map<std::string, const Claim*> out_path;
  for (const Claim& out : outputs_) {
    const Identity id = identify(out.path);
    if (id.inode)
      if (auto it = by_inode.find(*id.inode); it != by_inode.end()) clash(out, *it->second, false);
    if (auto it = by_path.find(id.path); it != by_path.end()) clash(out, *it->second, false);
    if (id.inode)
      if (auto [it, fresh] = out_inode.emplace(*id.inode, &out); !fresh) clash(out, *it->second, true);
    if (auto [it, fresh] = out_path.emplace(id.path, &out); !fresh) clash(out, *it->second, true);
  }
  for (const Claim& dir : deleted_dirs_) {
    const std::string prefix = identify(dir.path).path + "/";
    for (auto it = by_path.lower_bound(prefix); it != by_path.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it)
      throw Error(ErrorKind::Usage, describe(it->second->path, it->second->role) + " lies inside the " +
                                        describe(dir.path, dir.role) +
                                        ", where warta deletes old files; move it or choose another folder");
  }
}

void addVoiceInputs(RunFiles& files, const speech::VoiceProfile& voice) {
  files.reads(voice.file, "voice profile");
  if (!voice.language_dir.empty()) files.readsAllUnder(voice.language_dir, "language data");
}

void addRundownInputs(RunFiles& files, const Rundown& r) {
  files.reads(r.path, "rundown");
  addVoiceInputs(files, r.voice);
  for (const Story& s : r.stories) {
    if (s.station && s.station->kind == station::StationItem::Kind::Weather &&
        !station::isForecastUrl(s.station->weather))
      files.reads(s.station->weather, "weather forecast");
    else if (!s.station) files.reads(s.file, "story");
    if (s.voice.file != r.voice.file) addVoiceInputs(files, s.voice);
  }
  const std::pair<const std::optional<fs::path>*, const char*> jingles[] = {
      {&r.intro, "intro jingle"}, {&r.outro, "outro jingle"}, {&r.stinger, "stinger"}};
  for (const auto& [file, role] : jingles)
    if (*file) files.reads(**file, role);
  if (r.bed) files.reads(r.bed->file, "music bed");
  files.reads(r.output.cover_image, "cover image");
  if (r.publish && r.publish->image) files.reads(*r.publish->image, "feed artwork");
  for (const auto& l : r.lexicons) files.reads(l, "lexicon");
}

void addTranscriptOutputs(RunFiles& files, const fs::path& audio) {
  const publish::TranscriptPaths p = publish::transcriptPathsFor(audio);
  files.writes(p.vtt, "WebVTT captions");
  files.writes(p.srt, "SRT captions");
  files.writes(p.text, "text transcript");
  files.writes(p.json, "JSON transcript");
  files.writes(p.chapters, "chapters JSON");
  files.writes(p.page, "episode page");
}

void addTalkingBookOutput(RunFiles& files, const fs::path& audio) {
  files.writes(publish::talkingBookPathFor(audio), "talking book");
}

}  // namespace warta::app
