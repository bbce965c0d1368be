// SPDX-License-Identifier: GPL-3.0-or-later
// Outputs beside the audio (render/publishing.h), moved here from the CLI so libwarta shares them;
// transcripts and the talking book are render/companions.cpp's.
#include "render/publishing.h"

#include <cmath>
#include <cstdlib>
#include <ctime>

#include "publish/artwork.h"
#include "publish/feed.h"
#include "publish/page.h"

namespace warta::app {
namespace fs = std::filesystem;

// The podcast feed a rundown's `publish:` block keeps: its own `feed:` or feed.xml in the output folder.
fs::path feedPath(const Publish& pub, const fs::path& out_dir) {
  return pub.feed.empty() ? out_dir / "feed.xml" : pub.feed;
}

// Adds (or replaces) this episode in the rundown's podcast feed. Every URL in
// it names a file in out_dir, the folder base_url serves, so the folder works
// once uploaded: the episode, its transcripts and page, the artwork's copy.
void publishEpisode(const Rundown& rundown, const RenderReport& r, const fs::path& out_dir) {
  const Publish& pub = *rundown.publish;
  const fs::path feed = feedPath(pub, out_dir);
  publish::FeedChannel channel;
  channel.title = rundown.show;
  channel.link = pub.base_url;
  channel.description = pub.description;
  channel.author = pub.author;
  channel.email = pub.email;
  channel.category = pub.category;
  channel.explicit_content = pub.explicit_content;
  channel.self_url = publish::urlFor(pub.base_url, feed.filename().string());
  channel.guid = publish::podcastGuid(channel.self_url);
  if (pub.image) {
    const fs::path artwork = publish::artworkPathIn(out_dir, *pub.image);
    publish::copyArtwork(*pub.image, artwork);
    channel.image_url = publish::urlFor(pub.base_url, artwork.filename().string());
  }

  publish::FeedItem item;
  item.title = episodeTitle(rundown);  // "Kabar Pagi, Kamis, 12 Juni 2025": what a listener reads in the app
  std::string headlines;
  // The stories' headlines: every chapter but the show's own first one (the intro and opening).
  for (std::size_t i = 1; i < r.chapters.size(); ++i)
    headlines += (headlines.empty() ? "" : "; ") + r.chapters[i].title;
  item.description = headlines.empty() ? item.title : headlines;
  item.pub_time = publish::episodeTime(rundown.date);
  item.guid = "warta:" + rundown.show + ":" + rundown.date;  // not the title: a rebuild replaces its item
  const std::string name = r.output.filename().string();
  item.enclosure_url = publish::urlFor(pub.base_url, name);
  item.length = fs::file_size(encode::currentContent(r.output));  // the MP3 not yet renamed into place
  item.duration_seconds = std::lround(r.seconds);
  const publish::TranscriptPaths served = publish::transcriptPathsFor(r.output.filename());
  item.link = publish::urlFor(pub.base_url, served.page.string());
  item.transcript_url = publish::urlFor(pub.base_url, served.vtt.string());
  item.json_transcript_url = publish::urlFor(pub.base_url, served.json.string());
  item.chapters_url = publish::urlFor(pub.base_url, served.chapters.string());
  publish::updateFeed(feed, channel, item, pub.keep);
}

// All or nothing: the outputs of one say or build are held in their
// temporaries (encode::Publication) until every step succeeded, so a failed
// timeline, page or feed update (or a signal) leaves the previous ones as
// they were. The feed itself is not held: it is written under its lock as the
// last step before the others are renamed into place.
void stageOutputs(encode::Publication& publication, const fs::path& audio, bool transcripts, bool talking_book,
                  const std::optional<std::string>& timeline) {
  publication.stage(audio);
  if (transcripts)
    for (const auto& f : publish::transcriptPathsFor(audio).all()) publication.stage(f);
  if (talking_book) publication.stage(publish::talkingBookPathFor(audio));
  if (timeline) publication.stage(*timeline);
}

}  // namespace warta::app
