// The on-disk layout of the store (schema version in Store::kSchemaVersion): column families,
// key formats and record encodings. Internal to storage/; everything here is a pure function so
// tests can check round trips without a database.
//
// Column families and keys (ids and place keys are 8 bytes big-endian, so keys sort by them):
//   default    "schema_version", counters ("n/..."), times ("t/...")
//   articles   article id                     -> ArticleRecord (metadata, the report dates it has in each group)
//   texts      article id                     -> cleaned text (for `reextract` and GET /articles)
//   events     event id                       -> EventRecord (type, place keys, date, its report dates,
//                                                source count, confidence weight: no sources)
//   sources    group | date | article id      -> one article's report of the group's events at that
//                                                date (EventSource: sentence, rule, confidence,
//                                                offsets, and the article's url, title and published
//                                                date, so reading an event reads no article)
//   groups     group                          -> GroupRecord: each report date of the group and how
//                                                many articles report it (the merge's whole input)
//   aliases    old event id                   -> current event id (an event whose date changed)
//   by_city    place | other place | type | date10 | event id -> ""   (both directions)
//   by_country country(2) | type | date10 | event id           -> ""   (each country once)
//   by_type    type | date10 | event id                        -> ""
//   places     place key                      -> PlaceRecord (name, country, coordinates...)
//   names      NameKey(name) | 0x00 | place key -> ""   (every name `query --city` may use)
//   seen       content hash                   -> article id
//   crawl      "s" source name | "u" URL      -> crawl state (JSON)
// A group is the unit of merging: one event type between one unordered pair of places; its key
// (GroupKey) is varint lo place | varint hi place | type, prefix-free. A source key's date is
// length-prefixed. date10 is the ISO date padded to 10 bytes with 0x00, or "~" for undated: keys
// sort by date ("2019" before "2019-01") with undated events last, then by id.
//
// Why sources are keyed by their report date and not by event: which event a report belongs to
// changes when a date arrives or leaves (storage/merge.h), and a popular event may have many
// thousands of sources. Keyed by date, no source record moves when that happens, and a new report
// writes its own record, the group's date counts and the event's aggregates: O(1) whatever the
// number of sources.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/extraction.h"
#include "pipeline/types.h"
#include "storage/event.h"

namespace tw::schema {

enum Family {
  kMeta = 0, kArticles, kTexts, kEvents, kByCity, kByCountry, kByType, kPlaces, kNames, kSeen, kCrawl, kGroups,
  kSources, kAliases
};
const std::vector<std::string>& FamilyNames();

constexpr size_t kDateWidth = 10;
std::string DateField(const std::string& date);
std::string DateFromField(std::string_view field);

// The events of one type between one unordered pair of places (lo <= hi): the unit of merging.
struct EventGroup {
  EventType type = EventType::kAgreement;
  uint64_t lo = 0, hi = 0;
  auto operator<=>(const EventGroup&) const = default;
};

// The key of a group in `groups`, and the prefix of its keys in `sources`.
std::string GroupKey(const EventGroup& group);
// The prefix of the sources of `group` reported at `date`; with the article's key, a source key.
std::string SourcePrefix(const EventGroup& group, const std::string& date);
std::string SourceKey(const EventGroup& group, const std::string& date, const std::string& article_key);

struct CityIndexEntry {
  uint64_t place = 0, other = 0;
  EventType type = EventType::kAgreement;
  std::string date;
  std::string id;  // 8 bytes
};
std::string CityIndexKey(uint64_t place, uint64_t other, EventType type, const std::string& date, const std::string& id);
bool ParseCityIndexKey(std::string_view key, CityIndexEntry* entry);

std::string CountryIndexKey(const std::string& country, EventType type, const std::string& date, const std::string& id);
std::string CountryIndexPrefix(const std::string& country, EventType type);
std::string TypeIndexKey(EventType type, const std::string& date, const std::string& id);
std::string TypeIndexPrefix(EventType type);
// The date and id at the end of a by_country or by_type key.
bool ParseDateIdTail(std::string_view key, std::string* date, std::string* id);

std::string NameKey(const std::string& folded_name, uint64_t place);
std::string NamePrefix(const std::string& folded_name);

// An event as stored: what merging and queries need, not its sources (in `sources`).
struct EventRecord {
  EventType type = EventType::kAgreement;
  uint64_t lo = 0, hi = 0;
  std::string date;
  std::vector<std::string> coarser_dates;  // its other report dates (prefixes of `date`), most precise first
  uint64_t source_count = 0;               // articles reporting it
  uint64_t confidence_weight = 0;          // sum of ConfidenceWeight of each article's report
  EventGroup group() const { return {type, lo, hi}; }
  bool operator==(const EventRecord&) const = default;
};
std::string EncodeEvent(const EventRecord& event);
bool DecodeEvent(std::string_view bytes, EventRecord* event);

// The report dates of a group, each with the number of articles reporting it.
using GroupRecord = std::map<std::string, uint64_t>;
std::string EncodeGroup(const GroupRecord& group);
bool DecodeGroup(std::string_view bytes, GroupRecord* group);

// One article's report at one date: evidence, rule, confidence (1e-4 steps), offsets, and the
// article's published date, url and title (so an event's sources are shown, and its earliest ones
// found, without reading one article record each: a query of 100 events reads 100 fewer blocks).
std::string EncodeSource(const EventSource& source);
bool DecodeSource(std::string_view bytes, EventSource* source);

// The report dates an article has in one group.
struct ArticleGroup {
  EventGroup group;
  std::vector<std::string> dates;
  bool operator==(const ArticleGroup&) const = default;
};

struct ArticleRecord {
  Article article;                  // everything but the text (in `texts`) and origin
  std::vector<ArticleGroup> groups;  // the groups this article reports events of, and at which dates
  int64_t stored_at = 0;            // unix seconds
};
std::string EncodeArticle(const ArticleRecord& record);
bool DecodeArticle(std::string_view bytes, ArticleRecord* record);

std::string EncodePlace(const Place& place);
bool DecodePlace(std::string_view bytes, Place* place);

// Article and event ids: 16 hex digits outside, 8 bytes in keys. False if `hex` is not an id.
bool IdToKey(std::string_view hex, std::string* key);
std::string KeyToId(std::string_view key);

}  // namespace tw::schema
