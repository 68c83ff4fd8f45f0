#include "storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <queue>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "extractors/text.h"
#include "pipeline/types.h"
#include "storage/bulk_memory.h"
#include "storage/codec.h"
#include "storage/merge.h"
#include "storage/schema.h"
#include "storage/store_impl.h"

namespace tw {

using namespace schema;

namespace {

constexpr const char* kSchemaKey = "schema_version";

uint64_t ParseCounter(const std::optional<std::string>& v) {
  return v ? std::strtoull(v->c_str(), nullptr, 10) : 0;
}

// Sources in output order: earliest published first, undated last, then by article id.
bool EarlierSource(const EventSource& a, const EventSource& b) {
  if (a.published.empty() != b.published.empty()) return b.published.empty();
  if (a.published != b.published) return a.published < b.published;
  return a.article_id < b.article_id;
}

// Alias chains are short (one link per change of an event's date); this bounds a damaged one.
constexpr int kMaxAliasHops = 32;

}  // namespace

// RocksDB's own log goes to ours, at debug level (-v), not to a LOG file in the database directory:
// that file is one more write to fail on a full or read-only disk, and the librocksdb Debian ships
// aborts on an assertion when its log file is written again after a failed write. What a user needs
// to know comes back as a Status and is reported with the input it concerns.
class SpdlogLogger final : public rocksdb::Logger {
 public:
  explicit SpdlogLogger(std::string dir) : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), dir_(std::move(dir)) {}

  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL || !spdlog::should_log(spdlog::level::debug)) return;
    char message[1024];
    std::vsnprintf(message, sizeof message, format, ap);
    spdlog::debug("database {}: rocksdb: {}", dir_, message);
  }

 private:
  std::string dir_;
};

Status FromRocks(const rocksdb::Status& s, const std::string& context) {
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound(context + ": " + s.ToString());
  if (s.IsCorruption()) return Status::Corruption(context + ": " + s.ToString());
  return Status::IOError(context + ": " + s.ToString());
}

std::string EventKey(const EventGroup& group, const std::string& date) {
  std::string key;
  IdToKey(EventId(group.type, group.lo, group.hi, date), &key);
  return key;
}

Store::Impl::~Impl() {
  if (bulk_memory && WriteError().ok()) {
    // A bulk load that ended without Sync(): what it holds is written out, as a database's memtables are flushed.
    std::lock_guard lock(bulk_memory_mu);
    if (Status st = WriteOutBulkMemory(); !st.ok()) spdlog::error("{}", st.message());
  }
  for (auto* h : cf) {
    if (db && h) db->DestroyColumnFamilyHandle(h);
  }
  cf.clear();
  if (db) db->Close();
  db.reset();
  if (!reader_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(reader_dir, ec);
  }
}

Result<std::optional<std::string>> Store::Impl::Get(Family family, const std::string& key) const {
  // (Holds first: the crawl family is read from any thread, the others only by the writer while a
  // bulk load is in memory.)
  if (BulkMemory::Holds(family) && bulk_memory) {
    const BulkMemory::String* held = bulk_memory->Find(family, key);
    return held ? std::optional<std::string>(std::string_view(*held)) : std::optional<std::string>();
  }
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf[family], key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, dir);
  return std::optional<std::string>(std::move(value));
}

Status Store::Impl::ScanFrom(Family family, const std::string& prefix, const std::string& start,
                             const std::function<bool(std::string_view key, std::string_view value)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf[family]));
  for (it->Seek(start); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!fn(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), dir);
}

Result<Place> Store::Impl::LoadPlace(uint64_t key) const {
  {
    std::shared_lock lock(places_mutex);
    auto it = places.find(key);
    if (it != places.end()) return it->second;
  }
  auto raw = Get(kPlaces, BigEndian64(key));
  if (!raw.ok()) return raw.status();
  Place p;
  if (!raw.value() || !DecodePlace(*raw.value(), &p)) {
    return Status::Corruption(dir + ": place " + std::to_string(key) + " is missing or unreadable");
  }
  std::unique_lock lock(places_mutex);
  places.emplace(key, p);
  return p;
}

Result<Place> Store::Impl::LoadPlaceOrPending(uint64_t key) const {
  auto it = pending_places.find(key);
  if (it != pending_places.end()) return it->second;
  return LoadPlace(key);
}

Result<std::optional<ArticleRecord>> Store::Impl::LoadArticle(const std::string& key) const {
  auto raw = Get(kArticles, key);
  if (!raw.ok()) return raw.status();
  if (!raw.value()) return std::optional<ArticleRecord>();
  ArticleRecord record;
  if (!DecodeArticle(*raw.value(), &record)) return Status::Corruption(dir + ": article " + KeyToId(key) + " is unreadable");
  return std::optional<ArticleRecord>(std::move(record));
}

