#include "storage/store.h"

#include <nlohmann/json.hpp>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/cache.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include "pipeline/types.h"

namespace tw {

namespace {

constexpr const char* kSchemaKey = "schema_version";
// "default" spelled out: rocksdb::kDefaultColumnFamilyName may not be initialised before this static.
const std::vector<std::string> kFamilies = {"default", "articles", "events", "by_city", "by_date", "seen", "crawl"};
enum Family { kMeta = 0, kArticles, kEvents, kByCity, kByDate, kSeen, kCrawl };

std::string BigEndian64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

// by_city key: geonameid (big-endian, so one city's events are contiguous) | date | event id.
std::string CityKey(const Place& p, const std::string& date, const std::string& id) {
  uint64_t gid = p.geonameid != 0 ? static_cast<uint64_t>(p.geonameid) : Hash64(p.country + ":" + p.name);
  return BigEndian64(gid) + date + "|" + id;
}

// crawl key: one letter for the scope, then the source name or the URL.
std::string CrawlKey(CrawlScope scope, const std::string& key) {
  return (scope == CrawlScope::kSource ? "s" : "u") + key;
}

// by_date key: date (undated events sort last under "~") | event id.
std::string DateKey(const std::string& date, const std::string& id) {
  return (date.empty() ? std::string("~") : date) + "|" + id;
}

Status FromRocks(const rocksdb::Status& s, const std::string& context) {
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound(context + ": " + s.ToString());
  if (s.IsCorruption()) return Status::Corruption(context + ": " + s.ToString());
  return Status::IOError(context + ": " + s.ToString());
}

}  // namespace

struct Store::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cf;
  std::string dir;

  ~Impl() {
    for (auto* h : cf) {
      if (db && h) db->DestroyColumnFamilyHandle(h);
    }
    cf.clear();
    if (db) db->Close();
  }

  Result<std::optional<std::string>> Get(Family family, const std::string& key) const {
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf[family], key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, dir);
    return std::optional<std::string>(std::move(value));
  }
};

Store::Store(std::unique_ptr<Impl> impl, std::string dir) : impl_(std::move(impl)), dir_(std::move(dir)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !options.read_only;
  db_options.create_missing_column_families = !options.read_only;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 2;
  // Memory stays flat however much is ingested: all memtables together flush at this size.
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = options.write_buffer_bytes / 2;
  // Index and filter blocks live in the (bounded) block cache, not beside it, so the number of
  // table files does not raise memory.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table_options.cache_index_and_filter_blocks = true;
  table_options.pin_l0_filter_and_index_blocks_in_cache = true;
  // Most Gets (is this text already stored? does this event exist?) miss: a Bloom filter answers
  // those without reading data blocks.
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : kFamilies) descriptors.emplace_back(name, cf_options);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = options.read_only
                          ? rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &impl->cf, &raw)
                          : rocksdb::DB::Open(db_options, dir, descriptors, &impl->cf, &raw);
  if (!s.ok()) {
    const std::string msg = s.ToString();
    if (msg.find("lock") != std::string::npos || msg.find("Resource temporarily unavailable") != std::string::npos) {
      return Status::Busy("database " + dir + " is in use by another twinwatch process (" + msg + ")");
    }
    if (options.read_only && (s.IsNotFound() || s.IsInvalidArgument() || msg.find("No such file") != std::string::npos ||
                              msg.find("does not exist") != std::string::npos)) {
      return Status::NotFound("no twinwatch database at " + dir + " (run 'twinwatch ingest' first, or pass --db)");
    }
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
    return Status::InvalidArgument("database " + dir + " has schema version " + *version.value() +
                                   " but this twinwatch reads version " + std::to_string(kSchemaVersion) +
                                   " (use a new --db directory, or the twinwatch version that wrote it)");
  }
  return std::unique_ptr<Store>(new Store(std::move(impl), dir));
}

