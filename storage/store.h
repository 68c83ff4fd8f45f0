// The event store: RocksDB under one directory (layout in storage/schema.h). An article, its text,
// the events it reports and every index over them are written in one WriteBatch, so a crash
// leaves either all of an article or none of it.
//
// One process writes (ingest, crawl, reextract: it holds the database lock); any number of
// processes read at the same time (query, stats, serve) through read-only handles that follow the
// writer (RocksDB secondary instances; CatchUp() brings one up to date).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "extractors/extraction.h"
#include "pipeline/status.h"
#include "storage/crawl_state.h"
#include "storage/event.h"
#include "storage/filter.h"

namespace tw {

// Every name a place is known by (e.g. the gazetteer's alternate names), for `query --city`. A
// function of the place's key and name: a writer asks it once per place and name it meets.
using PlaceNamesFn = std::function<std::vector<std::string>(const Place&)>;

// Memory a bulk load into an empty store may take by default (MiB): about 1,000,000 events with
// their articles' text.
constexpr size_t kDefaultBulkMemoryMb = 2048;

struct StoreOptions {
  // A reader: never writes, takes no lock, and sees what the writer had committed when it was
  // opened or last caught up (CatchUp).
  bool read_only = false;
  // Memtables of all column families together flush to disk past this size (bounds memory).
  size_t write_buffer_bytes = 2u << 20;
  // Cache of table blocks (reads, indexes and filters), shared by all column families.
  size_t block_cache_bytes = 2u << 20;
  // Names to index for each place, besides its own name and the spellings articles used.
  PlaceNamesFn place_names;
  // A bulk load (`ingest --bulk`, bench_store): articles are written without the write-ahead log,
  // all column families are flushed together (so the tables on disk always hold a whole number of
  // articles, each with its events and indexes), and compaction waits for Sync(), which flushes and
  // compacts once. A kill loses the articles written since the last flush, nothing else: the store
  // opens and the next run stores them again. Readers in other processes see the articles once they
  // are flushed. Use with BulkLoadOptions' larger memtables.
  bool bulk_load = false;
  // A bulk load into an empty store (no article yet) is held in memory, up to about this many bytes,
  // and written out as sorted table files ingested into every family at once: at Sync(), when the
  // budget is reached, or when the writer itself reads through this API (its reads see everything).
  // The same merging and contents as article by article; the rest of a load past the budget goes
  // through the database as above. A kill before the write-out loses the whole run (the store stays
  // empty; the next run stores it all); the write-out itself is all or nothing. 0: never in memory.
  size_t bulk_memory_bytes = 0;
};

// Options for a bulk load of many articles: bulk_load, with `buffer_mb` MiB of memtables (the
// larger, the fewer flushes; memory grows by about this much) and a block cache of half that,
// and into an empty store up to `memory_mb` MiB held in memory (bulk_memory_bytes).
StoreOptions BulkLoadOptions(size_t buffer_mb = 64, size_t memory_mb = kDefaultBulkMemoryMb);

enum class PutMode {
  kIngest,     // an article read again with the same text changes nothing (duplicate)
  kReextract,  // the article's contributions are replaced by these, even with the same text
};

// What Put() did with one article.
struct PutOutcome {
  bool duplicate = false;    // kIngest: the same text was already stored (under this url or another)
  bool changed = false;      // anything was written
  int events_new = 0;        // events that now exist with only this article as source
  int events_merged = 0;     // events this article joined as a further source
  int events_removed = 0;    // events that lost their last source
};

struct StoreCounts {
  uint64_t articles = 0;
  uint64_t events = 0;
  std::map<std::string, uint64_t> events_by_type;  // every type, zero included
  uint64_t sources = 0;      // event sources, all events together
  int64_t last_stored = 0;   // unix seconds of the last article written, 0 if none
};

struct CityCount {
  Place place;
  uint64_t events = 0;
};

struct FindOptions {
  uint64_t offset = 0;
  uint64_t limit = 0;        // 0: all
  size_t max_sources = 0;    // the earliest this many sources of each event (0: all)
  // Count every match for EventPage::total. Without it a query by date, type or country stops
  // reading its indexes once it has offset + limit events, and total counts only those.
  bool count_total = true;
};

// One page of a query's results, and how many match in all.
struct EventPage {
  std::vector<StoredEvent> events;
  uint64_t total = 0;
};

// A stored article: metadata and cleaned text (origin is its url).
struct StoredArticle {
  Article article;
  std::vector<std::string> event_ids;  // the events it is a source of
  int64_t stored_at = 0;               // unix seconds
};

class Store {
 public:
  static constexpr int kSchemaVersion = 6;

