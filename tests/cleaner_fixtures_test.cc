// The cleaner on pages written for these tests (tests/fixtures/clean/), each with its expected
// metadata and the text it must keep (in order) and leave out (expected.json).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

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

TEST_CASE("cleaner fixtures: title, publication date, canonical URL, language, author and charset, with their sources") {
  const nlohmann::json all = Expectations();
  REQUIRE(all.size() >= 25);
  Cleaner cleaner;
  for (const auto& [name, expected] : all.items()) {
    DYNAMIC_SECTION(name) {
      auto a = cleaner.Process(Fixture(name, expected));
      REQUIRE(a.ok());
      // Each value as expected, with the place it was found ("author" only where a fixture says).
      const nlohmann::json& found_in = expected["found_in"];
      const std::pair<const char*, const SourcedValue*> fields[] = {
          {"title", &a->title}, {"published", &a->published}, {"canonical_url", &a->canonical_url},
          {"language", &a->language}, {"author", &a->author}};
      for (const auto& [key, v] : fields) {
        INFO(key);
        CHECK(v->empty() == v->source.empty());
        if (std::string(key) == "author" && !expected.contains(key)) continue;
        CHECK(v->value == OrEmpty(expected, key));
        CHECK(v->source == OrEmpty(found_in, key));
      }
      CHECK(a->charset == OrEmpty(expected, "charset"));
      CHECK(a->charset_source == OrEmpty(found_in, "charset"));
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
