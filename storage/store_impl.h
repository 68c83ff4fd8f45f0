// Internals of Store shared by its read side (store.cc) and its write side (store_put.cc). Not a
// public header: only storage/store*.cc include it.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storage/schema.h"
#include "storage/store.h"

namespace tw {

Status FromRocks(const rocksdb::Status& s, const std::string& context);

// Keys of the meta family.
inline constexpr const char* kArticlesCounter = "n/articles";
inline constexpr const char* kSourcesCounter = "n/sources";
inline constexpr const char* kLastStoredKey = "t/last_stored";
inline std::string EventsCounterKey(EventType type) { return std::string("n/events/") + EventTypeName(type); }
inline constexpr EventType kAllTypes[] = {EventType::kAgreement, EventType::kTermination, EventType::kSuspension,
                                          EventType::kProposal};

// The counters kept in the meta family, updated in each article's WriteBatch.
struct Counters {
  uint64_t articles = 0;
  uint64_t sources = 0;
  uint64_t events[4] = {0, 0, 0, 0};
  int64_t last_stored = 0;
};

// One query answer before its events are loaded: index entries in output order.
struct IndexHit {
  std::string date_field;  // DateField(date): sorts like the output
  std::string id;          // 8 bytes
  bool operator<(const IndexHit& o) const { return date_field != o.date_field ? date_field < o.date_field : id < o.id; }
  bool operator==(const IndexHit& o) const { return id == o.id; }
};

// One article's reports in one group: report date -> its report at that date.
using DatedReports = std::map<std::string, EventSource>;

// The index keys of one event (the by_country key once per distinct country), given the countries
// of its two places.
void AppendIndexKeys(const std::string& id, const schema::EventRecord& ev, const std::string& lo_country,
                     const std::string& hi_country, std::vector<std::pair<schema::Family, std::string>>* keys);

class BulkMemory;  // storage/bulk_memory.h

struct Store::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cf;
  std::string dir;
  StoreOptions options;
  std::string reader_dir;  // a reader's own folder for RocksDB's logs, removed on close

  // Writer state: the counters as of the last write, and places and names this process wrote.
  Counters counters;
  std::unordered_set<uint64_t> places_written;
  std::unordered_set<std::string> names_written;
  // Place key -> the name with which the place's own name and the names function's were written.
  std::unordered_map<uint64_t, std::string> own_names_written;
  // Places named by the article being written, before its batch is committed.
  std::unordered_map<uint64_t, Place> pending_places;

  // Places are few and read by every event: cached, shared by reader threads.
  mutable std::shared_mutex places_mutex;
  mutable std::unordered_map<uint64_t, Place> places;

  // The first failed write (a full disk...). RocksDB stops taking writes after one, and writing
  // again through it trips an assertion in Debian's build: later writes and syncs return this
  // instead. Writers run on several threads (store stage, crawler), hence the mutex.
  mutable std::mutex write_error_mu;
  Status write_error;

  Status WriteError() const {
    std::lock_guard lock(write_error_mu);
    return write_error;
  }
  void SetWriteError(const rocksdb::Status& s) {
    SetWriteError(FromRocks(s, "database " + dir + " cannot take writes (what it holds is intact)"));
  }
  void SetWriteError(const Status& s) {
    std::lock_guard lock(write_error_mu);
    if (write_error.ok()) write_error = s;
  }

  // Options of each column family as opened (a bulk load's table files are written with them).
  std::vector<rocksdb::ColumnFamilyOptions> family_options;

  // A bulk load into an empty store, held in memory until it is written out as sorted table files
  // (storage/bulk_memory.h); null when there is none or once written out. While `in_memory`, Put
  // holds the mutex while it writes into it, and the writer's public reads write it out first
  // (EndMemoryPhase). The phase never comes back: once it is over (or never was) neither takes the
  // mutex, so readers never wait for a write.
  std::unique_ptr<BulkMemory> bulk_memory;
  std::mutex bulk_memory_mu;
  std::atomic<bool> in_memory{false};
  // Writes the in-memory bulk load out (tables ingested into every family at once) and ends the
  // phase: later writes go through the database. The caller holds bulk_memory_mu.
  Status WriteOutBulkMemory();
  Status EndMemoryPhase() {
    if (!in_memory.load(std::memory_order_acquire)) return Status::OK();
    std::lock_guard lock(bulk_memory_mu);
    return WriteOutBulkMemory();
  }