Result<std::optional<EventRecord>> Store::Impl::LoadEventRecord(const std::string& key) const {
  auto raw = Get(kEvents, key);
  if (!raw.ok()) return raw.status();
  if (!raw.value()) return std::optional<EventRecord>();
  EventRecord record;
  if (!DecodeEvent(*raw.value(), &record)) return Status::Corruption(dir + ": event " + KeyToId(key) + " is unreadable");
  return std::optional<EventRecord>(std::move(record));
}

Result<GroupRecord> Store::Impl::LoadGroup(const EventGroup& group) const {
  auto raw = Get(kGroups, GroupKey(group));
  if (!raw.ok()) return raw.status();
  GroupRecord record;
  if (*raw && !DecodeGroup(**raw, &record)) return Status::Corruption(dir + ": an event group record is unreadable");
  return record;
}

Result<std::optional<std::string>> Store::Impl::ResolveEventKey(const std::string& key) const {
  std::string at = key;
  for (int hop = 0; hop <= kMaxAliasHops; ++hop) {
    auto event = Get(kEvents, at);
    if (!event.ok()) return event.status();
    if (*event) return std::optional<std::string>(at);
    auto alias = Get(kAliases, at);
    if (!alias.ok()) return alias.status();
    if (!*alias || (*alias)->size() != 8) return std::optional<std::string>();
    at = std::move(**alias);
  }
  return std::optional<std::string>();
}

Status Store::Impl::ScanSources(const EventGroup& group, const std::string& date,
                                const std::function<void(std::string_view article_key, EventSource&& source)>& fn,
                                rocksdb::Iterator* sources) const {
  const std::string prefix = SourcePrefix(group, date);
  bool unreadable = false;
  auto take = [&](std::string_view article_key, std::string_view record) {
    EventSource s;
    if (article_key.size() != 8 || !DecodeSource(record, &s)) return !(unreadable = true);
    s.article_id = KeyToId(article_key);
    s.date = date;
    fn(article_key, std::move(s));
    return true;
  };
  auto failed = [&] { return Status::Corruption(dir + ": a source record of event " + KeyToId(EventKey(group, date)) + " is unreadable"); };
  if (bulk_memory) {
    bulk_memory->ScanSources(prefix, [&](std::string_view article_key, std::string_view record) { take(article_key, record); });
    return unreadable ? failed() : Status::OK();
  }
  std::unique_ptr<rocksdb::Iterator> own;
  if (sources == nullptr) {
    own.reset(db->NewIterator(rocksdb::ReadOptions(), cf[kSources]));
    sources = own.get();
  }
  for (sources->Seek(prefix); sources->Valid() && sources->key().starts_with(prefix); sources->Next()) {
    if (!take(sources->key().ToStringView().substr(prefix.size()), sources->value().ToStringView())) return failed();
  }
  return FromRocks(sources->status(), dir);
}

Result<StoredEvent> Store::Impl::ToStoredEvent(const std::string& key, const EventRecord& record, size_t max_sources,
                                               rocksdb::Iterator* sources) const {
  StoredEvent e;
  e.id = KeyToId(key);
  e.type = record.type;
  e.date = record.date;
  e.source_count = record.source_count;
  e.confidence_weight = record.confidence_weight;
  auto lo = LoadPlace(record.lo);
  if (!lo.ok()) return lo.status();
  auto hi = LoadPlace(record.hi);
  if (!hi.ok()) return hi.status();
  e.cities[0] = *lo;
  e.cities[1] = *hi;
  OrderCities(e);

  // One source per article: its report at the most precise of the event's dates.
  std::unordered_set<std::string> seen;
  const bool several_dates = !record.coarser_dates.empty();
  auto collect = [&](const std::string& date) {
    return ScanSources(record.group(), date, [&](std::string_view article_key, EventSource&& s) {
      if (several_dates && !seen.emplace(article_key).second) return;
      e.sources.push_back(std::move(s));
    }, sources);
  };
  Status st = collect(record.date);
  for (const auto& date : record.coarser_dates) {
    if (st.ok()) st = collect(date);
  }
  if (!st.ok()) return st;
  if (max_sources > 0 && e.sources.size() > max_sources) {
    std::partial_sort(e.sources.begin(), e.sources.begin() + static_cast<std::ptrdiff_t>(max_sources), e.sources.end(),
                      EarlierSource);
    e.sources.resize(max_sources);
  } else {
    std::sort(e.sources.begin(), e.sources.end(), EarlierSource);
  }
  return e;
}

Result<StoredEvent> Store::Impl::LoadEvent(const std::string& key, size_t max_sources) const {
  auto record = LoadEventRecord(key);
  if (!record.ok()) return record.status();
  if (!*record) return Status::NotFound("no event " + KeyToId(key));
  return ToStoredEvent(key, **record, max_sources);
}

