// Crash recovery: ingest and crawl killed with SIGKILL at random moments and resumed must end with
// exactly the store an uninterrupted run makes: every article once, the same events, no source
// twice; and a resumed crawl fetches no article that was already stored.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>

#include "storage/store.h"
#include "tests/local_server.h"
#include "tests/test_util.h"

using tw::test::RunTwinwatch;

namespace {

constexpr int kArticles = 5000;
constexpr int kKills = 5;

// Article `i` of a generated corpus: every tenth reports a tie between one of 8 city pairs in one of
// 12 years, so a few thousand articles make about 100 events, most with several sources to merge.
std::string Article(int i) {
  const char* pairs[][2] = {{"Lyon", "Kyoto"}, {"Tartu", "Turku"}, {"Gdansk", "Bremen"}, {"Rosario", "Porto Alegre"},
                            {"Tampere", "Kursk"}, {"Darwin", "Ambon"}, {"Leipzig", "Krakow"}, {"Nagoya", "Seville"}};
  std::vector<std::string> paragraphs = {
      "Article number " + std::to_string(i) + " reports on the council meeting held this week, where members discussed budgets, parks and buses.",
      "The session lasted three hours and ended with a vote on item " + std::to_string(i * 7) + " of the agenda."};
  if (i % 10 == 0) {
    const auto& p = pairs[(i / 10) % 8];
    paragraphs.push_back(std::string(p[0]) + " signed a sister-city agreement with " + p[1] + " in " +
                         std::to_string(2000 + (i / 80) % 12) + ", the mayor's office said.");
  }
  return tw::test::NewsPage("Council report " + std::to_string(i), paragraphs, "2024-01-15");
}

// 5,000 articles in 50 folders.
void WriteArticles(const std::string& dir) {
  for (int i = 0; i < kArticles; ++i) {
    tw::test::WriteFile(dir + "/f" + std::to_string(i / 100) + "/article-" + std::to_string(i) + ".html", Article(i));
  }
}

// Runs the binary with `args` to the end and returns how long it took, in milliseconds.
long TimedRun(const std::vector<std::string>& args, const std::string& expect_in_stderr) {
  const auto started = std::chrono::steady_clock::now();
  auto r = RunTwinwatch(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains(expect_in_stderr));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
}

// Starts `args` and kills it with SIGKILL as soon as `kill_now(lines)` says so, asked every few
// milliseconds with the complete lines the run wrote to stderr since it was last asked; unless the
// run ends first (its summary line, which contains `summary`, is on stderr). Returns how long it
// ran when it ended by itself, or nullopt when it was killed.
std::optional<long> RunOrKillWhen(const std::vector<std::string>& args, const std::string& summary,
                                  const std::function<bool(const std::vector<std::string>&)>& kill_now) {
  const auto started = std::chrono::steady_clock::now();
  auto ran_ms = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  };
  tw::test::RunningTwinwatch run(args);
  size_t read = 0;      // bytes of stderr read so far
  std::string partial;  // the last line read, while it is not complete
  for (;;) {
    const std::string more = run.StderrFrom(read);
    read += more.size();
    partial += more;
    std::vector<std::string> lines;
    for (size_t end; (end = partial.find('\n')) != std::string::npos; partial.erase(0, end + 1)) {
      lines.push_back(partial.substr(0, end));
    }
    for (const auto& line : lines) {
      if (line.find(summary) == std::string::npos) continue;
      const long ran = ran_ms();
      auto ended = run.Wait();
      INFO(ended.err);
      REQUIRE(ended.exit_code == 0);
      return ran;
    }
    if (kill_now(lines)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(::kill(run.pid(), SIGKILL) == 0);
  auto ended = run.Wait();
  if (ended.exit_code == 128 + SIGKILL) return std::nullopt;
  INFO(ended.err);
  REQUIRE(ended.exit_code == 0);  // it ended between the last look and the kill
  return ran_ms();
}

// What a store holds, in a form two stores can be compared by: event id -> its fields and the set
// of its sources. Fails the test if an event lists a source twice.
using Source = std::tuple<std::string, std::string, std::string>;  // url, evidence, rule
struct EventView {
  std::string type, date, cities;
  std::set<Source> sources;
  bool operator==(const EventView& o) const {
    return std::tie(type, date, cities, sources) == std::tie(o.type, o.date, o.cities, o.sources);
  }
};

std::map<std::string, EventView> Events(const std::string& db) {
  auto q = RunTwinwatch({"query", "--db", db, "--format", "jsonl"});
  REQUIRE(q.exit_code == 0);
  std::map<std::string, EventView> events;
  std::istringstream lines(q.out);
  for (std::string line; std::getline(lines, line);) {
    const auto e = nlohmann::json::parse(line);
    EventView v{e["type"], e["date"].is_null() ? "" : e["date"].get<std::string>(), e["cities"].dump(), {}};
    for (const auto& s : e["sources"]) {
      const bool fresh = v.sources.emplace(s["url"], s["evidence"], s["rule"]).second;
      INFO("event " << e["id"] << " lists source " << s["url"] << " twice");
      CHECK(fresh);
    }
    events.emplace(e["id"].get<std::string>(), std::move(v));
  }
  return events;
}

// The two stores hold the same events, source for source.
void CheckSameEvents(const std::string& expected_db, const std::string& db) {
  const auto expected = Events(expected_db);
  const auto got = Events(db);
  CHECK(expected.size() > 50);
  CHECK(got.size() == expected.size());
  for (const auto& [id, event] : expected) {
    INFO("event " << id);
    auto it = got.find(id);
    REQUIRE(it != got.end());
    CHECK(it->second == event);
  }
}

uint64_t StoredArticles(const std::string& db) {
  auto stats = RunTwinwatch({"stats", "--db", db, "--format", "json"});
  if (stats.exit_code != 0) return 0;  // killed before the store was first written
  return nlohmann::json::parse(stats.out)["articles"].get<uint64_t>();
}

// Kills `ingest` (with `extra` arguments) `kills` times at random moments, resumes it to the end,
// and compares the store with one uninterrupted run's.
//
// Kill moments are counted in documents, not milliseconds, so that a loaded machine cannot make
// every run end before its kill: the first run is killed during its start-up (loading rules,
// gazetteer and store), the others after a random number of documents read through extraction
// (their debug lines); a resumed run extracts every document again, stored ones ending as
// duplicates, so each kill falls before 80% of its run.
void KillAndResumeIngest(const std::vector<std::string>& extra, int kills_wanted) {
  tw::test::TempDir dir;
  WriteArticles(dir / "in");
  auto ingest = [&](const std::string& db) {
    std::vector<std::string> args{"ingest", "--no-progress", "-v", "--db", db};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(dir / "in");
    return args;
  };
  TimedRun(ingest(dir / "reference"), "ingest: 5000 read, 5000 stored");
  tw::test::WriteFile(dir / "nothing/notes.pdf", "%PDF");  // not a document type: nothing is read
  const long startup_ms = TimedRun({"ingest", "--no-progress", "-q", "--db", dir / "scratch", dir / "nothing"}, "ingest: ");

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  INFO("kill moments drawn with seed " << seed << "; start-up took " << startup_ms << " ms");
  const std::string db = dir / "killed";
  int kills = 0;
  uint64_t stored_before = 0;
  for (int attempt = 0; kills < kills_wanted && attempt < 2 * kills_wanted; ++attempt) {
    std::function<bool(const std::vector<std::string>&)> kill_now;
    if (attempt == 0) {
      // Within the start-up as a quiet run took it: a loaded machine only makes it earlier.
      const auto deadline = std::chrono::steady_clock::now() +
                            std::chrono::milliseconds(std::uniform_int_distribution<long>(startup_ms / 2, startup_ms)(rng));
      kill_now = [deadline](const std::vector<std::string>&) { return std::chrono::steady_clock::now() >= deadline; };
    } else {
      const int kill_after = std::uniform_int_distribution<int>(1, kArticles * 8 / 10)(rng);
      INFO("kill " << kills + 1 << " after " << kill_after << " documents extracted");
      kill_now = [kill_after, extracted = 0](const std::vector<std::string>& lines) mutable {
        for (const auto& line : lines) extracted += line.find(" cities, ") != std::string::npos;
        return extracted >= kill_after;
      };
    }
    if (RunOrKillWhen(ingest(db), "ingest: ", kill_now)) continue;  // it finished first: not a kill
    ++kills;
    const uint64_t stored = StoredArticles(db);
    INFO("after kill " << kills << ": " << stored << " articles stored");
    CHECK(stored >= stored_before);  // nothing committed (with --bulk: flushed) is lost
    CHECK(stored <= static_cast<uint64_t>(kArticles));
    stored_before = stored;
  }
  CHECK(kills == kills_wanted);

  // The last run goes to the end: it stores exactly what the killed ones had not.
  auto last = RunTwinwatch(ingest(db));
  REQUIRE(last.exit_code == 0);
  const std::string summary = "ingest: 5000 read, " + std::to_string(kArticles - stored_before) + " stored, " +
                              std::to_string(stored_before) + " duplicate, 0 failed";
  INFO("the last run's summary: " << last.err.substr(last.err.rfind("ingest: ") == std::string::npos ? 0 : last.err.rfind("ingest: ")));
  CHECK_THAT(last.err, Catch::Contains(summary));
  CHECK(StoredArticles(db) == kArticles);
  CheckSameEvents(dir / "reference", db);
}

}  // namespace

TEST_CASE("ingest killed with SIGKILL at random moments and resumed stores exactly what one clean run does") {
  KillAndResumeIngest({}, kKills);
}

// Without a write-ahead log a kill loses what was not flushed. Into the empty store a run holds the
// load in memory (a kill before it is written out leaves the store empty); a run into a store that
// is not empty has a 1 MiB memtable budget, so it flushes (and the kills land) many times, and every
// flush must hold whole articles.
TEST_CASE("ingest --bulk killed with SIGKILL at random moments and resumed stores exactly what one clean run does") {
  KillAndResumeIngest({"--bulk", "--bulk-buffer-mb", "1"}, 3);
}

// The same with a 1 MiB budget for the load held in memory: each run into the empty store writes
// its first articles out as table files (all or nothing) and stores the rest through memtables.
TEST_CASE("ingest --bulk held in memory up to its budget, killed at random moments and resumed, stores exactly what one clean run does") {
  KillAndResumeIngest({"--bulk", "--bulk-buffer-mb", "1", "--bulk-memory-mb", "1"}, 3);
}

TEST_CASE("crawl killed with SIGKILL at random moments and resumed stores exactly what one clean crawl does") {
  constexpr int kPages = 1000;
  constexpr int kHosts = 10;  // one request in flight per host: several hosts keep the crawl quick
  tw::test::LocalServer server;
  std::atomic<int> pages_served{0};
  server.http().Get(R"(/news/(\d+)\.html)", [&](const httplib::Request& req, httplib::Response& res) {
    ++pages_served;
    res.set_content(Article(std::stoi(req.matches[1])), "text/html; charset=utf-8");
  });
  auto page_url = [&](int i) {
    return "http://news" + std::to_string(i % kHosts) + ".example:" + std::to_string(server.port()) + "/news/" +
           std::to_string(i) + ".html";
  };
  server.http().Get("/feed.xml", [&](const httplib::Request&, httplib::Response& res) {
    std::string rss = R"(<?xml version="1.0"?><rss version="2.0"><channel><title>City desk</title>)";
    for (int i = 0; i < kPages; ++i) rss += "<item><link>" + page_url(i) + "</link></item>";
    res.set_header("ETag", "\"v1\"");
    res.set_content(rss + "</channel></rss>", "application/rss+xml");
  });
  server.Start();
  tw::test::TempDir dir;
  std::string resolve;
  for (int h = 0; h < kHosts; ++h) resolve += "\"news" + std::to_string(h) + ".example:" + std::to_string(server.port()) + ":127.0.0.1\", ";
  tw::test::WriteFile(dir / "sources.toml",
                      "[crawler]\nuser_agent = \"twinwatch-test/1.0\"\nconcurrency = 16\nper_host_delay = \"0s\"\n"
                      "allow_private = true\nresolve = [" + resolve + "]\n\n[[source]]\nname = \"desk\"\nfeed = \"" +
                      server.Url("/feed.xml") + "\"\nevery = \"1ms\"\n");
  auto crawl = [&](const std::string& db) {
    return std::vector<std::string>{"crawl", "--once", "-q", "--sources", dir / "sources.toml", "--db", db};
  };
  // Which pages a store holds (opened read-only, as the killed process left it).
  auto stored_pages = [&](const std::string& db) {
    std::vector<bool> stored(kPages, false);
    tw::StoreOptions options;
    options.read_only = true;
    auto store = tw::Store::Open(db, options);
    if (!store.ok()) return stored;  // killed before the store was first written
    for (int i = 0; i < kPages; ++i) {
      auto has = (*store)->HasArticleUrl(page_url(i));
      REQUIRE(has.ok());
      stored[i] = *has;
    }
    return stored;
  };
  auto page_hits = [&] {
    std::vector<size_t> hits(kPages);
    for (int i = 0; i < kPages; ++i) hits[i] = server.CountOf("/news/" + std::to_string(i) + ".html");
    return hits;
  };
  TimedRun(crawl(dir / "reference"), "crawl: 1000 read, 1000 stored");
  const auto reference_hits = page_hits();
  REQUIRE(std::count(reference_hits.begin(), reference_hits.end(), 1u) == kPages);  // each page fetched once
  // A crawl with every page stored fetches the feed (a 304) and no page.
  TimedRun(crawl(dir / "reference"), "crawl: 0 read");

  // After each run, killed or not: no page stored before it was fetched again during it.
  auto check_no_refetch = [&](const std::vector<bool>& stored_before, const std::vector<size_t>& hits_before) {
    const auto hits = page_hits();
    for (int i = 0; i < kPages; ++i) {
      if (stored_before[i] && hits[i] != hits_before[i]) FAIL_CHECK("page " << i << " was stored and fetched again");
    }
  };
  const std::string db = dir / "killed";
  // Kill moments are counted in pages served rather than in milliseconds, so that a loaded machine
  // cannot make every run end before its kill: each run is killed after a random number of the
  // pages it still has to fetch (up to half), and the last run fetches the rest.
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  INFO("kill moments drawn with seed " << seed);
  int kills = 0;
  for (int attempt = 0; kills < kKills && attempt < 4 * kKills; ++attempt) {
    const auto stored_before = stored_pages(db);
    const auto hits_before = page_hits();
    const int left = static_cast<int>(std::count(stored_before.begin(), stored_before.end(), false));
    if (left < 2) break;  // the kills overshot: nothing left to kill a run in
    // At most half of what is left, so that every kill has pages after it.
    const int kill_after = std::uniform_int_distribution<int>(1, std::max(1, left / 2))(rng);
    const int served_before = pages_served;
    const auto ran = RunOrKillWhen(crawl(db), "crawl: ", [&](const std::vector<std::string>&) {
      return pages_served - served_before >= kill_after;
    });
    check_no_refetch(stored_before, hits_before);
    if (ran) continue;  // it finished first: not a kill
    ++kills;
    const auto stored = stored_pages(db);
    const size_t count = std::count(stored.begin(), stored.end(), true);
    INFO("after kill " << kills << " (after " << kill_after << " of " << left << " pages): " << count << " pages stored");
    for (int i = 0; i < kPages; ++i) {
      if (stored_before[i] && !stored[i]) FAIL_CHECK("page " << i << " was stored, and lost by the kill");
    }
  }
  CHECK(kills == kKills);

  const auto stored_before = stored_pages(db);
  const auto hits_before = page_hits();
  auto last = RunTwinwatch(crawl(db));
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  check_no_refetch(stored_before, hits_before);
  CHECK(StoredArticles(db) == kPages);
  CheckSameEvents(dir / "reference", db);
}
