// The fallback event layer (extractors/fallback.h): what it reads from a sentence's ingredients
// when no event rule read the sentence, and the near misses it must leave alone.
#include <catch2/catch.hpp>

#include <algorithm>
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


TEST_CASE("fallback general readers: a tie noun and its one partner is a tie of the article's city, with an act of weight only") {
  // "the relationship with Yaroslavl" names no tie word: read only in an article on ties, with the
  // city the article is about as the other party.
  auto events = EventsOf(
      "Burlington has several sister cities. Burlington is the largest city in Vermont. "
      "The resolution noted that the relationship with Yaroslavl, Russia, was established in 1988.");
  REQUIRE(events.size() == 1);
  CHECK(Shown(events[0]) == "agreement Burlington|Yaroslavl 1988 fallback.agreement");
  // "the Russian city of Volgograd": the words that say what the partner is are part of the noun's.
  events = EventsOf(
      "Cologne has sister cities across Europe. Cologne lies on the Rhine. "
      "The link with the Russian city of Volgograd was established in 1988.");
  REQUIRE(events.size() == 1);
  CHECK(Shown(events[0]) == "agreement Cologne|Volgograd 1988 fallback.agreement");
  for (const char* text : {
           // no tie word anywhere in the article
           "Burlington is the largest city in Vermont. The council noted that the relationship with Yaroslavl was established in 1988.",
           // only the words that say a tie is: "was" is no act for a tie noun
           "Tallinn has sister cities in Finland. Tallinn is a port. The relationship with Moscow was tense in 2014.",
           // the place says where the partner lies, and is none
           "Erlangen has nine sister cities. Erlangen is in Bavaria. "
           "The partnership with the Istanbul district of Beşiktaş, in place since 2003, was mentioned.",
           // two places: which one is the partner, the noun does not say
           "Tallinn has sister cities in Finland. Tallinn is a port. "
           "The relationship with Moscow and Minsk was established in 1992.",
       }) {
    INFO(text);
    CHECK(EventsOf(text).empty());
  }
}

TEST_CASE("fallback general readers: a place a tie noun names is the tie's other party ('a second sister city, Omaha')") {
  const auto events = EventsOf(
      "Campinas mourns its former mayor. Campinas is in the state of São Paulo. "
      "In 1979 he added a second sister city, Omaha, Nebraska, after a conference on urban transport.");
  REQUIRE(events.size() == 1);
  CHECK(Shown(events[0]) == "agreement Campinas|Omaha 1979 fallback.agreement");
}

TEST_CASE("fallback general readers: decisions in council minutes are dated by the meeting") {
  // Minutes: a decision without a date of its own took place at the meeting the summary names.
  auto events = EventsOf(
      "Summary of the regular meeting of Kelowna City Council, Monday, 2024-05-13. Prepared by the City Clerk.\n\n"
      "3. Sister cities. Council approved the renewal of the sister-city agreement with Kasugai, Japan, for ten years.\n\n"
      "4. Moved by Councillor Abara: THAT Council direct staff to explore a sister-city relationship with the City of "
      "Mendoza, Argentina. Carried 7-2.");
  REQUIRE(events.size() == 2);
  CHECK(events[0].type == EventType::kAgreement);
  CHECK(events[0].second.name == "Kasugai");
  CHECK(events[0].date == "2024-05-13");
  CHECK(events[1].type == EventType::kProposal);
  CHECK(events[1].second.name == "Mendoza");
  CHECK(events[1].date == "2024-05-13");
  // "In the same session": the meeting a council acted at, dated right by the act ("voted ... on
  // Monday"), not a date further off in the sentence ("the resolution of 2016").
  events = EventsOf(
      "Oulu City Council voted 43-24 on Monday to begin work on a twin-town relationship with Manizales. "
      "In the same session, the council passed a resolution authorising the mayor to explore sister-city relations "
      "with Leuven.");
  REQUIRE(events.size() == 2);
  CHECK(events[1].second.name == "Leuven");
  CHECK(events[1].date == "2024-05-13");
  events = EventsOf(
      "Puerto Princesa on Monday revoked its sister-city relationship with Haikou. "
      "The council voted 10-2 to repeal the resolution that established the relationship in 2016. "
      "In the same session, the council passed a resolution authorising the mayor to explore sister-city relations "
      "with Kaohsiung.");
  auto kaohsiung = std::find_if(events.begin(), events.end(), [](const EventMention& e) { return e.second.name == "Kaohsiung"; });
  REQUIRE(kaohsiung != events.end());
  CHECK(kaohsiung->date == "2024-05-13");  // the lead's Monday, not 2016
}