Result<std::vector<StoredEvent>> Store::Impl::LoadEvents(const std::vector<std::string>& keys, size_t max_sources) const {
  std::vector<StoredEvent> out;
  if (keys.empty()) return out;
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db->MultiGet(rocksdb::ReadOptions(), cf[kEvents], keys.size(), slices.data(), values.data(), statuses.data());
  std::unique_ptr<rocksdb::Iterator> sources(db->NewIterator(rocksdb::ReadOptions(), cf[kSources]));
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i], dir);
    EventRecord record;
    if (!DecodeEvent(values[i].ToStringView(), &record)) return Status::Corruption(dir + ": event " + KeyToId(keys[i]) + " is unreadable");
    auto event = ToStoredEvent(keys[i], record, max_sources, sources.get());
    if (!event.ok()) return event.status();
    out.push_back(std::move(*event));
  }
  return out;
}

Status Store::Impl::IndexKeys(const std::string& id, const EventRecord& ev, std::vector<std::pair<Family, std::string>>* keys) const {
  auto lo = LoadPlaceOrPending(ev.lo);
  if (!lo.ok()) return lo.status();
  auto hi = LoadPlaceOrPending(ev.hi);
  if (!hi.ok()) return hi.status();
  AppendIndexKeys(id, ev, lo->country, hi->country, keys);
  return Status::OK();
}

void AppendIndexKeys(const std::string& id, const EventRecord& ev, const std::string& lo_country,
                     const std::string& hi_country, std::vector<std::pair<Family, std::string>>* keys) {
  keys->emplace_back(kByCity, CityIndexKey(ev.lo, ev.hi, ev.type, ev.date, id));
  keys->emplace_back(kByCity, CityIndexKey(ev.hi, ev.lo, ev.type, ev.date, id));
  keys->emplace_back(kByCountry, CountryIndexKey(lo_country, ev.type, ev.date, id));
  if (hi_country != lo_country) keys->emplace_back(kByCountry, CountryIndexKey(hi_country, ev.type, ev.date, id));
  keys->emplace_back(kByType, TypeIndexKey(ev.type, ev.date, id));
}

StoreOptions BulkLoadOptions(size_t buffer_mb, size_t memory_mb) {
  StoreOptions options;
  options.bulk_load = true;
  options.bulk_memory_bytes = memory_mb << 20;
  options.write_buffer_bytes = std::max<size_t>(1, buffer_mb) << 20;
  options.block_cache_bytes = std::max<size_t>(1, buffer_mb / 2) << 20;
  return options;
}

Store::Store(std::unique_ptr<Impl> impl, std::string dir) : impl_(std::move(impl)), dir_(std::move(dir)) {}
Store::~Store() = default;

