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
