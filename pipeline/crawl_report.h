// What the crawl state in a store says, for `stats`: each source's last and next crawl, and every
// URL whose last attempts failed (how often, and why).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/status.h"
#include "storage/crawl_state.h"

namespace tw {

class Store;

struct CrawlReport {
  struct Source {
    std::string name;
    CrawlState state;
  };
  struct Failing {
    std::string url;
    CrawlState state;  // failures, last_error, http_status, last_attempt; pending = will be retried
  };
  std::vector<Source> sources;    // by name
  uint64_t urls = 0;              // URLs the crawler knows (articles, sitemaps, robots.txt)
  uint64_t pending = 0;           // discovered or retrying, not yet fetched
  std::vector<Failing> failing;   // URLs whose last attempt failed, most recent first
};

Result<CrawlReport> ReadCrawlReport(const Store& store);

}  // namespace tw
