// The sources file of `twinwatch crawl --sources FILE` (TOML; the format is in CONTRACT.md and the
// README): crawler settings and the feeds, sitemaps and listing pages to crawl.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace re2 {
class RE2;
}

namespace tw {

// [crawler]
struct CrawlerSettings {
  std::string user_agent = std::string("twinwatch/") + TW_VERSION;
  int concurrency = 32;                  // transfers in flight, all hosts together
  double per_host_delay_seconds = 1.0;   // between two requests to one host (a longer Crawl-delay wins)
  bool allow_private = false;            // let fetches reach loopback, private and link-local addresses
  double connect_timeout_seconds = 10;
  double timeout_seconds = 30;           // whole transfer
  size_t max_body_bytes = 10u << 20;     // after content decoding
  int max_attempts = 5;                  // per URL, across runs, before it is given up
  double retry_backoff_seconds = 2;      // first retry delay; doubled at each failure, with jitter
  double max_retry_wait_seconds = 60;    // --once waits for a retry (or Retry-After) at most this long
  // "host:port:address" entries pinning names to addresses (libcurl CURLOPT_RESOLVE): tests and
  // benchmarks that serve many host names from 127.0.0.1.
  std::vector<std::string> resolve;
  // PEM file of the certificate authorities HTTPS servers are checked against, instead of the
  // system's (an intranet CA, or a test server's own certificate). Empty: the system store.
  std::string ca_file;
};

enum class SourceKind { kFeed, kSitemap, kPage };
const char* SourceKindName(SourceKind kind);

// [[source]]
struct SourceConfig {
  std::string name;
  SourceKind kind = SourceKind::kFeed;
  std::string url;                       // absolute and canonical
  std::string links;                     // kPage: RE2 pattern that article links match
  std::shared_ptr<const re2::RE2> links_re;
  double every_seconds = 3600;
};

struct SourcesFile {
  std::string path;
  CrawlerSettings crawler;
  std::vector<SourceConfig> sources;
};

// Reads and checks a sources file. Relative URLs are resolved against the file's own location
// (file:///dir/of/FILE), so a sources file and the saved feed next to it move together. Every
// error is kInvalidArgument "FILE:LINE: what to fix" (kIOError when the file cannot be read).
Result<SourcesFile> LoadSourcesFile(const std::string& path);

// "90s", "30m", "1h30m", "2d", "500ms", "0s" -> seconds. Units: ms, s, m, h, d.
Result<double> ParseDuration(std::string_view text);

}  // namespace tw
