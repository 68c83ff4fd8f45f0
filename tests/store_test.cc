#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <rocksdb/db.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "storage/merge.h"
#include "storage/query.h"
#include "storage/schema.h"
#include "storage/store.h"
#include "tests/store_fixtures.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

using test::TestArticle;
using test::TestMention;
using test::TestPlace;

Place City(const std::string& name, const std::string& cc, int64_t id) { return TestPlace(name, cc, id); }

Extraction Make(const std::string& url, const std::string& text, std::vector<EventMention> events) {
  return TestArticle(url, text, std::move(events));
}

EventMention Ended(const std::string& date, const std::string& evidence) {
  return TestMention(EventType::kTermination, City("Prague", "CZ", 3067696), City("Beijing", "CN", 1816670), date, evidence,
                     "termination.ended-tie-with");
}

// A RocksDB database with `families` and a schema_version record, as another version would leave
// (no record when `version` is empty: a store whose creation was killed half-way).
void WriteForeignStore(const std::string& path, const std::vector<std::string>& families, const std::string& version) {
  rocksdb::DB* raw = nullptr;
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& name : families) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  REQUIRE(rocksdb::DB::Open(options, path, cfs, &handles, &raw).ok());
  if (!version.empty()) REQUIRE(raw->Put(rocksdb::WriteOptions(), handles[0], "schema_version", version).ok());
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
}

std::vector<StoredEvent> All(const Store& store) {
  auto r = QueryEvents(store, EventFilter{});
  REQUIRE(r.ok());
  return r.value();
}

}  // namespace

TEST_CASE("store writes an article and its events, and putting it again adds nothing") {
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

TEST_CASE("a source shows its article's url (the canonical one when known), title and date, and an article's new version shows its new ones") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  auto first = Make("https://a.example/1?utm=x", "first text", {Ended("2019-10", "Prague ended it.")});
  first.article.canonical_url = {"https://a.example/1", "link rel=canonical"};
  first.article.published = {"2019-10-30", "meta"};
  REQUIRE((*store)->Put(first).ok());
  REQUIRE((*store)->Put(Make("https://b.example/2", "second text", {Ended("2019-10", "Beijing lost Prague.")})).ok());
  auto source_of = [&](const std::string& article_id) {
    auto events = All(**store);
    REQUIRE(events.size() == 1);
    for (const auto& s : events[0].sources) {
      if (s.article_id == article_id) return s;
    }
    FAIL("no source from article " << article_id);
    return EventSource{};
  };
  EventSource a = source_of(first.article.id);
  CHECK(a.url == "https://a.example/1");
  CHECK(a.title == "Title of https://a.example/1?utm=x");
  CHECK(a.published == "2019-10-30");
  EventSource b = source_of(ArticleIdForUrl("https://b.example/2"));
  CHECK(b.url == "https://b.example/2");
  CHECK(b.title == "Title of https://b.example/2");

  // The page changed: its new title and date show, the other article's source is unchanged.
  auto updated = first;
  updated.article.text = "first text, corrected";
  updated.article.content_hash = Hash64(updated.article.text);
  updated.article.title = {"Prague ends the tie (corrected)", "og:title"};
  updated.article.published = {"2019-10-31", "meta"};
  REQUIRE((*store)->Put(updated).ok());
  a = source_of(first.article.id);
  CHECK(a.title == "Prague ends the tie (corrected)");
  CHECK(a.published == "2019-10-31");
  CHECK(a.url == "https://a.example/1");
  CHECK(source_of(b.article_id).title == "Title of https://b.example/2");
  auto by_id = (*store)->GetEvent(All(**store)[0].id);
  REQUIRE(by_id.ok());
  REQUIRE(by_id->sources.size() == 2);
  CHECK((by_id->sources[0].title == "Prague ends the tie (corrected)" || by_id->sources[1].title == "Prague ends the tie (corrected)"));
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
  // Our column families, another version number.
  WriteForeignStore(dir / "db", schema::FamilyNames(), "999");
  auto foreign = Store::Open(dir / "db");
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.status().code() == Status::Code::kInvalidArgument);
  CHECK_THAT(foreign.status().message(), Catch::Contains("schema version 999"));
  CHECK_THAT(foreign.status().message(), Catch::Contains(dir / "db"));

  // An older layout (other column families): the version is still read and named, for readers
  // too, and the writer adds nothing to it.
  WriteForeignStore(dir / "old", {"default", "articles", "events", "by_city", "by_date", "seen"}, "1");
  StoreOptions ro;
  ro.read_only = true;
  for (const auto& options : {StoreOptions{}, ro}) {
    auto old = Store::Open(dir / "old", options);
    REQUIRE_FALSE(old.ok());
    CHECK_THAT(old.status().message(), Catch::Contains("schema version 1 but this twinwatch reads version " + std::to_string(Store::kSchemaVersion)));
  }
  std::vector<std::string> families;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir / "old", &families).ok());
  CHECK(families.size() == 6);

  // The layout before sources had keys of their own (schema 4): named as such.
  WriteForeignStore(dir / "v4", {"default", "articles", "texts", "events", "by_city", "by_country", "by_type", "places",
                                 "names", "seen", "crawl", "groups"}, "4");
  auto v4 = Store::Open(dir / "v4");
  REQUIRE_FALSE(v4.ok());
  CHECK_THAT(v4.status().message(), Catch::Contains("schema version 4 but this twinwatch reads version " + std::to_string(Store::kSchemaVersion)));
}

