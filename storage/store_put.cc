// The write side of Store: Put stores an article and merges its reports into the events of their
// groups (one event type between one unordered pair of places).
//
// A group's state is its report dates with a count of articles per date (the `groups` record);
// which event each date belongs to follows from that set alone (storage/merge.h). A write reads
// the group record, the article's own old reports, and the records of the events it touches, then:
//   - an event whose report dates are unchanged gets the article's old report taken out of its
//     source count and confidence weight and the new one put in: O(1) whatever its popularity;
//   - an event whose report dates changed (a date arrived or left and the partition moved), or a
//     new one, is counted again from its sources: O(its sources), once per such change;
//   - an event that is no longer there is deleted with its index entries; when its reports went
//     on in another event (its date was refined, or made coarser), its id becomes an alias of that
//     event's id, so GET /events/{old id} still finds it.
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "extractors/text.h"
#include "storage/bulk_memory.h"
#include "storage/codec.h"
#include "storage/merge.h"
#include "storage/store_impl.h"

namespace tw {

using namespace schema;

namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void AddSigned(uint64_t& counter, int64_t delta) {
  counter = delta < 0 && static_cast<uint64_t>(-delta) > counter ? 0 : counter + delta;
}

// The report an article stands by in an event with report dates `dates` (most precise first):
// its report at the most precise of them; nullptr if it reports none.
const EventSource* ReportIn(const DatedReports& reports, const std::vector<std::string>& dates) {
  for (const auto& d : dates) {
    auto it = reports.find(d);
    if (it != reports.end()) return &it->second;
  }
  return nullptr;
}

std::set<std::string> DatesOf(const GroupRecord& group) {
  std::set<std::string> dates;
  for (const auto& [date, count] : group) dates.insert(date);
  return dates;
}

// An article reporting one event several times at one date counts once: its earliest report.
void KeepEarliest(DatedReports& reports, EventSource s) {
  auto [it, inserted] = reports.emplace(s.date, s);
  if (!inserted && std::tie(s.start, s.evidence) < std::tie(it->second.start, it->second.evidence)) it->second = std::move(s);
}

// Takes one source (its confidence weight) out of an event record, or puts one in.
void AddSource(EventRecord& r, const EventSource& s, int sign) {
  AddSigned(r.source_count, sign);
  const auto w = static_cast<int64_t>(ConfidenceWeight(s.confidence));
  AddSigned(r.confidence_weight, sign * w);
}

}  // namespace

Status Store::Impl::WriteIndexKeys(const std::string& key, const EventRecord& event, rocksdb::WriteBatch& batch, bool put) const {
  if (bulk_memory) return Status::OK();  // a bulk load in memory writes the indexes of its final events (bulk_memory.h)
  std::vector<std::pair<Family, std::string>> index;
  Status st = IndexKeys(key, event, &index);
  if (!st.ok()) return st;
  for (const auto& [family, index_key] : index) {
    if (put) batch.Put(cf[family], index_key, "");
    else batch.Delete(cf[family], index_key);
  }
  return Status::OK();
}

Result<EventRecord> Store::Impl::RecountEvent(const EventGroup& group, const std::vector<std::string>& dates,
                                              const GroupRecord& stored_dates, const std::string& article_key,
                                              const DatedReports& before, const DatedReports& after) const {
  EventRecord r;
  r.type = group.type;
  r.lo = group.lo;
  r.hi = group.hi;
  r.date = dates.front();
  r.coarser_dates.assign(dates.begin() + 1, dates.end());
  // An article counts once, by its report at the most precise date (dates come most precise first).
  std::unordered_set<std::string> counted;
  const bool several_dates = dates.size() > 1;
  for (const auto& date : dates) {
    // Dates no other article reports have nothing stored to read (the usual case of a new event).
    auto stored = stored_dates.find(date);
    const uint64_t others = stored == stored_dates.end() ? 0 : stored->second - (before.count(date) ? 1 : 0);
    if (others == 0) continue;
    Status st = ScanSources(group, date, [&](std::string_view article, EventSource&& s) {
      if (article == article_key) return;  // what this article had stored: `after` replaces it
      if (several_dates && !counted.emplace(article).second) return;
      AddSource(r, s, +1);
    });
    if (!st.ok()) return st;
  }
  if (const EventSource* mine = ReportIn(after, dates)) AddSource(r, *mine, +1);
  return r;
}

