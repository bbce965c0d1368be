// SPDX-License-Identifier: GPL-3.0-or-later
// The files one run reads and the files it will write, checked before any
// work so that no run ever writes, renames onto, truncates or deletes a file
// it reads, and no two of its outputs are the same file.
//
// A file is the same as another when both exist and share device and inode
// (hard links, symlinks), or when their absolute paths are equal after
// following symlinks (weakly_canonical: for outputs that do not exist yet).
// Part of warta_pipeline; includes only the rundown, voice, transcript and talking-book names.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/rundown.h"
#include "speech/voice_profile.h"

namespace warta::app {

class RunFiles {
 public:
  // A file the run reads; `role` says what it is to the user ("article", "jingle").
  void reads(const std::filesystem::path& file, const std::string& role);
  // Every regular file under `dir` (recursively) is read: a language folder.
  void readsAllUnder(const std::filesystem::path& dir, const std::string& role);
  // A file the run will write (or create, or lock).
  void writes(const std::filesystem::path& file, const std::string& role);
  // A folder whose files the run may delete (the chunk cache's entries).
  void deletesUnder(const std::filesystem::path& dir, const std::string& role);

  // Throws UsageError naming both paths and their roles at the first clash:
  // an output that is an input, two outputs that are one file, or an input
  // inside a folder the run deletes in. Runs in O(n log n) for n files.
  void check() const;

 private:
  struct Claim {
    std::filesystem::path path;  // as the user gave it
    std::string role;
  };
  std::vector<Claim> inputs_, outputs_, deleted_dirs_;
};

// The rundown itself, its stories, voices (profiles and language folders),
// jingles, bed, cover, artwork and lexicons.
void addRundownInputs(RunFiles& files, const Rundown& rundown);

// A voice profile's .yaml and every file of its language folder.
void addVoiceInputs(RunFiles& files, const speech::VoiceProfile& voice);

// The transcripts and page written beside `audio` (publish::transcriptPathsFor).
void addTranscriptOutputs(RunFiles& files, const std::filesystem::path& audio);

// The talking book written beside `audio` with --talking-book (publish::talkingBookPathFor).
void addTalkingBookOutput(RunFiles& files, const std::filesystem::path& audio);

}  // namespace warta::app
