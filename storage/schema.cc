#include "storage/schema.h"

#include <algorithm>
#include <cmath>

#include "storage/codec.h"

namespace tw::schema {

namespace {

// Signed values (coordinates in 1e-4 degrees) as varints: zigzag keeps small negatives small.
uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

bool DecodeType(Decoder& d, EventType* type) {
  uint8_t t = 0;
  if (!d.U8(&t) || t > static_cast<uint8_t>(EventType::kProposal)) return false;
  *type = static_cast<EventType>(t);
  return true;
}

void EncodeSourced(Encoder& e, const SourcedValue& v) { e.String(v.value).String(v.source); }
bool DecodeSourced(Decoder& d, SourcedValue* v) { return d.String(&v->value) && d.String(&v->source); }

}  // namespace

const std::vector<std::string>& FamilyNames() {
  // "default" spelled out: rocksdb::kDefaultColumnFamilyName may not be initialised before this.
  static const std::vector<std::string> kNames = {"default", "articles", "texts", "events", "by_city", "by_country",
                                                  "by_type", "places", "names", "seen", "crawl", "groups",
                                                  "sources", "aliases"};
  return kNames;
}

std::string DateField(const std::string& date) {
  std::string field = date.empty() ? std::string("~") : date.substr(0, kDateWidth);
  field.resize(kDateWidth, '\0');
  return field;
}

std::string DateFromField(std::string_view field) {
  if (!field.empty() && field[0] == '~') return {};
  const size_t end = field.find('\0');
  return std::string(field.substr(0, end));
}

std::string CityIndexKey(uint64_t place, uint64_t other, EventType type, const std::string& date, const std::string& id) {
  return BigEndian64(place) + BigEndian64(other) + static_cast<char>(type) + DateField(date) + id;
}

std::string GroupKey(const EventGroup& g) {
  Encoder e;
  e.Varint(g.lo).Varint(g.hi).U8(static_cast<uint8_t>(g.type));
  return e.Take();
}

std::string SourcePrefix(const EventGroup& group, const std::string& date) {
  Encoder e;
  e.Raw(GroupKey(group)).String(date);
  return e.Take();
}

std::string SourceKey(const EventGroup& group, const std::string& date, const std::string& article_key) {
  return SourcePrefix(group, date) + article_key;
}

bool ParseCityIndexKey(std::string_view key, CityIndexEntry* e) {
  if (key.size() != 8 + 8 + 1 + kDateWidth + 8) return false;
  e->place = FromBigEndian64(key.substr(0, 8));
  e->other = FromBigEndian64(key.substr(8, 8));
  const auto t = static_cast<uint8_t>(key[16]);
  if (t > static_cast<uint8_t>(EventType::kProposal)) return false;
  e->type = static_cast<EventType>(t);
  e->date = DateFromField(key.substr(17, kDateWidth));
  e->id = std::string(key.substr(17 + kDateWidth));
  return true;
}

std::string CountryIndexPrefix(const std::string& country, EventType type) {
  std::string cc = country;
  cc.resize(2, ' ');
  return cc + static_cast<char>(type);
}

std::string CountryIndexKey(const std::string& country, EventType type, const std::string& date, const std::string& id) {
  return CountryIndexPrefix(country, type) + DateField(date) + id;
}

std::string TypeIndexPrefix(EventType type) { return std::string(1, static_cast<char>(type)); }

std::string TypeIndexKey(EventType type, const std::string& date, const std::string& id) {
  return TypeIndexPrefix(type) + DateField(date) + id;
}

bool ParseDateIdTail(std::string_view key, std::string* date, std::string* id) {
  if (key.size() < kDateWidth + 8) return false;
  *date = DateFromField(key.substr(key.size() - 8 - kDateWidth, kDateWidth));
  *id = std::string(key.substr(key.size() - 8));
  return true;
}

std::string NamePrefix(const std::string& folded_name) { return folded_name + '\0'; }
std::string NameKey(const std::string& folded_name, uint64_t place) { return NamePrefix(folded_name) + BigEndian64(place); }

std::string EncodeEvent(const EventRecord& ev) {
  Encoder e;
  e.U8(static_cast<uint8_t>(ev.type)).Varint(ev.lo).Varint(ev.hi).String(ev.date).Varint(ev.coarser_dates.size());
  for (const auto& d : ev.coarser_dates) e.String(d);
  e.Varint(ev.source_count).Varint(ev.confidence_weight);
  return e.Take();
}

bool DecodeEvent(std::string_view bytes, EventRecord* ev) {
  Decoder d(bytes);
  uint64_t dates = 0;
  if (!DecodeType(d, &ev->type) || !d.Varint(&ev->lo) || !d.Varint(&ev->hi) || !d.String(&ev->date) || !d.Varint(&dates) ||
      dates > bytes.size()) {
    return false;
  }
  ev->coarser_dates.assign(dates, {});
  for (auto& date : ev->coarser_dates) {
    if (!d.String(&date)) return false;
  }
  return d.Varint(&ev->source_count) && d.Varint(&ev->confidence_weight) && d.done();
}

std::string EncodeGroup(const GroupRecord& group) {
  Encoder e;
  e.Varint(group.size());
  for (const auto& [date, count] : group) e.String(date).Varint(count);
  return e.Take();
}

bool DecodeGroup(std::string_view bytes, GroupRecord* group) {
  Decoder d(bytes);
  uint64_t n = 0;
  if (!d.Varint(&n) || n > bytes.size()) return false;
  group->clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string date;
    uint64_t count = 0;
    if (!d.String(&date) || !d.Varint(&count)) return false;
    (*group)[std::move(date)] = count;
  }
  return d.done();
}