Status Store::Impl::MergeGroup(const EventGroup& group, const std::string& article_key, const DatedReports& before,
                               const DatedReports& after, rocksdb::WriteBatch& batch, Counters& counters,
                               PutOutcome& outcome) const {
  auto loaded = LoadGroup(group);
  if (!loaded.ok()) return loaded.status();
  const GroupRecord& old_dates = *loaded;
  GroupRecord new_dates = old_dates;
  for (const auto& [date, report] : before) {
    auto it = new_dates.find(date);
    if (it != new_dates.end() && --it->second == 0) new_dates.erase(it);
  }
  for (const auto& [date, report] : after) ++new_dates[date];
  const auto old_events = EventsOfPartition(PartitionDates(DatesOf(old_dates)));
  const auto new_partition = PartitionDates(DatesOf(new_dates));
  const auto new_events = EventsOfPartition(new_partition);

  auto load_existing = [&](const std::string& key) -> Result<EventRecord> {
    auto record = LoadEventRecord(key);
    if (!record.ok()) return record.status();
    if (!*record) return Status::Corruption(dir + ": event " + KeyToId(key) + " is missing though its group lists it");
    return std::move(**record);
  };
  auto count_joined = [&](const EventRecord& now) { ++(now.source_count > 1 ? outcome.events_merged : outcome.events_new); };

  // Events that are gone: deleted, or aliased to the event their reports went on in.
  for (const auto& [date, dates] : old_events) {
    if (new_events.count(date)) continue;
    const std::string key = EventKey(group, date);
    auto old = load_existing(key);
    if (!old.ok()) return old.status();
    Status st = WriteIndexKeys(key, *old, batch, /*put=*/false);
    if (!st.ok()) return st;
    batch.Delete(cf[kEvents], key);
    AddSigned(counters.events[static_cast<int>(group.type)], -1);
    AddSigned(counters.sources, -static_cast<int64_t>(old->source_count));
    const auto successor = std::find_if(dates.begin(), dates.end(), [&](const std::string& d) { return new_partition.count(d) > 0; });
    if (successor == dates.end()) {
      ++outcome.events_removed;
    } else {
      batch.Put(cf[kAliases], key, EventKey(group, new_partition.at(*successor)));
    }
  }

  for (const auto& [date, dates] : new_events) {
    const std::string key = EventKey(group, date);
    const EventSource* is = ReportIn(after, dates);
    auto was_there = old_events.find(date);
    if (was_there == old_events.end()) {
      // A new event (or one back under its id): counted, indexed, and no longer an alias.
      auto now = RecountEvent(group, dates, old_dates, article_key, before, after);
      if (!now.ok()) return now.status();
      batch.Put(cf[kEvents], key, EncodeEvent(*now));
      Status st = WriteIndexKeys(key, *now, batch, /*put=*/true);
      if (!st.ok()) return st;
      auto alias = Get(kAliases, key);
      if (!alias.ok()) return alias.status();
      if (*alias) batch.Delete(cf[kAliases], key);
      ++counters.events[static_cast<int>(group.type)];
      counters.sources += now->source_count;
      if (is) count_joined(*now);
      continue;
    }
    const EventSource* was = ReportIn(before, was_there->second);
    const bool same_dates = was_there->second == dates;
    if (same_dates && !was && !is) continue;  // neither this article nor the partition changes it
    auto old = load_existing(key);
    if (!old.ok()) return old.status();
    EventRecord now = *old;
    if (same_dates) {
      if (was) AddSource(now, *was, -1);
      if (is) AddSource(now, *is, +1);
    } else {
      auto recounted = RecountEvent(group, dates, old_dates, article_key, before, after);
      if (!recounted.ok()) return recounted.status();
      now = std::move(*recounted);
    }
    if (now == *old) continue;
    batch.Put(cf[kEvents], key, EncodeEvent(now));
    AddSigned(counters.sources, static_cast<int64_t>(now.source_count) - static_cast<int64_t>(old->source_count));
    if (is && !was) count_joined(now);
  }

  // This article's source records, and the group's dates.
  for (const auto& [date, report] : before) {
    if (!after.count(date)) batch.Delete(cf[kSources], SourceKey(group, date, article_key));
  }
  for (const auto& [date, report] : after) {
    auto was = before.find(date);
    const std::string encoded = EncodeSource(report);
    if (was == before.end() || EncodeSource(was->second) != encoded) batch.Put(cf[kSources], SourceKey(group, date, article_key), encoded);
  }
  if (new_dates != old_dates) {
    if (new_dates.empty()) batch.Delete(cf[kGroups], GroupKey(group));
    else batch.Put(cf[kGroups], GroupKey(group), EncodeGroup(new_dates));
  }
  return Status::OK();
}