namespace {

bool IsIndex(const std::string& family) { return family == "by_city" || family == "by_country" || family == "by_type"; }

// Whether Store::Put reads the family (to merge an article's reports into what is stored).
bool IsReadByWrites(const std::string& family) {
  return !IsIndex(family) && family != "texts" && family != "default";
}

rocksdb::ColumnFamilyOptions FamilyOptions(const std::string& name, const StoreOptions& options,
                                           const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = options.write_buffer_bytes / 2;
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = cache;
  // Index and filter blocks live in the (bounded) block cache, not beside it, so the number of
  // table files does not raise memory.
  table_options.cache_index_and_filter_blocks = true;
  table_options.pin_l0_filter_and_index_blocks_in_cache = true;
  // Most point lookups (is this text stored? does this event exist?) miss or hit once: a Bloom
  // filter answers misses without reading data blocks. The indexes are only scanned: no filter
  // (it would cost ~1.25 bytes per key on disk and its building per key in every flush).
  if (!IsIndex(name)) table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // LZ4 while data is young (flushes and upper levels are rewritten often), zstd where it settles,
  // except in the families a query reads one random block of per event (a page of 100 events
  // reads ~200 blocks, nearly all cache misses in a large store): there zstd's decompression was
  // a third of a city query's CPU, and LZ4 makes the query 1.5x faster for ~10% more bytes.
  cf_options.compression = rocksdb::kLZ4Compression;
  const bool point_reads = name == "events" || name == "sources" || name == "articles";
  cf_options.bottommost_compression = point_reads ? rocksdb::kLZ4Compression : rocksdb::kZSTD;
  // Keys are hashes (ids) or spread over all places, so every flush overlaps the whole next level.
  // With the default 256 MB first level, all of a family sat in that one (zstd, bottommost) level
  // and each compaction of the small flushes rewrote all of it: load time grew with the square of
  // the store. Levels sized from the bottom up keep the level a flush lands in small, and each
  // compaction below it picks one file: the work per event stays O(log N).
  cf_options.level_compaction_dynamic_level_bytes = true;
  cf_options.max_bytes_for_level_base = 16u << 20;
  cf_options.target_file_size_base = 8u << 20;
  if (name == "texts") table_options.block_size = 16 << 10;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  if (options.bulk_load) {
    // Flushed tables pile up in level 0 until Sync() compacts each family once: every key is
    // rewritten once instead of once per level it passes through while the load goes on. Their
    // Bloom filters keep the load's lookups (mostly misses: new articles, new events) cheap.
    cf_options.disable_auto_compactions = true;
    cf_options.level0_slowdown_writes_trigger = 1 << 30;
    cf_options.level0_stop_writes_trigger = 1 << 30;
    cf_options.soft_pending_compaction_bytes_limit = 0;
    cf_options.hard_pending_compaction_bytes_limit = 0;
    // Families Put never reads (the three indexes, texts, the counters) take their keys into a
    // plain vector, sorted once when flushed, instead of a skiplist: inserting ~90 random keys
    // per article into 32 MB skiplists was over half of a bulk load's CPU, and these families
    // take ~60% of the keys. A read of them in the loading process still works (the vector is
    // sorted for it, slowly); `ingest --bulk` makes none, readers in other processes read tables.
    if (!IsReadByWrites(name)) cf_options.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  }
  return cf_options;
}

// Held by another process ("While lock file: ...: Resource temporarily unavailable") or by this one;
// not a LOCK file that cannot be created ("while open a file for lock": a read-only disk...).
bool IsLockError(const std::string& msg) {
  return msg.find("While lock file") != std::string::npos || msg.find("lock hold by current process") != std::string::npos;
}

// What the default family of an existing store whose column families are not ours holds: its
// schema version (empty when there is none), and whether it holds any key at all.
struct ForeignStore {
  std::string version;
  bool empty = false;
};
ForeignStore ReadForeignStore(const std::string& dir) {
  std::vector<rocksdb::ColumnFamilyDescriptor> only_default = {{"default", rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, only_default, &handles, &raw).ok()) return {};
  ForeignStore found;
  (void)raw->Get(rocksdb::ReadOptions(), handles[0], kSchemaKey, &found.version);
  {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[0]));
    it->SeekToFirst();
    found.empty = !it->Valid() && it->status().ok();
  }
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return found;
}

