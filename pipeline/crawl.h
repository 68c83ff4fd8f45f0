// `crawl`: the sources of a sources file, fetched politely (scheduler + fetcher on one thread) and
// fed into the same processing line as `ingest` (clean -> extract -> store). What to fetch next,
// validators for conditional GETs, retries and robots.txt live in the store's crawl state, so a run
// killed at any point is resumed by the next one: nothing stored is fetched again, nothing
// discovered is forgotten.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "pipeline/ingest.h"
#include "pipeline/sources.h"

namespace tw {

struct CrawlOptions {
  LineOptions line;
  // One pass over what is due, then return (cron). Otherwise run until `stop`, fetching each
  // source again when its `every` comes round.
  bool once = true;
  bool show_progress = false;
};

// What a crawl run did, for the summary line, the bench and the tests.
struct CrawlTotals {
  LineTotals line;                 // what the processing line did with the fetched articles
  uint64_t sources_crawled = 0;    // source feeds/sitemaps/pages fetched (200 or 304)
  uint64_t requests = 0;           // HTTP requests and file reads, robots.txt included
  uint64_t not_modified = 0;       // 304 answers to conditional GETs
  uint64_t discovered = 0;         // new article URLs found
  uint64_t already_stored = 0;     // links skipped because the article is stored
  uint64_t fetched = 0;            // articles fetched and handed to the line
  uint64_t disallowed = 0;         // refused by robots.txt
  uint64_t skipped = 0;            // not HTML or text
  uint64_t retries = 0;            // failed attempts that will be tried again
  uint64_t failed = 0;             // URLs given up (4xx, too large, refused, too many attempts...)
  uint64_t bytes = 0;              // body bytes received, decoded
  uint64_t connections = 0;        // connections opened (fewer than requests: keep-alive)
  uint64_t http2_responses = 0;
};

// Runs the crawl until done (once) or `stop` becomes true, then drains the line and records the
// state. Every error about one URL or source is logged (naming it), counted and recorded.
CrawlTotals RunCrawl(const SourcesFile& sources, const Cleaner& cleaner, const Extractor& extractor, Store& store,
                     const CrawlOptions& options, const std::atomic<bool>* stop);

// "crawl: 1 sources read, 9 requests (0 not modified, 2 connections), 6 new links (0 already stored), 6 fetched,
//  0 disallowed by robots.txt, 0 skipped, 0 retries, 0 failed"
std::string CrawlSummaryLine(const CrawlTotals& totals);

}  // namespace tw
