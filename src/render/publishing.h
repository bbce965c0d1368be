// SPDX-License-Identifier: GPL-3.0-or-later
// What a render leaves beside its audio, shared by the CLI (`say`, `build`)
// and libwarta: the podcast feed's update and the all-or-nothing staging of
// those outputs (transcripts, page and talking book: render/companions.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/rundown.h"
#include "encode/atomic_file.h"
#include "publish/epub.h"
#include "publish/transcript.h"
#include "render/companions.h"
#include "render/pipeline.h"

namespace warta::app {

// The podcast feed a rundown's `publish:` block keeps: its own `feed:` or feed.xml in the output folder.
std::filesystem::path feedPath(const Publish& pub, const std::filesystem::path& out_dir);

// Adds (or replaces) this episode in the rundown's podcast feed (rundown.publish must be set).
void publishEpisode(const Rundown& rundown, const RenderReport& r, const std::filesystem::path& out_dir);

// Holds the audio and the files written beside it in their temporaries
// until publication.commitAll() (see publishing.cpp).
void stageOutputs(encode::Publication& publication, const std::filesystem::path& audio, bool transcripts,
                  bool talking_book, const std::optional<std::string>& timeline);

}  // namespace warta::app
