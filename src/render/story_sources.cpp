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
  std::size_t next = 0;
  for (Story& s : rundown.stories) {
    if (!s.source) {
      stories.push_back(std::move(s));
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
  }
  if (stories.empty())
    throw Error(ErrorKind::Input, rundown.path.string() +
                                      ": no story left to read: every source failed or gave nothing" +
                                      (report.failed.empty() ? std::string() : " (" + report.failed.front() + ")"));
  if (stories.size() > kMaxStories)
    throw Error(ErrorKind::Input, rundown.path.string() + ": the sources gave " + std::to_string(stories.size()) +
                                      " stories; at most " + std::to_string(kMaxStories) + " fit in one bulletin");
  rundown.stories = std::move(stories);
  return report;
}

}  // namespace warta::app