Status VersionMismatch(const std::string& dir, const std::string& found) {
  return Status::InvalidArgument("database " + dir + " has schema version " + (found.empty() ? "(none)" : found) +
                                 " but this twinwatch reads version " + std::to_string(Store::kSchemaVersion) +
                                 " (use a new --db directory, or the twinwatch version that wrote it)");
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;
  const bool exists = std::filesystem::exists(std::filesystem::path(dir) / "CURRENT");
  if (!exists && options.read_only) {
    return Status::NotFound("no twinwatch database at " + dir + " (run 'twinwatch ingest' first, or pass --db)");
  }
  if (exists) {
    // A store of another layout has other column families: say which version it is instead of
    // failing on (or, for a writer, silently adding) families.
    std::vector<std::string> families;
    rocksdb::Status listed = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &families);
    if (!listed.ok()) return Status::IOError("cannot open database " + dir + ": " + listed.ToString());
    std::set<std::string> have(families.begin(), families.end());
    std::set<std::string> want(FamilyNames().begin(), FamilyNames().end());
    if (have != want) {
      const ForeignStore found = ReadForeignStore(dir);
      // A process killed while it created the store leaves some of our families and nothing in
      // them: a writer finishes the creation (the missing families are added below).
      const bool interrupted_creation =
          found.empty && std::includes(want.begin(), want.end(), have.begin(), have.end());
      if (!interrupted_creation) return VersionMismatch(dir, found.version);
      if (options.read_only) {
        return Status::NotFound("database " + dir + " was never finished (its creation was interrupted): " +
                                "nothing is stored in it yet; 'twinwatch ingest' finishes it");
      }
    }
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !options.read_only;
  db_options.create_missing_column_families = !options.read_only;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.info_log = std::make_shared<SpdlogLogger>(dir);
  // Memory stays flat however much is ingested: all memtables together flush at this size.
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  // Without a write-ahead log, only flushing every family at once keeps what is on disk
  // consistent: an article's events and index entries are in different families.
  db_options.atomic_flush = options.bulk_load;
  // Vector memtables (bulk load, FamilyOptions) take one writer at a time, which the store has anyway.
  db_options.allow_concurrent_memtable_write = !options.bulk_load;
  if (options.bulk_load) db_options.max_subcompactions = 2;
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : FamilyNames()) {
    impl->family_options.push_back(FamilyOptions(name, options, cache));
    descriptors.emplace_back(name, impl->family_options.back());
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.read_only) {
    // A secondary instance: follows the writer's files without taking its lock.
    char tmpl[] = "/tmp/twinwatch-reader-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return Status::IOError("cannot create a folder under /tmp for a database reader");
    impl->reader_dir = tmpl;
    db_options.max_open_files = -1;  // required of secondaries
    s = rocksdb::DB::OpenAsSecondary(db_options, dir, impl->reader_dir, descriptors, &impl->cf, &raw);
  } else {
    s = rocksdb::DB::Open(db_options, dir, descriptors, &impl->cf, &raw);
  }
  if (!s.ok()) {
    const std::string msg = s.ToString();
    if (IsLockError(msg)) return Status::Busy("database " + dir + " is in use by another twinwatch process (" + msg + ")");
    return Status::IOError("cannot open database " + dir + ": " + msg);
  }
  impl->db.reset(raw);

  auto version = impl->Get(kMeta, kSchemaKey);
  if (!version.ok()) return version.status();
  if (!version.value()) {
    if (options.read_only) return Status::NotFound("database " + dir + " has no schema version: not a twinwatch store");
    s = impl->db->Put(rocksdb::WriteOptions(), impl->cf[kMeta], kSchemaKey, std::to_string(kSchemaVersion));
    if (!s.ok()) return FromRocks(s, dir);
  } else if (*version.value() != std::to_string(kSchemaVersion)) {
    return VersionMismatch(dir, *version.value());
  }

  if (!options.read_only) {
    Counters& c = impl->counters;
    for (auto [key, slot] : {std::pair{std::string(kArticlesCounter), &c.articles}, {kSourcesCounter, &c.sources}}) {
      auto v = impl->Get(kMeta, key);
      if (!v.ok()) return v.status();
      *slot = ParseCounter(*v);
    }
    for (EventType t : kAllTypes) {
      auto v = impl->Get(kMeta, EventsCounterKey(t));
      if (!v.ok()) return v.status();
      c.events[static_cast<int>(t)] = ParseCounter(*v);
    }
    auto last = impl->Get(kMeta, kLastStoredKey);
    if (!last.ok()) return last.status();
    c.last_stored = static_cast<int64_t>(ParseCounter(*last));
    // What a killed bulk load left of its table files before ingesting them.
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(dir) / "bulk-load.tmp", ec);
    if (options.bulk_load && options.bulk_memory_bytes > 0 && c.articles == 0) {
      std::vector<int> family_of_id;
      for (size_t f = 0; f < impl->cf.size(); ++f) {
        const uint32_t id = impl->cf[f]->GetID();
        if (family_of_id.size() <= id) family_of_id.resize(id + 1, -1);
        family_of_id[id] = static_cast<int>(f);
      }
      impl->bulk_memory = std::make_unique<BulkMemory>(std::move(family_of_id), options.bulk_memory_bytes);
      impl->in_memory = true;
    }
  }
  return std::unique_ptr<Store>(new Store(std::move(impl), dir));
}


