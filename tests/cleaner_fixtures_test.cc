// The cleaner on pages written for these tests (tests/fixtures/clean/), each with its expected
// metadata and the text it must keep (in order) and leave out (expected.json).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "pipeline/cleaner.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

const std::string kFixtures = std::string(TW_SOURCE_DIR) + "/tests/fixtures/clean/";

nlohmann::json Expectations() { return nlohmann::json::parse(test::ReadFile(kFixtures + "expected.json")); }

std::string OrEmpty(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

RawDoc Fixture(const std::string& name, const nlohmann::json& expected) {
  RawDoc doc;
  doc.url = expected["url"].get<std::string>();
  doc.origin = name;
  doc.bytes = test::ReadFile(kFixtures + name);
  doc.content_type = "text/html";
  doc.fetch_time = 1735689600;  // 2025-01-01
  return doc;
}

}  // namespace

TEST_CASE("cleaner fixtures: title, publication date, canonical URL, language and author") {
  const nlohmann::json all = Expectations();
  REQUIRE(all.size() >= 25);
  Cleaner cleaner;
  for (const auto& [name, expected] : all.items()) {
    DYNAMIC_SECTION(name) {
      auto a = cleaner.Process(Fixture(name, expected));
      REQUIRE(a.ok());
      CHECK(a->title.value == OrEmpty(expected, "title"));
      CHECK(a->published.value == OrEmpty(expected, "published"));
      CHECK(a->canonical_url.value == OrEmpty(expected, "canonical_url"));
      CHECK(a->language.value == OrEmpty(expected, "language"));
      if (expected.contains("author")) CHECK(a->author.value == OrEmpty(expected, "author"));
      // Every value says where it came from.
      for (const SourcedValue* v : {&a->title, &a->published, &a->canonical_url, &a->language, &a->author}) {
        CHECK(v->empty() == v->source.empty());
      }
    }
  }
}

TEST_CASE("cleaner fixtures: the article text is kept in order and the furniture is left out") {
  const nlohmann::json all = Expectations();
  Cleaner cleaner;
  for (const auto& [name, expected] : all.items()) {
    DYNAMIC_SECTION(name) {
      auto a = cleaner.Process(Fixture(name, expected));
      REQUIRE(a.ok());
      size_t from = 0;
      for (const auto& piece : expected["contains"]) {
        const std::string s = piece.get<std::string>();
        INFO("expected, after byte " << from << ": " << s);
        const size_t at = a->text.find(s, from);
        CHECK(at != std::string::npos);
        if (at != std::string::npos) from = at + s.size();
      }
      if (expected.contains("excludes")) {
        for (const auto& piece : expected["excludes"]) CHECK_THAT(a->text, !Catch::Contains(piece.get<std::string>()));
      }
      // Nothing but the article: its text is at most a little longer than what it must contain.
      size_t wanted = 0;
      for (const auto& piece : expected["contains"]) wanted += piece.get<std::string>().size() + 2;
      CHECK(a->text.size() <= wanted + wanted / 10 + 40);
    }
  }
}