std::string EncodeSource(const EventSource& s) {
  Encoder e;
  e.String(s.published)
      .String(s.url)
      .String(s.title)
      .String(s.evidence)
      .String(s.rule)
      .Varint(static_cast<uint64_t>(std::lround(std::clamp(s.confidence, 0.0, 1.0) * 10000)))
      .Varint(s.start)
      .Varint(s.end);
  return e.Take();
}

bool DecodeSource(std::string_view bytes, EventSource* s) {
  Decoder d(bytes);
  uint64_t confidence = 0, start = 0, end = 0;
  if (!d.String(&s->published) || !d.String(&s->url) || !d.String(&s->title) || !d.String(&s->evidence) || !d.String(&s->rule) || !d.Varint(&confidence) ||
      !d.Varint(&start) || !d.Varint(&end) || confidence > 10000) {
    return false;
  }
  s->confidence = static_cast<double>(confidence) / 10000;
  s->start = start;
  s->end = end;
  return d.done();
}

std::string EncodeArticle(const ArticleRecord& r) {
  const Article& a = r.article;
  Encoder e;
  e.String(a.url);
  EncodeSourced(e, a.canonical_url);
  EncodeSourced(e, a.title);
  EncodeSourced(e, a.published);
  EncodeSourced(e, a.language);
  EncodeSourced(e, a.author);
  e.String(a.charset).Varint(ZigZag(a.fetch_time)).Fixed64(a.content_hash).Varint(ZigZag(r.stored_at));
  e.Varint(r.groups.size());
  for (const auto& [g, dates] : r.groups) {
    e.U8(static_cast<uint8_t>(g.type)).Varint(g.lo).Varint(g.hi).Varint(dates.size());
    for (const auto& date : dates) e.String(date);
  }
  return e.Take();
}

bool DecodeArticle(std::string_view bytes, ArticleRecord* r) {
  Decoder d(bytes);
  Article& a = r->article;
  uint64_t fetch_time = 0, stored_at = 0, count = 0;
  if (!d.String(&a.url) || !DecodeSourced(d, &a.canonical_url) || !DecodeSourced(d, &a.title) ||
      !DecodeSourced(d, &a.published) || !DecodeSourced(d, &a.language) || !DecodeSourced(d, &a.author) ||
      !d.String(&a.charset) || !d.Varint(&fetch_time) || !d.Fixed64(&a.content_hash) || !d.Varint(&stored_at) ||
      !d.Varint(&count)) {
    return false;
  }
  a.fetch_time = UnZigZag(fetch_time);
  r->stored_at = UnZigZag(stored_at);
  r->groups.clear();
  for (uint64_t i = 0; i < count; ++i) {
    ArticleGroup g;
    uint64_t dates = 0;
    if (!DecodeType(d, &g.group.type) || !d.Varint(&g.group.lo) || !d.Varint(&g.group.hi) || !d.Varint(&dates) ||
        dates > bytes.size()) {
      return false;
    }
    g.dates.assign(dates, {});
    for (auto& date : g.dates) {
      if (!d.String(&date)) return false;
    }
    r->groups.push_back(std::move(g));
  }
  return d.done();
}

std::string EncodePlace(const Place& p) {
  Encoder e;
  e.Varint(static_cast<uint64_t>(std::max<int64_t>(p.geonameid, 0)))
      .String(p.name)
      .String(p.country)
      .String(p.admin1)
      .String(p.feature)
      .Varint(static_cast<uint64_t>(std::max<int64_t>(p.population, 0)))
      .Varint(ZigZag(std::llround(p.lat * 10000)))
      .Varint(ZigZag(std::llround(p.lon * 10000)));
  if (p.from_text) e.U8(1);  // absent in places stored before it existed, and for gazetteer places
  return e.Take();
}

bool DecodePlace(std::string_view bytes, Place* p) {
  Decoder d(bytes);
  uint64_t gid = 0, population = 0, lat = 0, lon = 0;
  if (!d.Varint(&gid) || !d.String(&p->name) || !d.String(&p->country) || !d.String(&p->admin1) ||
      !d.String(&p->feature) || !d.Varint(&population) || !d.Varint(&lat) || !d.Varint(&lon)) {
    return false;
  }
  p->geonameid = static_cast<int64_t>(gid);
  p->population = static_cast<int64_t>(population);
  p->lat = static_cast<double>(UnZigZag(lat)) / 10000;
  p->lon = static_cast<double>(UnZigZag(lon)) / 10000;
  p->from_text = false;
  if (!d.done()) {
    uint8_t from_text = 0;
    if (!d.U8(&from_text)) return false;
    p->from_text = from_text == 1;
  }
  return d.done();
}

bool IdToKey(std::string_view hex, std::string* key) { return HexToBytes64(hex, key); }
std::string KeyToId(std::string_view key) { return BytesToHex64(key); }

}  // namespace tw::schema
