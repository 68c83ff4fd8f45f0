// What the crawler remembers between runs about one source (a feed, sitemap or listing page) or one
// URL: the validators for conditional GETs, when to fetch next, and how the last tries went.
// Stored by Store::PutCrawlState in the `crawl` column family.
#pragma once

#include <cstdint>
#include <string>

namespace tw {

// Whose state a record is: a source by its name in the sources file, or a URL.
enum class CrawlScope { kSource, kUrl };

struct CrawlState {
  std::string etag;           // validators from the last answer, for If-None-Match / If-Modified-Since
  std::string last_modified;  // as the server sent it
  int64_t last_attempt = 0;   // unix seconds of the last fetch attempt, 0 if never
  int64_t last_success = 0;   // unix seconds of the last usable answer (2xx or 304), 0 if never
  int64_t next_due = 0;       // unix seconds: fetch again at or after this
  uint32_t failures = 0;      // consecutive failed attempts; 0 after a success
  int http_status = 0;        // status of the last answer, 0 when there was none (network error)
  std::string last_error;     // why the last attempt failed; empty after a success
  // Crawler bookkeeping of a URL record (empty/false in source records):
  std::string kind;           // what the URL is to the crawler: article, feed, sitemap, page, robots
  std::string source;         // the source that led to it
  bool pending = false;       // discovered (or to be retried) and not finished: the next run resumes it
  std::string body;           // robots records only: the robots.txt as fetched (cached 24 h)

  bool operator==(const CrawlState&) const = default;
};

// The stored form (a small JSON object, so fields can be added without a schema change).
std::string EncodeCrawlState(const CrawlState& state);
// False when `bytes` is not a crawl-state record.
bool DecodeCrawlState(const std::string& bytes, CrawlState* state);

}  // namespace tw