TEST_CASE("a store whose creation was killed half-way is finished by the next writer, and refused by readers") {
  tw::test::TempDir dir;
  // What a process killed inside the store's creation leaves: some of its column families, empty.
  WriteForeignStore(dir / "db", {"default", "articles", "texts"}, "");
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(dir / "db", ro);
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.status().code() == Status::Code::kNotFound);
  CHECK_THAT(reader.status().message(), Catch::Contains(dir / "db") && Catch::Contains("creation was interrupted"));
  {
    auto writer = Store::Open(dir / "db");
    INFO(writer.status().message());
    REQUIRE(writer.ok());
    auto counts = (*writer)->Counts();
    REQUIRE(counts.ok());
    CHECK(counts->articles == 0);
  }
  CHECK(Store::Open(dir / "db", ro).ok());
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

namespace {

// What identifies the stored state of an event: id, type, date and (article, evidence) of each source.
std::string Fingerprint(const StoredEvent& e) {
  std::vector<std::string> sources;
  for (const auto& s : e.sources) sources.push_back(s.article_id + "/" + s.evidence + "/" + s.date);
  std::sort(sources.begin(), sources.end());
  std::string out = e.id + " " + EventTypeName(e.type) + " " + e.date + " " + e.cities[0].name + "-" + e.cities[1].name;
  for (const auto& s : sources) out += " " + s;
  return out;
}

std::vector<std::string> Fingerprints(const Store& store) {
  std::vector<std::string> out;
  REQUIRE(store.ForEachEvent([&](const StoredEvent& e) {
    out.push_back(Fingerprint(e));
    return true;
  }).ok());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a report with a coarser date joins the event and the event keeps the most precise date, in either order") {
  const EventMention year = Ended("2019", "Prague ended the tie in 2019.");
  const EventMention day = Ended("2019-10-07", "On 7 October 2019 Prague ended the tie.");
  std::string ids[2];
  for (int order = 0; order < 2; ++order) {
    tw::test::TempDir dir;
    auto store = Store::Open(dir / "db");
    REQUIRE(store.ok());
    auto first = (*store)->Put(Make("https://a.example/1", "one", {order == 0 ? year : day}));
    auto second = (*store)->Put(Make("https://b.example/2", "two", {order == 0 ? day : year}));
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(first->events_new == 1);
    CHECK(second->events_merged == 1);
    CHECK(second->events_new == 0);
    auto events = All(**store);
    REQUIRE(events.size() == 1);
    CHECK(events[0].date == "2019-10-07");
    CHECK(events[0].sources.size() == 2);
    CHECK(events[0].id == EventId(EventType::kTermination, City("Prague", "CZ", 3067696), City("Beijing", "CN", 1816670), "2019-10-07"));
    ids[order] = events[0].id;
    auto counts = (*store)->Counts();
    REQUIRE(counts.ok());
    CHECK(counts->events == 1);
    CHECK(counts->sources == 2);
  }
  CHECK(ids[0] == ids[1]);
}

TEST_CASE("conflicting dates stay apart, and a report that fits several of them stays an event of its own") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  REQUIRE((*store)->Put(Make("u1", "t1", {Ended("2019-10", "October.")})).ok());
  REQUIRE((*store)->Put(Make("u2", "t2", {Ended("2020-01", "January.")})).ok());
  // "2019" fits 2019-10 only; an undated report fits both, so it stays undated and apart.
  REQUIRE((*store)->Put(Make("u3", "t3", {Ended("2019", "In 2019.")})).ok());
  REQUIRE((*store)->Put(Make("u4", "t4", {Ended("", "Some time.")})).ok());
  auto events = All(**store);
  REQUIRE(events.size() == 3);
  CHECK(events[0].date == "2019-10");
  CHECK(events[0].sources.size() == 2);
  CHECK(events[1].date == "2020-01");
  CHECK(events[2].date.empty());  // undated sorts last

  // A second month in 2019 makes "2019" ambiguous: it leaves 2019-10 for an event of its own.
  auto split = (*store)->Put(Make("u5", "t5", {Ended("2019-11", "November.")}));
  REQUIRE(split.ok());
  CHECK(split->events_new == 1);
  std::vector<std::string> dates;
  for (const auto& e : All(**store)) dates.push_back(e.date);
  CHECK(dates == std::vector<std::string>{"2019", "2019-10", "2019-11", "2020-01", ""});
  auto counts = (*store)->Counts();
  REQUIRE(counts.ok());
  CHECK(counts->events == 5);
  CHECK(counts->sources == 5);
}

TEST_CASE("an undated report joins the one dated event of its type and pair, and other types and pairs stay apart") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  EventMention suspended = Ended("", "Prague suspended the tie.");
  suspended.type = EventType::kSuspension;
  EventMention other_pair = Ended("", "Prague ended its tie with Taipei.");
  other_pair.second = City("Taipei", "TW", 1668341);
  REQUIRE((*store)->Put(Make("u1", "t1", {Ended("1999-05", "Dated.")})).ok());
  REQUIRE((*store)->Put(Make("u2", "t2", {Ended("", "Undated."), suspended, other_pair})).ok());
  auto events = All(**store);
  REQUIRE(events.size() == 3);
  CHECK(events[0].date == "1999-05");
  CHECK(events[0].sources.size() == 2);
}

TEST_CASE("an article reporting an event twice is one source of it") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  auto first = Ended("2019", "Prague ended the tie in 2019.");
  first.start = 10;
  auto precise = Ended("2019-10", "It ended in October 2019.");
  precise.start = 200;
  REQUIRE((*store)->Put(Make("u1", "t1", {first, precise})).ok());
  auto events = All(**store);
  REQUIRE(events.size() == 1);
  REQUIRE(events[0].sources.size() == 1);
  CHECK(events[0].sources[0].evidence == "It ended in October 2019.");  // the most precise report
}

