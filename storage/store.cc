#include "storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <queue>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "extractors/text.h"
#include "pipeline/types.h"
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
                                const std::function<void(std::string_view article_key, EventSource&& source)>& fn) const {
  const std::string prefix = SourcePrefix(group, date);
  Status failed;
  Status st = ScanPrefix(kSources, prefix, [&](std::string_view key, std::string_view value) {
    const std::string_view article_key = key.substr(prefix.size());
    EventSource s;
    if (article_key.size() != 8 || !DecodeSource(value, &s)) {
      failed = Status::Corruption(dir + ": a source record of event " + KeyToId(EventKey(group, date)) + " is unreadable");
      return false;
    }
    s.article_id = KeyToId(article_key);
    s.date = date;
    fn(article_key, std::move(s));
    return true;
  });
  return st.ok() ? failed : st;
}

Result<StoredEvent> Store::Impl::ToStoredEvent(const std::string& key, const EventRecord& record, SourceArticles& articles,
                                               size_t max_sources) const {
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
    });
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
  for (auto& s : e.sources) {
    auto it = articles.find(s.article_id);
    if (it == articles.end()) {
      std::string article_key;
      IdToKey(s.article_id, &article_key);
      auto article = LoadArticle(article_key);
      if (!article.ok()) return article.status();
      SourceArticle meta;
      if (*article) {
        const Article& a = (*article)->article;
        meta = {a.canonical_url.empty() ? a.url : a.canonical_url.value, a.title.value, a.published.value};
      }
      it = articles.emplace(s.article_id, std::move(meta)).first;
    }
    s.url = it->second.url;
    s.title = it->second.title;
  }
  return e;
}

Result<StoredEvent> Store::Impl::LoadEvent(const std::string& key, SourceArticles& articles, size_t max_sources) const {
  auto record = LoadEventRecord(key);
  if (!record.ok()) return record.status();
  if (!*record) return Status::NotFound("no event " + KeyToId(key));
  return ToStoredEvent(key, **record, articles, max_sources);
}

Status Store::Impl::IndexKeys(const std::string& id, const EventRecord& ev, std::vector<std::pair<Family, std::string>>* keys) const {
  auto lo = LoadPlaceOrPending(ev.lo);
  if (!lo.ok()) return lo.status();
  auto hi = LoadPlaceOrPending(ev.hi);
  if (!hi.ok()) return hi.status();
  keys->emplace_back(kByCity, CityIndexKey(ev.lo, ev.hi, ev.type, ev.date, id));
  keys->emplace_back(kByCity, CityIndexKey(ev.hi, ev.lo, ev.type, ev.date, id));
  keys->emplace_back(kByCountry, CountryIndexKey(lo->country, ev.type, ev.date, id));
  if (hi->country != lo->country) keys->emplace_back(kByCountry, CountryIndexKey(hi->country, ev.type, ev.date, id));
  keys->emplace_back(kByType, TypeIndexKey(ev.type, ev.date, id));
  return Status::OK();
}

Store::Store(std::unique_ptr<Impl> impl, std::string dir) : impl_(std::move(impl)), dir_(std::move(dir)) {}
Store::~Store() = default;

namespace {

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
  // filter answers misses without reading data blocks.
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // LZ4 while data is young (flushes and upper levels are rewritten often), zstd where it settles.
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.bottommost_compression = rocksdb::kZSTD;
  if (name == "texts") table_options.block_size = 16 << 10;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  return cf_options;
}

bool IsLockError(const std::string& msg) {
  return msg.find("lock") != std::string::npos || msg.find("Resource temporarily unavailable") != std::string::npos;
}

// The schema version of an existing store whose column families are not ours, read through the
// default family alone; empty when there is none.
std::string ForeignSchemaVersion(const std::string& dir) {
  std::vector<rocksdb::ColumnFamilyDescriptor> only_default = {{"default", rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, only_default, &handles, &raw).ok()) return {};
  std::string version;
  (void)raw->Get(rocksdb::ReadOptions(), handles[0], kSchemaKey, &version);
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return version;
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
    if (have != want) return VersionMismatch(dir, ForeignSchemaVersion(dir));
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !options.read_only;
  db_options.create_missing_column_families = !options.read_only;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 2;
  // Memory stays flat however much is ingested: all memtables together flush at this size.
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : FamilyNames()) descriptors.emplace_back(name, FamilyOptions(name, options, cache));
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
  }
  return std::unique_ptr<Store>(new Store(std::move(impl), dir));
}