Result<PutOutcome> Store::Put(const Extraction& x) {
  PutOutcome outcome;
  const Article& a = x.article;
  const std::string seen_key = BigEndian64(a.content_hash);

  // Same text already stored (under this url or another): nothing to add.
  auto seen = impl_->Get(kSeen, seen_key);
  if (!seen.ok()) return seen.status();
  if (seen.value()) {
    outcome.duplicate = true;
    return outcome;
  }

  rocksdb::WriteBatch batch;
  // Events this batch has touched, by id, so several mentions of one event merge in memory first.
  std::unordered_map<std::string, StoredEvent> touched;
  std::set<std::string> created;

  auto load_event = [&](const std::string& id) -> Result<StoredEvent*> {
    auto it = touched.find(id);
    if (it != touched.end()) return &it->second;
    auto raw = impl_->Get(kEvents, id);
    if (!raw.ok()) return raw.status();
    if (!raw.value()) return static_cast<StoredEvent*>(nullptr);
    StoredEvent ev;
    auto j = nlohmann::json::parse(*raw.value(), nullptr, false);
    if (j.is_discarded() || !EventFromJson(j, &ev)) return Status::Corruption(dir_ + ": event " + id + " is unreadable");
    return &touched.emplace(id, std::move(ev)).first->second;
  };

  // A changed article (same url, new text) first withdraws what its old version contributed.
  auto old_article = impl_->Get(kArticles, a.id);
  if (!old_article.ok()) return old_article.status();
  if (old_article.value()) {
    auto old = nlohmann::json::parse(*old_article.value(), nullptr, false);
    if (!old.is_discarded()) {
      if (old.contains("content_hash") && old["content_hash"].is_string()) {
        batch.Delete(impl_->cf[kSeen], BigEndian64(std::stoull(old["content_hash"].get<std::string>(), nullptr, 16)));
      }
      for (const auto& id_json : old.value("event_ids", nlohmann::json::array())) {
        auto ev = load_event(id_json.get<std::string>());
        if (!ev.ok()) return ev.status();
        if (*ev == nullptr) continue;
        auto& sources = (*ev)->sources;
        sources.erase(std::remove_if(sources.begin(), sources.end(), [&](const EventSource& s) { return s.article_id == a.id; }), sources.end());
      }
    }
  }

  std::vector<std::string> event_ids;
  for (const auto& m : x.events) {
    StoredEvent incoming = EventFromMention(m, a);
    const std::string& id = incoming.id;
    auto ev = load_event(id);
    if (!ev.ok()) return ev.status();
    StoredEvent* event = *ev;
    if (event == nullptr) {
      StoredEvent fresh = incoming;
      fresh.sources.clear();
      event = &touched.emplace(id, std::move(fresh)).first->second;
      created.insert(id);
    }
    EventSource& source = incoming.sources.front();
    const bool already = std::any_of(event->sources.begin(), event->sources.end(), [&](const EventSource& s) {
      return s.article_id == source.article_id && s.evidence == source.evidence;
    });
    if (already) continue;
    const bool had_sources = !event->sources.empty();
    event->sources.push_back(std::move(source));
    if (std::find(event_ids.begin(), event_ids.end(), id) == event_ids.end()) {
      event_ids.push_back(id);
      if (had_sources && !created.count(id)) ++outcome.events_merged;
      else ++outcome.events_new;
    }
  }

  for (auto& [id, ev] : touched) {
    if (ev.sources.empty()) {
      batch.Delete(impl_->cf[kEvents], id);
      batch.Delete(impl_->cf[kByCity], CityKey(ev.cities[0], ev.date, id));
      batch.Delete(impl_->cf[kByCity], CityKey(ev.cities[1], ev.date, id));
      batch.Delete(impl_->cf[kByDate], DateKey(ev.date, id));
      continue;
    }
    batch.Put(impl_->cf[kEvents], id, EventToJson(ev, true).dump());
    batch.Put(impl_->cf[kByCity], CityKey(ev.cities[0], ev.date, id), "");
    batch.Put(impl_->cf[kByCity], CityKey(ev.cities[1], ev.date, id), "");
    batch.Put(impl_->cf[kByDate], DateKey(ev.date, id), "");
  }

  nlohmann::json record = {
      {"id", a.id},
      {"url", a.url},
      {"canonical_url", a.canonical_url.value},
      {"title", a.title.value},
      {"published", a.published.value},
      {"language", a.language.value},
      {"author", a.author.value},
      {"charset", a.charset},
      {"fetch_time", a.fetch_time},
      {"content_hash", Hex64(a.content_hash)},
      {"text", a.text},
      {"event_ids", event_ids},
  };
  batch.Put(impl_->cf[kArticles], a.id, record.dump());
  batch.Put(impl_->cf[kSeen], seen_key, a.id);

  rocksdb::Status s = impl_->db->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return FromRocks(s, dir_ + ": writing article " + a.origin);
  return outcome;
}

Status Store::ForEachEvent(const std::function<bool(const StoredEvent&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kEvents]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    StoredEvent ev;
    auto j = nlohmann::json::parse(it->value().ToStringView(), nullptr, false);
    if (j.is_discarded() || !EventFromJson(j, &ev)) {
      return Status::Corruption(dir_ + ": event " + it->key().ToString() + " is unreadable");
    }
    if (!fn(ev)) break;
  }
  return FromRocks(it->status(), dir_);
}

Result<std::string> Store::GetArticleJson(const std::string& article_id) const {
  auto raw = impl_->Get(kArticles, article_id);
  if (!raw.ok()) return raw.status();
  if (!raw.value()) return Status::NotFound("no article " + article_id);
  return std::move(*raw.value());
}

Result<StoreCounts> Store::Counts() const {
  StoreCounts counts;
  {
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kArticles]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++counts.articles;
    if (!it->status().ok()) return FromRocks(it->status(), dir_);
  }
  Status st = ForEachEvent([&](const StoredEvent& ev) {
    ++counts.events;
    ++counts.events_by_type[EventTypeName(ev.type)];
    counts.sources += ev.sources.size();
    return true;
  });
  if (!st.ok()) return st;
  return counts;
}

Result<bool> Store::HasArticleUrl(const std::string& url) const {
  auto raw = impl_->Get(kArticles, ArticleIdForUrl(url));
  if (!raw.ok()) return raw.status();
  return raw.value().has_value();
}

Result<std::optional<CrawlState>> Store::GetCrawlState(CrawlScope scope, const std::string& key) const {
  auto raw = impl_->Get(kCrawl, CrawlKey(scope, key));
  if (!raw.ok()) return raw.status();
  if (!raw.value()) return std::optional<CrawlState>();
  CrawlState state;
  if (!DecodeCrawlState(*raw.value(), &state)) return Status::Corruption(dir_ + ": crawl state of " + key + " is unreadable");
  return std::optional<CrawlState>(std::move(state));
}

Status Store::PutCrawlState(CrawlScope scope, const std::string& key, const CrawlState& state) {
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

Status Store::Sync() { return FromRocks(impl_->db->FlushWAL(/*sync=*/true), dir_); }

}  // namespace tw