TEST_CASE("fallback general readers: outside minutes, a decision is not dated by an earlier meeting") {
  // No summary of a meeting and no "same session": the proposal keeps no date.
  const auto events = EventsOf(
      "Oulu City Council voted 43-24 on Monday to begin work on a twin-town relationship with Manizales. "
      "Separately, the council passed a resolution authorising the mayor to explore sister-city relations with Leuven.");
  auto leuven = std::find_if(events.begin(), events.end(), [](const EventMention& e) { return e.second.name == "Leuven"; });
  REQUIRE(leuven != events.end());
  CHECK(leuven->date.empty());
}

TEST_CASE("fallback general readers: the fallback reads a headline no rule read, dated by the lead") {
  const auto x = test::ExtractArticle("Besançon and Freiburg im Breisgau renew their jumelage",
                               "BESANÇON, France — The mayors met on Saturday in the old town hall. "
                               "The jumelage dates back to 1959 and is the oldest of Besançon.");
  auto renewal = std::find_if(x.events.begin(), x.events.end(), [](const EventMention& e) { return e.start == 0 && e.end == 0; });
  REQUIRE(renewal != x.events.end());
  CHECK(renewal->type == EventType::kAgreement);
  CHECK(renewal->rule == "fallback.agreement");
  CHECK(renewal->date == "2024-05-11");
  CHECK(renewal->evidence == "Besançon and Freiburg im Breisgau renew their jumelage");
  // A headline's question or negation is no event.
  for (const char* title : {"Will Besançon and Freiburg im Breisgau renew their jumelage?",
                            "Besançon and Freiburg im Breisgau will not renew their jumelage"}) {
    INFO(title);
    const auto none = test::ExtractArticle(title, "The mayors met on Saturday. The jumelage dates back to 1959.");
    CHECK(none.events.empty());
  }
}

TEST_CASE("fallback general readers: the oldest tie 'with' a place, and a colon ends the clause a denial stands in") {
  const std::string erlangen = "Erlangen maintains town partnerships with a total of nine cities. Erlangen is in Bavaria. ";
  const std::string chernihiv = "Chernihiv has sister cities in Europe. Chernihiv is in the north of Ukraine. ";
  // Each text and what it reads ("" for nothing).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {erlangen + "The oldest exists with Rennes in France, since 1964.", "agreement Erlangen|Rennes 1964 fallback.agreement"},
      // the oldest of something else: no tie noun, no act of weight
      {erlangen + "The oldest church is with Rennes in France.", ""},
      // the denial stands before the colon, the act after it
      {chernihiv + "The city's ties with Russian municipalities no longer exist: in March 2022 the city council terminated "
                   "its partnership with Podolsk, near Moscow, as Russian troops shelled the city.",
       "termination Chernihiv|Podolsk 2022-03 fallback.termination"},
      // a denial in the act's own clause still stops it
      {chernihiv + "Officials said so: the city council has not terminated its partnership with Podolsk.", ""},
  };
  for (const auto& [text, shown] : cases) {
    INFO(text);
    const auto events = EventsOf(text);
    REQUIRE(events.size() == (shown.empty() ? 0u : 1u));
    if (!shown.empty()) CHECK(Shown(events[0]) == shown);
  }
}

TEST_CASE("fallback general readers: he or she after an office holder acts for the holder's place") {
  // Seoul is the article's city; "he" is the mayor of Gwangju, named last.
  const std::string opening = "Seoul has sister cities around the world. Seoul is the capital. Seoul is large. ";
  auto events = EventsOf(opening + "Mayor Kim Sung-hwan of Gwangju took office in 2018. In 2019, he signed a friendship agreement with Yangzhou.");
  REQUIRE(events.size() == 1);
  CHECK(events[0].first.name == "Gwangju");
  CHECK(events[0].second.name == "Yangzhou");
  CHECK(events[0].date == "2019");
  // Two office holders named at once: which one "he" is, the text does not say. The article's city
  // is no stand-in for him either: the sentence's one place is no party after "signed ... with".
  events = EventsOf(opening + "Mayor Kim Sung-hwan of Gwangju met Governor Lee Cheol-woo of Gyeongsangbuk-do in 2018. "
                    "In 2019, he signed a friendship agreement with Yangzhou.");
  for (const auto& e : events) CHECK(e.first.name != "Gwangju");
  // A holder whose place the text did not say: no place for "he".
  events = EventsOf(opening + "Mayor Kim Sung-hwan took office in 2018. In 2019, he signed a friendship agreement with Yangzhou.");
  for (const auto& e : events) CHECK(e.first.name != "Gwangju");
}

