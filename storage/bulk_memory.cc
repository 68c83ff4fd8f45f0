#include "storage/bulk_memory.h"

#include <malloc.h>
#include <rocksdb/sst_file_writer.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <new>
#include <optional>
#include <thread>

#include "storage/codec.h"
#include "storage/store_impl.h"

namespace tw {

using namespace schema;

namespace {

// What a hash map node and its strings cost beyond the bytes of key and value (about).
constexpr size_t kRecordOverhead = 96;

// A source key is its event's prefix (group | date) and then the 8-byte article key.
struct SourceKey {
  std::string_view prefix, article;
};
std::optional<SourceKey> SplitSourceKey(std::string_view key) {
  if (key.size() < 8) return std::nullopt;
  return SourceKey{key.substr(0, key.size() - 8), key.substr(key.size() - 8)};
}

// A T constructed in `arena` with the arena as its allocator, never destroyed (see bulk_memory.h).
template <typename T>
T& InArena(std::pmr::monotonic_buffer_resource& arena) {
  return *new (arena.allocate(sizeof(T), alignof(T))) T(&arena);
}

}  // namespace

BulkMemory::BulkMemory(std::vector<int> family_of_id, size_t budget_bytes)
    : family_of_id_(std::move(family_of_id)), budget_bytes_(budget_bytes), arena_(1 << 20),
      records_(InArena<std::pmr::vector<Records>>(arena_)),
      sources_(InArena<SourceRecords>(arena_)) {
  for (size_t f = 0; f < FamilyNames().size(); ++f) records_.emplace_back();
  // The three maps with a record per event sized for the events the budget holds (~800 bytes each
  // with their articles' text): no rehash of millions of records as they grow (10% of a load's CPU),
  // for 8 bytes per event of the budget (64 MiB of the default 2 GiB) taken at once.
  const size_t events = budget_bytes / 800;
  for (Family f : {kEvents, kGroups}) records_[f].reserve(events);
  sources_.reserve(events);
}

bool BulkMemory::Holds(Family family) {
  return family != kByCity && family != kByCountry && family != kByType && family != kCrawl;
}

const BulkMemory::String* BulkMemory::Find(Family family, const std::string& key) const {
  if (family == kSources) {
    const auto parts = SplitSourceKey(key);
    if (!parts) return nullptr;
    auto group = sources_.find(parts->prefix);
    if (group == sources_.end()) return nullptr;
    auto it = group->second.find(parts->article);
    return it == group->second.end() ? nullptr : &it->second;
  }
  const Records& records = records_[family];
  auto it = records.find(std::string_view(key));
  return it == records.end() ? nullptr : &it->second;
}

bool BulkMemory::PlaceCountryDiffers(uint64_t key, const std::string& country) const {
  auto it = place_country_.find(key);
  return it != place_country_.end() && it->second != country;
}

void BulkMemory::Put(Family family, std::string_view key, std::string_view value) {
  if (!Holds(family)) return;
  String* slot;
  if (family == kSources) {
    const auto parts = SplitSourceKey(key);
    if (!parts) return;  // no key Put writes
    auto group = sources_.find(parts->prefix);
    if (group == sources_.end()) group = sources_.try_emplace(String(parts->prefix, &arena_)).first;
    auto it = group->second.find(parts->article);
    if (it == group->second.end()) it = group->second.try_emplace(String(parts->article, &arena_)).first;
    slot = &it->second;
  } else {
    Records& records = records_[family];
    auto it = records.find(key);
    if (it == records.end()) it = records.try_emplace(String(key, &arena_)).first;
    slot = &it->second;
  }
  if (slot->empty()) bytes_ += kRecordOverhead + key.size();
  bytes_ = bytes_ - slot->size() + value.size();
  slot->assign(value);
  if (family == kPlaces) {
    Place place;
    if (DecodePlace(value, &place)) place_country_[FromBigEndian64(key)] = place.country;
  }
}

void BulkMemory::Delete(Family family, std::string_view key) {
  if (!Holds(family)) return;
  size_t freed = 0;
  if (family == kSources) {
    const auto parts = SplitSourceKey(key);
    if (!parts) return;
    auto group = sources_.find(parts->prefix);
    if (group == sources_.end()) return;
    auto it = group->second.find(parts->article);
    if (it == group->second.end()) return;
    freed = it->second.size();
    group->second.erase(it);
    if (group->second.empty()) sources_.erase(group);
  } else {
    auto it = records_[family].find(key);
    if (it == records_[family].end()) return;
    freed = it->second.size();
    records_[family].erase(it);
  }
  bytes_ -= std::min(bytes_, freed + kRecordOverhead + key.size());
}

// Replays a WriteBatch into the maps, in order (a key put then deleted in one batch ends deleted,
// as in the database).
class BulkMemory::Applier final : public rocksdb::WriteBatch::Handler {
 public:
  explicit Applier(BulkMemory& memory) : memory_(memory) {}
  rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    const auto family = FamilyOf(id);
    if (!family) return UnknownFamily();
    memory_.Put(*family, key.ToStringView(), value.ToStringView());
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    const auto family = FamilyOf(id);
    if (!family) return UnknownFamily();
    memory_.Delete(*family, key.ToStringView());
    return rocksdb::Status::OK();
  }

