// The store's commands end to end: reextract after a rule change and back, and a store that
// another process holds.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <rocksdb/db.h>

#include <filesystem>

#include "storage/schema.h"
#include "storage/store.h"
#include "tests/test_util.h"

using tw::test::RunTwinwatch;

namespace {

// A rules folder like the project's, with every rule whose id starts with `id_prefix` taken out of
// events.toml (several rules may find the same report).
std::string RulesWithout(const tw::test::TempDir& dir, const std::string& id_prefix) {
  const std::string project = TW_DEFAULT_RULES_DIR;
  const std::string rules = dir / "rules";
  std::filesystem::create_directories(rules);
  for (const auto& entry : std::filesystem::directory_iterator(project)) {
    // Without the fallback layer too: it would read the ties the removed rules read.
    if (entry.path().filename() == "fallback.toml") continue;
    if (entry.path().filename() != "events.toml") std::filesystem::create_symlink(entry.path(), rules + "/" + entry.path().filename().string());
  }
  std::string toml = tw::test::ReadFile(project + "/events.toml");
  size_t removed = 0;
  for (size_t at; (at = toml.find("id = \"" + id_prefix)) != std::string::npos; ++removed) {
    const size_t begin = toml.rfind("[[rule]]", at);
    const size_t end = toml.find("[[rule]]", at);
    toml.erase(begin, end == std::string::npos ? std::string::npos : end - begin);
  }
  REQUIRE(removed > 0);
  tw::test::WriteFile(rules + "/events.toml", toml);
  return rules;
}

std::vector<std::string> EventLines(const std::string& db) {
  auto q = RunTwinwatch({"query", "--db", db, "--format", "jsonl"});
  REQUIRE(q.exit_code == 0);
  std::vector<std::string> lines;
  for (size_t pos = 0, end; (end = q.out.find('\n', pos)) != std::string::npos; pos = end + 1) lines.push_back(q.out.substr(pos, end - pos));
  return lines;
}

}  // namespace

TEST_CASE("reextract after a rule change replaces contributions, unchanged rules change nothing, and the old rules bring back the same ids") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "in/a.txt", "Tartu news\n\nTartu, Estonia, ended its twin-town agreement with Pskov in November 2023.\n");
  tw::test::WriteFile(dir / "in/b.txt", "Lyon news\n\nLyon signed a sister-city agreement with Kyoto in 2024.\n");
  REQUIRE(RunTwinwatch({"ingest", "--db", dir / "db", dir / "in"}).exit_code == 0);
  const auto before = EventLines(dir / "db");
  REQUIRE(before.size() == 2);

  auto same = RunTwinwatch({"reextract", "--db", dir / "db"});
  CHECK(same.exit_code == 0);
  CHECK_THAT(same.err, Catch::Contains("reextract: 2 articles, 0 changed, 0 failed"));
  CHECK(EventLines(dir / "db") == before);

  auto fewer = RunTwinwatch({"reextract", "--db", dir / "db", "--rules", RulesWithout(dir, "termination.")});
  CHECK(fewer.exit_code == 0);
  CHECK_THAT(fewer.err, Catch::Contains("1 changed"));
  CHECK_THAT(fewer.err, Catch::Contains("1 removed"));
  const auto after = EventLines(dir / "db");
  REQUIRE(after.size() == 1);
  CHECK(nlohmann::json::parse(after[0])["type"] == "agreement");

  auto back = RunTwinwatch({"reextract", "--db", dir / "db"});
  CHECK(back.exit_code == 0);
  CHECK_THAT(back.err, Catch::Contains("1 new"));
  CHECK(EventLines(dir / "db") == before);
}

TEST_CASE("a store another process holds: writers exit 2 naming it, readers still work") {
  tw::test::TempDir dir;
  tw::test::WriteFile(dir / "in/a.txt", "Lyon news\n\nLyon signed a sister-city agreement with Kyoto in 2024.\n");
  REQUIRE(RunTwinwatch({"ingest", "--db", dir / "db", dir / "in"}).exit_code == 0);
  auto holder = tw::Store::Open(dir / "db");  // this test process holds the lock
  REQUIRE(holder.ok());
  for (std::vector<std::string> args : {std::vector<std::string>{"ingest", "--db", dir / "db", dir / "in"},
                                        std::vector<std::string>{"reextract", "--db", dir / "db"}}) {
    auto r = RunTwinwatch(args);
    INFO(args[0]);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(dir / "db"));
    CHECK_THAT(r.err, Catch::Contains("is in use by another twinwatch process"));
  }
  CHECK(EventLines(dir / "db").size() == 1);
  CHECK(RunTwinwatch({"stats", "--db", dir / "db"}).exit_code == 0);
}

TEST_CASE("a store of another schema version is exit 2 with the versions named, for readers and writers") {
  tw::test::TempDir dir;
  {
    rocksdb::DB* raw = nullptr;
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : tw::schema::FamilyNames()) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    REQUIRE(rocksdb::DB::Open(options, dir / "db", families, &handles, &raw).ok());
    REQUIRE(raw->Put(rocksdb::WriteOptions(), handles[0], "schema_version", "999").ok());
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  for (const char* command : {"query", "stats", "reextract", "serve"}) {
    auto r = RunTwinwatch({command, "--db", dir / "db"});
    INFO(command);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("has schema version 999 but this twinwatch reads version " + std::to_string(tw::Store::kSchemaVersion)));
  }
}

