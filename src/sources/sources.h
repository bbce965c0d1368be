// SPDX-License-Identifier: GPL-3.0-or-later
// Stories from where newsrooms keep them: RSS/Atom feeds, WordPress sites and
// single web pages, fetched (net/), turned into article files under
// OUTDIR/sources/ that the editor can read and fix, and reused by a rebuild.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace warta::sources {

// One `stories:` item that is a source (config/rundown.cpp fills it).
struct SourceSpec {
  enum class Kind { Feed, WordPress, Page };
  Kind kind = Kind::Feed;
  std::string location;                       // http(s) URL; a feed may also be a local file (resolved, exists)
  int take = 5;                               // at most this many stories (feed, wordpress)
  std::optional<std::int64_t> since_seconds;  // skip items older than this (feed, wordpress)
  std::string match;                          // ECMAScript regex, any case, on headline and text; "" = all
  std::string category;                       // wordpress: a slug or a numeric id
  std::string search;                         // wordpress: its search term
  std::string where;                          // "RUNDOWN:LINE:COL" of the item
  // "feed https://... take=5 since=86400 match=..." : what identifies the item in the saved list.
  std::string key() const;
};

struct FetchOptions {
  std::filesystem::path out_dir;  // articles go to out_dir/sources/
  std::string bulletin;           // the bulletin's name (its output file), for the aired state
  std::string date;               // the bulletin's date YYYY-MM-DD: the saved list is per date
  bool refresh = false;           // fetch again even where a saved copy exists
  int skip_aired = 0;             // skip stories aired in the last N bulletins (other than this one)
  std::int64_t now = 0;           // seconds since 1970 UTC (0: the clock), for `since`
  double timeout_seconds = 20;    // per request
  std::size_t max_page_bytes = 4u * 1024 * 1024;
};

struct FetchedStory {
  std::filesystem::path file;  // the saved article
  std::string url;
  std::string headline;
};

struct SourceResult {
  SourceSpec spec;
  std::vector<FetchedStory> stories;  // in bulletin order
  std::string error;                  // why the source failed ("" = it did not, even if every item was skipped)
  std::vector<std::string> notes;     // items skipped and why (duplicate, old, aired, page failed)
};

// Fetches every source (or takes the saved list of the same date and item
// unless `refresh`), drops duplicates (same normalised URL or headline, also
// across sources), stale items and recently aired ones, saves each article
// atomically, and remembers ETag/Last-Modified for the next fetch. A source
// that fails is reported in its SourceResult, never thrown.
std::vector<SourceResult> fetchSources(const std::vector<SourceSpec>& specs, const FetchOptions& options);

// After a successful build: records the stories as aired in this bulletin
// (OUTDIR/.warta-aired.json, written atomically; the last 50 bulletins kept).
void recordAired(const std::filesystem::path& out_dir, const std::string& bulletin,
                 const std::vector<FetchedStory>& stories);

// "https://Site.example/a/?utm_source=x#top" -> "site.example/a": scheme,
// "www.", tracking parameters, fragment and trailing slash dropped.
std::string normaliseUrl(const std::string& url);
// Lower case, punctuation dropped, spaces collapsed: the same headline from two feeds.
std::string normaliseHeadline(const std::string& headline);

}  // namespace warta::sources