 private:
  // The Family of column family `id`, or none for a family the store does not know.
  std::optional<Family> FamilyOf(uint32_t id) const {
    if (id >= memory_.family_of_id_.size() || memory_.family_of_id_[id] < 0) return std::nullopt;
    return static_cast<Family>(memory_.family_of_id_[id]);
  }
  static rocksdb::Status UnknownFamily() { return rocksdb::Status::InvalidArgument("unknown column family"); }

  BulkMemory& memory_;
};

Status BulkMemory::Apply(const rocksdb::WriteBatch& batch) {
  Applier applier(*this);
  rocksdb::Status s = batch.Iterate(&applier);
  if (!s.ok()) return Status::Corruption("bulk load: an article's writes could not be applied: " + s.ToString());
  return Status::OK();
}

namespace {

// A record to write. Its key's first 16 bytes as two numbers sort it nearly always without reading
// the key itself, which lies somewhere in the hash maps (a cache miss per comparison otherwise):
// they hold an event or article id, a city and the other city, a country, type and date, a group.
struct Record {
  uint64_t head[2];
  std::string_view key, value;
  Record(std::string_view k, std::string_view v) : head{Bytes(k, 0), Bytes(k, 8)}, key(k), value(v) {}
  static uint64_t Bytes(std::string_view k, size_t from) {
    uint64_t h = 0;
    for (size_t i = from; i < from + 8; ++i) h = h << 8 | (i < k.size() ? static_cast<uint8_t>(k[i]) : 0);
    return h;
  }
  bool operator<(const Record& o) const {
    if (head[0] != o.head[0]) return head[0] < o.head[0];
    if (head[1] != o.head[1]) return head[1] < o.head[1];
    return key < o.key;
  }
};

// The sorted records of one column family, written to table files of about `file_bytes` each.
struct TableJob {
  Family family = kMeta;
  // Keys made for the write-out (sources, indexes), end to end in one buffer: where each ends.
  std::string built;
  std::vector<size_t> built_ends;
  void Reserve(size_t bytes) { built.reserve(bytes); }
  void Build(std::string_view key) {
    built.append(key);
    built_ends.push_back(built.size());
  }
  // The records of the built keys (once all are built: views into `built`), with their values.
  template <typename ValueOf>
  void RecordsOfBuilt(ValueOf&& value_of) {
    records.reserve(records.size() + built_ends.size());
    for (size_t i = 0, begin = 0; i < built_ends.size(); begin = built_ends[i++]) {
      records.emplace_back(std::string_view(built).substr(begin, built_ends[i] - begin), value_of(i));
    }
  }
  std::vector<Record> records;
  std::vector<std::string> files;
  Status status;
};

Status WriteTables(TableJob& job, const rocksdb::Options& options, rocksdb::ColumnFamilyHandle* cf,
                   const std::string& folder, uint64_t file_bytes) {
  auto& records = job.records;
  std::sort(records.begin(), records.end());
  // An event between a place and itself has its by_city key twice: one entry, as in the database.
  records.erase(std::unique(records.begin(), records.end(), [](const Record& a, const Record& b) { return a.key == b.key; }),
                records.end());
  // The pages written stay in the page cache (by default the writer drops them every MB), as a
  // compaction's output does: the first queries after a load read memory, not the disk.
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, cf, /*invalidate_page_cache=*/false);
  bool open = false;
  auto failed = [&](const rocksdb::Status& s) {
    return Status::IOError("writing the table files of family " + FamilyNames()[job.family] + " in " + folder + ": " + s.ToString());
  };
  // The keys and values lie scattered over the held maps (or a built buffer, in random order once
  // sorted): each first read of one is a cache miss. Reading them a few records ahead lets the
  // memory fetch them while the writer works (the writer's first comparison of each key was ~15% of
  // a 1M-event load's CPU, nearly all waiting for memory).
  constexpr size_t kPrefetchAhead = 8;
  for (size_t i = 0; i < records.size(); ++i) {
    if (i + kPrefetchAhead < records.size()) {
      const Record& ahead = records[i + kPrefetchAhead];
      __builtin_prefetch(ahead.key.data());
      if (!ahead.value.empty()) __builtin_prefetch(ahead.value.data());
    }
    const std::string_view key = records[i].key, value = records[i].value;
    if (!open) {
      job.files.push_back(folder + "/" + FamilyNames()[job.family] + "-" + std::to_string(job.files.size()) + ".sst");
      rocksdb::Status s = writer.Open(job.files.back());
      if (!s.ok()) return failed(s);
      open = true;
    }
    rocksdb::Status s = writer.Put(key, value);
    if (!s.ok()) return failed(s);
    if (writer.FileSize() >= file_bytes) {
      s = writer.Finish();
      if (!s.ok()) return failed(s);
      open = false;
    }
  }
  if (open) {
    rocksdb::Status s = writer.Finish();
    if (!s.ok()) return failed(s);
  }
  return Status::OK();
}

