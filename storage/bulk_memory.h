// A bulk load into an empty store, held in memory (internal to storage/).
//
// Store::Put runs unchanged (same merge code, same reads, one WriteBatch per article), but in a
// bulk load into an empty store its reads are answered from hash maps and each article's batch is
// applied to them instead of RocksDB's memtables: no skiplist inserts, no flushes, no compaction of
// random keys. When the load ends (Store::Sync), its memory budget is reached, or the writer reads
// through the public API, Store::Impl::WriteOutBulkMemory writes every column family's keys sorted
// into table files (rocksdb::SstFileWriter, both cores) and ingests them into all families at once
// (atomic: a kill or a failed write leaves the store as it was, empty). Later writes go through the
// database as before.
//
// The three index families are not held: they are a function of the events and their places'
// countries, written out from the final events (an event's index keys never change while it lives,
// and deleting an event deletes them). The places' countries are the ones the normal path indexes
// with as long as each place comes with one country: a place named with another country ends the
// memory phase before that article (Put checks PlaceCountryDiffers).
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <map>
#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/status.h"
#include "storage/schema.h"

namespace tw {

class BulkMemory {
 public:
  using Family = schema::Family;
  // Keys and values live in one arena (a bulk load makes millions of them: bump allocation, and one
  // release instead of millions of frees); the maps are looked up by string_view.
  using String = std::pmr::string;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Records of one family: key -> value.
  using Records = std::pmr::unordered_map<String, String, Hash, std::equal_to<>>;
  // Sources by their prefix (group | date): article key -> record, in key order as scans read them.
  using SourceRecords = std::pmr::unordered_map<String, std::pmr::map<String, String, std::less<>>, Hash, std::equal_to<>>;

  // `family_of_id`: the Family of each column family id; `budget_bytes`: about how much memory
  // the records may take before OverBudget().
  BulkMemory(std::vector<int> family_of_id, size_t budget_bytes);

  // Whether the family's records are held here (all but the indexes and the crawl state).
  static bool Holds(Family family);

  // The record of `key` in a held family, or null.
  const String* Find(Family family, const std::string& key) const;
  // Calls `fn(article_key, record)` for each source whose key starts with `prefix` (group | date).
  template <typename Fn>
  void ScanSources(const std::string& prefix, Fn&& fn) const {
    auto it = sources_.find(std::string_view(prefix));
    if (it == sources_.end()) return;
    for (const auto& [article, record] : it->second) fn(std::string_view(article), std::string_view(record));
  }
  // Whether place `key` is held with a country other than `country`.
  bool PlaceCountryDiffers(uint64_t key, const std::string& country) const;

  // Applies one article's batch (its index keys are left out: see above).
  Status Apply(const rocksdb::WriteBatch& batch);

  bool OverBudget() const { return bytes_ > budget_bytes_; }
  size_t bytes() const { return bytes_; }
  bool empty() const { return bytes_ == 0; }

  const Records& records(Family family) const { return records_[family]; }
  const SourceRecords& sources() const { return sources_; }

 private:
  class Applier;
  void Put(Family family, std::string_view key, std::string_view value);
  void Delete(Family family, std::string_view key);

  std::vector<int> family_of_id_;
  size_t budget_bytes_;
  size_t bytes_ = 0;
  std::pmr::monotonic_buffer_resource arena_;  // declared before the maps it holds
  // The maps live in the arena and are never destroyed: releasing the arena frees them at once,
  // where destroying them would walk millions of nodes to free nothing (a monotonic arena frees
  // nothing one by one): half a second at the end of a 1M-event load.
  std::pmr::vector<Records>& records_;
  SourceRecords& sources_;
  std::unordered_map<uint64_t, std::string> place_country_;
};

}  // namespace tw
