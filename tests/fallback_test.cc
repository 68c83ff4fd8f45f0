// The fallback event layer (extractors/fallback.h): what it reads from a sentence's ingredients
// when no event rule read the sentence, and the near misses it must leave alone.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "extractors/extractor.h"
#include "extractors/fallback.h"
#include "tests/shared_extractor.h"
#include "tests/test_util.h"

using namespace tw;

namespace {

using test::SharedExtractor;

std::vector<EventMention> EventsOf(const std::string& text) {
  Article a;
  a.id = "t";
  a.url = "file:///t.txt";
  a.text = text;
  a.published = {"2024-05-15", "test"};
  return SharedExtractor().Process(a).events;
}

// "type first|second date rule" for one event, parties in the event's order.
std::string Shown(const EventMention& e) {
  return std::string(EventTypeName(e.type)) + " " + e.first.name + "|" + e.second.name + " " + e.date + " " + e.rule;
}

}  // namespace

TEST_CASE("fallback event layer reads a tie from its tie word, act words and two places") {
  struct Case {
    const char* sentence;
    const char* shown;
  };
  const std::vector<Case> cases = {
      {"Kaunas has had a town partnership with Lahti since 1994.", "agreement Kaunas|Lahti 1994 fallback.agreement"},
      {"The jumelage between Besançon and Freiburg im Breisgau was renewed on 3 May 2023.",
       "agreement Besançon|Freiburg im Breisgau 2023-05-03 fallback.agreement"},
      {"After the invasion, the twinning arrangement of Turku and Saint Petersburg was frozen in March 2022.",
       "suspension Turku|Saint Petersburg 2022-03 fallback.suspension"},
      {"The friendship ties of Harbin and Edmonton were severed by the new council in 2021.",
       "termination Harbin|Edmonton 2021 fallback.termination"},
  };
  for (const Case& c : cases) {
    INFO(c.sentence);
    const auto events = EventsOf(c.sentence);
    REQUIRE(events.size() == 1);
    CHECK(Shown(events[0]) == c.shown);
    CHECK(events[0].confidence < 0.8);  // below the rules': read from ingredients, not a template
  }
}

TEST_CASE("fallback event layer reads the founding of a tie it reads ended, only with the founding's own date") {
  auto events = EventsOf("The friendship ties of Harbin and Edmonton, formalised in 1985, were severed by the council in 2021.");
  REQUIRE(events.size() == 2);
  CHECK(Shown(events[0]) == "termination Harbin|Edmonton 2021 fallback.termination");
  CHECK(Shown(events[1]) == "agreement Harbin|Edmonton 1985 fallback.agreement");
  // "formalised" with no date of its own: the termination alone.
  events = EventsOf("The formalised friendship ties of Harbin and Edmonton were severed by the council in 2021.");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == EventType::kTermination);
}

TEST_CASE("fallback event layer pairs one place with the city the article is about only as the tie's other party") {
  const auto events = EventsOf(
      "Kassel is a city in the north of Hesse. Kassel is known for its art exhibition, held every five years. "
      "The Städtepartnerschaft with Perm, sealed in 1987, was among the first of its kind. "
      "The banana capital and Sugito were friendship cities for two decades.");
  REQUIRE(events.size() == 1);
  CHECK(Shown(events[0]) == "agreement Kassel|Perm 1987 fallback.agreement");
}

TEST_CASE("fallback event layer reads three places only as one place and a list of its partners") {
  auto events = EventsOf("Kassel is a city in the north of Hesse. "
                         "For Kassel, it is the fifth sister city, after Florence, Italy, and Mulhouse, France.");
  REQUIRE(events.size() == 2);
  CHECK(Shown(events[0]) == "agreement Kassel|Florence  fallback.agreement");
  CHECK(Shown(events[1]) == "agreement Kassel|Mulhouse  fallback.agreement");
  // Three places that are no list: more parties than a tie has.
  CHECK(EventsOf("Mayors of Turku, Tartu and Lahti discussed twin-town ties at a meeting in 2020.").empty());
}