// The by_city, by_country and by_type records of every event held (see bulk_memory.h).
Status BuildIndexJobs(const BulkMemory& memory, const std::string& dir, TableJob* by_city, TableJob* by_country,
                      TableJob* by_type) {
  std::unordered_map<uint64_t, std::string> country;
  for (const auto& [key, value] : memory.records(kPlaces)) {
    Place place;
    if (!DecodePlace(value, &place)) return Status::Corruption(dir + ": bulk load: a place record is unreadable");
    country[FromBigEndian64(key)] = place.country;
  }
  const auto& events = memory.records(kEvents);
  by_city->Reserve(2 * 35 * events.size());
  by_type->Reserve(19 * events.size());
  by_country->Reserve(2 * 21 * events.size());
  std::vector<std::pair<Family, std::string>> keys;
  for (const auto& [key, value] : events) {
    EventRecord ev;
    if (!DecodeEvent(value, &ev)) return Status::Corruption(dir + ": bulk load: event " + KeyToId(key) + " is unreadable");
    auto lo = country.find(ev.lo), hi = country.find(ev.hi);
    if (lo == country.end() || hi == country.end()) {
      return Status::Corruption(dir + ": bulk load: a place of event " + KeyToId(key) + " is missing");
    }
    keys.clear();
    AppendIndexKeys(std::string(key), ev, lo->second, hi->second, &keys);
    for (auto& [family, index_key] : keys) {
      TableJob* job = family == kByCity ? by_city : family == kByCountry ? by_country : by_type;
      job->Build(index_key);
    }
  }
  for (TableJob* job : {by_city, by_country, by_type}) {
    job->RecordsOfBuilt([](size_t) { return std::string_view(); });
  }
  return Status::OK();
}

}  // namespace

