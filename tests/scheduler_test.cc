#include <catch2/catch.hpp>

#include "pipeline/scheduler.h"

using tw::CrawlTask;
using tw::Scheduler;
using tw::TaskKind;
using namespace std::chrono_literals;

namespace {

CrawlTask Task(const std::string& url, TaskKind kind = TaskKind::kArticle) {
  CrawlTask t;
  t.url = t.record_url = url;
  t.kind = kind;
  return t;
}

std::string NextUrl(Scheduler& s, Scheduler::TimePoint now) {
  auto t = s.Next(now);
  return t ? t->url : "<none>";
}

const Scheduler::TimePoint kT0 = Scheduler::Clock::now();

}  // namespace

TEST_CASE("scheduler: one request in flight per host, other hosts meanwhile") {
  Scheduler s(/*concurrency=*/8, /*per_host_delay=*/0);
  s.Add(Task("http://a.test/1"));
  s.Add(Task("http://a.test/2"));
  s.Add(Task("http://b.test/1"));
  const std::string first = NextUrl(s, kT0), second = NextUrl(s, kT0);
  CHECK(((first == "http://a.test/1" && second == "http://b.test/1") || (first == "http://b.test/1" && second == "http://a.test/1")));
  CHECK(NextUrl(s, kT0) == "<none>");  // a.test/2 waits for a.test/1
  CHECK(s.in_flight() == 2);
  CHECK(s.queued() == 1);
  s.Finished("http://a.test", kT0);
  CHECK(NextUrl(s, kT0) == "http://a.test/2");
}

TEST_CASE("scheduler: per-host delay, a longer Crawl-delay or Retry-After wins") {
  Scheduler s(8, /*per_host_delay=*/1.0);
  for (int i = 0; i < 4; ++i) s.Add(Task("http://a.test/" + std::to_string(i)));
  CHECK(NextUrl(s, kT0) == "http://a.test/0");
  s.Finished("http://a.test", kT0);
  CHECK(NextUrl(s, kT0 + 999ms) == "<none>");
  CHECK(s.NextStartTime() == kT0 + 1s);
  CHECK(NextUrl(s, kT0 + 1s) == "http://a.test/1");
  s.SetCrawlDelay("http://a.test", 3.0);
  s.Finished("http://a.test", kT0 + 1s);
  CHECK(NextUrl(s, kT0 + 3s) == "<none>");
  CHECK(NextUrl(s, kT0 + 4s) == "http://a.test/2");
  s.Finished("http://a.test", kT0 + 4s, /*at_least_seconds=*/10);  // Retry-After: 10
  CHECK(NextUrl(s, kT0 + 13s) == "<none>");
  CHECK(NextUrl(s, kT0 + 14s) == "http://a.test/3");
}

TEST_CASE("scheduler: the global limit holds across hosts") {
  Scheduler s(/*concurrency=*/2, 0);
  for (const char* h : {"a", "b", "c"}) s.Add(Task(std::string("http://") + h + ".test/x"));
  CHECK(NextUrl(s, kT0) != "<none>");
  CHECK(NextUrl(s, kT0) != "<none>");
  CHECK(NextUrl(s, kT0) == "<none>");
  s.Finished("http://a.test", kT0);
  s.Finished("http://b.test", kT0);
  s.Finished("http://c.test", kT0);
  CHECK(s.in_flight() == 0);
  CHECK(NextUrl(s, kT0) != "<none>");
}

TEST_CASE("scheduler: delayed tasks wait their time, discovery goes before articles, Release keeps timing") {
  Scheduler s(8, /*per_host_delay=*/1.0);
  s.Add(Task("http://a.test/later"), kT0 + 5s);
  CHECK(NextUrl(s, kT0) == "<none>");
  CHECK(s.NextStartTime() == kT0 + 5s);
  s.Add(Task("http://a.test/article"));
  s.Add(Task("http://a.test/feed.xml", TaskKind::kDiscovery));
  CHECK(NextUrl(s, kT0) == "http://a.test/feed.xml");
  s.Release("http://a.test");  // not sent after all: no delay owed
  CHECK(NextUrl(s, kT0) == "http://a.test/article");
  s.Finished("http://a.test", kT0 + 5s);
  CHECK(NextUrl(s, kT0 + 5s) == "<none>");
  CHECK(NextUrl(s, kT0 + 6s) == "http://a.test/later");
  s.PushFront(Task("http://a.test/again"));
  s.Finished("http://a.test", kT0 + 6s);
  CHECK(NextUrl(s, kT0 + 7s) == "http://a.test/again");
}

TEST_CASE("scheduler: file URLs have no host to be polite to") {
  Scheduler s(8, /*per_host_delay=*/60);
  s.Add(Task("file:///srv/a.html"));
  s.Add(Task("file:///srv/b.html"));
  CHECK(NextUrl(s, kT0) == "file:///srv/a.html");
  s.Finished("", kT0);
  CHECK(NextUrl(s, kT0) == "file:///srv/b.html");
}
