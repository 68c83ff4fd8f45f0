#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

using tw::test::RunTwinwatch;

TEST_CASE("the CLI answers --version and --help with exit 0 on stdout") {
  auto v = RunTwinwatch({"--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("twinwatch "));
  for (const char* cmd : {"ingest", "clean", "extract", "query", "stats"}) {
    auto h = RunTwinwatch({cmd, "--help"});
    CHECK(h.exit_code == 0);
    CHECK_THAT(h.out, Catch::Contains("Usage"));
  }
}

TEST_CASE("a bad flag or a missing subcommand is exit 2 with a message on stderr") {
  auto bad = RunTwinwatch({"ingest", "--no-such-flag", "x"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--no-such-flag"));
  CHECK(bad.out.empty());
  CHECK(RunTwinwatch({}).exit_code == 2);
  auto bad_type = RunTwinwatch({"query", "--type", "friendship", "--db", "/nonexistent"});
  CHECK(bad_type.exit_code == 2);
  CHECK_THAT(bad_type.err, Catch::Contains("--type 'friendship'"));
  auto bad_since = RunTwinwatch({"query", "--since", "2019-13"});
  CHECK(bad_since.exit_code == 2);
  CHECK_THAT(bad_since.err, Catch::Contains("YYYY-MM"));
  auto bad_published = RunTwinwatch({"extract", "--published", "July 2023", "-"});
  CHECK(bad_published.exit_code == 2);
}

TEST_CASE("ingest of a missing path or an unreadable file is exit 1, naming it, and the summary still prints") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "ok.txt", "Oslo news\n\nOslo signed a sister-city agreement with Kyiv in 2022.\n");
  REQUIRE(::symlink((dir / "loop.html").c_str(), (dir / "loop.html").c_str()) == 0);  // unreadable: a symlink loop
  auto r = RunTwinwatch({"ingest", "--db", dir / "db", dir / "ok.txt", dir / "missing.html", dir / "loop.html"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("missing.html: no such file or folder"));
  CHECK_THAT(r.err, Catch::Contains("loop.html"));
  CHECK_THAT(r.err, Catch::Contains("ingest: 3 read, 1 stored, 0 duplicate, 2 failed"));
  CHECK(r.out.empty());
}

TEST_CASE("ingest then query prints the stored events as JSON lines") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "in/a.txt", "Tartu news\n\nTartu, Estonia, ended its twin-town agreement with Pskov in November 2023.\n");
  auto ingest = RunTwinwatch({"ingest", "--db", dir / "db", dir / "in"});
  REQUIRE(ingest.exit_code == 0);
  auto q = RunTwinwatch({"query", "--db", dir / "db", "--format", "jsonl"});
  REQUIRE(q.exit_code == 0);
  auto e = nlohmann::json::parse(q.out.substr(0, q.out.find('\n')));
  CHECK(e["type"] == "termination");
  CHECK(e["date"] == "2023-11");
  CHECK(e["cities"][0]["name"] == "Tartu");
  CHECK(e["cities"][1]["name"] == "Pskov");
  CHECK(e["sources"][0]["rule"] == "termination.ended-tie-with");
  CHECK_THAT(e["sources"][0]["url"].get<std::string>(), Catch::StartsWith("file://"));
  auto table = RunTwinwatch({"query", "--db", dir / "db", "--format", "table", "--type", "termination"});
  CHECK_THAT(table.out, Catch::Contains("Tartu (EE)"));
  CHECK_THAT(table.out, Catch::Contains("1 event"));
  auto stats = RunTwinwatch({"stats", "--db", dir / "db", "--format", "json"});
  REQUIRE(stats.exit_code == 0);
  auto s = nlohmann::json::parse(stats.out);
  CHECK(s["articles"] == 1);
  CHECK(s["events_by_type"]["termination"] == 1);
}

TEST_CASE("query and serve take --cache-mb: a size reads the store as before, a bad one is exit 2 naming the flag") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "in/a.txt", "Tartu news\n\nTartu, Estonia, ended its twin-town agreement with Pskov in November 2023.\n");
  REQUIRE(RunTwinwatch({"ingest", "--db", dir / "db", dir / "in"}).exit_code == 0);
  auto plain = RunTwinwatch({"query", "--db", dir / "db", "--format", "jsonl"});
  REQUIRE(plain.exit_code == 0);
  REQUIRE_THAT(plain.out, Catch::Contains("Pskov"));
  for (const char* mb : {"1", "256"}) {
    auto cached = RunTwinwatch({"query", "--db", dir / "db", "--format", "jsonl", "--cache-mb", mb});
    CHECK(cached.exit_code == 0);
    CHECK(cached.out == plain.out);
  }
  for (const char* command : {"query", "serve"}) {
    for (const char* bad : {"0", "-1", "lots", "1048577"}) {
      INFO(command << " --cache-mb " << bad);
      auto r = RunTwinwatch({command, "--db", dir / "db", "--cache-mb", bad});
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("--cache-mb"));
      CHECK(r.out.empty());
    }
    CHECK_THAT(RunTwinwatch({command, "--help"}).out, Catch::Contains("--cache-mb"));
  }
  // serve with a cache size listens, and stops cleanly.
  tw::test::RunningTwinwatch serve({"serve", "--db", dir / "db", "--listen", "127.0.0.1:0", "--cache-mb", "8"});
  bool listening = false;
  for (int tries = 0; tries < 500 && !listening; ++tries) {
    listening = serve.StderrSoFar().find("http://127.0.0.1:") != std::string::npos;
    if (!listening) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(listening);
  REQUIRE(::kill(serve.pid(), SIGTERM) == 0);
  auto stopped = serve.Wait();
  CHECK(stopped.exit_code == 0);
  CHECK_THAT(stopped.err, Catch::Contains("serve: stopped"));
}