namespace {

// `stats --format json` without what differs between two stores of the same articles: when they
// were written and how they are laid out on disk.
// The summary line `command` printed last on stderr, without the time taken (its last part).
std::string SummaryCounts(const std::string& err, const std::string& command) {
  const size_t at = err.rfind(command + ": ");
  REQUIRE(at != std::string::npos);
  const std::string line = err.substr(at, err.find('\n', at) - at);
  return line.substr(0, line.rfind("; "));
}

nlohmann::json StatsWithoutTimes(const std::string& db) {
  auto s = RunTwinwatch({"stats", "--db", db, "--format", "json"});
  REQUIRE(s.exit_code == 0);
  auto j = nlohmann::json::parse(s.out);
  j.erase("last_stored");
  j.erase("disk_bytes");
  j.erase("db");
  return j;
}

}  // namespace

TEST_CASE("ingest --bulk into an empty store stores what plain ingest does, through query, stats and reextract") {
  tw::test::TempDir dir;
  // 400 articles reporting ties between 6 city pairs of 3 kinds at dates of every precision (so
  // reports merge, refine and conflict), every seventh a copy of an earlier one (a duplicate).
  const char* pairs[][2] = {{"Lyon", "Kyoto"}, {"Tartu", "Turku"}, {"Gdansk", "Bremen"},
                            {"Tampere", "Kursk"}, {"Leipzig", "Krakow"}, {"Nagoya", "Seville"}};
  const char* dates[] = {"2019", "October 2019", "7 October 2019", "November 2019", "2020", "March 2021"};
  const char* kinds[] = {"signed a sister-city agreement with", "ended its twin-town agreement with",
                         "suspended its partnership with"};
  std::vector<std::string> texts;
  for (int i = 0; i < 400; ++i) {
    std::string text = "Council report " + std::to_string(i) + "\n\nThe council met for the " + std::to_string(i) + "th time. ";
    if (i % 7 == 6) {
      text = texts[static_cast<size_t>(i * 31 % i)];
    } else {
      for (int k = 0; k <= i % 3; ++k) {
        const int n = i * 3 + k;
        const auto& p = pairs[n % 6];
        text += std::string(p[0]) + " " + kinds[(n / 6) % 3] + " " + p[1] + " in " + dates[(n / 18) % 6] + ". ";
      }
      text += "\n";
    }
    texts.push_back(text);
    tw::test::WriteFile(dir / ("in/f" + std::to_string(i / 50) + "/a" + std::to_string(i) + ".txt"), text);
  }
  // One worker per stage: articles reach the store in the same order in both runs, so the same copy
  // of a duplicated text is the one stored.
  auto plain = RunTwinwatch({"ingest", "--no-progress", "-j", "1", "--db", dir / "plain", dir / "in"});
  auto bulk = RunTwinwatch({"ingest", "--no-progress", "-j", "1", "--bulk", "--db", dir / "bulk", dir / "in"});
  REQUIRE(plain.exit_code == 0);
  REQUIRE(bulk.exit_code == 0);
  CHECK_THAT(bulk.err, Catch::Contains("articles written out from memory"));
  // The same summary: stored, duplicates, events new and merged.
  CHECK(SummaryCounts(bulk.err, "ingest") == SummaryCounts(plain.err, "ingest"));
  CHECK_THAT(plain.err, Catch::Contains("merged"));

  auto same = [&] {
    const auto expected = EventLines(dir / "plain");
    CHECK(expected.size() > 20);
    CHECK(EventLines(dir / "bulk") == expected);
    CHECK(StatsWithoutTimes(dir / "bulk") == StatsWithoutTimes(dir / "plain"));
    for (const char* city : {"lyon", "Kyoto", "GDANSK"}) {
      auto p = RunTwinwatch({"query", "--db", dir / "plain", "--city", city, "--format", "csv"});
      auto b = RunTwinwatch({"query", "--db", dir / "bulk", "--city", city, "--format", "csv"});
      CHECK(b.out == p.out);
    }
  };
  same();
  // Re-extraction with fewer rules, then with the same rules again, changes both stores alike.
  const std::string fewer = RulesWithout(dir, "termination.");
  for (const std::string& rules : {fewer, std::string(TW_DEFAULT_RULES_DIR)}) {
    // One worker, as for the ingests: the counts in the summary depend on the order in which the
    // articles' new readings reach the store (a report of "2019" merged into a "2019-10" event may
    // move to "2019-11" once the "2019-10" report is gone), and two workers finish in any order.
    auto p = RunTwinwatch({"reextract", "-j", "1", "--db", dir / "plain", "--rules", rules});
    auto b = RunTwinwatch({"reextract", "-j", "1", "--db", dir / "bulk", "--rules", rules});
    REQUIRE(p.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    CHECK(SummaryCounts(b.err, "reextract") == SummaryCounts(p.err, "reextract"));
    same();
  }
  // A second bulk run into the (no longer empty) store goes through the database: all duplicates.
  auto again = RunTwinwatch({"ingest", "--no-progress", "-j", "1", "--bulk", "--db", dir / "bulk", dir / "in"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, !Catch::Contains("written out from memory"));
  CHECK_THAT(again.err, Catch::Contains("0 stored"));
  same();
}