namespace {

std::string UpperCase(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Whether no entry at or after `date` in index order can lie within `until` any more: past the
// bound at the coarser of the two precisions (monotone in index order), or undated (sorted last)
// when any bound is set.
bool PastUntil(const std::string& date, const EventFilter& f) {
  if (f.since.empty() && f.until.empty()) return false;
  if (date.empty()) return true;
  const size_t n = std::min(date.size(), f.until.size());
  return !f.until.empty() && date.compare(0, n, f.until, 0, n) > 0;
}

// The entries of one date-ordered index range (by_type, or by_country for one type) a date filter
// can match, in index order. Before `since` only its coarser forms can match ("2019" and "2019-10"
// for since 2019-10-07), so those exact dates are read by a seek each, then everything from `since`
// on up to `until`: no scan of the dates in between, and the caller stops reading when it has enough.
class DateRangeCursor {
 public:
  DateRangeCursor(std::unique_ptr<rocksdb::Iterator> it, std::string prefix, const EventFilter& f)
      : it_(std::move(it)), prefix_(std::move(prefix)), filter_(f) {
    const std::string& since = f.since;
    for (size_t len : {size_t{4}, size_t{7}}) {
      if (since.size() > len) spans_.push_back({prefix_ + DateField(since.substr(0, len)), true});
    }
    spans_.push_back({prefix_ + (since.empty() ? "" : DateField(since)), false});
    StartSpan();
  }
  bool Valid() const { return valid_; }
  const IndexHit& hit() const { return hit_; }
  void Next() {
    it_->Next();
    Settle();
  }
  Status status() const { return it_->status().ok() ? Status::OK() : Status::IOError(it_->status().ToString()); }

 private:
  struct Span {
    std::string start;
    bool exact;  // only keys starting with `start` (one date); else on to the end of the prefix
  };
  void StartSpan() {
    valid_ = false;
    if (span_ >= spans_.size()) return;
    it_->Seek(spans_[span_].start);
    Settle();
  }
  // Moves to the next matching entry at or after the iterator, across spans.
  void Settle() {
    valid_ = false;
    while (it_->Valid()) {
      const std::string_view key = it_->key().ToStringView();
      const Span& span = spans_[span_];
      if (!key.starts_with(span.exact ? std::string_view(span.start) : std::string_view(prefix_))) break;
      std::string date;
      if (ParseDateIdTail(key, &date, &hit_.id)) {
        if (!span.exact && PastUntil(date, filter_)) return;
        if (DateWithin(date, filter_.since, filter_.until)) {
          hit_.date_field = DateField(date);
          valid_ = true;
          return;
        }
      }
      it_->Next();
    }
    if (!it_->status().ok() || spans_[span_].exact == false) return;
    ++span_;
    StartSpan();
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;
  const EventFilter& filter_;
  std::vector<Span> spans_;
  size_t span_ = 0;
  bool valid_ = false;
  IndexHit hit_;
};

}  // namespace

Result<Store::Impl::HitPage> Store::Impl::CityHits(const EventFilter& f, const std::string& country, uint64_t want) const {
  // A city has few events (all of them are read and sorted): by_city keys go by the other place.
  HitPage page;
  std::vector<uint64_t> places;
  Status st = ScanPrefix(kNames, NamePrefix(NameKey(f.city)), [&](std::string_view key, std::string_view) {
    places.push_back(FromBigEndian64(key.substr(key.size() - 8)));
    return true;
  });
  if (!st.ok()) return st;
  auto& hits = page.hits;
  for (uint64_t place : places) {
    Status failed;
    st = ScanPrefix(kByCity, BigEndian64(place), [&](std::string_view key, std::string_view) {
      CityIndexEntry e;
      if (!ParseCityIndexKey(key, &e)) return true;
      if (f.type && e.type != *f.type) return true;
      if (!DateWithin(e.date, f.since, f.until)) return true;
      if (!country.empty()) {
        auto a = LoadPlace(e.place);
        auto b = LoadPlace(e.other);
        if (!a.ok() || !b.ok()) {
          failed = a.ok() ? b.status() : a.status();
          return false;
        }
        if (a->country != country && b->country != country) return true;
      }
      hits.push_back({DateField(e.date), e.id});
      return true;
    });
    if (!st.ok()) return st;
    if (!failed.ok()) return failed;
  }
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());  // an event between two places of that name
  page.total = hits.size();
  if (want > 0 && hits.size() > want) hits.resize(want);
  return page;
}

Result<Store::Impl::HitPage> Store::Impl::Hits(const EventFilter& f, uint64_t want, bool count_total) const {
  const std::string country = UpperCase(f.country);
  if (!f.city.empty()) return CityHits(f, country, want);

  // Otherwise one date-ordered range per type, of the country index or the type index, merged in
  // order (a heap over the ranges) until `want` entries are out.
  std::vector<std::unique_ptr<DateRangeCursor>> cursors;
  for (EventType t : kAllTypes) {
    if (f.type && t != *f.type) continue;
    const Family family = country.empty() ? kByType : kByCountry;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf[family]));
    cursors.push_back(std::make_unique<DateRangeCursor>(std::move(it), country.empty() ? TypeIndexPrefix(t) : CountryIndexPrefix(country, t), f));
  }
  auto later = [](const DateRangeCursor* a, const DateRangeCursor* b) { return b->hit() < a->hit(); };
  std::vector<DateRangeCursor*> heap;
  for (auto& c : cursors) {
    if (c->Valid()) heap.push_back(c.get());
  }
  std::make_heap(heap.begin(), heap.end(), later);
  HitPage page;
  while (!heap.empty() && (want == 0 || page.hits.size() < want)) {
    std::pop_heap(heap.begin(), heap.end(), later);
    DateRangeCursor* c = heap.back();
    page.hits.push_back(c->hit());
    c->Next();
    if (c->Valid()) std::push_heap(heap.begin(), heap.end(), later);
    else heap.pop_back();
  }
  page.total = page.hits.size();
  if (count_total) {
    for (DateRangeCursor* c : heap) {
      for (; c->Valid(); c->Next()) ++page.total;
    }
  }
  for (auto& c : cursors) {
    Status st = c->status();
    if (!st.ok()) return Status::IOError(dir + ": " + st.message());
  }
  return page;
}

