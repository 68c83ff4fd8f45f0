// The on-disk layout of the store (schema version in Store::kSchemaVersion): column families,
// key formats and record encodings. Internal to storage/; everything here is a pure function so
// tests can check round trips without a database.
//
// Column families and keys (ids and place keys are 8 bytes big-endian, so keys sort by them):
//   default    "schema_version", counters ("n/..."), times ("t/...")
//   articles   article id                     -> ArticleRecord (metadata, the event groups it feeds)
//   texts      article id                     -> cleaned text (for `reextract` and GET /articles)
//   events     event id                       -> EventRecord (type, place keys, date, sources)
//   by_city    place | other place | type | date10 | event id -> ""   (both directions)
//   by_country country(2) | type | date10 | event id           -> ""   (each country once)
//   by_type    type | date10 | event id                        -> ""
//   places     place key                      -> PlaceRecord (name, country, coordinates...)
//   names      NameKey(name) | 0x00 | place key -> ""   (every name `query --city` may use)
//   seen       content hash                   -> article id
//   crawl      "s" source name | "u" URL      -> crawl state (JSON)
//   groups     lo place | hi place | type     -> the ids of the group's events (8 bytes each): the
//              merge step of a write finds a group's events with one Get (a Bloom filter answers
//              the usual "no such group yet") instead of an index scan
// date10 is the ISO date padded to 10 bytes with 0x00, or "~" for undated: keys sort by date
// ("2019" before "2019-01") with undated events last, then by id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/extraction.h"
#include "pipeline/types.h"
#include "storage/event.h"

namespace tw::schema {

enum Family { kMeta = 0, kArticles, kTexts, kEvents, kByCity, kByCountry, kByType, kPlaces, kNames, kSeen, kCrawl, kGroups };
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

struct CityIndexEntry {
  uint64_t place = 0, other = 0;
  EventType type = EventType::kAgreement;
  std::string date;
  std::string id;  // 8 bytes
};
std::string CityIndexKey(uint64_t place, uint64_t other, EventType type, const std::string& date, const std::string& id);
// The prefix of every by_city key of `group` (seen from its `lo` side); also its key in `groups`.
std::string CityIndexGroupPrefix(const EventGroup& group);
bool ParseCityIndexKey(std::string_view key, CityIndexEntry* entry);

std::string CountryIndexKey(const std::string& country, EventType type, const std::string& date, const std::string& id);
std::string CountryIndexPrefix(const std::string& country, EventType type);
std::string TypeIndexKey(EventType type, const std::string& date, const std::string& id);
std::string TypeIndexPrefix(EventType type);
// The date and id at the end of a by_country or by_type key.
bool ParseDateIdTail(std::string_view key, std::string* date, std::string* id);

std::string NameKey(const std::string& folded_name, uint64_t place);
std::string NamePrefix(const std::string& folded_name);

// Events as stored: places by key, sources without the article's url/title/published.
struct EventRecord {
  EventType type = EventType::kAgreement;
  uint64_t lo = 0, hi = 0;
  std::string date;
  std::vector<EventSource> sources;  // article_id, evidence, rule, confidence, date, start, end
};
std::string EncodeEvent(const EventRecord& event);
bool DecodeEvent(std::string_view bytes, EventRecord* event);

struct ArticleRecord {
  Article article;                  // everything but the text (in `texts`) and origin
  std::vector<EventGroup> groups;   // the groups this article has sources in
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