// What `make demo` prints: the events samples/README.md lists, and no others.
TEST_CASE("ingest of samples/ stores the events samples/README.md lists (golden demo table)") {
  tw::test::TempDir dir;
  auto ingest = RunTwinwatch({"ingest", "--db", dir / "db", std::string(TW_SOURCE_DIR) + "/samples"});
  REQUIRE(ingest.exit_code == 0);
  auto table = RunTwinwatch({"query", "--db", dir / "db", "--format", "table"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out == tw::test::Golden("demo.table", table.out));
}

TEST_CASE("query on a missing database is exit 2 with a hint") {
  auto q = RunTwinwatch({"query", "--db", "/nonexistent/twinwatch.db"});
  CHECK(q.exit_code == 2);
  CHECK_THAT(q.err, Catch::Contains("/nonexistent/twinwatch.db"));
}

TEST_CASE("extract reads one text article from stdin and prints events, or mentions with --mentions") {
  const std::string text = "Lyon signed a sister-city agreement with Kyoto on June 27.";
  auto r = RunTwinwatch({"extract", "--published", "2024-07-01", "-"}, text);
  REQUIRE(r.exit_code == 0);
  auto e = nlohmann::json::parse(r.out);
  CHECK(e["type"] == "agreement");
  CHECK(e["date"] == "2024-06-27");
  CHECK(e["sources"].size() == 1);
  auto m = RunTwinwatch({"extract", "--mentions", "--published", "2024-07-01", "-"}, text);
  REQUIRE(m.exit_code == 0);
  auto first = nlohmann::json::parse(m.out.substr(0, m.out.find('\n')));
  CHECK(first["kind"] == "city");
  CHECK(first["text"] == "Lyon");
  CHECK(first["start"] == 0);
  CHECK(first["end"] == 4);
  CHECK(first["country"] == "FR");
}

TEST_CASE("clean prints one JSON line per document with the contract fields") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "p.html", tw::test::NewsPage("A headline", {"The first paragraph of the story is long enough to be kept by the cleaner as body text, surely.", "A second paragraph follows here with more words in it."}, "2024-02-03T10:00:00Z"));
  auto r = RunTwinwatch({"clean", dir / "p.html"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"path", "url", "title", "published", "language", "text"}) CHECK(j.contains(key));
  CHECK(j["title"] == "A headline");
  CHECK(j["published"] == "2024-02-03");
  CHECK(j["path"] == dir / "p.html");
}

TEST_CASE("SIGINT and SIGTERM stop ingest cleanly: what was read is stored, exit 0 with the summary") {
  tw::test::TempDir dir;
  for (int i = 0; i < 3000; ++i) {
    tw::test::WriteFile(dir / ("in/" + std::to_string(i / 100) + "/a" + std::to_string(i) + ".txt"),
                        "Report " + std::to_string(i) + "\n\nThe council of Tartu met on Monday to discuss item " +
                            std::to_string(i) + " of the agenda, and Lyon signed a sister-city agreement with Kyoto in 2024.\n");
  }
  for (int sig : {SIGINT, SIGTERM}) {
    const std::string db = dir / ("db-" + std::to_string(sig));
    tw::test::RunningTwinwatch run({"ingest", "-v", "--no-progress", "-j", "1", "--queue-capacity", "1", "--db", db, dir / "in"});
    // Wait until articles are flowing, then signal.
    for (int tries = 0; tries < 2000 && run.StderrSoFar().find("cleaned") == std::string::npos; ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(::kill(run.pid(), sig) == 0);
    auto r = run.Wait();
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains(sig == SIGINT ? "SIGINT received" : "SIGTERM received"));
    // The summary names what was read and stored; every article read was stored.
    const auto summary = r.err.substr(r.err.rfind("ingest: "));
    unsigned long read = 0, stored = 0;
    REQUIRE(std::sscanf(summary.c_str(), "ingest: %lu read, %lu stored", &read, &stored) == 2);
    CHECK(read < 3000);
    CHECK(read == stored);
    auto stats = RunTwinwatch({"stats", "--db", db, "--format", "json"});
    REQUIRE(stats.exit_code == 0);
    CHECK(nlohmann::json::parse(stats.out)["articles"] == stored);
  }
}

TEST_CASE("rules check loads every rule file, and names the file and line of an error with exit 2") {
  auto ok = RunTwinwatch({"rules", "check"});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("ok  events.toml"));
  CHECK_THAT(ok.out, Catch::Contains("ok  gazetteer/"));
  tw::test::TempDir dir;
  std::filesystem::copy(std::string(TW_SOURCE_DIR) + "/rules", dir.path(), std::filesystem::copy_options::recursive);
  tw::test::WriteFile(dir / "events.toml", "[[rule]]\nid = \"x\"\ntype = \"agreement\"\npattern = '{A} ({B}'\n");
  tw::test::WriteFile(dir / "dates.toml", "[words]\nmonths = 3\n");
  auto bad = RunTwinwatch({"rules", "check", "--rules", dir.path()});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains(dir / "events.toml:1: rule 'x': bad pattern"));
  CHECK_THAT(bad.err, Catch::Contains(dir / "dates.toml:2: words.months must be a table"));
  CHECK_THAT(bad.out, Catch::Contains("ok  gazetteer/"));
}