Result<EventPage> Store::Find(const EventFilter& filter, const FindOptions& options) const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  const uint64_t want = options.limit == 0 ? 0 : options.offset + options.limit;
  auto hits = impl_->Hits(filter, want, options.count_total);
  if (!hits.ok()) return hits.status();
  EventPage page;
  page.total = hits->total;
  std::vector<std::string> keys;
  for (uint64_t i = options.offset; i < hits->hits.size(); ++i) keys.push_back(std::move(hits->hits[i].id));
  auto events = impl_->LoadEvents(keys, options.max_sources);
  if (!events.ok()) return events.status();
  page.events = std::move(*events);
  return page;
}

Result<StoredEvent> Store::GetEvent(const std::string& id) const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  std::string key;
  if (!IdToKey(id, &key)) return Status::NotFound("no event " + id + " (an event id is 16 hex digits)");
  auto current = impl_->ResolveEventKey(key);
  if (!current.ok()) return current.status();
  if (!*current) return Status::NotFound("no event " + id);
  return impl_->LoadEvent(**current);
}

Result<StoredArticle> Store::GetArticle(const std::string& id) const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  std::string key;
  if (!IdToKey(id, &key)) return Status::NotFound("no article " + id + " (an article id is 16 hex digits)");
  auto record = impl_->LoadArticle(key);
  if (!record.ok()) return record.status();
  if (!*record) return Status::NotFound("no article " + id);
  StoredArticle out;
  out.article = std::move((*record)->article);
  out.article.id = id;
  out.article.origin = out.article.url;
  out.stored_at = (*record)->stored_at;
  auto text = impl_->Get(kTexts, key);
  if (!text.ok()) return text.status();
  if (*text) out.article.text = std::move(**text);
  // Each report date of the article belongs to one event of its group.
  std::set<std::string> event_keys;
  for (const auto& [group, dates] : (*record)->groups) {
    auto group_dates = impl_->LoadGroup(group);
    if (!group_dates.ok()) return group_dates.status();
    std::set<std::string> all;
    for (const auto& [date, count] : *group_dates) all.insert(date);
    const auto partition = PartitionDates(all);
    for (const auto& date : dates) {
      auto it = partition.find(date);
      if (it != partition.end()) event_keys.insert(EventKey(group, it->second));
    }
  }
  for (const auto& k : event_keys) out.event_ids.push_back(KeyToId(k));
  return out;
}

Status Store::ForEachArticle(const std::function<bool(const StoredArticle&)>& fn) const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kArticles]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    ArticleRecord record;
    if (!DecodeArticle(it->value().ToStringView(), &record)) return Status::Corruption(dir_ + ": article " + KeyToId(key) + " is unreadable");
    StoredArticle out;
    out.article = std::move(record.article);
    out.article.id = KeyToId(key);
    out.article.origin = out.article.url;
    out.stored_at = record.stored_at;
    auto text = impl_->Get(kTexts, key);
    if (!text.ok()) return text.status();
    if (*text) out.article.text = std::move(**text);
    if (!fn(out)) break;
  }
  return FromRocks(it->status(), dir_);
}

Status Store::ForEachEvent(const std::function<bool(const StoredEvent&)>& fn) const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kEvents]));
  std::unique_ptr<rocksdb::Iterator> sources(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kSources]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    EventRecord record;
    if (!DecodeEvent(it->value().ToStringView(), &record)) return Status::Corruption(dir_ + ": event " + KeyToId(key) + " is unreadable");
    auto event = impl_->ToStoredEvent(key, record, 0, sources.get());
    if (!event.ok()) return event.status();
    if (!fn(*event)) break;
  }
  return FromRocks(it->status(), dir_);
}

Result<StoreCounts> Store::Counts() const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  StoreCounts counts;
  auto counter = [&](const std::string& key) -> Result<uint64_t> {
    auto v = impl_->Get(kMeta, key);
    if (!v.ok()) return v.status();
    return ParseCounter(*v);
  };
  for (auto [key, slot] : {std::pair{std::string(kArticlesCounter), &counts.articles}, {kSourcesCounter, &counts.sources}}) {
    auto v = counter(key);
    if (!v.ok()) return v.status();
    *slot = *v;
  }
  for (EventType t : kAllTypes) {
    auto v = counter(EventsCounterKey(t));
    if (!v.ok()) return v.status();
    counts.events_by_type[EventTypeName(t)] = *v;
    counts.events += *v;
  }
  auto last = counter(kLastStoredKey);
  if (!last.ok()) return last.status();
  counts.last_stored = static_cast<int64_t>(*last);
  return counts;
}

