// SPDX-License-Identifier: GPL-3.0-or-later
// RSS 2.0 and Atom 1.0 feeds to their items, newest first. libxml2 reads
// them with no network and no entities: a DOCTYPE is refused before parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warta::sources {

inline constexpr std::size_t kMaxFeedBytes = 8u * 1024 * 1024;  // a busy site's feed is ~200 KB

struct FeedEntry {
  std::string title;                      // plain text (entities and CDATA resolved)
  std::string link;                       // the article's page
  std::optional<std::int64_t> published;  // seconds since 1970 UTC; none if the feed gives no date
  std::string content_html;               // content:encoded or Atom <content> as HTML; "" = fetch the link
};

// Throws warta::Error(Input) "WHAT: ..." for what is not a feed, a DOCTYPE,
// ill-formed XML or more than kMaxFeedBytes.
std::vector<FeedEntry> parseFeedEntries(std::string_view xml, const std::string& what);

// RFC 822 ("Sun, 29 Nov 2026 06:00:00 +0700", also GMT/UT/Z and US zones) or
// RFC 3339 / ISO 8601 ("2026-11-29T06:00:00+07:00"; no zone = UTC) to
// seconds since 1970 UTC; nullopt when it is neither.
std::optional<std::int64_t> parseWebDate(std::string_view text);

}  // namespace warta::sources
