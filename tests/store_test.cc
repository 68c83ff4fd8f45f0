#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include "storage/query.h"
#include "storage/store.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

Place City(const std::string& name, const std::string& cc, int64_t id) {
  Place p;
  p.name = name;
  p.country = cc;
  p.geonameid = id;
  return p;
}

Extraction Make(const std::string& url, const std::string& text, std::vector<EventMention> events) {
  Extraction x;
  x.article.url = url;
  x.article.id = ArticleIdForUrl(url);
  x.article.origin = url;
  x.article.text = text;
  x.article.content_hash = Hash64(text);
  x.article.title = {"Title of " + url, "test"};
  x.events = std::move(events);
  return x;
}

EventMention Ended(const std::string& date, const std::string& evidence) {
  EventMention m;
  m.type = EventType::kTermination;
  m.first = City("Prague", "CZ", 3067696);
  m.second = City("Beijing", "CN", 1816670);
  m.date = date;
  m.evidence = evidence;
  m.rule = "termination.ended-tie-with";
  m.confidence = 0.9;
  return m;
}

std::vector<StoredEvent> All(const Store& store) {
  auto r = QueryEvents(store, EventFilter{});
  REQUIRE(r.ok());
  return r.value();
}

}  // namespace

TEST_CASE("store writes an article and its events; putting it again adds nothing") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  auto x = Make("https://a.example/1", "Prague ended its sister-city agreement with Beijing.", {Ended("2019-10", "Prague ended it.")});
  auto first = (*store)->Put(x);
  REQUIRE(first.ok());
  CHECK_FALSE(first->duplicate);
  CHECK(first->events_new == 1);
  auto again = (*store)->Put(x);
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  auto events = All(**store);
  REQUIRE(events.size() == 1);
  CHECK(events[0].sources.size() == 1);
  auto counts = (*store)->Counts();
  REQUIRE(counts.ok());
  CHECK(counts->articles == 1);
  CHECK(counts->events_by_type["termination"] == 1);
}

TEST_CASE("the same event from two articles is one event with two sources, whichever order the cities come in") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  auto m2 = Ended("2019-10", "Beijing lost Prague as a sister city.");
  std::swap(m2.first, m2.second);
  REQUIRE((*store)->Put(Make("https://a.example/1", "text one", {Ended("2019-10", "Prague ended it.")})).ok());
  auto second = (*store)->Put(Make("https://b.example/2", "text two", {m2}));
  REQUIRE(second.ok());
  CHECK(second->events_merged == 1);
  CHECK(second->events_new == 0);
  auto events = All(**store);
  REQUIRE(events.size() == 1);
  CHECK(events[0].sources.size() == 2);
  CHECK(events[0].confidence() > 0.9);
  // Conflicting dates stay separate events.
  REQUIRE((*store)->Put(Make("https://c.example/3", "text three", {Ended("2020-01", "Prague ended it in January.")})).ok());
  CHECK(All(**store).size() == 2);
}

TEST_CASE("an article whose text changed replaces what its old version contributed") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  REQUIRE((*store)->Put(Make("https://a.example/1", "old text", {Ended("2019-10", "old sentence")})).ok());
  REQUIRE((*store)->Put(Make("https://b.example/2", "other text", {Ended("2019-10", "other sentence")})).ok());
  EventMention suspended = Ended("2022-03", "new sentence");
  suspended.type = EventType::kSuspension;
  auto changed = (*store)->Put(Make("https://a.example/1", "new text", {suspended}));
  REQUIRE(changed.ok());
  CHECK_FALSE(changed->duplicate);
  auto events = All(**store);
  REQUIRE(events.size() == 2);
  for (const auto& e : events) {
    REQUIRE(e.sources.size() == 1);
    if (e.type == EventType::kTermination) CHECK(e.sources[0].evidence == "other sentence");
    else CHECK(e.sources[0].evidence == "new sentence");
  }
}