Result<std::vector<CityCount>> Store::TopCities(size_t n) const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  // by_city keys start with the place, so each place's entries are one run: count runs, keep the n largest.
  using Entry = std::pair<uint64_t, uint64_t>;  // (events, place)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> top;
  uint64_t current = 0, run = 0;
  auto close_run = [&] {
    if (run == 0) return;
    top.emplace(run, current);
    if (top.size() > n) top.pop();
  };
  Status st = impl_->ScanPrefix(kByCity, "", [&](std::string_view key, std::string_view) {
    const uint64_t place = FromBigEndian64(key.substr(0, 8));
    if (place != current) {
      close_run();
      current = place;
      run = 0;
    }
    ++run;
    return true;
  });
  if (!st.ok()) return st;
  close_run();
  std::vector<CityCount> out;
  while (!top.empty()) {
    auto place = impl_->LoadPlace(top.top().second);
    if (!place.ok()) return place.status();
    out.push_back({*place, top.top().first});
    top.pop();
  }
  std::sort(out.begin(), out.end(), [](const CityCount& a, const CityCount& b) {
    return a.events != b.events ? a.events > b.events : a.place.name < b.place.name;
  });
  return out;
}

Result<bool> Store::HasArticleUrl(const std::string& url) const {
  if (Status st = impl_->EndMemoryPhase(); !st.ok()) return st;
  std::string key;
  IdToKey(ArticleIdForUrl(url), &key);
  auto raw = impl_->Get(kArticles, key);
  if (!raw.ok()) return raw.status();
  return raw.value().has_value();
}

namespace {
// crawl key: one letter for the scope, then the source name or the URL.
std::string CrawlKey(CrawlScope scope, const std::string& key) { return (scope == CrawlScope::kSource ? "s" : "u") + key; }
}  // namespace

Result<std::optional<CrawlState>> Store::GetCrawlState(CrawlScope scope, const std::string& key) const {
  auto raw = impl_->Get(kCrawl, CrawlKey(scope, key));
  if (!raw.ok()) return raw.status();
  if (!raw.value()) return std::optional<CrawlState>();
  CrawlState state;
  if (!DecodeCrawlState(*raw.value(), &state)) return Status::Corruption(dir_ + ": crawl state of " + key + " is unreadable");
  return std::optional<CrawlState>(std::move(state));
}

Status Store::PutCrawlState(CrawlScope scope, const std::string& key, const CrawlState& state) {
  if (impl_->options.read_only) return Status::Unsupported(dir_ + " is open read-only");
  if (Status failed = impl_->WriteError(); !failed.ok()) return failed;
  rocksdb::Status s = impl_->db->Put(rocksdb::WriteOptions(), impl_->cf[kCrawl], CrawlKey(scope, key), EncodeCrawlState(state));
  if (!s.ok()) impl_->SetWriteError(s);
  return FromRocks(s, dir_ + ": writing crawl state of " + key);
}

Status Store::ForEachCrawlState(CrawlScope scope,
                                const std::function<bool(const std::string& key, const CrawlState& state)>& fn) const {
  const std::string prefix = CrawlKey(scope, "");
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kCrawl]));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    CrawlState state;
    const std::string key = it->key().ToString().substr(prefix.size());
    if (!DecodeCrawlState(it->value().ToString(), &state)) return Status::Corruption(dir_ + ": crawl state of " + key + " is unreadable");
    if (!fn(key, state)) break;
  }
  return FromRocks(it->status(), dir_);
}

Status Store::CatchUp() {
  if (!impl_->options.read_only) return Status::OK();
  return FromRocks(impl_->db->TryCatchUpWithPrimary(), dir_);
}

Status Store::Sync() {
  if (impl_->options.read_only) return Status::OK();
  if (Status failed = impl_->WriteError(); !failed.ok()) return failed;
  if (impl_->options.bulk_load) {
    Status st = Compact();  // writes a bulk load held in memory out first
    if (!st.ok()) return st;
  }
  return FromRocks(impl_->db->FlushWAL(/*sync=*/true), dir_);
}

Status Store::Compact() {
  if (impl_->options.read_only) return Status::Unsupported(dir_ + " is open read-only");
  Status st = impl_->EndMemoryPhase();
  if (st.ok()) st = FromRocks(impl_->db->Flush(rocksdb::FlushOptions(), impl_->cf), dir_);
  for (auto* family : impl_->cf) {
    if (!st.ok()) break;
    st = FromRocks(impl_->db->CompactRange(rocksdb::CompactRangeOptions(), family, nullptr, nullptr), dir_);
  }
  return st;
}

std::map<std::string, uint64_t> Store::DiskBytesByFamily() const {
  (void)impl_->EndMemoryPhase();  // a failure is kept as the write error, reported by the next write or Sync
  std::map<std::string, uint64_t> out;
  for (size_t i = 0; i < impl_->cf.size(); ++i) {
    rocksdb::ColumnFamilyMetaData meta;
    impl_->db->GetColumnFamilyMetaData(impl_->cf[i], &meta);
    out[FamilyNames()[i]] = meta.size;
  }
  return out;
}

}  // namespace tw