TEST_CASE("re-extraction replaces an article's contributions: events lose that source, or go with their last") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  auto shared = Make("u1", "t1", {Ended("2019-10", "Shared, from one."), Ended("2021", "Only in one.")});
  REQUIRE((*store)->Put(shared).ok());
  REQUIRE((*store)->Put(Make("u2", "t2", {Ended("2019-10", "Shared, from two.")})).ok());
  REQUIRE(All(**store).size() == 2);

  // Same text, same events: nothing changes, nothing is written.
  auto same = (*store)->Put(shared, PutMode::kReextract);
  REQUIRE(same.ok());
  CHECK_FALSE(same->changed);
  CHECK_FALSE(same->duplicate);

  // New rules find nothing in article one.
  auto gone = shared;
  gone.events.clear();
  auto replaced = (*store)->Put(gone, PutMode::kReextract);
  REQUIRE(replaced.ok());
  CHECK(replaced->changed);
  CHECK(replaced->events_removed == 1);
  auto events = All(**store);
  REQUIRE(events.size() == 1);
  REQUIRE(events[0].sources.size() == 1);
  CHECK(events[0].sources[0].evidence == "Shared, from two.");
  auto counts = (*store)->Counts();
  REQUIRE(counts.ok());
  CHECK(counts->events == 1);
  CHECK(counts->sources == 1);
  CHECK(counts->articles == 2);

  // And back: the events return with the ids they had.
  const auto before = Fingerprints(**store);
  REQUIRE((*store)->Put(shared, PutMode::kReextract).ok());
  CHECK(All(**store).size() == 2);
  REQUIRE((*store)->Put(gone, PutMode::kReextract).ok());
  CHECK(Fingerprints(**store) == before);

  // Re-extracting an article that is not stored is an error, not a silent insert.
  auto missing = (*store)->Put(Make("u9", "t9", {}), PutMode::kReextract);
  CHECK(missing.status().code() == Status::Code::kNotFound);
}

TEST_CASE("events, ids and counts depend only on the articles stored, not on the order or the history") {
  // Random histories: articles written, rewritten with other text and events, in random order.
  const Place cities[] = {City("Prague", "CZ", 3067696), City("Beijing", "CN", 1816670), City("Taipei", "TW", 1668341),
                          City("Kyoto", "JP", 1857910)};
  const std::string dates[] = {"", "2019", "2019-10", "2019-10-07", "2019-11", "2020"};
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  int version = 0;
  auto random_article = [&](int url) {
    std::vector<EventMention> mentions;
    const int n = pick(4);
    for (int i = 0; i < n; ++i) {
      const int a = pick(4), b = (a + 1 + pick(3)) % 4;
      auto m = TestMention(pick(2) ? EventType::kAgreement : EventType::kTermination, cities[a], cities[b], dates[pick(6)],
                       "sentence " + std::to_string(i) + " of version " + std::to_string(version));
      m.start = static_cast<size_t>(i) * 100;
      mentions.push_back(m);
    }
    ++version;
    return Make("https://news.example/" + std::to_string(url), "text version " + std::to_string(version), mentions);
  };

  tw::test::TempDir dir;
  auto incremental = Store::Open(dir / "incremental");
  REQUIRE(incremental.ok());
  std::map<int, Extraction> latest;
  for (int step = 0; step < 300; ++step) {
    const int url = pick(25);
    Extraction x = random_article(url);
    REQUIRE((*incremental)->Put(x).ok());
    latest[url] = x;
  }
  std::vector<Extraction> finals;
  for (auto& [url, x] : latest) finals.push_back(x);
  std::shuffle(finals.begin(), finals.end(), rng);
  auto fresh = Store::Open(dir / "fresh");
  REQUIRE(fresh.ok());
  for (const auto& x : finals) REQUIRE((*fresh)->Put(x).ok());

  const auto expected = Fingerprints(**fresh);
  CHECK(Fingerprints(**incremental) == expected);
  CHECK_FALSE(expected.empty());

  // And both are what the reference merge (all reports of a group at once) makes of the final articles.
  struct Group {
    Place a, b;
    std::vector<EventSource> reports;
  };
  std::map<std::tuple<EventType, uint64_t, uint64_t>, Group> groups;
  for (const auto& [url, x] : latest) {
    for (const auto& m : x.events) {
      const uint64_t ka = PlaceKey(m.first), kb = PlaceKey(m.second);
      Group& g = groups[{m.type, std::min(ka, kb), std::max(ka, kb)}];
      g.a = m.first;
      g.b = m.second;
      EventSource r;
      r.article_id = x.article.id;
      r.evidence = m.evidence;
      r.date = m.date;
      r.start = m.start;
      g.reports.push_back(r);
    }
  }
  std::vector<std::string> merged_reference;
  for (const auto& [key, g] : groups) {
    for (auto& merged : MergeReports(g.reports)) {
      StoredEvent e;
      e.type = std::get<0>(key);
      e.cities[0] = g.a;
      e.cities[1] = g.b;
      OrderCities(e);
      e.date = merged.date;
      e.id = EventId(e.type, g.a, g.b, e.date);
      e.sources = std::move(merged.sources);
      merged_reference.push_back(Fingerprint(e));
    }
  }
  std::sort(merged_reference.begin(), merged_reference.end());
  CHECK(merged_reference == expected);

  // The counters kept per write agree with a full scan.
  for (const Store* store : {incremental->get(), fresh->get()}) {
    auto counts = store->Counts();
    REQUIRE(counts.ok());
    uint64_t events = 0, sources = 0;
    std::map<std::string, uint64_t> by_type;
    REQUIRE(store->ForEachEvent([&](const StoredEvent& e) {
      ++events;
      sources += e.sources.size();
      ++by_type[EventTypeName(e.type)];
      return true;
    }).ok());
    CHECK(counts->events == events);
    CHECK(counts->sources == sources);
    CHECK(counts->articles == latest.size());
    for (const auto& [type, n] : by_type) CHECK(counts->events_by_type[type] == n);
  }

  // Every index answers what a full scan answers.
  std::vector<StoredEvent> all;
  REQUIRE((*incremental)->ForEachEvent([&](const StoredEvent& e) {
    all.push_back(e);
    return true;
  }).ok());
  auto reference = [&](const EventFilter& f) {
    std::vector<std::string> ids;
    for (const auto& e : all) {
      if (f.type && e.type != *f.type) continue;
      if (!f.country.empty() && e.cities[0].country != f.country && e.cities[1].country != f.country) continue;
      if (!f.city.empty() && e.cities[0].name != f.city && e.cities[1].name != f.city) continue;
      if (!DateWithin(e.date, f.since, f.until)) continue;
      ids.push_back(e.id);
    }
    return ids;
  };
  for (int i = 0; i < 200; ++i) {
    EventFilter f;
    if (pick(2)) f.type = pick(2) ? EventType::kAgreement : EventType::kTermination;
    if (pick(3) == 0) f.city = cities[pick(4)].name;
    else if (pick(2)) f.country = cities[pick(4)].country;
    const std::string bounds[] = {"", "2019", "2019-10", "2019-10-15", "2020"};
    f.since = bounds[pick(5)];
    f.until = bounds[pick(5)];
    auto found = QueryEvents(**incremental, f);
    REQUIRE(found.ok());
    std::vector<std::string> ids;
    for (const auto& e : *found) ids.push_back(e.id);
    auto want = reference(f);
    std::sort(want.begin(), want.end());
    auto sorted_ids = ids;
    std::sort(sorted_ids.begin(), sorted_ids.end());
    INFO("city=" << f.city << " country=" << f.country << " since=" << f.since << " until=" << f.until);
    CHECK(sorted_ids == want);
    // A page (read until it is full, with or without counting the rest) is that slice of the answer.
    for (bool count_total : {true, false}) {
      auto page = (*incremental)->Find(f, FindOptions{2, 3, 0, count_total});
      REQUIRE(page.ok());
      std::vector<std::string> page_ids, slice;
      for (const auto& e : page->events) page_ids.push_back(e.id);
      for (size_t k = 2; k < std::min<size_t>(5, ids.size()); ++k) slice.push_back(ids[k]);
      CHECK(page_ids == slice);
      if (count_total) CHECK(page->total == ids.size());
    }
    // And in output order: date (undated last), then id.
    for (size_t k = 1; k < found->size(); ++k) {
      const auto& a = (*found)[k - 1];
      const auto& b = (*found)[k];
      const bool ordered = a.date.empty() ? (b.date.empty() && a.id < b.id)
                                          : (b.date.empty() || a.date < b.date || (a.date == b.date && a.id < b.id));
      CHECK(ordered);
    }
  }
}