Result<PutOutcome> Store::Put(const Extraction& x, PutMode mode) {
  if (impl_->options.read_only) return Status::Unsupported(dir_ + " is open read-only");
  if (Status failed = impl_->WriteError(); !failed.ok()) return failed;
  // A bulk load held in memory stays while this runs (no lock once it is over: bulk_memory is null for good).
  std::unique_lock bulk_lock(impl_->bulk_memory_mu, std::defer_lock);
  if (impl_->in_memory.load(std::memory_order_acquire)) bulk_lock.lock();
  PutOutcome outcome;
  const Article& a = x.article;
  std::string article_key;
  if (!IdToKey(a.id, &article_key)) return Status::InvalidArgument(a.origin + ": article id '" + a.id + "' is not 16 hex digits");
  const std::string seen_key = BigEndian64(a.content_hash);

  if (mode == PutMode::kIngest) {
    // Same text already stored (under this url or another): nothing to add.
    auto seen = impl_->Get(kSeen, seen_key);
    if (!seen.ok()) return seen.status();
    if (seen.value()) {
      outcome.duplicate = true;
      return outcome;
    }
  }
  auto old = impl_->LoadArticle(article_key);
  if (!old.ok()) return old.status();
  if (mode == PutMode::kReextract && !*old) return Status::NotFound("no stored article " + a.id + " to re-extract");

  // This article's reports, by group and date, and the places they name.
  std::map<EventGroup, DatedReports> incoming;
  impl_->pending_places.clear();
  for (const auto& m : x.events) {
    const uint64_t ka = PlaceKey(m.first), kb = PlaceKey(m.second);
    EventSource s;
    s.article_id = a.id;
    s.published = a.published.value;
    s.url = a.canonical_url.empty() ? a.url : a.canonical_url.value;
    s.title = a.title.value;
    s.evidence = m.evidence;
    s.rule = m.rule;
    s.confidence = m.confidence;
    s.date = m.date;
    s.start = m.start;
    s.end = m.end;
    KeepEarliest(incoming[EventGroup{m.type, std::min(ka, kb), std::max(ka, kb)}], std::move(s));
    impl_->pending_places.emplace(ka, m.first);
    impl_->pending_places.emplace(kb, m.second);
  }
  // A place named with another country than before would be indexed by the other country here and by
  // the first in a bulk load's write-out: such an article ends the memory phase (bulk_memory.h).
  for (const auto& [key, place] : impl_->pending_places) {
    if (!impl_->bulk_memory || !impl_->bulk_memory->PlaceCountryDiffers(key, place.country)) continue;
    Status st = impl_->WriteOutBulkMemory();
    if (!st.ok()) return st;
  }
  // And the reports its stored version gave.
  std::map<EventGroup, DatedReports> stored;
  if (*old) {
    for (const auto& [group, dates] : (*old)->groups) {
      for (const auto& date : dates) {
        auto raw = impl_->Get(kSources, SourceKey(group, date, article_key));
        if (!raw.ok()) return raw.status();
        EventSource s;
        if (!*raw || !DecodeSource(**raw, &s)) {
          return Status::Corruption(dir_ + ": a stored report of article " + a.id + " is missing or unreadable");
        }
        s.article_id = a.id;
        s.date = date;
        stored[group].emplace(date, std::move(s));
      }
    }
  }

  rocksdb::WriteBatch batch;
  Counters counters = impl_->counters;
  static const DatedReports kNone;
  std::set<EventGroup> groups;
  for (const auto& [g, reports] : incoming) groups.insert(g);
  for (const auto& [g, reports] : stored) groups.insert(g);
  for (const auto& group : groups) {
    auto before = stored.find(group);
    auto after = incoming.find(group);
    Status st = impl_->MergeGroup(group, article_key, before == stored.end() ? kNone : before->second,
                                  after == incoming.end() ? kNone : after->second, batch, counters, outcome);
    if (!st.ok()) return st;
  }

  // Places and the names `query --city` finds them by: the place's own name, the spellings this
  // article used, and whatever the names function knows.
  std::vector<std::string> name_keys;
  std::vector<std::pair<uint64_t, std::string>> own_names;  // remembered once the batch is written
  for (const auto& [key, place] : impl_->pending_places) {
    // The place's own name and the names function's (a function of the place's key and name) are
    // looked up once per process for each name the place comes with: after that, only this
    // article's spellings can be new (nearly every article names places seen before).
    auto own = impl_->own_names_written.find(key);
    const bool own_written = own != impl_->own_names_written.end() && own->second == place.name;
    std::vector<std::string> names;
    if (!own_written) names.push_back(place.name);
    for (const auto& c : x.cities) {
      if (PlaceKey(c.place) == key) names.push_back(c.text);
    }
    if (!own_written && impl_->options.place_names) {
      for (auto& n : impl_->options.place_names(place)) names.push_back(std::move(n));
    }
    if (!own_written) own_names.emplace_back(key, place.name);
    // Written only when absent, so re-extraction that finds nothing new writes nothing.
    if (!impl_->places_written.count(key)) {
      auto place_stored = impl_->Get(kPlaces, BigEndian64(key));
      if (!place_stored.ok()) return place_stored.status();
      if (!*place_stored || *place_stored != EncodePlace(place)) batch.Put(impl_->cf[kPlaces], BigEndian64(key), EncodePlace(place));
    }
    for (const auto& n : names) {
      const std::string folded = NameKey(n);
      if (folded.empty()) continue;
      std::string name_key = NameKey(folded, key);
      if (impl_->names_written.count(name_key)) continue;
      auto name_stored = impl_->Get(kNames, name_key);
      if (!name_stored.ok()) return name_stored.status();
      if (!*name_stored) batch.Put(impl_->cf[kNames], name_key, "");
      name_keys.push_back(std::move(name_key));
    }
  }

  ArticleRecord record;
  record.article = a;
  record.article.text.clear();
  record.article.origin.clear();
  for (const auto& [g, reports] : incoming) {
    ArticleGroup entry{g, {}};
    for (const auto& [date, report] : reports) entry.dates.push_back(date);
    record.groups.push_back(std::move(entry));
  }
  const int64_t now = NowSeconds();
  record.stored_at = mode == PutMode::kReextract ? (*old)->stored_at : now;
  const std::string encoded_article = EncodeArticle(record);
  const bool article_changed = !*old || EncodeArticle(**old) != encoded_article;
  if (article_changed) batch.Put(impl_->cf[kArticles], article_key, encoded_article);
  if (!*old || (*old)->article.content_hash != a.content_hash) {
    batch.Put(impl_->cf[kTexts], article_key, a.text);
    if (*old) batch.Delete(impl_->cf[kSeen], BigEndian64((*old)->article.content_hash));
    batch.Put(impl_->cf[kSeen], seen_key, article_key);
  }
  if (!*old) ++counters.articles;

  std::vector<uint64_t> place_keys;
  for (const auto& [key, place] : impl_->pending_places) place_keys.push_back(key);
  impl_->pending_places.clear();
  if (batch.Count() == 0) return outcome;  // re-extraction that found what was stored: nothing to do
  if (mode == PutMode::kIngest) counters.last_stored = now;
  batch.Put(impl_->cf[kMeta], kArticlesCounter, std::to_string(counters.articles));
  batch.Put(impl_->cf[kMeta], kSourcesCounter, std::to_string(counters.sources));
  for (EventType t : kAllTypes) batch.Put(impl_->cf[kMeta], EventsCounterKey(t), std::to_string(counters.events[static_cast<int>(t)]));
  batch.Put(impl_->cf[kMeta], kLastStoredKey, std::to_string(counters.last_stored));

  if (impl_->bulk_memory) {
    Status st = impl_->bulk_memory->Apply(batch);
    if (!st.ok()) return st;
  } else {
    rocksdb::WriteOptions write_options;
    write_options.disableWAL = impl_->options.bulk_load;  // durable at the next (atomic) flush instead
    rocksdb::Status s = impl_->db->Write(write_options, &batch);
    if (!s.ok()) {
      impl_->SetWriteError(s);
      return FromRocks(s, dir_ + ": writing article " + a.origin);
    }
  }
  impl_->counters = counters;
  for (auto& k : name_keys) impl_->names_written.insert(std::move(k));
  for (auto& [key, name] : own_names) impl_->own_names_written[key] = std::move(name);
  impl_->places_written.insert(place_keys.begin(), place_keys.end());
  outcome.changed = true;
  if (impl_->bulk_memory && impl_->bulk_memory->OverBudget()) {
    Status st = impl_->WriteOutBulkMemory();
    if (!st.ok()) return st;
  }
  return outcome;
}

}  // namespace tw
