#include <catch2/catch.hpp>

#include "storage/codec.h"
#include "storage/schema.h"

using namespace tw;
using namespace tw::schema;

TEST_CASE("records round-trip through their encodings") {
  EventRecord ev;
  ev.type = EventType::kSuspension;
  ev.lo = 524901;
  ev.hi = (uint64_t{1} << 63) | 12345;
  ev.date = "2022-03";
  EventSource s;
  s.article_id = "00ff00ff00ff00ff";
  s.date = "2022";
  s.start = 120;
  s.end = 260;
  s.rule = "suspension.suspended-tie";
  s.confidence = 0.85;
  s.evidence = "Tampere suspended its friendship-city relationship with Kursk — «as of today».";
  ev.sources = {s, s};
  EventRecord back;
  REQUIRE(DecodeEvent(EncodeEvent(ev), &back));
  CHECK(back.type == ev.type);
  CHECK(back.lo == ev.lo);
  CHECK(back.hi == ev.hi);
  CHECK(back.date == ev.date);
  REQUIRE(back.sources.size() == 2);
  CHECK(back.sources[1].article_id == s.article_id);
  CHECK(back.sources[1].evidence == s.evidence);
  CHECK(back.sources[1].confidence == Approx(0.85));
  CHECK(back.sources[1].end == 260);

  Place p;
  p.geonameid = 3067696;
  p.name = "Prague";
  p.country = "CZ";
  p.admin1 = "52";
  p.feature = "PPLC";
  p.population = 1165581;
  p.lat = 50.088;
  p.lon = -14.4208;
  Place q;
  REQUIRE(DecodePlace(EncodePlace(p), &q));
  CHECK(q.name == p.name);
  CHECK(q.lat == Approx(50.088));
  CHECK(q.lon == Approx(-14.4208));
  CHECK(q.population == p.population);

  ArticleRecord a;
  a.article.url = "file:///tmp/x.html";
  a.article.title = {"A title", "og:title"};
  a.article.published = {"2024-07-05", "json-ld:datePublished"};
  a.article.content_hash = 0xfedcba9876543210ULL;
  a.article.fetch_time = -5;
  a.stored_at = 1720000000;
  a.groups = {{EventType::kAgreement, 1, 2}, {EventType::kProposal, 3, 4}};
  ArticleRecord b;
  REQUIRE(DecodeArticle(EncodeArticle(a), &b));
  CHECK(b.article.title.source == "og:title");
  CHECK(b.article.content_hash == a.article.content_hash);
  CHECK(b.article.fetch_time == -5);
  CHECK(b.groups == a.groups);
}

TEST_CASE("a damaged record is refused, never read past its end") {
  EventRecord ev;
  ev.date = "2019";
  EventSource s;
  s.article_id = "0000000000000001";
  s.evidence = "x";
  ev.sources = {s};
  const std::string bytes = EncodeEvent(ev);
  EventRecord back;
  for (size_t n = 0; n < bytes.size(); ++n) CHECK_FALSE(DecodeEvent(bytes.substr(0, n), &back));
  CHECK_FALSE(DecodeEvent(bytes + "extra", &back));
  CHECK_FALSE(DecodeEvent(std::string(20, '\xff'), &back));
  Place p;
  CHECK_FALSE(DecodePlace("\x05" "ab", &p));
}

TEST_CASE("index keys sort by date with coarser dates first and undated last, and parse back") {
  const std::string id(8, '\x01');
  const std::string year = TypeIndexKey(EventType::kAgreement, "2019", id);
  const std::string month = TypeIndexKey(EventType::kAgreement, "2019-01", id);
  const std::string later = TypeIndexKey(EventType::kAgreement, "2019-02-01", id);
  const std::string undated = TypeIndexKey(EventType::kAgreement, "", id);
  CHECK(year < month);
  CHECK(month < later);
  CHECK(later < undated);
  std::string date, parsed;
  REQUIRE(ParseDateIdTail(later, &date, &parsed));
  CHECK(date == "2019-02-01");
  CHECK(parsed == id);
  REQUIRE(ParseDateIdTail(undated, &date, &parsed));
  CHECK(date.empty());

  CityIndexEntry e;
  REQUIRE(ParseCityIndexKey(CityIndexKey(7, 9, EventType::kTermination, "2020-05", id), &e));
  CHECK(e.place == 7);
  CHECK(e.other == 9);
  CHECK(e.type == EventType::kTermination);
  CHECK(e.date == "2020-05");
  CHECK_FALSE(ParseCityIndexKey("short", &e));
}

TEST_CASE("ids are 16 hex digits outside and 8 bytes in keys") {
  std::string key;
  REQUIRE(IdToKey("0123456789abcdef", &key));
  CHECK(key.size() == 8);
  CHECK(KeyToId(key) == "0123456789abcdef");
  CHECK_FALSE(IdToKey("0123456789abcde", &key));
  CHECK_FALSE(IdToKey("0123456789abcdeg", &key));
}