TEST_CASE("paging returns the total and the slice asked for") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  for (int i = 0; i < 12; ++i) {
    const std::string date = "20" + std::to_string(10 + i);
    REQUIRE((*store)->Put(Make("u" + std::to_string(i), "t" + std::to_string(i), {Ended(date, "e")})).ok());
  }
  auto page = (*store)->Find(EventFilter{}, 5, 4);
  REQUIRE(page.ok());
  CHECK(page->total == 12);
  REQUIRE(page->events.size() == 4);
  CHECK(page->events[0].date == "2015");
  CHECK(page->events[3].date == "2018");
  auto tail = (*store)->Find(EventFilter{}, 10, 4);
  REQUIRE(tail.ok());
  CHECK(tail->events.size() == 2);
  auto past = (*store)->Find(EventFilter{}, 50, 4);
  REQUIRE(past.ok());
  CHECK(past->events.empty());
  CHECK(past->total == 12);
}

TEST_CASE("a city query finds a place by its own name and by every spelling articles and the names function gave it") {
  tw::test::TempDir dir;
  StoreOptions options;
  options.place_names = [](const Place& p) {
    return p.geonameid == 3067696 ? std::vector<std::string>{"Praha", "Prag"} : std::vector<std::string>{};
  };
  auto store = Store::Open(dir / "db", options);
  REQUIRE(store.ok());
  auto x = Make("u1", "Pékin and Prague", {Ended("2019-10", "e")});
  CityMention written;
  written.text = "Pékin";
  written.place = City("Beijing", "CN", 1816670);
  x.cities.push_back(written);
  REQUIRE((*store)->Put(x).ok());
  for (const char* name : {"praha", "Prague", "PRAGUE", "prag", "Beijing", "pekin", "PÉKIN"}) {
    EventFilter f;
    f.city = name;
    INFO(name);
    CHECK(QueryEvents(**store, f)->size() == 1);
  }
  EventFilter nowhere;
  nowhere.city = "Praga";
  CHECK(QueryEvents(**store, nowhere)->empty());
}

