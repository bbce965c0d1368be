// SPDX-License-Identifier: GPL-3.0-or-later
#include "render/story_sources.h"

#include "warta/error.h"

#include <ostream>

namespace warta::app {

StorySourcesReport fetchStorySources(Rundown& rundown, const StorySourcesOptions& options, std::ostream& log) {
  StorySourcesReport report;
  std::vector<sources::SourceSpec> specs;
  for (const Story& s : rundown.stories)
    if (s.source) specs.push_back(*s.source);
  if (specs.empty()) return report;
  sources::FetchOptions fetch;
  fetch.out_dir = options.out_dir;
  fetch.bulletin = rundown.outputName();
  fetch.date = rundown.date;
  fetch.refresh = options.refresh;
  fetch.skip_aired = rundown.skip_aired;
  const std::vector<sources::SourceResult> results = sources::fetchSources(specs, fetch);
  std::vector<Story> stories;
  // What each rundown item became: a bed's `stories: [N]` names items as the
  // producer wrote them, so a source's number covers every story it gave.
  std::vector<std::pair<std::size_t, std::size_t>> became;  // [first, end) in `stories`
  std::size_t next = 0;
  for (Story& s : rundown.stories) {
    const std::size_t first = stories.size();
    if (!s.source) {
      stories.push_back(std::move(s));
      became.emplace_back(first, stories.size());
      continue;
    }
    const sources::SourceResult& r = results[next++];
    for (const std::string& note : r.notes) log << "warta: " << r.spec.where << ": note: " << note << '\n';
    if (!r.error.empty()) {
      report.failed.push_back(r.spec.where + ": " + r.error);
      log << "warta: source failed: " << report.failed.back() << '\n';
    }
    for (const sources::FetchedStory& f : r.stories) {
      Story story;
      story.file = f.file;
      story.voice = s.voice;
      story.where = s.where;
      story.priority = s.priority;  // the source's, shared by its stories (ties: the later one is dropped first)
      stories.push_back(std::move(story));
      report.fetched.push_back(f);
    }
    became.emplace_back(first, stories.size());
  }
  if (stories.empty())
    throw Error(ErrorKind::Input, rundown.path.string() +
                                      ": no story left to read: every source failed or gave nothing" +
                                      (report.failed.empty() ? std::string() : " (" + report.failed.front() + ")"));
  if (stories.size() > kMaxStories)
    throw Error(ErrorKind::Input, rundown.path.string() + ": the sources gave " + std::to_string(stories.size()) +
                                      " stories; at most " + std::to_string(kMaxStories) + " fit in one bulletin");
  rundown.stories = std::move(stories);
  if (rundown.bed && !rundown.bed->stories.empty()) {
    std::vector<int> under;
    for (int item : rundown.bed->stories)
      for (std::size_t i = became[static_cast<std::size_t>(item)].first;
           i < became[static_cast<std::size_t>(item)].second; ++i)
        under.push_back(static_cast<int>(i));
    if (under.empty()) rundown.bed.reset();  // under only sources that gave nothing: no bed (empty means "everywhere")
    else rundown.bed->stories = std::move(under);
  }
  return report;
}

}  // namespace warta::app
