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
  ev.date = "2022-03-04";
  ev.coarser_dates = {"2022-03", "2022"};
  ev.source_count = 7;
  ev.confidence_weight = 123456789;
  EventRecord back;
  REQUIRE(DecodeEvent(EncodeEvent(ev), &back));
  CHECK(back == ev);
  CHECK(back.group() == EventGroup{EventType::kSuspension, ev.lo, ev.hi});

  EventSource s;
  s.published = "2022-03-05";
  s.url = "https://news.example/tampere-kursk";
  s.title = "Tampere suspends ties";
  s.start = 120;
  s.end = 260;
  s.rule = "suspension.suspended-tie";
  s.confidence = 0.85;
  s.evidence = "Tampere suspended its friendship-city relationship with Kursk \u2014 \u00abas of today\u00bb.";
  EventSource source_back;
  REQUIRE(DecodeSource(EncodeSource(s), &source_back));
  CHECK(source_back.published == s.published);
  CHECK(source_back.url == s.url);
  CHECK(source_back.title == s.title);
  CHECK(source_back.evidence == s.evidence);
  CHECK(source_back.rule == s.rule);
  CHECK(source_back.confidence == Approx(0.85));
  CHECK(source_back.start == 120);
  CHECK(source_back.end == 260);

  const GroupRecord group = {{"", 2}, {"2022", 5}, {"2022-03-04", 1}};
  GroupRecord group_back;
  REQUIRE(DecodeGroup(EncodeGroup(group), &group_back));
  CHECK(group_back == group);

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
  CHECK_FALSE(q.from_text);
  // A place read from the text keeps its flag; a record stored before the flag existed (the same
  // bytes without it) reads as a gazetteer place.
  p.geonameid = 0;
  p.from_text = true;
  REQUIRE(DecodePlace(EncodePlace(p), &q));
  CHECK(q.from_text);
  p.from_text = false;
  REQUIRE(DecodePlace(EncodePlace(p), &q));
  CHECK_FALSE(q.from_text);
  std::string longer = EncodePlace(p) + '\x07';
  CHECK_FALSE(DecodePlace(longer + "x", &q));

  ArticleRecord a;
  a.article.url = "file:///tmp/x.html";
  a.article.title = {"A title", "og:title"};
  a.article.published = {"2024-07-05", "json-ld:datePublished"};
  a.article.content_hash = 0xfedcba9876543210ULL;
  a.article.fetch_time = -5;
  a.stored_at = 1720000000;
  a.groups = {{{EventType::kAgreement, 1, 2}, {"2019-10", "2019"}}, {{EventType::kProposal, 3, 4}, {""}}};
  ArticleRecord b;
  REQUIRE(DecodeArticle(EncodeArticle(a), &b));
  CHECK(b.article.title.source == "og:title");
  CHECK(b.article.content_hash == a.article.content_hash);
  CHECK(b.article.fetch_time == -5);
  CHECK(b.groups == a.groups);
}

TEST_CASE("a damaged record is refused, never read past its end") {
  EventRecord ev;
  ev.date = "2019-10";
  ev.coarser_dates = {"2019"};
  ev.source_count = 2;
  ev.confidence_weight = 99;
  EventSource s;
  s.evidence = "x";
  s.rule = "r";
  GroupRecord group = {{"2019", 1}, {"2019-10", 3}};
  // Each encoding, cut anywhere or with bytes after it, is refused by its decoder.
  auto refuses_damage = [](const std::string& bytes, auto decode) {
    for (size_t n = 0; n < bytes.size(); ++n) CHECK_FALSE(decode(bytes.substr(0, n)));
    CHECK_FALSE(decode(bytes + "extra"));
    CHECK(decode(bytes));
  };
  refuses_damage(EncodeEvent(ev), [](const std::string& b) { EventRecord r; return DecodeEvent(b, &r); });
  refuses_damage(EncodeSource(s), [](const std::string& b) { EventSource r; return DecodeSource(b, &r); });
  refuses_damage(EncodeGroup(group), [](const std::string& b) { GroupRecord r; return DecodeGroup(b, &r); });
  EventRecord back;
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
