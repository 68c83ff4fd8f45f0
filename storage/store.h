// The event store: RocksDB under one directory. An article, its events and their indexes are
// written in one WriteBatch, so a crash leaves either all of an article or none of it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "extractors/extraction.h"
#include "pipeline/status.h"
#include "storage/crawl_state.h"
#include "storage/event.h"

namespace tw {

struct StoreOptions {
  bool read_only = false;  // for query/stats: works while another process writes
  // Memtables of all column families together flush to disk past this size (bounds memory).
  size_t write_buffer_bytes = 2u << 20;
  // Cache of table blocks (reads, indexes and filters), shared by all column families.
  size_t block_cache_bytes = 2u << 20;
};

// What Put() did with one article.
struct PutOutcome {
  bool duplicate = false;    // the same article (same url and text, or same text) was already stored
  int events_new = 0;        // events created
  int events_merged = 0;     // events that gained a source
};

struct StoreCounts {
  uint64_t articles = 0;
  uint64_t events = 0;
  std::map<std::string, uint64_t> events_by_type;
  uint64_t sources = 0;      // event sources, all events together
};

class Store {
 public:
  static constexpr int kSchemaVersion = 2;

  // Opens (creating if missing, unless read-only) the store in `dir`. A store held by another
  // process is kBusy; a store of another schema version is kInvalidArgument; both name `dir`.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores an article and its events. Only one thread may call Put at a time (the store stage is
  // the single writer). Re-putting the same article changes nothing.
  Result<PutOutcome> Put(const Extraction& extraction);

  // Calls `fn` for every event, in id order; stop early by returning false.
  Status ForEachEvent(const std::function<bool(const StoredEvent&)>& fn) const;

  // The stored article record (JSON text), kNotFound if absent.
  Result<std::string> GetArticleJson(const std::string& article_id) const;

  Result<StoreCounts> Counts() const;

  // Whether an article read from `url` is stored (the crawler skips such links). Any thread.
  Result<bool> HasArticleUrl(const std::string& url) const;

  // Crawl state of a source (by its name) or a URL. Any thread, also while Put runs on another.
  Result<std::optional<CrawlState>> GetCrawlState(CrawlScope scope, const std::string& key) const;
  Status PutCrawlState(CrawlScope scope, const std::string& key, const CrawlState& state);
  // Calls `fn` for every record of `scope`, in key order; stop early by returning false.
  Status ForEachCrawlState(CrawlScope scope,
                           const std::function<bool(const std::string& key, const CrawlState& state)>& fn) const;

  // Flushes the write-ahead log to disk (end of a run).
  Status Sync();

  const std::string& dir() const { return dir_; }

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl, std::string dir);
  std::unique_ptr<Impl> impl_;
  std::string dir_;
};

}  // namespace tw
