// A podcast feed (RSS 2.0 with the iTunes and Podcasting 2.0 namespaces) that
// `warta build` keeps up to date: one item per episode (show + date), newest
// first, at most `keep` items. Updates are atomic and serialized by an
// exclusive flock on FEED.lock, so concurrent builds never lose an item.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace warta::publish {

struct FeedChannel {
  std::string title;        // the show
  std::string link;         // base_url
  std::string description;
  std::string language = "id";
  std::string author;
  std::string email;        // itunes:owner's email; omitted when empty
  std::string category = "News";
  bool explicit_content = false;
  std::string image_url;    // itunes:image href; omitted when empty
};

struct FeedItem {
  std::string title;
  std::string description;
  std::time_t pub_time = 0;     // seconds since the epoch; pubDate is rfc2822(pub_time)
  std::string guid;             // isPermaLink="false"
  std::string enclosure_url;
  std::uintmax_t length = 0;    // bytes of the MP3
  long duration_seconds = 0;    // itunes:duration, whole seconds
  std::string transcript_url;   // podcast:transcript (text/vtt); omitted when empty
  std::string json_transcript_url;  // a second podcast:transcript (application/json, word times); omitted when empty
  std::string chapters_url;     // podcast:chapters (application/json+chapters); omitted when empty
};

// "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" for the five XML specials.
std::string xmlEscape(const std::string& text);

// RFC 2822 date in +0700 (WIB): "Wed, 11 Jun 2025 06:00:00 +0700".
std::string rfc2822(std::time_t t);
// Parses any RFC 2822 date with a numeric zone (or GMT/UT/Z); nullopt if it is not one.
std::optional<std::time_t> parseRfc2822(const std::string& text);
// The episode's publication time: the rundown date YYYY-MM-DD at 06:00 WIB (+0700).
std::time_t episodeTime(const std::string& iso_date);

// base_url joined with a file name, the name percent-encoded (RFC 3986 unreserved kept).
std::string urlFor(const std::string& base_url, const std::string& file_name);

// The whole feed document; items are written in the order given.
std::string renderFeed(const FeedChannel& channel, const std::vector<FeedItem>& items, std::time_t build_time);

// The items of an existing feed document (libxml2). Throws std::runtime_error
// if `xml` is not a well-formed RSS document.
std::vector<FeedItem> parseFeedItems(const std::string& xml);

// `existing` with `item` replacing any item of the same guid (or added),
// sorted newest first by pub_time, at most `keep` items.
std::vector<FeedItem> mergeItems(std::vector<FeedItem> existing, const FeedItem& item, int keep);

// Locks FEED.lock (exclusive flock, held throughout), reads FEED if it exists,
// merges `item`, and writes FEED atomically. Throws std::runtime_error.
void updateFeed(const std::filesystem::path& feed, const FeedChannel& channel, const FeedItem& item, int keep);

}  // namespace warta::publish