TEST_CASE("opening a store of another schema version, or one that is locked, fails clearly") {
  tw::test::TempDir dir;
  {
    auto store = Store::Open(dir / "db");
    REQUIRE(store.ok());
    auto second = Store::Open(dir / "db");  // same process, second handle: the lock is held
    REQUIRE_FALSE(second.ok());
    CHECK(second.status().code() == Status::Code::kBusy);
    CHECK_THAT(second.status().message(), Catch::Contains(dir / "db"));
    // Read-only handles work while a writer holds the lock.
    StoreOptions ro;
    ro.read_only = true;
    CHECK(Store::Open(dir / "db", ro).ok());
  }
  {
    rocksdb::DB* raw = nullptr;
    rocksdb::Options options;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {{rocksdb::kDefaultColumnFamilyName, {}}};
    for (const char* name : {"articles", "events", "by_city", "by_date", "seen", "crawl"}) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    REQUIRE(rocksdb::DB::Open(options, dir / "db", cfs, &handles, &raw).ok());
    REQUIRE(raw->Put(rocksdb::WriteOptions(), handles[0], "schema_version", "999").ok());
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  auto foreign = Store::Open(dir / "db");
  REQUIRE_FALSE(foreign.ok());
  CHECK_THAT(foreign.status().message(), Catch::Contains("schema version 999"));
}

TEST_CASE("query filters combine and date bounds work at every precision") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  EventMention agreement = Ended("1980-07", "Victoria and Suzhou");
  agreement.type = EventType::kAgreement;
  agreement.first = City("Victoria", "CA", 6174041);
  agreement.second = City("Suzhou", "CN", 1886760);
  REQUIRE((*store)->Put(Make("u1", "t1", {Ended("2019-10", "e1"), agreement})).ok());
  EventFilter f;
  f.type = EventType::kTermination;
  CHECK(QueryEvents(**store, f)->size() == 1);
  f = {};
  f.country = "cn";
  CHECK(QueryEvents(**store, f)->size() == 2);
  f.city = "PRAGUE";
  CHECK(QueryEvents(**store, f)->size() == 1);
  f = {};
  f.since = "2019";
  CHECK(QueryEvents(**store, f)->size() == 1);
  f.since = "2019-10-15";  // a month-precise date is within a day bound of the same month
  CHECK(QueryEvents(**store, f)->size() == 1);
  f.since = "2019-11";
  CHECK(QueryEvents(**store, f)->empty());
  f = {};
  f.until = "1980";
  auto old = QueryEvents(**store, f);
  REQUIRE(old->size() == 1);
  CHECK(old->front().cities[0].name == "Victoria");  // pairs are ordered by country, then name
  CHECK_FALSE(ValidateDateBound("--since", "2019-13").ok());
  CHECK_THAT(ValidateDateBound("--since", "2019-13").message(), Catch::Contains("--since"));
}

TEST_CASE("crawl state of sources and URLs round-trips, and stored article URLs are known") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  CrawlState feed;
  feed.etag = "\"abc\"";
  feed.last_modified = "Wed, 05 Jul 2023 10:00:00 GMT";
  feed.last_attempt = 1688551200;
  feed.last_success = 1688551200;
  feed.next_due = 1688553000;
  feed.http_status = 200;
  CrawlState page;
  page.failures = 3;
  page.http_status = 503;
  page.last_error = "HTTP 503 Service Unavailable";
  page.kind = "article";
  page.source = "city-hall-news";
  page.pending = true;
  REQUIRE((*store)->PutCrawlState(CrawlScope::kSource, "city-hall-news", feed).ok());
  REQUIRE((*store)->PutCrawlState(CrawlScope::kUrl, "https://a.example/1", page).ok());

  auto got = (*store)->GetCrawlState(CrawlScope::kSource, "city-hall-news");
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(**got == feed);
  // The same key in the other scope is another record.
  auto other = (*store)->GetCrawlState(CrawlScope::kUrl, "city-hall-news");
  REQUIRE(other.ok());
  CHECK_FALSE(other->has_value());

  std::vector<std::string> urls;
  REQUIRE((*store)->ForEachCrawlState(CrawlScope::kUrl, [&](const std::string& key, const CrawlState& s) {
    urls.push_back(key);
    CHECK(s == page);
    return true;
  }).ok());
  CHECK(urls == std::vector<std::string>{"https://a.example/1"});

  CHECK_FALSE(*(*store)->HasArticleUrl("https://a.example/1"));
  REQUIRE((*store)->Put(Make("https://a.example/1", "some text", {})).ok());
  CHECK(*(*store)->HasArticleUrl("https://a.example/1"));
  CHECK_FALSE(*(*store)->HasArticleUrl("https://a.example/2"));
}