  ~Impl();

  Result<std::optional<std::string>> Get(schema::Family family, const std::string& key) const;
  // Calls `fn(key, value)` for every key of `family` starting with `prefix`; stop early by returning false.
  Status ScanPrefix(schema::Family family, const std::string& prefix,
                    const std::function<bool(std::string_view key, std::string_view value)>& fn) const {
    return ScanFrom(family, prefix, prefix, fn);
  }
  // The same from `start` (>= prefix) on.
  Status ScanFrom(schema::Family family, const std::string& prefix, const std::string& start,
                  const std::function<bool(std::string_view key, std::string_view value)>& fn) const;

  Result<Place> LoadPlace(uint64_t key) const;
  Result<Place> LoadPlaceOrPending(uint64_t key) const;
  Result<std::optional<schema::ArticleRecord>> LoadArticle(const std::string& key) const;
  Result<std::optional<schema::EventRecord>> LoadEventRecord(const std::string& key) const;
  Result<schema::GroupRecord> LoadGroup(const schema::EventGroup& group) const;
  // The live event an id names: itself, or the event an alias chain leads to; nullopt if none.
  Result<std::optional<std::string>> ResolveEventKey(const std::string& key) const;

  // Calls `fn(article_key, source)` for each source of `group` reported at `date` (source.date and
  // article_id filled in). `sources`: an iterator over the sources family to reuse (reads of many
  // events), or null.
  Status ScanSources(const schema::EventGroup& group, const std::string& date,
                     const std::function<void(std::string_view article_key, EventSource&& source)>& fn,
                     rocksdb::Iterator* sources = nullptr) const;

  // The event as users see it: places, and sources (at most `max_sources`, 0: all, the earliest).
  Result<StoredEvent> ToStoredEvent(const std::string& key, const schema::EventRecord& record, size_t max_sources = 0,
                                    rocksdb::Iterator* sources = nullptr) const;
  Result<StoredEvent> LoadEvent(const std::string& key, size_t max_sources = 0) const;
  // Events by key (one MultiGet, one sources iterator), in the order given; keys without an event
  // (removed since their index entry was read, for a reader following a writer) are left out.
  Result<std::vector<StoredEvent>> LoadEvents(const std::vector<std::string>& keys, size_t max_sources) const;

  // Index keys of one event (the by_country key once per distinct country).
  Status IndexKeys(const std::string& id, const schema::EventRecord& ev, std::vector<std::pair<schema::Family, std::string>>* keys) const;

  // The first `want` (0: all) index entries a query matches, in output order (see Find), and how
  // many match in all when `count_total` (else `total` is the number returned).
  struct HitPage {
    std::vector<IndexHit> hits;
    uint64_t total = 0;
  };
  Result<HitPage> Hits(const EventFilter& f, uint64_t want, bool count_total) const;
  Result<HitPage> CityHits(const EventFilter& f, const std::string& country, uint64_t want) const;

  // Write side (store_put.cc): merges one article's reports of one group into the batch.
  Status MergeGroup(const schema::EventGroup& group, const std::string& article_key, const DatedReports& before,
                    const DatedReports& after, rocksdb::WriteBatch& batch, Counters& counters, PutOutcome& outcome) const;
  // Puts (or deletes) an event's index keys in the batch (not in a bulk load held in memory).
  Status WriteIndexKeys(const std::string& key, const schema::EventRecord& event, rocksdb::WriteBatch& batch, bool put) const;
  // An event's record computed from its stored sources, with the article's reports `after` in
  // place of what it had stored (`before`); `stored_dates` is the group's record before this write.
  Result<schema::EventRecord> RecountEvent(const schema::EventGroup& group, const std::vector<std::string>& dates,
                                           const schema::GroupRecord& stored_dates, const std::string& article_key,
                                           const DatedReports& before, const DatedReports& after) const;
};

// The key of the event of `group` at `date` (its id, 8 bytes).
std::string EventKey(const schema::EventGroup& group, const std::string& date);

}  // namespace tw