TEST_CASE("fallback event layer reads nothing in near misses: negations, members, failed motions, organisations") {
  for (const char* sentence : {
           "Kaunas has no sister-city tie with Lahti.",
           "Kaunas has not signed a sister-city agreement with Lahti.",
           "Several towns, including Lahti and Kaunas, have partner towns in Russia.",
           "An amendment to explore a sister-city link between Lahti and Bilbao failed 2-4.",
           "The University of Tartu signed a partnership agreement with Uppsala University in 2019.",
           "The Moscow-based association promotes sister-city exchanges with Minsk.",
           "Kaunas could sign a twinning agreement with Lahti next year.",
           "Officials urged Kaunas to sever its sister-city ties with Lahti.",
           "Should Kaunas and Lahti become twin towns?",
           "Kaunas and Lahti signed a trade agreement in 2019.",  // no tie word
           "The delegation from Lahti visited sister cities in Japan in 2019.",  // one place, no party
       }) {
    INFO(sentence);
    CHECK(EventsOf(sentence).empty());
  }
}

TEST_CASE("fallback event layer: a rules directory without fallback.toml reads by the event rules alone") {
  test::TempDir dir;
  const std::filesystem::path rules = TW_SOURCE_DIR "/rules";
  for (const auto& entry : std::filesystem::directory_iterator(rules)) {
    if (entry.path().filename() != "fallback.toml") {
      std::filesystem::copy(entry.path(), std::filesystem::path(dir.path()) / entry.path().filename(), std::filesystem::copy_options::recursive);
    }
  }
  ExtractorOptions options;
  options.rules_dir = dir.path();
  auto ex = Extractor::Open(options);
  REQUIRE(ex.ok());
  Article a;
  a.id = "t";
  a.url = "file:///t.txt";
  a.text = "Kaunas has had a town partnership with Lahti since 1994.";
  CHECK(ex.value()->Process(a).events.empty());
}

TEST_CASE("fallback event layer rule file: errors name the file and line") {
  test::TempDir dir;
  const std::string path = dir.path() + "/fallback.toml";
  test::WriteFile(path, "[sentence]\ntie = 'twin'\n[[act]]\ntype = \"friendship\"\npattern = 'signed'\n");
  auto bad_type = TieFallback::Load(path);
  REQUIRE_FALSE(bad_type.ok());
  CHECK_THAT(bad_type.status().message(), Catch::StartsWith(path + ":3:") && Catch::Contains("unknown type"));
  test::WriteFile(path, "[sentence]\ntie = 'twin (unclosed'\n[[act]]\ntype = \"agreement\"\npattern = 'signed'\n");
  auto bad_pattern = TieFallback::Load(path);
  REQUIRE_FALSE(bad_pattern.ok());
  CHECK_THAT(bad_pattern.status().message(), Catch::StartsWith(path + ":2:"));
  test::WriteFile(path, "[[act]]\ntype = \"agreement\"\npattern = 'signed'\n");
  auto no_tie = TieFallback::Load(path);
  REQUIRE_FALSE(no_tie.ok());
  CHECK_THAT(no_tie.status().message(), Catch::Contains("sentence.tie"));
  auto shipped = TieFallback::Load(TW_SOURCE_DIR "/rules/fallback.toml");
  REQUIRE(shipped.ok());
  CHECK(shipped.value()->act_count() == 4);
  CHECK(TieFallback::RuleId(EventType::kSuspension) == "fallback.suspension");
}

TEST_CASE("fallback event layer: a tie a rule reads too is the rule's, so the fallback's share counts only its own") {
  const auto events = EventsOf("The jumelage between Besançon and Freiburg im Breisgau was renewed on 3 May 2023. "
                               "Besançon signed a twinning agreement with Freiburg im Breisgau in 1959.");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == EventType::kAgreement);
  CHECK_FALSE(events[0].rule.starts_with("fallback."));
  CHECK(events[0].evidence == "Besançon signed a twinning agreement with Freiburg im Breisgau in 1959.");
  CHECK(events[0].confidence > 0.5);
}