Result<std::vector<IndexHit>> Store::Impl::Hits(const EventFilter& f) const {
  std::string country = f.country;
  for (auto& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<IndexHit> hits;
  const bool dated_only = !f.since.empty() || !f.until.empty();
  // Where a date-ordered index range starts: the year of `since` (coarser dates may match too).
  const std::string first_date = f.since.substr(0, std::min<size_t>(4, f.since.size()));
  // Past the year of `until` (or at undated entries when any bound is set) nothing more matches.
  auto past_end = [&](const std::string& date) {
    if (!dated_only) return false;
    if (date.empty()) return true;
    return !f.until.empty() && date.substr(0, 4) > f.until.substr(0, 4);
  };

  if (!f.city.empty()) {
    std::vector<uint64_t> places;
    Status st = ScanPrefix(kNames, NamePrefix(NameKey(f.city)), [&](std::string_view key, std::string_view) {
      places.push_back(FromBigEndian64(key.substr(key.size() - 8)));
      return true;
    });
    if (!st.ok()) return st;
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
    return hits;
  }

  // Otherwise a date-ordered range per type, of the country index or the type index; merged by sort.
  for (EventType t : kAllTypes) {
    if (f.type && t != *f.type) continue;
    const std::string prefix = country.empty() ? TypeIndexPrefix(t) : CountryIndexPrefix(country, t);
    Status st = ScanFrom(country.empty() ? kByType : kByCountry, prefix, prefix + first_date, [&](std::string_view key, std::string_view) {
      std::string date, id;
      if (!ParseDateIdTail(key, &date, &id)) return true;
      if (past_end(date)) return false;
      if (DateWithin(date, f.since, f.until)) hits.push_back({DateField(date), std::move(id)});
      return true;
    });
    if (!st.ok()) return st;
  }
  if (!f.type) std::sort(hits.begin(), hits.end());
  return hits;
}

Result<EventPage> Store::Find(const EventFilter& filter, uint64_t offset, uint64_t limit, size_t max_sources) const {
  auto hits = impl_->Hits(filter);
  if (!hits.ok()) return hits.status();
  EventPage page;
  page.total = hits->size();
  const uint64_t end = limit == 0 ? hits->size() : std::min<uint64_t>(hits->size(), offset + limit);
  SourceArticles articles;
  for (uint64_t i = offset; i < end; ++i) {
    auto event = impl_->LoadEvent((*hits)[i].id, articles, max_sources);
    if (event.status().IsNotFound()) continue;  // removed between the index read and now (a reader following a writer)
    if (!event.ok()) return event.status();
    page.events.push_back(std::move(*event));
  }
  return page;
}

Result<StoredEvent> Store::GetEvent(const std::string& id) const {
  std::string key;
  if (!IdToKey(id, &key)) return Status::NotFound("no event " + id + " (an event id is 16 hex digits)");
  auto current = impl_->ResolveEventKey(key);
  if (!current.ok()) return current.status();
  if (!*current) return Status::NotFound("no event " + id);
  SourceArticles articles;
  return impl_->LoadEvent(**current, articles);
}

Result<StoredArticle> Store::GetArticle(const std::string& id) const {
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
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kEvents]));
  SourceArticles articles;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    EventRecord record;
    if (!DecodeEvent(it->value().ToStringView(), &record)) return Status::Corruption(dir_ + ": event " + KeyToId(key) + " is unreadable");
    auto event = impl_->ToStoredEvent(key, record, articles);
    if (!event.ok()) return event.status();
    if (articles.size() > 10000) articles.clear();  // bounded memory over a large store
    if (!fn(*event)) break;
  }
  return FromRocks(it->status(), dir_);
}

Result<StoreCounts> Store::Counts() const {
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
  return FromRocks(impl_->db->Put(rocksdb::WriteOptions(), impl_->cf[kCrawl], CrawlKey(scope, key), EncodeCrawlState(state)),
                   dir_ + ": writing crawl state of " + key);
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
  return FromRocks(impl_->db->FlushWAL(/*sync=*/true), dir_);
}

Status Store::Compact() {
  if (impl_->options.read_only) return Status::Unsupported(dir_ + " is open read-only");
  Status st = FromRocks(impl_->db->Flush(rocksdb::FlushOptions(), impl_->cf), dir_);
  for (auto* family : impl_->cf) {
    if (!st.ok()) break;
    st = FromRocks(impl_->db->CompactRange(rocksdb::CompactRangeOptions(), family, nullptr, nullptr), dir_);
  }
  return st;
}

std::map<std::string, uint64_t> Store::DiskBytesByFamily() const {
  std::map<std::string, uint64_t> out;
  for (size_t i = 0; i < impl_->cf.size(); ++i) {
    rocksdb::ColumnFamilyMetaData meta;
    impl_->db->GetColumnFamilyMetaData(impl_->cf[i], &meta);
    out[FamilyNames()[i]] = meta.size;
  }
  return out;
}

}  // namespace tw