Status Store::Impl::WriteOutBulkMemory() {
  if (!bulk_memory) return Status::OK();
  // Whatever happens below, the memory phase ends here: later writes go to the database.
  std::unique_ptr<BulkMemory> memory = std::move(bulk_memory);
  in_memory.store(false, std::memory_order_release);
  if (memory->empty()) return Status::OK();
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  const size_t articles = memory->records(kArticles).size();
  const std::string folder = dir + "/bulk-load.tmp";
  auto fail = [&](const Status& st) {
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
    Status failed = Status::IOError("database " + dir + ": the bulk load could not write out the " + std::to_string(articles) +
                                    " articles it held in memory, which are not stored (the database holds what it held "
                                    "before; run the ingest again): " + st.message());
    SetWriteError(failed);
    return failed;
  };
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
  std::filesystem::create_directories(folder, ec);
  if (ec) return fail(Status::IOError("cannot create " + folder + ": " + ec.message()));

  // One job per family. Their records are gathered on two threads (the indexes from the events on
  // one, the held families on the other), then written the largest first, two at a time, so that
  // both threads end together.
  std::vector<TableJob> jobs(FamilyNames().size());
  for (size_t f = 0; f < jobs.size(); ++f) jobs[f].family = static_cast<Family>(f);
  Status indexed;
  std::thread index_builder([&] { indexed = BuildIndexJobs(*memory, dir, &jobs[kByCity], &jobs[kByCountry], &jobs[kByType]); });
  for (TableJob& job : jobs) {
    if (job.family == kSources) {
      size_t n = 0, bytes = 0;
      for (const auto& [prefix, records] : memory->sources()) {
        n += records.size();
        bytes += records.size() * (prefix.size() + 8);
      }
      job.Reserve(bytes);
      std::vector<std::string_view> values;
      values.reserve(n);
      for (const auto& [prefix, records] : memory->sources()) {
        for (const auto& [article, record] : records) {
          job.built.append(prefix);
          job.Build(article);
          values.push_back(record);
        }
      }
      job.RecordsOfBuilt([&](size_t i) { return values[i]; });
    } else if (BulkMemory::Holds(job.family)) {
      job.records.reserve(memory->records(job.family).size());
      for (const auto& [key, value] : memory->records(job.family)) job.records.emplace_back(key, value);
    }
  }
  index_builder.join();
  if (!indexed.ok()) return fail(indexed);
  const double collected = seconds();
  std::vector<size_t> order(jobs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return jobs[a].records.size() > jobs[b].records.size(); });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < order.size();) {
      TableJob& job = jobs[order[i]];
      if (job.records.empty()) continue;
      const rocksdb::Options options(rocksdb::DBOptions(), family_options[job.family]);
      job.status = WriteTables(job, options, cf[job.family], folder, family_options[job.family].target_file_size_base);
    }
  };
  std::thread helper(work);
  work();
  helper.join();
  const double written = seconds();

  // The held records are no longer read: they are released (millions of map nodes walked, the
  // arena unmapped, the heap trimmed) on another thread while the files are synced and ingested,
  // which mostly waits for the disk. The release is over before this returns, whatever happens.
  const size_t held = memory->bytes();
  struct Release {
    std::thread thread;
    ~Release() {
      if (thread.joinable()) thread.join();
    }
  } release{std::thread([&memory, &jobs] {
    for (TableJob& job : jobs) {  // (records are views into the memory and the built keys)
      std::vector<Record>().swap(job.records);
      std::string().swap(job.built);
      std::vector<size_t>().swap(job.built_ends);
    }
    memory.reset();
    // Give the memory back to the system now (the rest of a run past the budget goes on through
    // memtables with a small footprint).
    malloc_trim(0);
  })};

  std::vector<rocksdb::IngestExternalFileArg> args;
  for (auto& job : jobs) {
    if (!job.status.ok()) return fail(job.status);
    if (job.files.empty()) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cf[job.family];
    arg.external_files = job.files;
    arg.options.move_files = true;
    args.push_back(std::move(arg));
  }
  rocksdb::Status s = db->IngestExternalFiles(args);
  if (!s.ok()) return fail(FromRocks(s, "ingesting the table files"));
  std::filesystem::remove_all(folder, ec);
  release.thread.join();
  spdlog::info("database {}: bulk load: {} articles written out from memory ({} MB) in {:.1f} s (records and index keys "
               "{:.1f} s, sorted table files {:.1f} s, ingestion and release of the memory {:.1f} s)",
               dir, articles, held >> 20, seconds(), collected, written - collected, seconds() - written);
  return Status::OK();
}

}  // namespace tw