  // Opens (creating if missing, unless read-only) the store in `dir`. A store held by another
  // process is kBusy; a store of another schema version is kInvalidArgument; a missing one (for a
  // reader) kNotFound. Every message names `dir`.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores an article and merges its events (storage/merge.h). Only one thread may call Put at a
  // time (the store stage is the single writer).
  Result<PutOutcome> Put(const Extraction& extraction, PutMode mode = PutMode::kIngest);

  // Events matching `filter`, sorted by date (undated last) then id: `limit` of them (0: all)
  // from `offset` on, and the total. Each event with its earliest `max_sources` sources (0: all;
  // source_count counts them all). Served from the indexes; thread-safe.
  Result<EventPage> Find(const EventFilter& filter, const FindOptions& options) const;
  Result<EventPage> Find(const EventFilter& filter, uint64_t offset = 0, uint64_t limit = 0, size_t max_sources = 0) const {
    return Find(filter, FindOptions{offset, limit, max_sources, true});
  }

  // One event by id (16 hex digits); kNotFound if there is none. An id the event had before its
  // date was refined (or made coarser) by a later report still finds it: the event comes back
  // under its current id (event.id != id), which callers can show as a redirect.
  Result<StoredEvent> GetEvent(const std::string& id) const;
  // One article by id, with its text; kNotFound if there is none.
  Result<StoredArticle> GetArticle(const std::string& id) const;

  // Calls `fn` for every stored article (with its text), in id order; stop early by returning false.
  Status ForEachArticle(const std::function<bool(const StoredArticle&)>& fn) const;
  // Calls `fn` for every event, in id order; stop early by returning false.
  Status ForEachEvent(const std::function<bool(const StoredEvent&)>& fn) const;

  Result<StoreCounts> Counts() const;
  // The `n` places with the most events, most first.
  Result<std::vector<CityCount>> TopCities(size_t n) const;

  // Whether an article read from `url` is stored (the crawler skips such links). Any thread.
  Result<bool> HasArticleUrl(const std::string& url) const;

  // Crawl state of a source (by its name) or a URL. Any thread, also while Put runs on another.
  Result<std::optional<CrawlState>> GetCrawlState(CrawlScope scope, const std::string& key) const;
  Status PutCrawlState(CrawlScope scope, const std::string& key, const CrawlState& state);
  // Calls `fn` for every record of `scope`, in key order; stop early by returning false.
  Status ForEachCrawlState(CrawlScope scope,
                           const std::function<bool(const std::string& key, const CrawlState& state)>& fn) const;

  // A reader: takes in what the writer has committed since (no-op for the writer).
  Status CatchUp();

  // Makes what was written durable (end of a run): flushes the write-ahead log to disk; in a bulk
  // load, writes the memtables out and does the compaction the load deferred.
  Status Sync();
  // Writes the memtables out and compacts every family (settled sizes for the bench; smaller and
  // faster reads after a large load). Writer only.
  Status Compact();

  // Bytes on disk of each column family (SST files), for the bench and stats.
  std::map<std::string, uint64_t> DiskBytesByFamily() const;

  const std::string& dir() const { return dir_; }

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl, std::string dir);
  std::unique_ptr<Impl> impl_;
  std::string dir_;
};

}  // namespace tw