TEST_CASE("a place read from the text is one place in every article that writes its name, and a city query finds it") {
  tw::test::TempDir dir;
  StoreOptions options;
  // As the extractor's names function: a place read from the text is also known without its kind word.
  options.place_names = [](const Place& p) {
    return p.from_text && p.name == "Heping District" ? std::vector<std::string>{"Heping District", "Heping"} : std::vector<std::string>{};
  };
  auto store = Store::Open(dir / "db", options);
  REQUIRE(store.ok());
  auto heping = [](const std::string& written) {
    Place p = TestPlace(written, "CN", 0);
    p.from_text = true;
    return p;
  };
  auto gangnam = heping("Gangnam");
  gangnam.country = "KR";
  auto tie = [&](const std::string& written, const std::string& evidence) {
    return TestMention(EventType::kAgreement, gangnam, heping(written), "2011", evidence, "agreement.signed-tie-with");
  };
  REQUIRE((*store)->Put(Make("u1", "one", {tie("Heping District", "Gangnam signed with Heping District.")})).ok());
  auto second = (*store)->Put(Make("u2", "two", {tie("HEPING DISTRICT", "GANGNAM SIGNED WITH HEPING DISTRICT.")}));
  REQUIRE(second.ok());
  CHECK(second->events_merged == 1);
  auto events = All(**store);
  REQUIRE(events.size() == 1);
  CHECK(events[0].sources.size() == 2);
  const nlohmann::json j = EventToJson(events[0]);
  for (const auto& c : j["cities"]) {
    CHECK(c["from_text"] == true);
    CHECK_FALSE(c.contains("geonameid"));
  }
  for (const char* name : {"Heping District", "heping", "Gangnam"}) {
    EventFilter f;
    f.city = name;
    INFO(name);
    CHECK(QueryEvents(**store, f)->size() == 1);
  }
  // Another country's place of the same name is another place.
  auto elsewhere = heping("Heping District");
  elsewhere.country = "TW";
  REQUIRE((*store)->Put(Make("u3", "three", {TestMention(EventType::kAgreement, gangnam, elsewhere, "2011", "e", "r")})).ok());
  CHECK(All(**store).size() == 2);
}

TEST_CASE("a writer asks the names function once per place and name, and still finds a place's new names and spellings") {
  tw::test::TempDir dir;
  std::map<std::string, int> asked;  // place name -> calls
  StoreOptions options;
  options.place_names = [&asked](const Place& p) {
    ++asked[p.name];
    return p.geonameid == 3067696 ? std::vector<std::string>{"Praha"} : std::vector<std::string>{};
  };
  auto store = Store::Open(dir / "db", options);
  REQUIRE(store.ok());
  REQUIRE((*store)->Put(Make("u1", "one", {Ended("2019-10", "e1")})).ok());
  REQUIRE((*store)->Put(Make("u2", "two", {Ended("2019-10", "e2")})).ok());
  CHECK(asked == std::map<std::string, int>{{"Beijing", 1}, {"Prague", 1}});
  // A place and name met before, with a spelling of the article's own: found, and the names
  // function is not asked again.
  auto y = Make("u3", "three", {Ended("2019-10", "e3")});
  y.cities.push_back(CityMention{0, 5, "Prága", City("Prague", "CZ", 3067696)});
  REQUIRE((*store)->Put(y).ok());
  CHECK(asked == std::map<std::string, int>{{"Beijing", 1}, {"Prague", 1}});
  // The same place (same geonameid) under another name, with another spelling: asked for that name.
  const Place praag = City("Praag", "CZ", 3067696);
  auto x = Make("u4", "four", {TestMention(EventType::kTermination, praag, City("Beijing", "CN", 1816670), "2019-10", "e4",
                                           "termination.ended-tie-with")});
  x.cities.push_back(CityMention{0, 5, "Prahy", praag});
  REQUIRE((*store)->Put(x).ok());
  CHECK(asked == std::map<std::string, int>{{"Beijing", 1}, {"Praag", 1}, {"Prague", 1}});
  for (const char* name : {"Prague", "praha", "Praag", "prahy", "PRAGA", "beijing"}) {
    EventFilter f;
    f.city = name;
    INFO(name);
    auto found = QueryEvents(**store, f);
    REQUIRE(found.ok());
    CHECK(found->size() == 1);
  }
}

TEST_CASE("a reader follows the writer: what is written after it opened shows after CatchUp") {
  tw::test::TempDir dir;
  auto writer = Store::Open(dir / "db");
  REQUIRE(writer.ok());
  REQUIRE((*writer)->Put(Make("u1", "t1", {Ended("2019-10", "e1")})).ok());
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(dir / "db", ro);
  REQUIRE(reader.ok());
  CHECK(All(**reader).size() == 1);
  REQUIRE((*writer)->Put(Make("u2", "t2", {Ended("2021", "e2")})).ok());
  REQUIRE((*reader)->CatchUp().ok());
  CHECK(All(**reader).size() == 2);
  CHECK((*reader)->Counts()->events == 2);
  CHECK_FALSE((*reader)->Put(Make("u3", "t3", {})).ok());
}

TEST_CASE("a stored article comes back with its text, metadata and events") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  auto x = Make("https://a.example/1", "Prague ended its sister-city agreement with Beijing.", {Ended("2019-10", "Prague ended it.")});
  x.article.published = {"2019-10-08", "json-ld:datePublished"};
  x.article.language = {"en", "html lang"};
  x.article.canonical_url = {"https://a.example/canonical", "link rel=canonical"};
  REQUIRE((*store)->Put(x).ok());
  auto got = (*store)->GetArticle(x.article.id);
  REQUIRE(got.ok());
  CHECK(got->article.text == x.article.text);
  CHECK(got->article.url == x.article.url);
  CHECK(got->article.published.value == "2019-10-08");
  CHECK(got->article.published.source == "json-ld:datePublished");
  CHECK(got->article.content_hash == x.article.content_hash);
  REQUIRE(got->event_ids.size() == 1);
  auto event = (*store)->GetEvent(got->event_ids[0]);
  REQUIRE(event.ok());
  REQUIRE(event->sources.size() == 1);
  CHECK(event->sources[0].url == "https://a.example/canonical");
  CHECK(event->sources[0].published == "2019-10-08");
  CHECK((*store)->GetArticle("0123456789abcdef").status().code() == Status::Code::kNotFound);
  CHECK((*store)->GetEvent("not-an-id").status().code() == Status::Code::kNotFound);
}

