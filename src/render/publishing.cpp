// Outputs beside the audio (render/publishing.h), moved here from the CLI so libwarta shares them.
#include "render/publishing.h"

#include <cmath>
#include <cstdlib>
#include <ctime>

#include "publish/artwork.h"
#include "publish/feed.h"
#include "publish/page.h"

namespace warta::app {
namespace fs = std::filesystem;

// The cues a person reads, from the render's timeline: what was said, where.
std::vector<publish::Cue> cuesOf(const RenderReport& r, TranscriptText as) {
  std::vector<publish::Cue> cues;
  for (const auto& e : r.timeline) {
    if (e.kind != "speech" && e.kind != "opening" && e.kind != "closing") continue;
    publish::Cue c;
    c.start = e.start;
    c.end = e.end;
    c.story = e.story;
    c.kind = e.part.empty() ? e.kind : e.part;
    c.ends_paragraph = e.ends_paragraph;
    if (as == TranscriptText::Spoken) {
      c.text = e.spoken;
    } else {
      c.text = e.label;
      c.words = e.words;
    }
    cues.push_back(std::move(c));
  }
  return cues;
}

// OUT.vtt, OUT.srt, OUT.transcript.txt, OUT.transcript.json, OUT.chapters.json
// and the page OUT.html beside OUT.mp3. `title` heads the page (the show and
// date for a bulletin; else the first headline).
void writeTranscriptFiles(const RenderReport& r, TranscriptText as, const std::string& title) {
  const std::vector<publish::Cue> cues = cuesOf(r, as);
  std::vector<publish::ChapterMark> chapters;
  for (const auto& c : r.chapters) chapters.push_back({c.start, c.title});
  const publish::TranscriptPaths paths = publish::transcriptPathsFor(r.output);
  publish::writeTranscripts(paths, cues, chapters);
  // The episode page beside the audio, which it plays by its file name.
  publish::EpisodeInfo info;
  info.title = !title.empty() ? title : chapters.empty() ? r.output.stem().string() : chapters.front().title;
  info.audio_file = r.output.filename().string();
  info.duration = r.seconds;
  publish::writeEpisodePage(paths.page, info, cues, chapters);
}

// --talking-book: OUT.epub beside OUT.mp3 (publish/epub.h), from the cues the transcripts are made of.
// `info` has what the command knows (show, station, date); the title defaults to the first headline.
void writeTalkingBookFile(const RenderReport& r, publish::BookInfo info) {
  const std::vector<publish::Cue> cues = cuesOf(r, TranscriptText::Written);  // a book is read: always the article's words
  std::vector<publish::ChapterMark> chapters;
  for (const auto& c : r.chapters) chapters.push_back({c.start, c.title});
  if (info.title.empty()) info.title = chapters.empty() ? r.output.stem().string() : chapters.front().title;
  if (info.description.empty() && chapters.size() > 1)
    for (const auto& c : chapters) info.description += (info.description.empty() ? "" : "; ") + c.title;
  // dcterms:modified: now, or SOURCE_DATE_EPOCH for a reproducible book.
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) now = static_cast<std::time_t>(std::atoll(epoch));
  std::tm tm{};
  gmtime_r(&now, &tm);
  char modified[32];
  std::strftime(modified, sizeof modified, "%Y-%m-%dT%H:%M:%SZ", &tm);
  info.modified = modified;
  publish::writeTalkingBook(publish::talkingBookPathFor(r.output), info, r.output, cues, chapters);
}

// The podcast feed a rundown's `publish:` block keeps: its own `feed:` or feed.xml in the output folder.
fs::path feedPath(const Publish& pub, const fs::path& out_dir) { return pub.feed.empty() ? out_dir / "feed.xml" : pub.feed; }

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
  for (std::size_t i = 1; i < r.chapters.size(); ++i) headlines += (headlines.empty() ? "" : "; ") + r.chapters[i].title;
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