TEST_CASE("fallback general readers: 'it' or 'the link' for the tie read last, right by an act of weight") {
  const std::string opening = "Cologne has sister cities across Europe. Cologne lies on the Rhine. "
                              "The link with the Russian city of Volgograd was established in 1988. ";
  auto events = EventsOf(opening + "Cologne put it on ice in March 2022.");
  REQUIRE(events.size() == 2);
  CHECK(Shown(events[1]) == "suspension Cologne|Volgograd 2022-03 fallback.suspension");
  for (const char* after : {
           "Tallinn put it on ice in March 2022.",                                  // a place outside the tie
           "Officials argued that the link had once helped trade, a scheme Poland scrapped in 2016.",  // act far off
           "If the council approves it, the mayor will put it on ice in spring.",   // a condition
           "The council plans to put it on hold and explore a new link.",           // no proposal by reference
       }) {
    INFO(after);
    events = EventsOf(opening + after);
    CHECK(events.size() == 1);
  }
}

TEST_CASE("fallback general readers: under a heading that names a pair, a sentence that describes the two reads their tie") {
  const std::string opening = "Australian councils have signed many sister-city agreements.\n\n";
  auto events = EventsOf(opening + "3. Darwin and Ambon\n\nDarwin and the largest city of Indonesia's Maluku province signed their agreement in 1988.");
  REQUIRE(events.size() == 1);
  CHECK(Shown(events[0]) == "agreement Darwin|Ambon 1988 fallback.agreement");
  events = EventsOf(opening + "1. Ballarat and Takatsuki, Japan\n\n"
                    "A gold-rush city in Victoria and a commuter town in Osaka Prefecture have been sister cities since 1988.");
  REQUIRE(events.size() == 1);
  CHECK(Shown(events[0]) == "agreement Ballarat|Takatsuki 1988 fallback.agreement");
  for (const std::string& text : {
           // a place outside the pair: the sentence is about another tie
           opening + "3. Darwin and Ambon\n\nKupang and a port in Timor have been sister cities since 1990.",
           // the heading is no pair ("Darwin, the capital"), or another heading ended the section
           opening + "Darwin in focus\n\nThe city and a port in Indonesia have been sister cities since 1988.",
           opening + "3. Darwin and Ambon\n\nThe yacht race\n\nA port and a capital have been sister cities since 1988.",
       }) {
    INFO(text);
    CHECK(EventsOf(text).empty());
  }
}

TEST_CASE("fallback general readers: a motion the next sentence says was defeated is no event") {
  const std::string minutes = "Summary of the regular meeting of Nanaimo City Council, Monday, May 13, 2024.\n\n";
  auto events = EventsOf(minutes + "4. Moved by Councillor Lee: THAT Council suspend the sister-city agreement with Ishinomaki. Defeated 2-6.");
  CHECK(events.empty());
  // Carried: the motion stands, dated by the meeting.
  events = EventsOf(minutes + "4. Moved by Councillor Lee: THAT Council suspend the sister-city agreement with Ishinomaki. Carried 6-2.");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == EventType::kSuspension);
  CHECK(events[0].date == "2024-05-13");
  // "Defeated" after a sentence that moved nothing drops nothing.
  events = EventsOf(minutes + "Council approved the renewal of the sister-city agreement with Ishinomaki. Defeated motions are listed below.");
  CHECK(events.size() == 1);
}

TEST_CASE("fallback general readers: a condition stops the act it governs, not a tie stated as existing before it") {
  // The tie exists; only the ending is conditional. The next sentence's "tie" then refers to it.
  auto events = EventsOf("Leeds, which had been Dortmund's twin town since 1969, warned that it would end the relationship "
                         "if the city went ahead with the mural. In March 2021 Leeds's then mayor terminated the 52-year-old tie.");
  REQUIRE(events.size() == 2);
  CHECK(Shown(events[0]) == "agreement Leeds|Dortmund 1969 fallback.agreement");
  CHECK(events[1].type == EventType::kTermination);
  CHECK(events[1].date == "2021-03");
  for (const char* sentence : {
           "Unless the council objects, Leeds and Dortmund will end their twin-town tie in May.",    // condition first
           "Leeds asked whether its twin-town tie with Dortmund should be suspended.",               // a question
       }) {
    INFO(sentence);
    CHECK(EventsOf(sentence).empty());
  }
}