namespace {

// What an event's confidence is from its sources: their noisy-or, at most 0.99, 3 digits.
double NoisyOr(const std::vector<double>& confidences) {
  double miss = 1;
  for (double c : confidences) miss *= 1 - c;
  return std::round(std::min(0.99, 1 - miss) * 1000) / 1000;
}

}  // namespace

TEST_CASE("a popular event keeps each article once as a source, through re-ingest and re-extraction") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  constexpr int kArticles = 300;
  std::vector<Extraction> articles;
  std::vector<double> confidences;
  for (int i = 0; i < kArticles; ++i) {
    auto m = Ended("2019-10", "Report " + std::to_string(i) + ": Prague ended the tie.");
    m.confidence = 0.001 * (1 + i % 7);
    confidences.push_back(m.confidence);
    auto x = Make("https://news.example/" + std::to_string(i), "text " + std::to_string(i), {m});
    // Published dates out of article order: sources come earliest first, undated last.
    if (i % 10 != 0) x.article.published = {"2019-" + std::to_string(10 + (i * 7) % 3) + "-" + std::to_string(10 + i % 17), "test"};
    articles.push_back(x);
    auto put = (*store)->Put(x);
    REQUIRE(put.ok());
    CHECK(put->events_new == (i == 0 ? 1 : 0));
    CHECK(put->events_merged == (i == 0 ? 0 : 1));
  }
  auto check_event = [&](const StoredEvent& e, const std::vector<double>& cs, const std::string& date) {
    CHECK(e.date == date);
    CHECK(e.source_count == cs.size());
    REQUIRE(e.sources.size() == cs.size());
    std::set<std::string> ids;
    for (const auto& s : e.sources) ids.insert(s.article_id);
    CHECK(ids.size() == cs.size());
    for (size_t k = 1; k < e.sources.size(); ++k) {
      const auto& a = e.sources[k - 1];
      const auto& b = e.sources[k];
      CHECK((b.published.empty() || (!a.published.empty() && a.published <= b.published)));
    }
    CHECK(e.confidence() == Approx(NoisyOr(cs)));
  };
  auto events = All(**store);
  REQUIRE(events.size() == 1);
  const std::string id = events[0].id;
  check_event(events[0], confidences, "2019-10");

  // Ingesting every article again: each one is a duplicate, nothing changes.
  for (const auto& x : articles) CHECK((*store)->Put(x)->duplicate);
  // Re-extracting with the same rules writes nothing.
  for (int i = 0; i < kArticles; i += 37) CHECK_FALSE((*store)->Put(articles[i], PutMode::kReextract)->changed);
  events = All(**store);
  REQUIRE(events.size() == 1);
  check_event(events[0], confidences, "2019-10");
  CHECK((*store)->Counts()->sources == kArticles);

  // Rules that no longer find the event in article 17: it leaves, the event stays (same id).
  auto without = articles[17];
  without.events.clear();
  auto left = (*store)->Put(without, PutMode::kReextract);
  REQUIRE(left.ok());
  CHECK(left->events_removed == 0);
  auto fewer = confidences;
  fewer.erase(fewer.begin() + 17);
  events = All(**store);
  REQUIRE(events.size() == 1);
  CHECK(events[0].id == id);
  check_event(events[0], fewer, "2019-10");
  for (const auto& s : events[0].sources) CHECK(s.article_id != articles[17].article.id);
  CHECK((*store)->Counts()->sources == kArticles - 1);
  CHECK((*store)->GetArticle(articles[17].article.id)->event_ids.empty());

  // Rules that read a day in article 17: the whole event takes the more precise date (and its id).
  auto precise = articles[17];
  precise.events[0].date = "2019-10-07";
  REQUIRE((*store)->Put(precise, PutMode::kReextract).ok());
  events = All(**store);
  REQUIRE(events.size() == 1);
  check_event(events[0], confidences, "2019-10-07");
  CHECK(events[0].id != id);
  CHECK((*store)->GetArticle(articles[0].article.id)->event_ids == std::vector<std::string>{events[0].id});

  // A read capped at the earliest sources still counts them all.
  auto capped = (*store)->Find(EventFilter{}, 0, 0, 5);
  REQUIRE(capped.ok());
  REQUIRE(capped->events.size() == 1);
  CHECK(capped->events[0].sources.size() == 5);
  CHECK(capped->events[0].source_count == kArticles);
  for (size_t k = 0; k < 5; ++k) CHECK(capped->events[0].sources[k].article_id == events[0].sources[k].article_id);

  // The old rules again: the event is back at its month, under the id it had.
  REQUIRE((*store)->Put(articles[17], PutMode::kReextract).ok());
  events = All(**store);
  REQUIRE(events.size() == 1);
  CHECK(events[0].id == id);
  check_event(events[0], confidences, "2019-10");
  CHECK((*store)->Counts()->events == 1);
  CHECK((*store)->Counts()->sources == kArticles);
}

