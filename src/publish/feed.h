// SPDX-License-Identifier: GPL-3.0-or-later
// A podcast feed (RSS 2.0 with the iTunes and Podcasting 2.0 namespaces) that
// `warta build` keeps up to date: one item per episode (show + date), newest
// first, at most `keep` items. Updates are atomic and serialized by an
// exclusive flock on a lock file outside the feed's folder (feedLockPath), so
// concurrent builds never lose an item and the uploaded folder holds no lock.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warta::publish {

struct FeedChannel {
  std::string title;  // the show
  std::string link;   // base_url
  std::string description;
  std::string language = "id";
  std::string author;
  std::string email;  // itunes:owner's email; omitted when empty
  std::string category = "News";
  bool explicit_content = false;
  std::string image_url;  // itunes:image href; omitted when empty
  std::string self_url;   // the feed's own URL: atom:link rel="self"; omitted when empty
  std::string guid;       // podcast:guid (podcastGuid(self_url)); omitted when empty
  // Kept from the existing feed (parseFeed), written back as they were: the
  // namespace declarations of its <rss> and above its kept elements that
  // warta does not write itself ({"content", "http://purl.org/rss/1.0/modules/content/"}),
  // its other attributes ({"xml:lang", "id"}; the prefix declared there), and
  // the channel's elements warta does not manage (itunes:new-feed-url,
  // copyright, foreign namespaces), as XML (one after the other, as libxml2
  // wrote them; their prefixes are declared by kept_namespaces or warta).
  std::vector<std::pair<std::string, std::string>> kept_namespaces;       // (prefix, URI)
  std::vector<std::pair<std::string, std::string>> kept_root_attributes;  // (qualified name, value)
  std::string kept_elements;
};

struct FeedItem {
  std::string title;
  std::string description;
  std::time_t pub_time = 0;  // seconds since the epoch; pubDate is rfc2822(pub_time)
  std::string guid;          // isPermaLink="false"
  std::string link;          // the episode page; omitted when empty
  std::string enclosure_url;
  std::uintmax_t length = 0;        // bytes of the MP3
  long duration_seconds = 0;        // itunes:duration, whole seconds
  std::string transcript_url;       // podcast:transcript (text/vtt); omitted when empty
  std::string json_transcript_url;  // a second podcast:transcript (application/json, word times); omitted when empty
  std::string chapters_url;         // podcast:chapters (application/json+chapters); omitted when empty
  std::string kept_elements;        // the item's elements warta does not manage (content:encoded, itunes:image), as XML
};

// RFC 2822 date in +0700 (WIB): "Wed, 11 Jun 2025 06:00:00 +0700".
std::string rfc2822(std::time_t t);
// Parses any RFC 2822 date with a numeric zone (or GMT/UT/Z); nullopt if it is not one.
std::optional<std::time_t> parseRfc2822(const std::string& text);
// The episode's publication time: the rundown date YYYY-MM-DD at 06:00 WIB (+0700).
std::time_t episodeTime(const std::string& iso_date);

// base_url joined with a file name, the name percent-encoded (RFC 3986 unreserved kept).
std::string urlFor(const std::string& base_url, const std::string& file_name);

// Podcasting 2.0's podcast:guid for a feed URL: the version 5 UUID, in the
// "podcast" namespace, of the URL without its scheme ("https://") and
// trailing slashes. "https://podnews.net/rss" -> 9b024349-ccf0-5f69-a609-6b82873eab3c.
std::string podcastGuid(const std::string& feed_url);

// The whole feed document (a libxml2 tree, saved by libxml2: every text
// through xmlChars, escaped by libxml2); items are written in the order
// given. The same arguments give the same bytes, and so does rendering again
// what parseFeed read from them.
std::string renderFeed(const FeedChannel& channel, const std::vector<FeedItem>& items, std::time_t build_time);

// What warta keeps of an existing feed document: the channel's podcast:guid
// ("" if none), the items, and whatever warta does not manage itself
// (FeedChannel::kept_*, FeedItem::kept_elements), so a hand-edited feed keeps
// its itunes:new-feed-url, content:encoded and the like.
struct ParsedFeed {
  std::string guid;
  std::vector<FeedItem> items;
  std::vector<std::pair<std::string, std::string>> kept_namespaces;  // as FeedChannel's
  std::vector<std::pair<std::string, std::string>> kept_root_attributes;
  std::string kept_elements;
};

// Reads an existing feed document (libxml2: no network, no DTD loaded, no
// entity substituted). Throws std::runtime_error if `xml` is not a
// well-formed RSS document, or if it has a DOCTYPE: a feed needs none, and
// internal entities are how an "entity bomb" makes a parser use gigabytes.
ParsedFeed parseFeed(const std::string& xml);
std::vector<FeedItem> parseFeedItems(const std::string& xml);  // parseFeed(xml).items

// The largest existing feed warta reads (libxml2's tree is a few times the
// file; 4 MB is some 2,000 episodes). A larger one is refused, not rewritten.
inline constexpr std::uintmax_t kMaxFeedBytes = 4 * 1024 * 1024;

// Reads and parses `feed` if it exists, so a bad feed stops a build before
// anything is rendered. Throws std::runtime_error naming the file.
void checkExistingFeed(const std::filesystem::path& feed);

// `existing` with `item` replacing any item of the same guid (or added; the
// replaced item's kept_elements go on with it), sorted newest first by
// pub_time, at most `keep` items.
std::vector<FeedItem> mergeItems(std::vector<FeedItem> existing, const FeedItem& item, int keep);

// The lock file serializing updates of `feed`: feed-HASH.lock, HASH naming the
// feed's absolute path (symlinks followed), in $XDG_RUNTIME_DIR/warta, else in
// TMPDIR/warta-UID (made 0700, refused unless it is the user's own folder).
// Never beside the feed, so nothing but the feed is left in the folder that is
// uploaded. Creates the folder; throws std::runtime_error if it cannot.
std::filesystem::path feedLockPath(const std::filesystem::path& feed);

// Locks feedLockPath(feed) (exclusive flock, held throughout), reads FEED if it
// exists, merges `item`, and writes FEED atomically. A podcast:guid already in
// FEED is kept (the spec's guid follows a podcast whose URL changes); else
// channel.guid is written. So is everything of FEED warta does not manage.
// Throws std::runtime_error.
void updateFeed(const std::filesystem::path& feed, const FeedChannel& channel, const FeedItem& item, int keep);

}  // namespace warta::publish
