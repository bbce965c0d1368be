// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/sources.h"

#include "encode/atomic_file.h"
#include "net/http.h"
#include "sources/charset.h"
#include "sources/feed_reader.h"
#include "sources/html_article.h"
#include "text/article.h"
#include "warta/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace warta::sources {
namespace {

constexpr std::size_t kAiredBulletinsKept = 50;
constexpr int kMaxWordPressPages = 10;  // take=5 never needs more; a site that says 500 pages costs 10 requests
constexpr std::size_t kMaxSlugBytes = 60;
// Query parameters that only track clicks: the same story with them is the same story.
constexpr std::string_view kTrackingParameters[] = {"utm_", "fbclid", "gclid", "amp", "ref"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::string hostOf(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?#", start);
  std::string host = lower(url.substr(start, end == std::string::npos ? std::string::npos : end - start));
  if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  return host;
}

bool isUrl(const std::string& s) {
  const std::string l = lower(s.substr(0, 8));
  return l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0;
}

// 64-bit FNV-1a as hex: a stable file name for a URL's remembered body.
std::string hashName(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

json readJson(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return json::object();
  try {
    json j = json::parse(in);
    return j.is_object() ? j : json::object();
  } catch (const json::exception&) {
    return json::object();  // a damaged state file only costs a fresh fetch
  }
}

std::string resolveUrl(const std::string& base, const std::string& link) {
  if (link.empty() || isUrl(link)) return link;
  const auto scheme_end = base.find("://");
  if (scheme_end == std::string::npos) return link;
  if (link.rfind("//", 0) == 0) return base.substr(0, scheme_end + 1) + link;
  const auto host_end = base.find('/', scheme_end + 3);
  const std::string origin = base.substr(0, host_end);
  if (link[0] == '/') return origin + link;
  const auto last = base.rfind('/');
  return (last == std::string::npos || last < scheme_end + 3 ? origin + "/" : base.substr(0, last + 1)) + link;
}

std::string percentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// "2026-11-29" in UTC for `t`.
std::string isoDay(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[11];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string slugOf(const std::string& headline) {
  std::string slug;
  for (unsigned char c : headline) {
    if (std::isalnum(c)) slug += static_cast<char>(std::tolower(c));
    else if (!slug.empty() && slug.back() != '-') slug += '-';
    if (slug.size() >= kMaxSlugBytes) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "artikel" : slug;
}

// Text the article reader takes as plain words: no Markdown markers at a
// paragraph's start, no "word" longer than the reader's limit (a pasted link).
std::string safeLine(const std::string& text) {
  std::istringstream words(text);
  std::string word, out;
  while (words >> word)
    if (word.size() <= text::kMaxWordChars) out += (out.empty() ? "" : " ") + word;
  while (!out.empty() &&
         (out[0] == '#' || out[0] == '>' || out[0] == '-' || out[0] == '*' || out[0] == '=' || out[0] == ' '))
    out.erase(0, 1);
  return out;
}

struct Candidate {
  std::string url;
  std::string headline;
  std::optional<std::int64_t> published;
  PageArticle page;  // filled when the feed or API carried the text
};

class Fetcher {
 public:
  explicit Fetcher(const FetchOptions& o) : o_(o), dir_(o.out_dir / "sources") {
    state_file_ = dir_ / ".http-state.json";
    state_ = readJson(state_file_);
  }

  // GET with the remembered validators; a 304 answers with the remembered body.
  net::Response get(const std::string& url, std::size_t limit) {
    net::Request r;
    r.url = url;
    r.timeout_seconds = o_.timeout_seconds;
    r.max_response_bytes = limit;
    const fs::path body_file = dir_ / ".http" / hashName(url);
    const bool remembered = state_.contains(url) && fs::exists(body_file);
    if (remembered) {
      r.if_none_match = state_[url].value("etag", "");
      r.if_modified_since = state_[url].value("last_modified", "");
    }
    net::Response response = net::perform(r);
    if (response.status == 304 && remembered) {
      std::ifstream in(body_file, std::ios::binary);
      response.body.assign(std::istreambuf_iterator<char>(in), {});
      response.status = 200;
      response.headers["content-type"] = state_[url].value("content_type", "");
      return response;
    }
    if (response.status != 200)
      throw Error(ErrorKind::Io, url + ": the server answered HTTP " + std::to_string(response.status));
    const std::string etag = response.header("etag"), modified = response.header("last-modified");
    if (!etag.empty() || !modified.empty()) {
      fs::create_directories(body_file.parent_path());
      encode::writeFileAtomically(body_file, response.body);
      state_[url] = {{"etag", etag}, {"last_modified", modified}, {"content_type", response.header("content-type")}};
      dirty_ = true;
    }
    return response;
  }

  void saveState() {
    if (dirty_) encode::writeFileAtomically(state_file_, state_.dump(1) + "\n");
  }

  // A web page as UTF-8 text: the header's charset, else the page's own <meta>.
  std::string page(const std::string& url) {
    net::Response r = get(url, o_.max_page_bytes);
    std::string charset = charsetFromContentType(r.header("content-type"));
    if (charset.empty()) charset = sniffHtmlCharset(r.body);
    return toUtf8(r.body, charset, url);
  }

  const FetchOptions& o_;
  fs::path dir_;
  fs::path state_file_;
  json state_;
  bool dirty_ = false;
};

class Run {
 public:
  explicit Run(const FetchOptions& o) : o_(o), fetcher_(o) {
    now_ = o.now ? o.now
                 : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                       .count();
    const json aired = readJson(o.out_dir / ".warta-aired.json");
    if (o.skip_aired > 0 && aired.contains("bulletins") && aired["bulletins"].is_array()) {
      const auto& list = aired["bulletins"];
      int counted = 0;
      for (auto it = list.rbegin(); it != list.rend() && counted < o.skip_aired; ++it) {
        if (it->value("name", "") == o.bulletin) continue;  // a rebuild of this bulletin does not skip its own stories
        ++counted;
        for (const auto& s : it->value("stories", json::array())) {
          aired_urls_.insert(s.value("url", ""));
          aired_headlines_.insert(s.value("headline", ""));
        }
      }
      aired_urls_.erase("");
      aired_headlines_.erase("");
    }
  }

  SourceResult run(const SourceSpec& spec, const json& saved) {
    SourceResult result;
    result.spec = spec;
    // The list saved for this date and item: a rebuild reads exactly what the editor reviewed.
    if (!o_.refresh && saved.contains(spec.key())) {
      bool whole = true;
      std::vector<FetchedStory> stories;
      for (const auto& s : saved[spec.key()]) {
        FetchedStory f{fetcher_.dir_ / s.value("file", ""), s.value("url", ""), s.value("headline", "")};
        if (!fs::is_regular_file(f.file)) whole = false;
        stories.push_back(std::move(f));
      }
      if (whole) {
        for (auto& s : stories) {
          if (duplicate(s.url, s.headline, result)) continue;
          result.stories.push_back(std::move(s));
        }
        return result;
      }
    }
    try {
      // Candidates come one at a time: WordPress pages are asked for only while more are needed.
      std::vector<Candidate> candidates;
      std::size_t next = 0;
      WordPressPager pager;
      switch (spec.kind) {
        case SourceSpec::Kind::Feed:
          candidates = feedCandidates(spec);
          break;
        case SourceSpec::Kind::WordPress:
          pager = wordpressPager(spec);
          break;
        case SourceSpec::Kind::Page:
          candidates.push_back({spec.location, "", std::nullopt, {}});
          break;
      }
      std::optional<std::regex> match;
      if (!spec.match.empty()) match.emplace(spec.match, std::regex::ECMAScript | std::regex::icase);
      for (;;) {
        if (static_cast<int>(result.stories.size()) >= spec.take && spec.kind != SourceSpec::Kind::Page) break;
        if (next == candidates.size() && spec.kind == SourceSpec::Kind::WordPress) {
          candidates = nextWordPressPage(spec, pager, result);
          next = 0;
        }
        if (next == candidates.size()) break;
        Candidate& c = candidates[next++];
        const std::string label = c.headline.empty() ? c.url : "\"" + c.headline + "\"";
        if (spec.since_seconds && c.published && *c.published < now_ - *spec.since_seconds) {
          result.notes.push_back(label + ": older than " + std::to_string(*spec.since_seconds / 3600) + " h, skipped");
          continue;
        }
        if (!c.headline.empty() && duplicate(c.url, c.headline, result)) continue;
        if (c.page.blocks.empty()) {
          if (c.url.empty()) {
            result.notes.push_back(label + ": no text and no link, skipped");
            continue;
          }
          try {
            std::string keep_headline = c.headline;
            c.page = extractArticle(fetcher_.page(c.url));
            if (!keep_headline.empty()) c.page.headline = keep_headline;
          } catch (const Error& e) {
            if (spec.kind == SourceSpec::Kind::Page) throw;
            result.notes.push_back(label + ": " + e.what());
            continue;
          }
        } else if (!c.headline.empty()) {
          c.page.headline = c.headline;
        }
        if (c.headline.empty()) {
          c.headline = c.page.headline;
          if (duplicate(c.url, c.headline, result)) continue;
        }
        if (!c.published && !c.page.published.empty()) c.published = parseWebDate(c.page.published);
        if (match) {
          std::string all = c.page.headline;
          for (const auto& b : c.page.blocks) all += "\n" + b.text;
          if (!std::regex_search(all, *match)) {
            result.notes.push_back(label + ": does not match \"" + spec.match + "\", skipped");
            continue;
          }
        }
        if (aired_urls_.count(normaliseUrl(c.url)) || aired_headlines_.count(normaliseHeadline(c.page.headline))) {
          result.notes.push_back(label + ": aired in the last " + std::to_string(o_.skip_aired) +
                                 " bulletins, skipped");
          continue;
        }
        try {
          result.stories.push_back(save(c));
        } catch (const Error& e) {
          if (spec.kind == SourceSpec::Kind::Page) throw;
          result.notes.push_back(label + ": " + e.what());
          continue;
        }
        seen_urls_.insert(normaliseUrl(c.url));
        seen_headlines_.insert(normaliseHeadline(c.page.headline));
      }
      // Every item skipped (old, duplicate, not matching, aired) is the producer's filter at work, not a failure.
      if (result.stories.empty() && result.error.empty())
        result.notes.push_back("no story left to read: every item was skipped (see the notes before)");
    } catch (const Error& e) {
      result.error = e.what();
    } catch (const std::regex_error& e) {
      result.error = "'match' is not a valid pattern: " + std::string(e.what());
    }
    return result;
  }

  void finish(const std::vector<SourceResult>& results, json saved) {
    for (const auto& r : results) {
      if (r.stories.empty()) continue;  // failed or every item skipped: keep an earlier list rather than none
      json list = json::array();
      for (const auto& s : r.stories)
        list.push_back({{"file", s.file.filename().string()}, {"url", s.url}, {"headline", s.headline}});
      saved[r.spec.key()] = list;
    }
    fs::create_directories(fetcher_.dir_);
    encode::writeFileAtomically(savedListPath(), saved.dump(1) + "\n");
    fetcher_.saveState();
  }

  fs::path savedListPath() const { return fetcher_.dir_ / (".fetched-" + o_.date + ".json"); }

 private:
  bool duplicate(const std::string& url, const std::string& headline, SourceResult& result) {
    const std::string u = normaliseUrl(url), h = normaliseHeadline(headline);
    if ((!u.empty() && seen_urls_.count(u)) || (!h.empty() && seen_headlines_.count(h))) {
      result.notes.push_back("\"" + headline + "\": already in this bulletin, read once");
      return true;
    }
    if (!u.empty()) seen_urls_.insert(u);
    if (!h.empty()) seen_headlines_.insert(h);
    return false;
  }

  std::vector<Candidate> feedCandidates(const SourceSpec& spec) {
    std::string xml;
    if (isUrl(spec.location)) {
      xml = fetcher_.get(spec.location, kMaxFeedBytes).body;
    } else {
      std::ifstream in(spec.location, std::ios::binary);
      if (!in) throw Error(ErrorKind::Input, spec.location + ": cannot read the feed file");
      xml.assign(std::istreambuf_iterator<char>(in), {});
    }
    std::vector<Candidate> out;
    for (FeedEntry& e : parseFeedEntries(xml, spec.location)) {
      Candidate c{resolveUrl(spec.location, e.link), e.title, e.published, {}};
      if (!e.content_html.empty()) c.page = extractArticle(e.content_html);
      out.push_back(std::move(c));
    }
    return out;
  }

  struct WordPressPager {
    std::string posts_url;  // without page=
    int page = 0, pages = 1;
    bool old_reached = false;
  };

  WordPressPager wordpressPager(const SourceSpec& spec) {
    std::string site = spec.location;
    while (!site.empty() && site.back() == '/') site.pop_back();
    std::string category = spec.category;
    if (!category.empty() &&
        !std::all_of(category.begin(), category.end(), [](unsigned char c) { return std::isdigit(c); })) {
      const json cats = parseJson(
          fetcher_.get(site + "/wp-json/wp/v2/categories?slug=" + percentEncode(category), 1024 * 1024), site);
      if (!cats.is_array() || cats.empty() || !cats[0].contains("id") || !cats[0]["id"].is_number_integer())
        throw Error(ErrorKind::Input, site + ": no WordPress category with the slug '" + spec.category + "'");
      category = std::to_string(cats[0]["id"].get<long long>());
    }
    WordPressPager pager;
    const int per_page = std::clamp(spec.take * 2, 5, 100);  // room for duplicates and old ones
    pager.posts_url = site + "/wp-json/wp/v2/posts?per_page=" + std::to_string(per_page) + "&orderby=date&order=desc";
    if (!category.empty()) pager.posts_url += "&categories=" + category;
    if (!spec.search.empty()) pager.posts_url += "&search=" + percentEncode(spec.search);
    return pager;
  }

  // The next page of posts (X-WP-TotalPages says how many there are), or none.
  std::vector<Candidate> nextWordPressPage(const SourceSpec& spec, WordPressPager& pager, SourceResult& result) {
    std::vector<Candidate> out;
    // Posts come newest first: once they are old, later pages are older still.
    if (pager.old_reached || pager.page >= pager.pages || pager.page >= kMaxWordPressPages) return out;
    const std::string url = pager.posts_url + "&page=" + std::to_string(++pager.page);
    const net::Response r = fetcher_.get(url, 8 * 1024 * 1024);
    try {
      pager.pages = std::max(1, std::stoi(r.header("x-wp-totalpages")));
    } catch (const std::exception&) {
      pager.pages = pager.page;  // no header: this page is the last
    }
    const json posts = parseJson(r, url);
    if (!posts.is_array()) throw Error(ErrorKind::Input, url + ": WordPress did not answer with a list of posts");
    for (const auto& p : posts) {
      Candidate c;
      try {
        c.url = p.value("link", "");
        c.headline = extractArticle("<h1>" + p.at("title").value("rendered", "") + "</h1>").headline;
        c.published = parseWebDate(p.value("date_gmt", ""));  // WordPress gives UTC without a zone
        c.page = extractArticle(p.at("content").value("rendered", ""));
      } catch (const json::exception&) {
        result.notes.push_back(url + ": a post without title or content, skipped");
        continue;
      }
      if (spec.since_seconds && c.published && *c.published < now_ - *spec.since_seconds) pager.old_reached = true;
      out.push_back(std::move(c));
    }
    return out;
  }

  static json parseJson(const net::Response& r, const std::string& what) {
    try {
      return json::parse(r.body);
    } catch (const json::exception&) {
      throw Error(ErrorKind::Input, what + ": not JSON (is this a WordPress site with the REST API on?)");
    }
  }

  FetchedStory save(const Candidate& c) {
    const PageArticle& a = c.page;
    const std::string headline = safeLine(a.headline);
    if (headline.empty()) throw Error(ErrorKind::Input, c.url + ": no headline found on the page");
    std::string body;
    for (const PageBlock& b : a.blocks) {
      const std::string line = safeLine(b.text);
      if (line.empty() || line == headline) continue;
      body += (b.subhead ? "## " : "") + line + "\n\n";
    }
    if (body.empty()) throw Error(ErrorKind::Input, c.url + ": no article text found on the page");
    const std::string day = c.published ? isoDay(*c.published) : o_.date;
    auto quoted = [](const std::string& v) { return "\"" + v + "\""; };
    std::string content = "---\ntitle: " + quoted(headline) + "\ndate: " + day + "\nsource: " + quoted(hostOf(c.url)) +
                          "\nurl: " + quoted(c.url) + "\n";
    if (!a.author.empty()) content += "author: " + quoted(safeLine(a.author)) + "\n";
    content += "---\n\n# " + headline + "\n\n" + body;
    fs::create_directories(fetcher_.dir_);
    // A name taken by another story gets -2, -3...; the same story keeps its file.
    const std::string stem = day + "-" + slugOf(headline);
    fs::path file = fetcher_.dir_ / (stem + ".txt");
    for (int n = 2; fs::exists(file) && savedUrl(file) != c.url; ++n)
      file = fetcher_.dir_ / (stem + "-" + std::to_string(n) + ".txt");
    // The reader must accept it; a page it refuses is named now, not at render time.
    text::parseArticle(content, file);
    if (!fs::exists(file) || o_.refresh) encode::writeFileAtomically(file, content);
    return {file, c.url, headline};
  }

  static std::string savedUrl(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    for (int i = 0; i < 12 && std::getline(in, line); ++i)
      if (line.rfind("url: ", 0) == 0) {
        std::string v = line.substr(5);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        return v;
      }
    return "";
  }

  const FetchOptions& o_;
  Fetcher fetcher_;
  std::int64_t now_;
  std::set<std::string> seen_urls_, seen_headlines_, aired_urls_, aired_headlines_;
};

}  // namespace

std::string SourceSpec::key() const {
  const char* kinds[] = {"feed", "wordpress", "url"};
  std::string k = std::string(kinds[static_cast<int>(kind)]) + " " + location + " take=" + std::to_string(take);
  if (since_seconds) k += " since=" + std::to_string(*since_seconds);
  if (!match.empty()) k += " match=" + match;
  if (!category.empty()) k += " category=" + category;
  if (!search.empty()) k += " search=" + search;
  return k;
}

std::vector<SourceResult> fetchSources(const std::vector<SourceSpec>& specs, const FetchOptions& options) {
  Run run(options);
  const json saved = options.refresh ? json::object() : readJson(run.savedListPath());
  std::vector<SourceResult> results;
  for (const SourceSpec& spec : specs) results.push_back(run.run(spec, saved));
  run.finish(results, readJson(run.savedListPath()));
  return results;
}

void recordAired(const fs::path& out_dir, const std::string& bulletin, const std::vector<FetchedStory>& stories) {
  const fs::path file = out_dir / ".warta-aired.json";
  json state = readJson(file);
  json list = state.contains("bulletins") && state["bulletins"].is_array() ? state["bulletins"] : json::array();
  json kept = json::array();
  for (auto& b : list)
    if (b.value("name", "") != bulletin) kept.push_back(b);
  json entry = {{"name", bulletin}, {"stories", json::array()}};
  for (const auto& s : stories)
    entry["stories"].push_back({{"url", normaliseUrl(s.url)}, {"headline", normaliseHeadline(s.headline)}});
  kept.push_back(entry);
  while (kept.size() > kAiredBulletinsKept) kept.erase(kept.begin());
  state["bulletins"] = kept;
  encode::writeFileAtomically(file, state.dump(1) + "\n");
}

std::string normaliseUrl(const std::string& url) {
  std::string u = url;
  if (auto hash = u.find('#'); hash != std::string::npos) u.erase(hash);
  if (auto scheme = u.find("://"); scheme != std::string::npos) u.erase(0, scheme + 3);
  const auto slash = u.find_first_of("/?");
  std::string host = lower(u.substr(0, slash)), rest = slash == std::string::npos ? "" : u.substr(slash);
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  std::string path = rest.substr(0, rest.find('?')), query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    std::istringstream params(rest.substr(q + 1));
    std::string p;
    while (std::getline(params, p, '&')) {
      const std::string name = lower(p.substr(0, p.find('=')));
      const bool tracking =
          std::any_of(std::begin(kTrackingParameters), std::end(kTrackingParameters),
                      [&](std::string_view t) { return t.back() == '_' ? name.rfind(t, 0) == 0 : name == t; });
      if (!tracking && !p.empty()) query += (query.empty() ? "?" : "&") + p;
    }
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  return host + path + query;
}

std::string normaliseHeadline(const std::string& headline) {
  std::string out;
  for (unsigned char c : headline) {
    if (c >= 0x80 || std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace warta::sources