TEST_CASE("an event's old id still finds it after a report changed its date") {
  tw::test::TempDir dir;
  auto store = Store::Open(dir / "db");
  REQUIRE(store.ok());
  const Place prague = City("Prague", "CZ", 3067696), beijing = City("Beijing", "CN", 1816670);
  auto id_at = [&](const std::string& date) { return EventId(EventType::kTermination, prague, beijing, date); };
  auto current_id = [&](const std::string& asked) -> std::string {
    auto e = (*store)->GetEvent(asked);
    if (e.status().IsNotFound()) return "404";
    REQUIRE(e.ok());
    return e->id;
  };
  const std::string month = id_at("2019-10"), day7 = id_at("2019-10-07"), day9 = id_at("2019-10-09");

  REQUIRE((*store)->Put(Make("u1", "t1", {Ended("2019-10", "In October.")})).ok());
  CHECK(current_id(month) == month);
  // A more precise report: the event becomes 2019-10-07; its month id leads there.
  auto refine = Make("u2", "t2", {Ended("2019-10-07", "On 7 October.")});
  REQUIRE((*store)->Put(refine).ok());
  CHECK(current_id(month) == day7);
  CHECK(current_id(day7) == day7);
  auto via_old = (*store)->GetEvent(month);
  REQUIRE(via_old.ok());
  CHECK(via_old->sources.size() == 2);
  CHECK(via_old->date == "2019-10-07");
  CHECK(All(**store).size() == 1);  // an alias is no event of its own

  // Another day in October: the month report can no longer tell which, and is its own event again.
  REQUIRE((*store)->Put(Make("u3", "t3", {Ended("2019-10-09", "On 9 October.")})).ok());
  CHECK(current_id(month) == month);
  CHECK(current_id(day7) == day7);
  CHECK(current_id(day9) == day9);
  CHECK(All(**store).size() == 3);

  // The 7th goes (no rule finds it any more): its id had no successor, so it is unknown; the month
  // joins the 9th, and the month id leads there.
  auto gone = refine;
  gone.events.clear();
  auto removed = (*store)->Put(gone, PutMode::kReextract);
  REQUIRE(removed.ok());
  CHECK(removed->events_removed == 1);
  CHECK(current_id(day7) == "404");
  CHECK(current_id(month) == day9);
  CHECK(All(**store).size() == 1);

  // Aliases follow a reader too.
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(dir / "db", ro);
  REQUIRE(reader.ok());
  auto read = (*reader)->GetEvent(month);
  REQUIRE(read.ok());
  CHECK(read->id == day9);
}

namespace {

// `n` articles for the bulk-load tests: each reports up to four events among 12 cities of 4
// countries at dates of every precision (so reports merge, refine and conflict), with enough text
// that a 1 MiB memtable budget flushes many times; every fifth url is written again later with
// other text and events.
std::vector<Extraction> BulkArticles(int n, unsigned seed) {
  std::vector<Place> cities;
  const char* countries[] = {"CZ", "CN", "JP", "FR"};
  for (int i = 0; i < 12; ++i) cities.push_back(City("Town" + std::to_string(i), countries[i % 4], 500000 + i));
  const std::string dates[] = {"", "2019", "2019-10", "2019-10-07", "2019-11", "2020", "2021-03-02"};
  const EventType types[] = {EventType::kAgreement, EventType::kTermination, EventType::kSuspension, EventType::kProposal};
  std::mt19937 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  std::vector<Extraction> out;
  for (int i = 0; i < n; ++i) {
    const int url = i % 5 == 4 ? pick(i) : i;
    std::vector<EventMention> mentions;
    for (int e = pick(5); e > 0; --e) {
      const int a = pick(12), b = (a + 1 + pick(11)) % 12;
      auto m = TestMention(types[pick(4)], cities[a], cities[b], dates[pick(7)],
                           "sentence " + std::to_string(e) + " of write " + std::to_string(i));
      m.start = static_cast<size_t>(e) * 100;
      mentions.push_back(m);
    }
    out.push_back(Make("https://bulk.example/" + std::to_string(url),
                       "write " + std::to_string(i) + " " + std::string(2000 + pick(2000), 'x'), mentions));
  }
  return out;
}

// Checks that a store is consistent: its counters agree with a full scan, and every event is found
// through each index that should list it (by city, by type, by country). Returns the number of
// events. (A bulk load killed half-way: tests/crash_recovery_test.cc.)
size_t CheckConsistent(const Store& store) {
  std::vector<StoredEvent> all;
  uint64_t sources = 0;
  REQUIRE(store.ForEachEvent([&](const StoredEvent& e) {
    all.push_back(e);
    sources += e.sources.size();
    return true;
  }).ok());
  auto counts = store.Counts();
  REQUIRE(counts.ok());
  CHECK(counts->events == all.size());
  CHECK(counts->sources == sources);
  std::map<std::string, std::set<std::string>> expected;  // query -> ids
  for (const auto& e : all) {
    for (const auto& c : e.cities) {
      expected["city " + c.name].insert(e.id);
      expected["country " + c.country].insert(e.id);
    }
    expected[std::string("type ") + EventTypeName(e.type)].insert(e.id);
  }
  for (const auto& [query, ids] : expected) {
    EventFilter f;
    const std::string value = query.substr(query.find(' ') + 1);
    if (query.starts_with("city ")) f.city = value;
    else if (query.starts_with("country ")) f.country = value;
    else {
      EventType type;
      REQUIRE(ParseEventType(value, &type));
      f.type = type;
    }
    auto found = store.Find(f);
    REQUIRE(found.ok());
    std::set<std::string> got;
    for (const auto& e : found->events) got.insert(e.id);
    INFO(query);
    CHECK(got == ids);
  }
  return all.size();
}

}  // namespace

