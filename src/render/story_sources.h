// SPDX-License-Identifier: GPL-3.0-or-later
// The rundown's source stories (feeds, WordPress sites, web pages) fetched
// into article files before a build or by `warta fetch`.
#pragma once

#include "config/rundown.h"
#include "sources/sources.h"

#include <filesystem>
#include <iosfwd>
#include <vector>

namespace warta::app {

struct StorySourcesOptions {
  std::filesystem::path out_dir;  // the articles go to out_dir/sources/
  bool refresh = false;           // `--refresh`: fetch again instead of using the saved copies
};

struct StorySourcesReport {
  std::vector<sources::FetchedStory> fetched;  // every story fetched, in bulletin order
  std::vector<std::string> failed;             // "RUNDOWN:LINE:COL: feed URL: why" for each source that gave nothing
};

// Replaces each source item of `rundown.stories` by one story per fetched
// article (the item's voice kept), in order. Failed sources and skipped items
// are written to `log` and named in the report; the build goes on with the
// rest. Throws warta::Error(Input) when no story at all is left.
StorySourcesReport fetchStorySources(Rundown& rundown, const StorySourcesOptions& options, std::ostream& log);

}  // namespace warta::app