namespace {

// What a user can see of a store beyond its events: each article (metadata, text, the events it
// is a source of) and what every id a group's event ever had leads to (itself, the event its date
// moved to through an alias, or nothing).
std::vector<std::string> ArticlesAndIds(const Store& store, const std::vector<Extraction>& articles) {
  std::vector<std::string> out;
  std::set<std::string> ids;
  const std::string dates[] = {"", "2019", "2019-10", "2019-10-07", "2019-11", "2020", "2021-03-02"};
  for (const auto& x : articles) {
    auto a = store.GetArticle(x.article.id);
    REQUIRE(a.ok());
    std::string line = a->article.id + " " + a->article.url + " " + a->article.title.value + " " + a->article.text;
    for (const auto& id : a->event_ids) line += " " + id;
    out.push_back(line);
    for (const auto& m : x.events) {
      for (const auto& d : dates) ids.insert(EventId(m.type, m.first, m.second, d));
    }
  }
  for (const auto& id : ids) {
    auto e = store.GetEvent(id);
    out.push_back(id + " -> " + (e.ok() ? e->id : e.status().code() == Status::Code::kNotFound ? "none" : "error"));
  }
  return out;
}

}  // namespace

namespace {

// Puts each article into both stores: each write reports the same outcome.
void PutToBoth(Store& plain, Store& bulk, const std::vector<Extraction>& articles) {
  for (const auto& x : articles) {
    auto p = plain.Put(x);
    auto b = bulk.Put(x);
    REQUIRE(p.ok());
    REQUIRE(b.ok());
    CHECK(std::tie(b->duplicate, b->changed, b->events_new, b->events_merged, b->events_removed) ==
          std::tie(p->duplicate, p->changed, p->events_new, p->events_merged, p->events_removed));
  }
}

}  // namespace

TEST_CASE("a bulk load stores exactly what article-by-article writes store") {
  const auto articles = BulkArticles(600, 11);
  tw::test::TempDir dir;
  {
    auto plain = Store::Open(dir / "plain");
    REQUIRE(plain.ok());
    for (const auto& x : articles) REQUIRE((*plain)->Put(x).ok());
  }
  // Memtables of 1 MiB: flushes many times when the load goes through them.
  StoreOptions options = BulkLoadOptions(1);
  bool read_before_sync = false;
  SECTION("held in memory, written out at Sync") {}
  SECTION("held in memory, written out when the writer reads") { read_before_sync = true; }
  SECTION("held in memory up to a 1 MiB budget, the rest through memtables") { options = BulkLoadOptions(1, 1); }
  SECTION("through memtables (as into a store that is not empty)") {
    options = BulkLoadOptions(1, 0);
    read_before_sync = true;
  }
  {
    auto bulk = Store::Open(dir / "bulk", options);
    REQUIRE(bulk.ok());
    for (const auto& x : articles) REQUIRE((*bulk)->Put(x).ok());
    // The writer itself reads what it wrote.
    if (read_before_sync) CHECK(CheckConsistent(**bulk) > 100);
    REQUIRE((*bulk)->Sync().ok());
  }
  auto plain = Store::Open(dir / "plain");
  auto bulk = Store::Open(dir / "bulk");
  REQUIRE(plain.ok());
  REQUIRE(bulk.ok());
  const auto expected = Fingerprints(**plain);
  CHECK(expected.size() > 100);
  CHECK(Fingerprints(**bulk) == expected);
  const auto expected_rest = ArticlesAndIds(**plain, articles);
  CHECK(ArticlesAndIds(**bulk, articles) == expected_rest);
  auto plain_counts = (*plain)->Counts();
  auto bulk_counts = (*bulk)->Counts();
  REQUIRE(plain_counts.ok());
  REQUIRE(bulk_counts.ok());
  CHECK(bulk_counts->articles == plain_counts->articles);
  CHECK(bulk_counts->events_by_type == plain_counts->events_by_type);
  CHECK(bulk_counts->sources == plain_counts->sources);
  CheckConsistent(**bulk);

  // Writes after the load (a second run into the store) go on as they do on the plain store.
  const auto more = BulkArticles(200, 12);
  PutToBoth(**plain, **bulk, more);
  CHECK(Fingerprints(**bulk) == Fingerprints(**plain));

  // A reader in another process sees the whole load once Sync() returned.
  bulk->reset();
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(dir / "bulk", ro);
  REQUIRE(reader.ok());
  CHECK(Fingerprints(**reader) == Fingerprints(**plain));
}

TEST_CASE("a bulk load in memory merges and reports each article as article-by-article writes do") {
  const auto articles = BulkArticles(300, 5);
  tw::test::TempDir dir;
  auto plain = Store::Open(dir / "plain");
  auto bulk = Store::Open(dir / "bulk", BulkLoadOptions(1));
  REQUIRE(plain.ok());
  REQUIRE(bulk.ok());
  PutToBoth(**plain, **bulk, articles);
  // A place named with another country than before ends the memory phase before that article:
  // the indexes are the ones article-by-article writes give (the country the event was stored with).
  Place moved = City("Town3", "SK", 500003);
  auto x = Make("https://bulk.example/moved", "a town in another country", {TestMention(EventType::kProposal, moved, City("Town5", "CN", 500005), "2022", "moved")});
  REQUIRE((*plain)->Put(x).ok());
  REQUIRE((*bulk)->Put(x).ok());
  for (const char* country : {"CZ", "SK", "CN", "JP", "FR"}) {
    EventFilter f;
    f.country = country;
    auto p = (*plain)->Find(f);
    auto b = (*bulk)->Find(f);
    REQUIRE(p.ok());
    REQUIRE(b.ok());
    std::vector<std::string> pi, bi;
    for (const auto& e : p->events) pi.push_back(e.id);
    for (const auto& e : b->events) bi.push_back(e.id);
    INFO(country);
    CHECK(bi == pi);
  }
  CHECK(Fingerprints(**bulk) == Fingerprints(**plain));
}
